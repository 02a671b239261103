"""Mail the registry sends: plain text, in the language the person asked in.

A mail is recorded (`mail_outbox`) in the same transaction as what causes it, and
a background sender delivers it (`adapters/mail.py`). The links in it carry
tokens: a mail's text is never logged and never put in an event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode
from uuid import UUID, uuid4

from shared.kernel.aggregate import Aggregate
from shared.kernel.i18n import Language


@dataclass(kw_only=True)
class Mail(Aggregate):
    mail_id: UUID
    to: str
    subject: str
    text: str
    #: What the mail is about (`registration`, `registration_attempt`, `password_reset`).
    kind: str
    created_at: datetime
    attempts: int = 0
    next_attempt_at: datetime
    sent_at: datetime | None = None
    failed_at: datetime | None = None
    last_error: str | None = None

    @classmethod
    def compose(cls, *, to: str, subject: str, text: str, kind: str, now: datetime) -> Mail:
        return cls(
            mail_id=uuid4(), to=to, subject=subject, text=text, kind=kind, created_at=now, next_attempt_at=now
        )


def link(console_url: str, path: str, token: str) -> str:
    return f"{console_url.rstrip('/')}{path}?{urlencode({'token': token})}"


SIGNATURE = {
    "id": "\n\nSalam,\nDiskominfo — Lomba KIM\n",
    "en": "\n\nRegards,\nDiskominfo — KIM Contest\n",
}


def registration_mail(*, to: str, kim_name: str, confirm_url: str, language: Language, now: datetime) -> Mail:
    if language == "en":
        subject = f"Confirm the registration of {kim_name}"
        text = (
            f"Someone (we hope you) registered the KIM {kim_name} with this email address.\n\n"
            f"To confirm it and activate the representative's account, open this link within 24 hours "
            f"and press the button:\n\n{confirm_url}\n\n"
            "If you did not register, ignore this mail: nothing is created without the confirmation."
        )
    else:
        subject = f"Konfirmasi pendaftaran {kim_name}"
        text = (
            f"Seseorang (semoga Anda) mendaftarkan KIM {kim_name} dengan alamat email ini.\n\n"
            "Untuk mengonfirmasi dan mengaktifkan akun perwakilan KIM, buka tautan ini dalam 24 jam "
            f"lalu tekan tombolnya:\n\n{confirm_url}\n\n"
            "Jika Anda tidak mendaftar, abaikan email ini: tanpa konfirmasi tidak ada yang dibuat."
        )
    return Mail.compose(to=to, subject=subject, text=text + SIGNATURE[language], kind="registration", now=now)


def registration_attempt_mail(
    *, to: str, sign_in_url: str, reset_url: str, language: Language, now: datetime
) -> Mail:
    if language == "en":
        subject = "Someone tried to register with your email address"
        text = (
            "Someone tried to register a KIM with this email address, but it already has an account. "
            "Nothing was changed.\n\n"
            f"Sign in with your password: {sign_in_url}\n"
            f"Forgot it? Choose a new one: {reset_url}\n\n"
            "If it was not you, you need not do anything."
        )
    else:
        subject = "Ada yang mencoba mendaftar dengan email Anda"
        text = (
            "Seseorang mencoba mendaftarkan KIM dengan alamat email ini, padahal sudah ada akun dengan "
            "email ini. Tidak ada yang diubah.\n\n"
            f"Masuk dengan kata sandi Anda: {sign_in_url}\n"
            f"Lupa kata sandi? Buat yang baru: {reset_url}\n\n"
            "Jika itu bukan Anda, Anda tidak perlu berbuat apa-apa."
        )
    return Mail.compose(
        to=to, subject=subject, text=text + SIGNATURE[language], kind="registration_attempt", now=now
    )


def password_reset_mail(*, to: str, reset_url: str, language: Language, now: datetime) -> Mail:
    if language == "en":
        subject = "Choose a new password"
        text = (
            "Someone (we hope you) asked to reset the password of the account with this email address.\n\n"
            f"Open this link within 1 hour to choose a new password (it works once):\n\n{reset_url}\n\n"
            "Every session of the account ends when the password changes. "
            "If you did not ask, ignore this mail: your password stays as it is."
        )
    else:
        subject = "Buat kata sandi baru"
        text = (
            "Seseorang (semoga Anda) meminta mengatur ulang kata sandi akun dengan alamat email ini.\n\n"
            "Buka tautan ini dalam 1 jam untuk membuat kata sandi baru (hanya berlaku sekali):"
            f"\n\n{reset_url}\n\n"
            "Semua sesi akun berakhir saat kata sandi diganti. "
            "Jika Anda tidak memintanya, abaikan email ini: kata sandi Anda tetap."
        )
    return Mail.compose(
        to=to, subject=subject, text=text + SIGNATURE[language], kind="password_reset", now=now
    )
