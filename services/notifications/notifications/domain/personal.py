"""What a KIM representative and a judge are told, in Indonesian and English, each
with a link into the console page the message is about.

Staff read `templates.TEMPLATES` (what happened, about anyone); a KIM
representative or a judge reads a message addressed to them ("Your enrolment
was approved"), from the same values plus `{link}`. Every channel takes the same
message: the inbox its subject and text, email its text as the plain-text part
and `html` (the text escaped, paragraphs and the link made HTML) as the other.

`submission.reminder` is the service's own: a KIM that has no entry yet is
reminded before the deadline (`reminders.py`); it is not in the catalog.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from html import escape
from string import Formatter
from typing import Any
from uuid import UUID

from shared.kernel.i18n import Language

from .formats import when
from .templates import TEMPLATES, Message, Wording

REMINDER = "submission.reminder"
DEFAULT_CONSOLE_URL = "http://127.0.0.1:8000"

#: Where each kind of message points, by the edition it is about.
KIM_EDITION = "/kim/lomba/{edition_id}"
KIM_HOME = "/kim"
JUDGE_EDITION = "/juri/{edition_id}"
RESULTS = "/lomba/{edition_id}/hasil"
STAFF_EDITION = "/staf/lomba/{edition_id}"


@dataclass(frozen=True)
class Reminder:
    """The data of a `submission.reminder`: an edition's deadline is `days_before` days away."""

    edition_id: UUID
    edition_title: str
    kim_id: UUID
    kim_name: str
    closes_at: datetime
    days_before: int


def reminder_values(reminder: Reminder, language: Language) -> dict[str, str]:
    return {
        "edition_id": str(reminder.edition_id),
        "edition_title": reminder.edition_title,
        "kim_name": reminder.kim_name,
        "closes": when(reminder.closes_at, language),
        "days": str(reminder.days_before),
    }


@dataclass(frozen=True)
class Personal:
    event_type: str
    path: str
    id: Wording
    en: Wording
    values: Callable[[Any, Language], dict[str, str]] | None = None

    def wording(self, language: Language) -> Wording:
        return self.en if language == "en" else self.id

    def placeholders(self) -> list[str]:
        texts = (self.id.subject, self.id.body, self.en.subject, self.en.body)
        return sorted({name for text in texts for _, name, _, _ in Formatter().parse(text) if name})

    def render(self, data: Any, language: Language, console_url: str = DEFAULT_CONSOLE_URL) -> Message:
        values_of = self.values or TEMPLATES[self.event_type].values
        values = values_of(data, language)
        where = {"edition_id": str(getattr(data, "edition_id", "")), **values}
        values["link"] = console_url.rstrip("/") + self.path.format_map(where)
        wording = self.wording(language)
        text = wording.body.format_map(values)
        return Message(
            subject=wording.subject.format_map(values), text=text, html=as_html(text, values["link"])
        )


def as_html(text: str, link: str) -> str:
    """The text as HTML: every value escaped, each paragraph a <p>, the link an <a>."""
    paragraphs = []
    for paragraph in text.split("\n\n"):
        lines = []
        for line in paragraph.split("\n"):
            escaped = escape(line)
            escaped_link = escape(link)
            if escaped_link in escaped:
                escaped = escaped.replace(escaped_link, f'<a href="{escaped_link}">{escaped_link}</a>')
            lines.append(escaped)
        paragraphs.append("<p>" + "<br>\n".join(lines) + "</p>")
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head>'
        '<body style="font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5">\n'
        + "\n".join(paragraphs)
        + "\n</body></html>"
    )


def w(about: str, subject: str, body: str) -> Wording:
    return Wording(about=about, subject=subject, body=body)


