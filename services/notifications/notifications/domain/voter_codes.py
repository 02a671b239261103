"""A voter's one-time code (`voter.code_requested`, from the voting service), told to
the address the voter gave: a WhatsApp number, or an email address.

The voter is not a recipient and gets none: nobody subscribes to a code, nothing
goes to an inbox, and nothing is kept of the voter but the delivery itself. The
delivery's `recipient_id` is derived from the event's address (as an addressee's
is from their email), so the unique index on (event, recipient, channel) makes
one delivery per code however often the event arrives.

The code is secret. It is in the delivery only while the delivery waits to be
sent (`Delivery.secret`); once the delivery is settled — taken by the gateway,
sent by email, or failed for good — every copy of it in the delivery is masked
(`mask`). The delivery log shows the subject, never the text, and the subject
holds no code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid5

from shared.contracts.voting import VoterCode, VoterCodeRequested
from shared.kernel.i18n import Language

from .formats import when
from .personal import DEFAULT_CONSOLE_URL
from .templates import Message
from .whatsapp_templates import WhatsAppMessage, one_line

VOTER_CODE = VoterCodeRequested.event_type

#: What a code reads as wherever it is shown after it was sent.
MASK = "••••••"

#: Voters are not recipients; each still gets one stable id, from their address.
VOTERS = UUID("3a8f2d61-7c0e-4b9a-9f47-2e5d1c6b8a03")


def voter_id(address: str) -> UUID:
    return uuid5(VOTERS, address.strip().lower())


def mask(text: str, code: str) -> str:
    """`text` with every copy of `code` masked."""
    return text.replace(code, MASK) if code else text


#: Registered with the gateway as `kode_pemilih`, in `id` and `en`.
TEMPLATE = "kode_pemilih"
BODY: dict[Language, str] = {
    "id": "Kode pemilih Juara Favorit {{1}}: {{2}}. Berlaku sampai {{3}}. "
    "Jangan berikan kode ini kepada siapa pun, termasuk panitia.",
    "en": "Your Juara Favorit voter code for {{1}}: {{2}}. Valid until {{3}}. "
    "Do not give this code to anyone, organisers included.",
}

SUBJECT: dict[Language, str] = {
    "id": "Kode pemilih Juara Favorit {edition_title}",
    "en": "Your Juara Favorit voter code for {edition_title}",
}

#: The console's page for step 2 of the vote with the code filled in: an email's
#: link, where WhatsApp is not configured (the link is masked with the code once sent).
LINK = "/pilih/{edition_id}/suara?permintaan={request_id}&kode={code}"

TEXT: dict[Language, str] = {
    "id": (
        "Kode pemilih Anda untuk Juara Favorit {edition_title}:\n\n"
        "    {code}\n\n"
        "{by_link}"
        "Masukkan kode ini di halaman pemilihan. Kode berlaku sampai {expires} dan hanya "
        "dapat dipakai sekali.\n\n"
        "Jangan berikan kode ini kepada siapa pun, termasuk panitia. Jika Anda tidak "
        "meminta kode ini, abaikan pesan ini."
    ),
    "en": (
        "Your voter code for the Juara Favorit of {edition_title}:\n\n"
        "    {code}\n\n"
        "{by_link}"
        "Enter it on the voting page. It is valid until {expires} and can be used once.\n\n"
        "Do not give this code to anyone, organisers included. If you did not ask for "
        "it, ignore this message."
    ),
}


@dataclass(frozen=True)
class VoterCodeMessage:
    """The code as the voter is told it, on the channel the event names."""

    message: Message
    whatsapp: WhatsAppMessage | None


#: What an email adds: the link that opens the vote with the code filled in.
BY_LINK: dict[Language, str] = {
    "id": "Atau buka tautan ini, kodenya sudah terisi; Anda tinggal memilih film:\n{link}\n\n",
    "en": "Or open this link, which fills the code in for you; you only choose the film:\n{link}\n\n",
}


def voter_code_message(data: VoterCode, console_url: str = DEFAULT_CONSOLE_URL) -> VoterCodeMessage:
    language: Language = data.language
    expires = when(data.expires_at, language)
    values: dict[str, Any] = {"edition_title": data.edition_title, "code": data.code, "expires": expires}
    link = console_url.rstrip("/") + LINK.format(
        edition_id=data.edition_id, request_id=data.request_id, code=data.code
    )
    by_link = BY_LINK[language].format(link=link) if data.channel == "email" else ""
    message = Message(
        subject=SUBJECT[language].format(**values), text=TEXT[language].format(**values, by_link=by_link)
    )
    if data.channel != "whatsapp":
        return VoterCodeMessage(message, None)
    parameters = [one_line(data.edition_title), data.code, one_line(expires)]
    text = BODY[language]
    for number, parameter in enumerate(parameters, start=1):
        text = text.replace("{{" + str(number) + "}}", parameter)
    return VoterCodeMessage(
        message, WhatsAppMessage(template=TEMPLATE, language=language, parameters=parameters, text=text)
    )
