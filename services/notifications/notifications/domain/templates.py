"""What staff are told about each event, in Indonesian and English.

One template per event type the service handles: a subject and a body with
`{placeholders}`, filled from the event's data by the template's `values`
function, which formats each value for the reader's language. Operators read
them at GET /templates.

Some events name a person to tell besides the subscribed staff (a judge given
entries to score, or reminded of missing sheets): the template's `addressee`
finds that person's name and email in the event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from string import Formatter
from typing import Any

from shared import contracts as c
from shared.kernel.i18n import Language

from .formats import NONE, duration, joined, lines, optional, score, when

Values = Callable[[Any, Language], dict[str, str]]


@dataclass(frozen=True)
class Addressee:
    """A person an event names to tell by email, who need not be a recipient."""

    name: str
    email: str


Addressees = Callable[[Any], Addressee | None]


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    #: The text as HTML, for the email's other part (messages addressed to a KIM or a judge).
    html: str | None = None


@dataclass(frozen=True)
class Wording:
    #: What the event means, for someone choosing what to subscribe to.
    about: str
    subject: str
    body: str


@dataclass(frozen=True)
class Template:
    event: c.EventClass
    values: Values
    id: Wording
    en: Wording
    #: Who the event itself names to tell, if anyone.
    addressee: Addressees | None = None

    @property
    def event_type(self) -> str:
        return self.event.event_type

    def wording(self, language: Language) -> Wording:
        return self.en if language == "en" else self.id

    def placeholders(self) -> list[str]:
        texts = (self.id.subject, self.id.body, self.en.subject, self.en.body)
        return sorted({name for text in texts for _, name, _, _ in Formatter().parse(text) if name})

    def addressee_of(self, data: c.Payload) -> Addressee | None:
        return self.addressee(data) if self.addressee is not None else None

    def render(self, data: c.Payload, language: Language) -> Message:
        values = self.values(data, language)
        wording = self.wording(language)
        return Message(subject=wording.subject.format_map(values), text=wording.body.format_map(values))


# The values each kind of payload offers its templates.


def kim_values(kim: c.KimProfile, language: Language) -> dict[str, str]:
    verified = {"id": ("terverifikasi", "belum diverifikasi"), "en": ("verified", "not verified yet")}
    return {
        "name": kim.name,
        "kelurahan": kim.kelurahan.name,
        "kecamatan": kim.kecamatan.name,
        "chair": kim.chair,
        "whatsapp": kim.whatsapp,
        "email": optional(kim.email, language),
        "members": str(len(kim.members)),
        "verified": verified[language][0 if kim.verified else 1],
    }


def edition_values(edition: c.EditionDetails, language: Language) -> dict[str, str]:
    prizes = [
        f"{prize.title}" + (f" ({prize.reward})" if prize.reward else "")
        for prize in sorted(edition.prizes, key=lambda p: p.rank)
    ]
    return {
        "title": edition.title,
        "theme": edition.theme,
        "opens": when(edition.submission_opens_at, language),
        "closes": when(edition.submission_closes_at, language),
        "max_duration": duration(edition.rules.max_video_seconds, language),
        "hosts": joined(edition.rules.allowed_video_hosts, language),
        "entries_per_kim": str(edition.rules.entries_per_kim),
        "awarded_ranks": str(edition.awarded_ranks),
        "prizes": lines(prizes, language),
    }


def closure_values(closure: c.SubmissionsClosure, language: Language) -> dict[str, str]:
    closed_by = {
        "id": {
            "staff": ("oleh staf", "oleh staf Diskominfo"),
            "deadline": ("batas waktu", "secara otomatis karena batas waktu pengumpulan telah lewat"),
        },
        "en": {
            "staff": ("by staff", "by Diskominfo staff"),
            "deadline": ("deadline", "automatically, because the submission deadline passed"),
        },
    }[language][closure.closed_by]
    return {
        "edition_id": str(closure.edition_id),
        "closed_at": when(closure.closed_at, language),
        "closer": closed_by[0],
        "closed_by": closed_by[1],
    }


def enrolment_values(enrolment: c.EnrolmentDetails, language: Language) -> dict[str, str]:
    return {
        "kim_name": enrolment.kim_name,
        "kelurahan": enrolment.kelurahan.name,
        "kecamatan": enrolment.kecamatan.name,
        "edition_id": str(enrolment.edition_id),
        "at": when(enrolment.at, language),
        "reason": optional(enrolment.reason, language),
    }


def judge_values(appointment: c.JudgeAppointment, language: Language) -> dict[str, str]:
    return {
        "name": appointment.name,
        "email": optional(appointment.email, language),
        "edition_id": str(appointment.edition_id),
        "at": when(appointment.at, language),
        "kelurahan": joined(appointment.affiliations.kelurahan_codes, language),
        "kims": str(len(appointment.affiliations.kim_ids)),
    }


def the_judge(notice: c.JudgeAssignment | c.JudgeReminder) -> Addressee | None:
    return Addressee(name=notice.name, email=notice.email) if notice.email else None


def assigned_entries(entries: list[c.AssignedEntry], language: Language) -> str:
    def line(entry: c.AssignedEntry) -> str:
        if entry.kim_name is None:
            return f'"{entry.title}"'
        kelurahan = f" (Kelurahan {entry.kelurahan.name})" if entry.kelurahan else ""
        return f'"{entry.title}" — {entry.kim_name}{kelurahan}'

    return lines((line(entry) for entry in entries), language)


def assignment_values(assignment: c.JudgeAssignment, language: Language) -> dict[str, str]:
    blind = {
        "id": ("Penilaian dilakukan tanpa identitas KIM (blind).", "Identitas KIM ditampilkan."),
        "en": ("Judging is blind: entries are shown without the KIM.", "Entries are shown with their KIM."),
    }[language]
    return {
        "name": assignment.name,
        "edition_title": assignment.edition_title,
        "count": str(len(assignment.entries)),
        "entries": assigned_entries(assignment.entries, language),
        "blind": blind[0 if assignment.blind else 1],
        "deadline": when(assignment.deadline, language) if assignment.deadline else NONE[language],
        "at": when(assignment.at, language),
    }


def reminder_values(reminder: c.JudgeReminder, language: Language) -> dict[str, str]:
    return {
        "name": reminder.name,
        "edition_title": reminder.edition_title,
        "missing": str(len(reminder.missing)),
        "assigned": str(reminder.assigned),
        "entries": assigned_entries(reminder.missing, language),
        "deadline": when(reminder.deadline, language),
    }


#: What a film check found, in each language: ok, or why staff must review it.
FILM_VERDICTS: dict[str, dict[Language, str]] = {
    "ok": {"id": "sesuai", "en": "fine"},
    "unreachable": {
        "id": "perlu ditinjau: tautan tidak dapat dibuka",
        "en": "to review: the link does not answer",
    },
    "too_long": {"id": "perlu ditinjau: melebihi durasi maksimal", "en": "to review: longer than allowed"},
    "duration_unknown": {
        "id": "perlu ditinjau: durasi tidak diketahui",
        "en": "to review: its length is not known",
    },
    "link_refused": {
        "id": "perlu ditinjau: tautan mengarah ke alamat terlarang",
        "en": "to review: the link leads to a forbidden address",
    },
}


def the_kim(check: c.FilmCheckDetails) -> Addressee | None:
    """The KIM, told when its film needs review (submissions names it only then)."""
    return Addressee(name=check.kim_name, email=check.kim_email) if check.kim_email else None


def film_check_values(check: c.FilmCheckDetails, language: Language) -> dict[str, str]:
    verdict = FILM_VERDICTS[check.reason or "ok"]
    return {
        "title": check.title,
        "kim_name": check.kim_name,
        "verdict_id": verdict["id"],
        "verdict_en": verdict["en"],
        "verdict": verdict[language],
        "duration": duration(check.duration_seconds or 0, language),
        "max_duration": duration(check.max_video_seconds, language),
        "host_title": optional(check.host_title, language),
        "video_url": check.video_url,
        "checked_at": when(check.checked_at, language),
    }


def entry_values(entry: c.EntryDetails, language: Language) -> dict[str, str]:
    return {
        "title": entry.title,
        "kim_name": entry.kim_name,
        "kelurahan": entry.kelurahan.name,
        "edition_id": str(entry.edition_id),
        "duration": duration(entry.duration_seconds, language),
        "video_url": entry.video_url,
        "umkm": joined(entry.umkm_featured, language),
        "synopsis": entry.synopsis,
        "submitted_at": when(entry.submitted_at, language),
        "updated_at": when(entry.updated_at, language),
        "revision": str(entry.revision),
        "reason": optional(entry.disqualification_reason, language),
    }


def score_values(sheet: c.ScoreSheetDetails, language: Language) -> dict[str, str]:
    weight = "bobot" if language == "id" else "weight"
    return {
        "judge_id": str(sheet.judge_id),
        "entry_id": str(sheet.entry_id),
        "edition_id": str(sheet.edition_id),
        "total": score(sheet.total, language),
        "revision": str(sheet.revision),
        "recorded_at": when(sheet.recorded_at, language),
        "criteria": lines(
            (f"{s.criterion_id} ({weight} {s.weight}%): {s.score}" for s in sheet.scores), language
        ),
    }


def completion_values(completion: c.JudgingCompletion, language: Language) -> dict[str, str]:
    return {
        "edition_id": str(completion.edition_id),
        "completed_at": when(completion.completed_at, language),
        "entries": str(completion.entries),
        "judges": str(completion.judges),
        "sheets": str(completion.sheets),
    }


def tie_values(tie: c.TieDetails, language: Language) -> dict[str, str]:
    return {
        "edition_id": str(tie.edition_id),
        "rank": str(tie.rank),
        "count": str(len(tie.entry_ids)),
        "entries": lines((str(entry_id) for entry_id in tie.entry_ids), language),
        "tie_break": joined(tie.tie_break, language),
        "detected_at": when(tie.detected_at, language),
    }


def dead_letter_values(dead: c.DeadLetter, language: Language) -> dict[str, str]:
    reasons = {
        "id": {
            "rejected": "pesannya tidak sesuai kontrak",
            "delivery_limit": "pemrosesannya terus gagal sampai batas pengiriman",
            "publisher_not_allowed": "pengirimnya bukan layanan pemilik jenis event ini",
            "unsupported_version": "versinya tidak dikenal oleh penerimanya",
        },
        "en": {
            "rejected": "it did not match its contract",
            "delivery_limit": "processing it kept failing up to the delivery limit",
            "publisher_not_allowed": "its publisher is not the service that owns its event type",
            "unsupported_version": "its version is not one its consumer reads",
        },
    }[language]
    return {
        "service": dead.service,
        "queue": dead.queue,
        "event_type": optional(dead.event_type, language),
        "message_id": optional(dead.message_id, language),
        "reason": reasons.get(dead.reason, dead.reason),
        "deliveries": str(dead.deliveries),
        "at": when(dead.at, language),
        "dead_letter_id": str(dead.dead_letter_id),
    }


def announcement_values(announcement: c.Announcement, language: Language) -> dict[str, str]:
    rank, points = ("Juara", "nilai") if language == "id" else ("Rank", "score")
    winners = (
        f'{rank} {p.rank}: {p.kim_name} (Kelurahan {p.kelurahan.name}), "{p.entry_title}", '
        f"{points} {score(p.score, language)}"
        for p in sorted(announcement.winners, key=lambda p: p.rank)
    )
    if announcement.supersedes is None:
        version = {"id": f"Versi {announcement.version}.", "en": f"Version {announcement.version}."}[language]
    else:
        reason = optional(announcement.correction_reason, language)
        version = {
            "id": f"Versi {announcement.version}, koreksi atas versi {announcement.supersedes}. "
            f"Alasan: {reason}",
            "en": f"Version {announcement.version}, correcting version {announcement.supersedes}. "
            f"Reason: {reason}",
        }[language]
    return {
        "edition_title": announcement.edition_title,
        "announced_at": when(announcement.announced_at, language),
        "winners": lines(winners, language),
        "ranked": str(len(announcement.ranking)),
        "tie_break": joined(announcement.tie_break, language),
        "version": version,
        "content_hash": optional(announcement.content_hash, language),
    }


def shortlist_values(shortlist: c.Shortlist, language: Language) -> dict[str, str]:
    rank, points = ("Peringkat", "nilai") if language == "id" else ("Rank", "score")
    entries = (
        f'{rank} {p.rank}: {p.kim_name} (Kelurahan {p.kelurahan.name}), "{p.entry_title}", '
        f"{points} {score(p.score, language)}"
        for p in shortlist.entries
    )
    return {
        "edition_title": shortlist.edition_title,
        "announced_at": when(shortlist.announced_at, language),
        "entries": lines(entries, language),
        "count": str(len(shortlist.entries)),
        "rule": shortlist_rule(shortlist.rule, language),
    }


def shortlist_rule(rule: str, language: Language) -> str:
    """Judging's rule ("top 10", "score >= 75") in the reader's language."""
    kind, _, value = rule.partition(" ")
    if kind == "top" and value.isdigit():
        return {"id": f"{value} karya teratas", "en": f"the top {value}"}[language]
    if kind == "score" and value.startswith(">= "):
        least = value.removeprefix(">= ")
        return {"id": f"nilai paling sedikit {least}", "en": f"a score of at least {least}"}[language]
    return rule


_TEMPLATES = (
    Template(
        c.KimRegistered,
        kim_values,
        id=Wording(
            about="Sebuah KIM baru mendaftar.",
            subject="KIM baru terdaftar: {name}",
            body=(
                "{name} dari Kelurahan {kelurahan}, Kecamatan {kecamatan} baru saja mendaftar.\n\n"
                "Ketua: {chair}\nWhatsApp: {whatsapp}\nEmail: {email}\nJumlah anggota: {members}\n\n"
                "Periksa data KIM ini lalu verifikasi agar KIM dapat mendaftar ke lomba."
            ),
        ),
        en=Wording(
            about="A new KIM registered.",
            subject="New KIM registered: {name}",
            body=(
                "{name} from Kelurahan {kelurahan}, Kecamatan {kecamatan} has just registered.\n\n"
                "Chair: {chair}\nWhatsApp: {whatsapp}\nEmail: {email}\nMembers: {members}\n\n"
                "Check its details, then verify it so it can enrol in competitions."
            ),
        ),
    ),
    Template(
        c.KimUpdated,
        kim_values,
        id=Wording(
            about="Profil sebuah KIM berubah.",
            subject="Profil KIM diperbarui: {name}",
            body=(
                "Profil {name} telah diperbarui. Data terkini:\n\n"
                "Kelurahan {kelurahan}, Kecamatan {kecamatan}\n"
                "Ketua: {chair}\nWhatsApp: {whatsapp}\nEmail: {email}\nJumlah anggota: {members}\n"
                "Status: {verified}"
            ),
        ),
        en=Wording(
            about="A KIM's profile changed.",
            subject="KIM profile updated: {name}",
            body=(
                "{name}'s profile has changed. It now reads:\n\n"
                "Kelurahan {kelurahan}, Kecamatan {kecamatan}\n"
                "Chair: {chair}\nWhatsApp: {whatsapp}\nEmail: {email}\nMembers: {members}\n"
                "Status: {verified}"
            ),
        ),
    ),
    Template(
        c.KimVerified,
        kim_values,
        id=Wording(
            about="Staf memverifikasi sebuah KIM.",
            subject="KIM terverifikasi: {name}",
            body=(
                "{name} (Kelurahan {kelurahan}, Kecamatan {kecamatan}) telah diverifikasi "
                "dan kini dapat mendaftar ke edisi lomba.\n\nKetua: {chair}\nWhatsApp: {whatsapp}"
            ),
        ),
        en=Wording(
            about="Staff verified a KIM.",
            subject="KIM verified: {name}",
            body=(
                "{name} (Kelurahan {kelurahan}, Kecamatan {kecamatan}) has been verified "
                "and may now enrol in competitions.\n\nChair: {chair}\nWhatsApp: {whatsapp}"
            ),
        ),
    ),
    Template(
        c.EditionPublished,
        edition_values,
        id=Wording(
            about="Sebuah edisi lomba diterbitkan dan dibuka untuk pendaftaran.",
            subject="Lomba dibuka: {title}",
            body=(
                'Edisi lomba "{title}" telah diterbitkan.\n\n'
                "Tema: {theme}\nPengumpulan karya: {opens} sampai {closes}\n"
                "Durasi video maksimal: {max_duration}\nVideo diunggah di: {hosts}\n"
                "Karya per KIM: {entries_per_kim}\nJumlah juara: {awarded_ranks}\n"
                "Hadiah:\n{prizes}\n\n"
                "KIM yang sudah terverifikasi kini dapat mendaftar ke edisi ini."
            ),
        ),
        en=Wording(
            about="A competition edition was published and is open for enrolment.",
            subject="Competition open: {title}",
            body=(
                'The edition "{title}" has been published.\n\n'
                "Theme: {theme}\nSubmissions: {opens} to {closes}\n"
                "Longest video: {max_duration}\nVideo hosts: {hosts}\n"
                "Entries per KIM: {entries_per_kim}\nAwarded ranks: {awarded_ranks}\n"
                "Prizes:\n{prizes}\n\n"
                "Verified KIMs may now enrol in this edition."
            ),
        ),
    ),
    Template(
        c.EditionUpdated,
        edition_values,
        id=Wording(
            about="Rincian, jadwal, atau aturan sebuah edisi lomba berubah.",
            subject="Lomba diperbarui: {title}",
            body=(
                'Rincian edisi lomba "{title}" berubah. Ketentuan terkini:\n\n'
                "Tema: {theme}\nPengumpulan karya: {opens} sampai {closes}\n"
                "Durasi video maksimal: {max_duration}\nVideo diunggah di: {hosts}\n"
                "Karya per KIM: {entries_per_kim}\nJumlah juara: {awarded_ranks}\n"
                "Hadiah:\n{prizes}"
            ),
        ),
        en=Wording(
            about="An edition's details, window or rules changed.",
            subject="Competition updated: {title}",
            body=(
                'The edition "{title}" has changed. It now reads:\n\n'
                "Theme: {theme}\nSubmissions: {opens} to {closes}\n"
                "Longest video: {max_duration}\nVideo hosts: {hosts}\n"
                "Entries per KIM: {entries_per_kim}\nAwarded ranks: {awarded_ranks}\n"
                "Prizes:\n{prizes}"
            ),
        ),
    ),
    Template(
        c.EditionSubmissionsClosed,
        closure_values,
        id=Wording(
            about="Pengumpulan karya sebuah edisi ditutup, oleh staf atau karena batas waktu.",
            subject="Pengumpulan karya ditutup ({closer})",
            body=(
                "Pengumpulan karya untuk edisi lomba {edition_id} ditutup pada {closed_at} "
                "{closed_by}.\n\n"
                "Karya tidak dapat lagi dikirim, direvisi, atau ditarik. Penjurian dapat dimulai."
            ),
        ),
        en=Wording(
            about="An edition stopped taking entries, closed by staff or at the deadline.",
            subject="Submissions closed ({closer})",
            body=(
                "Submissions for edition {edition_id} were closed at {closed_at} {closed_by}.\n\n"
                "Entries can no longer be submitted, revised or withdrawn. Judging may begin."
            ),
        ),
    ),
    Template(
        c.EnrolmentRequested,
        enrolment_values,
        id=Wording(
            about="Sebuah KIM mendaftar ke edisi lomba dan menunggu persetujuan staf.",
            subject="Menunggu persetujuan: {kim_name} mendaftar lomba",
            body=(
                "{kim_name} (Kelurahan {kelurahan}, Kecamatan {kecamatan}) mendaftar ke edisi "
                "lomba {edition_id} pada {at} dan menunggu persetujuan staf.\n\n"
                "Setujui atau tolak pendaftaran ini agar KIM tahu apakah boleh mengirim karya."
            ),
        ),
        en=Wording(
            about="A KIM asked to take part in an edition and waits for staff approval.",
            subject="Awaiting approval: {kim_name} enrolled",
            body=(
                "{kim_name} (Kelurahan {kelurahan}, Kecamatan {kecamatan}) asked to take part in "
                "edition {edition_id} at {at} and is waiting for staff approval.\n\n"
                "Approve or reject the enrolment so the KIM knows whether it may submit entries."
            ),
        ),
    ),
    Template(
        c.EnrolmentApproved,
        enrolment_values,
        id=Wording(
            about="Pendaftaran sebuah KIM disetujui.",
            subject="Pendaftaran disetujui: {kim_name}",
            body=(
                "Pendaftaran {kim_name} (Kelurahan {kelurahan}, Kecamatan {kecamatan}) ke edisi "
                "lomba {edition_id} disetujui pada {at}.\n\n"
                "KIM ini kini dapat mengirim karya selama masa pengumpulan."
            ),
        ),
        en=Wording(
            about="A KIM's enrolment was approved.",
            subject="Enrolment approved: {kim_name}",
            body=(
                "{kim_name}'s enrolment (Kelurahan {kelurahan}, Kecamatan {kecamatan}) in edition "
                "{edition_id} was approved at {at}.\n\n"
                "The KIM may now submit entries while submissions are open."
            ),
        ),
    ),
    Template(
        c.EnrolmentRejected,
        enrolment_values,
        id=Wording(
            about="Pendaftaran sebuah KIM ditolak, dengan alasannya.",
            subject="Pendaftaran ditolak: {kim_name}",
            body=(
                "Pendaftaran {kim_name} (Kelurahan {kelurahan}, Kecamatan {kecamatan}) ke edisi "
                "lomba {edition_id} ditolak pada {at}.\n\nAlasan: {reason}"
            ),
        ),
        en=Wording(
            about="A KIM's enrolment was rejected, with the reason.",
            subject="Enrolment rejected: {kim_name}",
            body=(
                "{kim_name}'s enrolment (Kelurahan {kelurahan}, Kecamatan {kecamatan}) in edition "
                "{edition_id} was rejected at {at}.\n\nReason: {reason}"
            ),
        ),
    ),
    Template(
        c.JudgeAppointed,
        judge_values,
        id=Wording(
            about="Seorang juri ditunjuk untuk sebuah edisi lomba.",
            subject="Juri ditunjuk: {name}",
            body=(
                "{name} ditunjuk sebagai juri edisi lomba {edition_id} pada {at}.\n\n"
                "Email: {email}\nAfiliasi kelurahan yang dinyatakan: {kelurahan}\n"
                "Afiliasi KIM yang dinyatakan: {kims} KIM\n\n"
                "Juri ini tidak akan menilai karya dari kelurahan atau KIM yang terafiliasi."
            ),
        ),
        en=Wording(
            about="A judge was appointed to an edition's panel.",
            subject="Judge appointed: {name}",
            body=(
                "{name} was appointed to judge edition {edition_id} at {at}.\n\n"
                "Email: {email}\nDeclared kelurahan affiliations: {kelurahan}\n"
                "Declared KIM affiliations: {kims} KIM(s)\n\n"
                "This judge will not score entries from affiliated kelurahan or KIMs."
            ),
        ),
    ),
    Template(
        c.JudgeRemoved,
        judge_values,
        id=Wording(
            about="Seorang juri dikeluarkan dari dewan juri sebuah edisi.",
            subject="Juri diberhentikan: {name}",
            body=(
                "{name} tidak lagi menjadi juri edisi lomba {edition_id} (sejak {at}).\n\n"
                "Karya yang ditugaskan kepadanya perlu dinilai juri lain."
            ),
        ),
        en=Wording(
            about="A judge was removed from an edition's panel.",
            subject="Judge removed: {name}",
            body=(
                "{name} no longer judges edition {edition_id} (since {at}).\n\n"
                "The entries assigned to this judge need another judge."
            ),
        ),
    ),
    Template(
        c.EntrySubmitted,
        entry_values,
        id=Wording(
            about="Sebuah KIM mengirim karya.",
            subject="Karya baru: {title}",
            body=(
                "{kim_name} (Kelurahan {kelurahan}) mengirim karya baru untuk edisi lomba "
                "{edition_id}.\n\n"
                "Judul: {title}\nDurasi: {duration}\nVideo: {video_url}\n"
                "UMKM yang diangkat: {umkm}\nDikirim: {submitted_at}\n\nSinopsis:\n{synopsis}"
            ),
        ),
        en=Wording(
            about="A KIM submitted an entry.",
            subject="New entry: {title}",
            body=(
                "{kim_name} (Kelurahan {kelurahan}) submitted a new entry to edition {edition_id}.\n\n"
                "Title: {title}\nDuration: {duration}\nVideo: {video_url}\n"
                "UMKM featured: {umkm}\nSubmitted: {submitted_at}\n\nSynopsis:\n{synopsis}"
            ),
        ),
    ),
    Template(
        c.EntryRevised,
        entry_values,
        id=Wording(
            about="Sebuah KIM merevisi karyanya sebelum batas waktu.",
            subject="Karya direvisi: {title}",
            body=(
                "{kim_name} (Kelurahan {kelurahan}) merevisi karyanya pada {updated_at} "
                "(revisi ke-{revision}).\n\n"
                "Judul: {title}\nDurasi: {duration}\nVideo: {video_url}\nUMKM yang diangkat: {umkm}"
            ),
        ),
        en=Wording(
            about="A KIM revised its entry before the deadline.",
            subject="Entry revised: {title}",
            body=(
                "{kim_name} (Kelurahan {kelurahan}) revised its entry at {updated_at} "
                "(revision {revision}).\n\n"
                "Title: {title}\nDuration: {duration}\nVideo: {video_url}\nUMKM featured: {umkm}"
            ),
        ),
    ),
    Template(
        c.EntryWithdrawn,
        entry_values,
        id=Wording(
            about="Sebuah KIM menarik karyanya.",
            subject="Karya ditarik: {title}",
            body=(
                '{kim_name} (Kelurahan {kelurahan}) menarik karya "{title}" dari edisi lomba '
                "{edition_id} pada {updated_at}. Karya ini tidak akan dinilai."
            ),
        ),
        en=Wording(
            about="A KIM withdrew its entry.",
            subject="Entry withdrawn: {title}",
            body=(
                '{kim_name} (Kelurahan {kelurahan}) withdrew "{title}" from edition {edition_id} '
                "at {updated_at}. It will not be judged."
            ),
        ),
    ),
    Template(
        c.EntryDisqualified,
        entry_values,
        id=Wording(
            about="Staf mendiskualifikasi sebuah karya, dengan alasannya.",
            subject="Karya didiskualifikasi: {title}",
            body=(
                'Karya "{title}" dari {kim_name} (Kelurahan {kelurahan}) didiskualifikasi pada '
                "{updated_at}.\n\nAlasan: {reason}\nVideo: {video_url}"
            ),
        ),
        en=Wording(
            about="Staff disqualified an entry, with the reason.",
            subject="Entry disqualified: {title}",
            body=(
                '"{title}" by {kim_name} (Kelurahan {kelurahan}) was disqualified at '
                "{updated_at}.\n\nReason: {reason}\nVideo: {video_url}"
            ),
        ),
    ),
    Template(
        c.EntryFilmChecked,
        film_check_values,
        addressee=the_kim,
        id=Wording(
            about="Submissions memeriksa video sebuah karya di situsnya: durasi dan judulnya, "
            "atau mengapa staf perlu memeriksanya.",
            subject="Pemeriksaan video: {title} ({verdict_id})",
            body=(
                'Video karya "{title}" dari {kim_name} diperiksa pada {checked_at}.\n\n'
                "Hasil: {verdict_id}\nDurasi: {duration}\nBatas edisi: {max_duration}\n"
                "Judul di situs video: {host_title}\nVideo: {video_url}\n\n"
                "Bila perlu ditinjau, staf Diskominfo akan memeriksanya; KIM dapat memperbaiki "
                "tautan videonya sebelum batas waktu."
            ),
        ),
        en=Wording(
            about="Submissions looked an entry's film up on its host: its length and title, "
            "or why staff must review it.",
            subject="Film check: {title} ({verdict_en})",
            body=(
                'The film of "{title}" by {kim_name} was checked at {checked_at}.\n\n'
                "Result: {verdict_en}\nLength: {duration}\nEdition's maximum: {max_duration}\n"
                "Title on the video host: {host_title}\nVideo: {video_url}\n\n"
                "When it needs review, staff will look at it; the KIM may fix its video link "
                "before the deadline."
            ),
        ),
    ),
    Template(
        c.JudgeAssigned,
        assignment_values,
        addressee=the_judge,
        id=Wording(
            about="Juri mendapat daftar karya yang harus dinilainya (juri itu juga diberi tahu lewat email).",
            subject="Tugas penilaian {edition_title}: {count} karya",
            body=(
                "Yth. {name},\n\nAnda ditugaskan menilai {count} karya di {edition_title} "
                "({at}):\n{entries}\n\n{blind}\nBatas waktu penilaian: {deadline}\n\n"
                "Isi lembar nilai setiap karya pada rubrik yang berlaku."
            ),
        ),
        en=Wording(
            about="A judge was given the entries to score (the judge is emailed too).",
            subject="Judging {edition_title}: {count} entries for you",
            body=(
                "Dear {name},\n\nYou are assigned {count} entries to score in {edition_title} "
                "({at}):\n{entries}\n\n{blind}\nJudging deadline: {deadline}\n\n"
                "Fill in a score sheet for each entry on the edition's rubric."
            ),
        ),
    ),
    Template(
        c.JudgeReminded,
        reminder_values,
        addressee=the_judge,
        id=Wording(
            about="Batas waktu penilaian sudah dekat dan seorang juri belum mengisi semua lembar nilainya.",
            subject="Pengingat: {missing} lembar nilai {edition_title} belum diisi",
            body=(
                "Yth. {name},\n\nBatas waktu penilaian {edition_title} adalah {deadline}. "
                "Dari {assigned} karya yang ditugaskan kepada Anda, {missing} belum dinilai:\n"
                "{entries}\n\nMohon isi lembar nilainya sebelum batas waktu."
            ),
        ),
        en=Wording(
            about="The judging deadline is near and a judge still has score sheets to fill.",
            subject="Reminder: {missing} score sheets for {edition_title} still to fill",
            body=(
                "Dear {name},\n\nJudging of {edition_title} closes at {deadline}. "
                "Of the {assigned} entries assigned to you, {missing} are not scored yet:\n"
                "{entries}\n\nPlease fill in their score sheets before the deadline."
            ),
        ),
    ),
    Template(
        c.ScoreRecorded,
        score_values,
        id=Wording(
            about="Seorang juri mencatat atau mengubah lembar nilai sebuah karya.",
            subject="Lembar nilai tercatat (nilai {total})",
            body=(
                "Juri {judge_id} mencatat lembar nilai (revisi ke-{revision}) untuk karya "
                "{entry_id} di edisi lomba {edition_id} pada {recorded_at}.\n\n"
                "Nilai tertimbang: {total}\nRincian:\n{criteria}"
            ),
        ),
        en=Wording(
            about="A judge recorded or changed the score sheet of an entry.",
            subject="Score sheet recorded (score {total})",
            body=(
                "Judge {judge_id} recorded a score sheet (revision {revision}) for entry "
                "{entry_id} in edition {edition_id} at {recorded_at}.\n\n"
                "Weighted total: {total}\nCriteria:\n{criteria}"
            ),
        ),
    ),
    Template(
        c.JudgingCompleted,
        completion_values,
        id=Wording(
            about="Semua lembar nilai sebuah edisi sudah masuk.",
            subject="Penjurian selesai",
            body=(
                "Semua lembar nilai untuk edisi lomba {edition_id} sudah masuk pada {completed_at}.\n\n"
                "Karya dinilai: {entries}\nJuri: {judges}\nLembar nilai: {sheets}\n\n"
                "Hasil siap diperiksa dan diumumkan."
            ),
        ),
        en=Wording(
            about="Every score sheet of an edition is in.",
            subject="Judging completed",
            body=(
                "Every score sheet for edition {edition_id} was in at {completed_at}.\n\n"
                "Entries scored: {entries}\nJudges: {judges}\nScore sheets: {sheets}\n\n"
                "The results are ready to check and announce."
            ),
        ),
    ),
    Template(
        c.TieDetected,
        tie_values,
        id=Wording(
            about="Aturan penentu tidak dapat memisahkan karya dengan nilai sama.",
            subject="Nilai seri untuk peringkat {rank}",
            body=(
                "Di edisi lomba {edition_id}, {count} karya memperebutkan peringkat {rank} dengan "
                "nilai sama, dan aturan penentu ({tie_break}) tidak dapat memisahkannya "
                "({detected_at}).\n\nKarya:\n{entries}\n\n"
                "Staf perlu memutuskan urutannya sebelum pemenang diumumkan."
            ),
        ),
        en=Wording(
            about="The tie-break rules could not separate entries with equal scores.",
            subject="Tie for rank {rank}",
            body=(
                "In edition {edition_id}, {count} entries compete for rank {rank} with equal "
                "scores, and the tie-break rules ({tie_break}) could not separate them "
                "({detected_at}).\n\nEntries:\n{entries}\n\n"
                "Staff need to decide their order before the winners are announced."
            ),
        ),
    ),
    Template(
        c.ShortlistAnnounced,
        shortlist_values,
        id=Wording(
            about="Karya yang lolos babak penyisihan ke babak final diumumkan.",
            subject="Karya yang lolos ke babak final: {edition_title}",
            body=(
                "Babak penyisihan {edition_title} ditutup pada {announced_at}: {count} karya lolos "
                "ke babak final ({rule}).\n\n"
                "Karya yang lolos:\n{entries}\n\n"
                "Pemenang ditentukan di babak final oleh dewan juri babak final."
            ),
        ),
        en=Wording(
            about="The entries going on from the shortlist round to the final round are public.",
            subject="Entries going on to the final: {edition_title}",
            body=(
                "The shortlist round of {edition_title} closed at {announced_at}: {count} entries go on "
                "to the final round ({rule}).\n\n"
                "Going on:\n{entries}\n\n"
                "The winners are decided in the final round by its own panel."
            ),
        ),
    ),
    Template(
        c.MessageDeadLettered,
        dead_letter_values,
        id=Wording(
            about="Sebuah pesan tidak dapat diproses dan disisihkan ke antrean surat mati.",
            subject="Pesan disisihkan di layanan {service}",
            body=(
                "Layanan {service} menyisihkan sebuah pesan ({event_type}, id {message_id}) dari "
                "antrean {queue} karena {reason}, setelah {deliveries} kali dikirim ({at}).\n\n"
                "Periksa dan kirim ulang lewat GET/POST /dead-letters di layanan {service} "
                "(id {dead_letter_id})."
            ),
        ),
        en=Wording(
            about="A message could not be processed and was set aside in a dead-letter queue.",
            subject="Message set aside in the {service} service",
            body=(
                "The {service} service set aside a message ({event_type}, id {message_id}) from "
                "queue {queue} because {reason}, after {deliveries} deliveries ({at}).\n\n"
                "Inspect and requeue it with GET/POST /dead-letters on the {service} service "
                "(id {dead_letter_id})."
            ),
        ),
    ),
    Template(
        c.WinnerAnnounced,
        announcement_values,
        id=Wording(
            about="Peringkat akhir dan para pemenang diumumkan.",
            subject="Pemenang diumumkan: {edition_title}",
            body=(
                "Hasil akhir {edition_title} diumumkan pada {announced_at}. {version}\n\n"
                "Pemenang:\n{winners}\n\n"
                "Jumlah karya yang diperingkat: {ranked}\n"
                "Aturan penentu nilai seri: {tie_break}\n"
                "Hash SHA-256 hasil: {content_hash}"
            ),
        ),
        en=Wording(
            about="The final ranking and the winners are public.",
            subject="Winners announced: {edition_title}",
            body=(
                "The final results of {edition_title} were announced at {announced_at}. {version}\n\n"
                "Winners:\n{winners}\n\n"
                "Entries ranked: {ranked}\n"
                "Tie-break rules: {tie_break}\n"
                "SHA-256 of the results: {content_hash}"
            ),
        ),
    ),
)

#: The template of every event type staff can subscribe to, by type.
TEMPLATES: dict[str, Template] = {template.event_type: template for template in _TEMPLATES}