_KIM = (
    Personal(
        "kim.registered",
        KIM_HOME,
        id=w(
            "KIM Anda terdaftar.",
            "{name} sudah terdaftar",
            "{name} (Kelurahan {kelurahan}) sudah terdaftar. Staf Diskominfo akan memverifikasinya.\n\n"
            "Lihat profil KIM Anda: {link}",
        ),
        en=w(
            "Your KIM is registered.",
            "{name} is registered",
            "{name} (Kelurahan {kelurahan}) is registered. Diskominfo staff will verify it.\n\n"
            "See your KIM's profile: {link}",
        ),
    ),
    Personal(
        "kim.updated",
        KIM_HOME,
        id=w(
            "Profil KIM Anda berubah.",
            "Profil {name} diperbarui",
            "Profil {name} diperbarui. Ketua: {chair}; WhatsApp: {whatsapp}; anggota: {members}.\n\n"
            "Periksa profil KIM Anda: {link}",
        ),
        en=w(
            "Your KIM's profile changed.",
            "{name}'s profile updated",
            "{name}'s profile was updated. Chair: {chair}; WhatsApp: {whatsapp}; members: {members}.\n\n"
            "Check your KIM's profile: {link}",
        ),
    ),
    Personal(
        "kim.verified",
        KIM_HOME,
        id=w(
            "Staf memverifikasi KIM Anda.",
            "{name} sudah diverifikasi",
            "Selamat, {name} (Kelurahan {kelurahan}) sudah diverifikasi oleh Diskominfo. "
            "Kini KIM Anda dapat mendaftar lomba.\n\nBuka halaman KIM Anda: {link}",
        ),
        en=w(
            "Staff verified your KIM.",
            "{name} is verified",
            "{name} (Kelurahan {kelurahan}) has been verified by Diskominfo. "
            "Your KIM can now enrol in contests.\n\nOpen your KIM's page: {link}",
        ),
    ),
    Personal(
        "enrolment.requested",
        KIM_EDITION,
        id=w(
            "Pendaftaran lomba KIM Anda diterima dan menunggu persetujuan.",
            "Pendaftaran {kim_name} diterima",
            "Pendaftaran {kim_name} pada lomba sudah kami terima ({at}) dan menunggu persetujuan staf.\n\n"
            "Lihat lomba: {link}",
        ),
        en=w(
            "Your KIM's enrolment was received and awaits approval.",
            "{kim_name}'s enrolment received",
            "We received {kim_name}'s enrolment ({at}); it awaits staff approval.\n\nSee the contest: {link}",
        ),
    ),
    Personal(
        "enrolment.approved",
        KIM_EDITION,
        id=w(
            "Staf menyetujui pendaftaran lomba KIM Anda.",
            "Pendaftaran {kim_name} disetujui",
            "Pendaftaran {kim_name} disetujui ({at}). KIM Anda kini dapat mengirim karya.\n\n"
            "Kirim karya: {link}",
        ),
        en=w(
            "Staff approved your KIM's enrolment.",
            "{kim_name}'s enrolment approved",
            "{kim_name}'s enrolment was approved ({at}). Your KIM can now submit its entry.\n\n"
            "Submit your entry: {link}",
        ),
    ),
    Personal(
        "enrolment.rejected",
        KIM_EDITION,
        id=w(
            "Staf menolak pendaftaran lomba KIM Anda, dengan alasannya.",
            "Pendaftaran {kim_name} ditolak",
            "Mohon maaf, pendaftaran {kim_name} ditolak ({at}).\n\nAlasan: {reason}\n\nLihat lomba: {link}",
        ),
        en=w(
            "Staff rejected your KIM's enrolment, with the reason.",
            "{kim_name}'s enrolment rejected",
            "We are sorry: {kim_name}'s enrolment was rejected ({at}).\n\nReason: {reason}\n\n"
            "See the contest: {link}",
        ),
    ),
    Personal(
        "entry.submitted",
        KIM_EDITION,
        id=w(
            "Karya KIM Anda sudah diterima.",
            "Karya diterima: {title}",
            'Karya "{title}" dari {kim_name} sudah kami terima ({submitted_at}).\n'
            "Durasi: {duration}\nVideo: {video_url}\n\nLihat karya Anda: {link}",
        ),
        en=w(
            "Your KIM's entry was received.",
            "Entry received: {title}",
            '"{title}" by {kim_name} was received ({submitted_at}).\n'
            "Duration: {duration}\nVideo: {video_url}\n\nSee your entry: {link}",
        ),
    ),
    Personal(
        "entry.revised",
        KIM_EDITION,
        id=w(
            "Perubahan karya KIM Anda tersimpan.",
            "Karya diperbarui: {title}",
            'Perubahan karya "{title}" tersimpan ({updated_at}, revisi ke-{revision}).\n'
            "Video: {video_url}\n\nLihat karya Anda: {link}",
        ),
        en=w(
            "The changes to your KIM's entry are saved.",
            "Entry updated: {title}",
            'The changes to "{title}" are saved ({updated_at}, revision {revision}).\n'
            "Video: {video_url}\n\nSee your entry: {link}",
        ),
    ),
    Personal(
        "entry.withdrawn",
        KIM_EDITION,
        id=w(
            "Karya KIM Anda ditarik.",
            "Karya ditarik: {title}",
            'Karya "{title}" ditarik dari lomba ({updated_at}) dan tidak akan dinilai.\n\n'
            "Lihat lomba: {link}",
        ),
        en=w(
            "Your KIM's entry was withdrawn.",
            "Entry withdrawn: {title}",
            '"{title}" was withdrawn from the contest ({updated_at}) and will not be judged.\n\n'
            "See the contest: {link}",
        ),
    ),
    Personal(
        "entry.disqualified",
        KIM_EDITION,
        id=w(
            "Staf mendiskualifikasi karya KIM Anda, dengan alasannya.",
            "Karya didiskualifikasi: {title}",
            'Mohon maaf, karya "{title}" didiskualifikasi ({updated_at}).\n\nAlasan: {reason}\n\n'
            "Lihat lomba: {link}",
        ),
        en=w(
            "Staff disqualified your KIM's entry, with the reason.",
            "Entry disqualified: {title}",
            'We are sorry: "{title}" was disqualified ({updated_at}).\n\nReason: {reason}\n\n'
            "See the contest: {link}",
        ),
    ),
    Personal(
        "entry.film_checked",
        KIM_EDITION,
        id=w(
            "Video karya KIM Anda sudah diperiksa di situsnya: durasinya, atau apa yang perlu ditinjau.",
            "Pemeriksaan video: {title} ({verdict_id})",
            'Video karya "{title}" sudah diperiksa ({checked_at}).\n\nHasil: {verdict_id}\n'
            "Durasi terbaca: {duration} (batas: {max_duration})\n\n"
            "Bila perlu ditinjau, staf akan memeriksanya; Anda dapat memperbaiki tautan video sebelum "
            "batas waktu.\n\nLihat lomba: {link}",
        ),
        en=w(
            "Your KIM's film was checked on its host: its length and title, or what needs review.",
            "Film check: {title} ({verdict_en})",
            'The film of "{title}" was checked ({checked_at}).\n\nResult: {verdict_en}\n'
            "Length found: {duration} (maximum: {max_duration})\n\n"
            "If it needs review, staff will look at it; you may fix the video link before the "
            "deadline.\n\nSee the contest: {link}",
        ),
    ),
    Personal(
        "edition.updated",
        KIM_EDITION,
        id=w(
            "Ketentuan lomba yang diikuti KIM Anda berubah.",
            "Ketentuan lomba diperbarui: {title}",
            "Ketentuan {title} diperbarui.\n"
            "Pengumpulan karya: {opens} sampai {closes}\nDurasi video paling lama: {max_duration}\n\n"
            "Baca ketentuannya: {link}",
        ),
        en=w(
            "The rules of a contest your KIM entered changed.",
            "Contest rules updated: {title}",
            "The rules of {title} were updated.\n"
            "Submissions: {opens} to {closes}\nLongest video: {max_duration}\n\n"
            "Read the rules: {link}",
        ),
    ),
    Personal(
        "edition.submissions_closed",
        KIM_EDITION,
        id=w(
            "Pengumpulan karya lomba yang diikuti KIM Anda ditutup.",
            "Pengumpulan karya ditutup",
            "Pengumpulan karya ditutup {closed_by} pada {closed_at}. "
            "Karya yang sudah masuk akan dinilai juri.\n\n"
            "Lihat lomba: {link}",
        ),
        en=w(
            "Submissions to a contest your KIM entered are closed.",
            "Submissions closed",
            "Submissions were closed {closed_by} at {closed_at}. The jury will now judge the entries.\n\n"
            "See the contest: {link}",
        ),
    ),
    Personal(
        "winner.announced",
        RESULTS,
        id=w(
            "Pemenang lomba yang diikuti KIM Anda diumumkan.",
            "Pemenang diumumkan: {edition_title}",
            "Hasil akhir {edition_title} diumumkan pada {announced_at}.\n\nPemenang:\n{winners}\n\n"
            "Lihat hasil lengkap: {link}",
        ),
        en=w(
            "The winners of a contest your KIM entered are announced.",
            "Winners announced: {edition_title}",
            "The final results of {edition_title} were announced at {announced_at}.\n\n"
            "Winners:\n{winners}\n\n"
            "See the full results: {link}",
        ),
    ),
    Personal(
        REMINDER,
        KIM_EDITION,
        values=reminder_values,
        id=w(
            "Batas waktu pengumpulan karya sudah dekat dan KIM Anda belum mengirim karya.",
            "Pengingat: {days} hari lagi pengumpulan karya {edition_title} ditutup",
            "Yth. pengurus {kim_name},\n\nPengumpulan karya {edition_title} ditutup pada {closes}, "
            "{days} hari lagi, dan KIM Anda belum mengirim karya.\n\nKirim karya sekarang: {link}",
        ),
        en=w(
            "The submission deadline is near and your KIM has not submitted an entry.",
            "Reminder: {edition_title} closes in {days} days",
            "Dear {kim_name},\n\nSubmissions to {edition_title} close at {closes}, "
            "in {days} days, and your KIM has not submitted an entry yet.\n\nSubmit now: {link}",
        ),
    ),
)

