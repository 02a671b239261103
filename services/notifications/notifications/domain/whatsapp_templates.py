"""What a person is told on WhatsApp about each event, in Indonesian and English.

Outside the 24-hour window after a person last wrote, a business may only send
WhatsApp *template* messages: a template registered (and approved) with the
gateway under a name and a language (`id`, `en`), whose body has numbered
placeholders `{{1}}`, `{{2}}`, ... filled by ordered text parameters. Each
template below names the values it takes from the event (the same values the
email templates use, `templates.py`) and ends with a link into the console page
the event is about. `body` is the text to register with the gateway; `render`
gives the parameters to send (and the text as the person reads it).

The Cloud API refuses a parameter holding a new line, a tab or more than four
spaces in a row (error 132018), so every parameter is made one line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from shared import contracts as c
from shared.kernel.i18n import Language

from .templates import TEMPLATES

#: The longest a parameter may be here; the Cloud API takes more, a phone screen less.
PARAMETER_LENGTH = 300

Link = Callable[[Any], str]


@dataclass(frozen=True)
class WhatsAppMessage:
    """One template message as it is sent: the template, the language, the parameters."""

    template: str
    language: Language
    parameters: list[str]
    #: The body with the parameters filled in: what the person reads.
    text: str


@dataclass(frozen=True)
class WhatsAppTemplate:
    event: c.EventClass
    #: Registered with the gateway under this name, once per language.
    name: str
    #: The event's values (`templates.py`) that fill {{1}}, {{2}}, ...; the link comes last.
    parameters: tuple[str, ...]
    #: The console page the event is about, as a path.
    link: Link
    id: str
    en: str

    @property
    def event_type(self) -> str:
        return self.event.event_type

    def body(self, language: Language) -> str:
        return self.en if language == "en" else self.id

    def render(self, data: c.Payload, language: Language, console_url: str) -> WhatsAppMessage:
        values = TEMPLATES[self.event_type].values(data, language)
        parameters = [one_line(values[name]) for name in self.parameters]
        parameters.append(console_url.rstrip("/") + self.link(data))
        text = self.body(language)
        for number, parameter in enumerate(parameters, start=1):
            text = text.replace("{{" + str(number) + "}}", parameter)
        return WhatsAppMessage(template=self.name, language=language, parameters=parameters, text=text)


def one_line(value: str) -> str:
    """A value as a template parameter: one line, no runs of spaces, not too long."""
    items = [re.sub(r"^[-•]\s+", "", line.strip()) for line in value.strip().splitlines()]
    flat = "; ".join(item for item in items if item)
    flat = re.sub(r"[\t ]+", " ", flat)
    return flat if len(flat) <= PARAMETER_LENGTH else flat[: PARAMETER_LENGTH - 1] + "…"


def placeholders(body: str) -> list[int]:
    return sorted({int(n) for n in re.findall(r"\{\{(\d+)\}\}", body)})


def edition(data: Any) -> str:
    return f"/lomba/{data.edition_id}"


def results(data: Any) -> str:
    return f"/lomba/{data.edition_id}/hasil"


def staff_edition(data: Any) -> str:
    return f"/staf/lomba/{data.edition_id}"


def judge_desk(data: Any) -> str:
    return f"/juri/{data.edition_id}"


_WHATSAPP = (
    WhatsAppTemplate(
        c.KimRegistered,
        "kim_registered",
        ("name", "kelurahan", "kecamatan"),
        lambda data: "/staf/kim",
        id="KIM baru terdaftar: {{1}} dari Kelurahan {{2}}, Kecamatan {{3}}. Periksa dan verifikasi: {{4}}",
        en="New KIM registered: {{1}} from Kelurahan {{2}}, Kecamatan {{3}}. Check and verify it: {{4}}",
    ),
    WhatsAppTemplate(
        c.KimUpdated,
        "kim_updated",
        ("name", "kelurahan"),
        lambda data: "/kim",
        id="Data {{1}} (Kelurahan {{2}}) diperbarui. Lihat: {{3}}",
        en="The details of {{1}} (Kelurahan {{2}}) were updated. See: {{3}}",
    ),
    WhatsAppTemplate(
        c.KimVerified,
        "kim_verified",
        ("name",),
        lambda data: "/kim",
        id="Selamat, {{1}} sudah diverifikasi Diskominfo dan kini dapat mendaftar lomba. Buka: {{2}}",
        en="Congratulations, {{1}} is verified by Diskominfo and may now enter competitions. Open: {{2}}",
    ),
    WhatsAppTemplate(
        c.EditionPublished,
        "edition_published",
        ("title", "theme", "opens", "closes"),
        edition,
        id="Lomba baru: {{1}}. Tema: {{2}}. Pengumpulan karya {{3}} sampai {{4}}. Daftar di: {{5}}",
        en="New competition: {{1}}. Theme: {{2}}. Entries open {{3}} until {{4}}. Enter at: {{5}}",
    ),
    WhatsAppTemplate(
        c.EditionUpdated,
        "edition_updated",
        ("title", "closes"),
        edition,
        id="Ketentuan lomba {{1}} diperbarui. Batas pengumpulan: {{2}}. Baca ketentuannya: {{3}}",
        en="The rules of {{1}} were updated. Entries close: {{2}}. Read them: {{3}}",
    ),
    WhatsAppTemplate(
        c.EditionSubmissionsClosed,
        "edition_submissions_closed",
        ("closed_at", "closed_by"),
        edition,
        id="Pengumpulan karya ditutup pada {{1}}, {{2}}. Lihat lomba: {{3}}",
        en="Entries closed at {{1}}, {{2}}. See the competition: {{3}}",
    ),
    WhatsAppTemplate(
        c.EnrolmentRequested,
        "enrolment_requested",
        ("kim_name", "kelurahan"),
        lambda data: f"/staf/lomba/{data.edition_id}/pendaftaran",
        id="{{1}} (Kelurahan {{2}}) mendaftar lomba dan menunggu persetujuan: {{3}}",
        en="{{1}} (Kelurahan {{2}}) asked to enter and awaits approval: {{3}}",
    ),
    WhatsAppTemplate(
        c.EnrolmentApproved,
        "enrolment_approved",
        ("kim_name",),
        edition,
        id="Pendaftaran {{1}} disetujui. Silakan kirim karya sebelum batas waktu: {{2}}",
        en="{{1}} is approved to enter. Submit your entry before the deadline: {{2}}",
    ),
    WhatsAppTemplate(
        c.EnrolmentRejected,
        "enrolment_rejected",
        ("kim_name", "reason"),
        edition,
        id="Pendaftaran {{1}} ditolak. Alasan: {{2}}. Lihat: {{3}}",
        en="{{1}} was not approved to enter. Reason: {{2}}. See: {{3}}",
    ),
    WhatsAppTemplate(
        c.JudgeAppointed,
        "judge_appointed",
        ("name",),
        judge_desk,
        id="Yth. {{1}}, Anda ditunjuk sebagai juri lomba KIM. Meja juri Anda: {{2}}",
        en="Dear {{1}}, you are appointed to judge the KIM competition. Your desk: {{2}}",
    ),
    WhatsAppTemplate(
        c.JudgeRemoved,
        "judge_removed",
        ("name",),
        edition,
        id="Yth. {{1}}, Anda tidak lagi menjadi juri lomba ini. Lihat: {{2}}",
        en="Dear {{1}}, you no longer judge this competition. See: {{2}}",
    ),
    WhatsAppTemplate(
        c.EntrySubmitted,
        "entry_submitted",
        ("kim_name", "title", "submitted_at"),
        edition,
        id='Karya {{1}} diterima: "{{2}}" ({{3}}). Lihat: {{4}}',
        en='{{1}}\'s entry was received: "{{2}}" ({{3}}). See: {{4}}',
    ),
    WhatsAppTemplate(
        c.EntryRevised,
        "entry_revised",
        ("kim_name", "title", "revision"),
        edition,
        id='Karya {{1}} diperbarui: "{{2}}" (revisi {{3}}). Lihat: {{4}}',
        en='{{1}}\'s entry was revised: "{{2}}" (revision {{3}}). See: {{4}}',
    ),
    WhatsAppTemplate(
        c.EntryWithdrawn,
        "entry_withdrawn",
        ("kim_name", "title"),
        edition,
        id='Karya {{1}} "{{2}}" ditarik dari lomba. Lihat: {{3}}',
        en='{{1}}\'s entry "{{2}}" was withdrawn. See: {{3}}',
    ),
    WhatsAppTemplate(
        c.EntryDisqualified,
        "entry_disqualified",
        ("kim_name", "title", "reason"),
        edition,
        id='Karya {{1}} "{{2}}" didiskualifikasi. Alasan: {{3}}. Lihat: {{4}}',
        en='{{1}}\'s entry "{{2}}" was disqualified. Reason: {{3}}. See: {{4}}',
    ),
    WhatsAppTemplate(
        c.EntryFilmChecked,
        "entry_film_checked",
        ("title", "verdict", "duration"),
        edition,
        id='Video karya "{{1}}" sudah diperiksa: {{2}} (durasi terbaca {{3}}). Lihat: {{4}}',
        en='The film of "{{1}}" was checked: {{2}} (length found {{3}}). See: {{4}}',
    ),
    WhatsAppTemplate(
        c.JudgeAssigned,
        "judge_assigned",
        ("name", "count", "edition_title", "deadline"),
        judge_desk,
        id="Yth. {{1}}, ada {{2}} karya {{3}} untuk Anda nilai, paling lambat {{4}}. Meja juri: {{5}}",
        en="Dear {{1}}, {{2}} entries of {{3}} await your scores, due {{4}}. Your desk: {{5}}",
    ),
    WhatsAppTemplate(
        c.JudgeReminded,
        "judge_reminded",
        ("name", "missing", "edition_title", "deadline"),
        judge_desk,
        id="Yth. {{1}}, {{2}} karya {{3}} belum Anda nilai; batasnya {{4}}. Meja juri: {{5}}",
        en="Dear {{1}}, {{2}} entries of {{3}} still need your scores, due {{4}}. Your desk: {{5}}",
    ),
    WhatsAppTemplate(
        c.ScoreRecorded,
        "score_recorded",
        ("total", "recorded_at"),
        lambda data: f"/staf/lomba/{data.edition_id}/penilaian/kemajuan",
        id="Lembar nilai masuk: total {{1}} ({{2}}). Kemajuan penilaian: {{3}}",
        en="A score sheet came in: total {{1}} ({{2}}). Judging progress: {{3}}",
    ),
    WhatsAppTemplate(
        c.JudgingCompleted,
        "judging_completed",
        ("entries", "judges", "completed_at"),
        lambda data: f"/staf/lomba/{data.edition_id}/hasil",
        id="Penilaian selesai: {{1}} karya, {{2}} juri ({{3}}). Hasil: {{4}}",
        en="Judging is complete: {{1}} entries, {{2}} judges ({{3}}). Results: {{4}}",
    ),
    WhatsAppTemplate(
        c.TieDetected,
        "tie_detected",
        ("count", "rank"),
        lambda data: f"/staf/lomba/{data.edition_id}/hasil",
        id="{{1}} karya bernilai sama di peringkat {{2}}; perlu keputusan staf: {{3}}",
        en="{{1}} entries tie at rank {{2}}; staff must decide: {{3}}",
    ),
    WhatsAppTemplate(
        c.ShortlistAnnounced,
        "shortlist_announced",
        ("count", "edition_title", "rule"),
        lambda data: f"/staf/lomba/{data.edition_id}/babak",
        id="{{1}} karya {{2}} lolos ke babak final ({{3}}). Babak: {{4}}",
        en="{{1}} entries of {{2}} go on to the final round ({{3}}). Rounds: {{4}}",
    ),
    WhatsAppTemplate(
        c.MessageDeadLettered,
        "message_dead_lettered",
        ("service", "event_type", "reason"),
        lambda data: f"/staf/pesan-tersisih/{data.service}/{data.dead_letter_id}",
        id="Pesan tersisih di layanan {{1}} ({{2}}): {{3}}. Periksa: {{4}}",
        en="A message was set aside in {{1}} ({{2}}): {{3}}. Check it: {{4}}",
    ),
    WhatsAppTemplate(
        c.WinnerAnnounced,
        "winner_announced",
        ("edition_title", "winners"),
        results,
        id="Pemenang {{1}} diumumkan. {{2}}. Hasil lengkap: {{3}}",
        en="The winners of {{1}} are announced. {{2}}. Full results: {{3}}",
    ),
)

#: The WhatsApp template of every event type a person can be told about, by type.
WHATSAPP_TEMPLATES: dict[str, WhatsAppTemplate] = {t.event_type: t for t in _WHATSAPP}


#: The reminder to submit before the deadline (`submission.reminder`, the service's own,
#: not an event of the catalog): registered as `submission_reminder`.
REMINDER_TEMPLATE = "submission_reminder"
REMINDER_BODY: dict[Language, str] = {
    "id": "Pengingat untuk {{1}}: karya untuk {{2}} belum dikirim. Batas pengiriman {{3}} hari lagi, "
    "{{4}}. Kirim di: {{5}}",
    "en": "A reminder for {{1}}: your entry for {{2}} is not in yet. Submissions close in {{3}} days, "
    "{{4}}. Submit at: {{5}}",
}


def reminder_message(values: dict[str, str], language: Language, link: str) -> WhatsAppMessage:
    """The reminder as a template message, from `personal.reminder_values`."""
    parameters = [one_line(values[name]) for name in ("kim_name", "edition_title", "days", "closes")] + [link]
    text = REMINDER_BODY[language]
    for number, parameter in enumerate(parameters, start=1):
        text = text.replace("{{" + str(number) + "}}", parameter)
    return WhatsAppMessage(template=REMINDER_TEMPLATE, language=language, parameters=parameters, text=text)