_JUDGE = (
    Personal(
        "judge.appointed",
        JUDGE_EDITION,
        id=w(
            "Anda diangkat menjadi juri sebuah lomba.",
            "Anda diangkat menjadi juri",
            "Yth. {name},\n\nAnda diangkat menjadi juri lomba ({at}). Daftar karya yang Anda nilai "
            "akan dikirim setelah pembagian tugas.\n\nBuka meja juri: {link}",
        ),
        en=w(
            "You were appointed a judge of a contest.",
            "You are appointed a judge",
            "Dear {name},\n\nYou were appointed a judge of the contest ({at}). The entries you score "
            "will follow once they are assigned.\n\nOpen the judge's desk: {link}",
        ),
    ),
    Personal(
        "judge.removed",
        JUDGE_EDITION,
        id=w(
            "Anda tidak lagi menjadi juri sebuah lomba.",
            "Anda tidak lagi menjadi juri",
            "Yth. {name},\n\nAnda tidak lagi tercatat sebagai juri lomba ini ({at}). "
            "Terima kasih atas kesediaan Anda.\n\nHalaman lomba: {link}",
        ),
        en=w(
            "You are no longer a judge of a contest.",
            "You are no longer a judge",
            "Dear {name},\n\nYou are no longer a judge of this contest ({at}). "
            "Thank you for your time.\n\nThe contest's page: {link}",
        ),
    ),
    Personal(
        "judge.assigned",
        JUDGE_EDITION,
        id=w(
            "Anda mendapat daftar karya yang harus dinilai.",
            TEMPLATES["judge.assigned"].id.subject,
            TEMPLATES["judge.assigned"].id.body + "\n\nBuka meja juri: {link}",
        ),
        en=w(
            "You were given the entries to score.",
            TEMPLATES["judge.assigned"].en.subject,
            TEMPLATES["judge.assigned"].en.body + "\n\nOpen the judge's desk: {link}",
        ),
    ),
    Personal(
        "judge.reminded",
        JUDGE_EDITION,
        id=w(
            "Batas waktu penilaian sudah dekat dan Anda belum mengisi semua lembar nilai.",
            TEMPLATES["judge.reminded"].id.subject,
            TEMPLATES["judge.reminded"].id.body + "\n\nIsi lembar nilai: {link}",
        ),
        en=w(
            "The judging deadline is near and you still have score sheets to fill.",
            TEMPLATES["judge.reminded"].en.subject,
            TEMPLATES["judge.reminded"].en.body + "\n\nFill in your score sheets: {link}",
        ),
    ),
    Personal(
        "edition.updated",
        JUDGE_EDITION,
        id=w(
            "Ketentuan lomba yang Anda nilai berubah.",
            "Ketentuan lomba diperbarui: {title}",
            "Ketentuan {title} diperbarui.\nPengumpulan karya: {opens} sampai {closes}\n\n"
            "Buka meja juri: {link}",
        ),
        en=w(
            "The rules of a contest you judge changed.",
            "Contest rules updated: {title}",
            "The rules of {title} were updated.\nSubmissions: {opens} to {closes}\n\n"
            "Open the judge's desk: {link}",
        ),
    ),
    Personal(
        "edition.submissions_closed",
        JUDGE_EDITION,
        id=w(
            "Pengumpulan karya lomba yang Anda nilai ditutup.",
            "Pengumpulan karya ditutup",
            "Pengumpulan karya ditutup {closed_by} pada {closed_at}. Penilaian segera dimulai.\n\n"
            "Buka meja juri: {link}",
        ),
        en=w(
            "Submissions to a contest you judge are closed.",
            "Submissions closed",
            "Submissions were closed {closed_by} at {closed_at}. Judging starts soon.\n\n"
            "Open the judge's desk: {link}",
        ),
    ),
    Personal(
        "judging.completed",
        JUDGE_EDITION,
        id=w(
            "Semua lembar nilai lomba yang Anda nilai sudah masuk.",
            "Penilaian selesai",
            "Semua lembar nilai sudah masuk pada {completed_at}: {sheets} lembar untuk {entries} karya "
            "dari {judges} juri. Terima kasih.\n\nBuka meja juri: {link}",
        ),
        en=w(
            "Every score sheet of a contest you judge is in.",
            "Judging completed",
            "Every score sheet was in at {completed_at}: {sheets} sheets for {entries} entries "
            "from {judges} judges. Thank you.\n\nOpen the judge's desk: {link}",
        ),
    ),
    Personal(
        "winner.announced",
        RESULTS,
        id=w(
            "Pemenang lomba yang Anda nilai diumumkan.",
            "Pemenang diumumkan: {edition_title}",
            "Hasil akhir {edition_title} diumumkan pada {announced_at}.\n\nPemenang:\n{winners}\n\n"
            "Lihat hasil lengkap: {link}",
        ),
        en=w(
            "The winners of a contest you judge are announced.",
            "Winners announced: {edition_title}",
            "The final results of {edition_title} were announced at {announced_at}.\n\n"
            "Winners:\n{winners}\n\n"
            "See the full results: {link}",
        ),
    ),
)

#: What a KIM representative is told, by event type.
KIM_TEMPLATES: dict[str, Personal] = {p.event_type: p for p in _KIM}
#: What a judge is told, by event type.
JUDGE_TEMPLATES: dict[str, Personal] = {p.event_type: p for p in _JUDGE}


def personal(role: str | None, event_type: str) -> Personal | None:
    """The template addressed to a recipient of `role`, if that role has its own."""
    if role == "kim_rep":
        return KIM_TEMPLATES.get(event_type)
    if role == "judge":
        return JUDGE_TEMPLATES.get(event_type)
    return None
