"""Realistic events of every type the notifications service handles, as the
producers would publish them: a full one and a sparse one (optional fields
empty) per type."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from shared import contracts as c

AT = datetime(2024, 8, 1, 10, 0, tzinfo=UTC)  # 17.00 WIB
EDITION_ID = UUID("7f1c2a57-0b8e-4e0c-9a56-1c8d2e7b1a01")
BUMIAYU = c.Region(code="bumiayu", name="Bumiayu")
KEDUNGKANDANG = c.Region(code="kedungkandang", name="Kedungkandang")
POLOWIJEN = c.Region(code="polowijen", name="Polowijen")
BLIMBING = c.Region(code="blimbing", name="Blimbing")


def event(event_class: c.EventClass, data: c.Payload) -> Any:
    return event_class.new(data, producer="tests", correlation_id=uuid4().hex, occurred_at=AT)


def kim(*, sparse: bool = False, verified: bool = False) -> c.KimProfile:
    return c.KimProfile(
        kim_id=uuid4(),
        name="KIM Pasreh Jaya",
        kelurahan=BUMIAYU,
        kecamatan=KEDUNGKANDANG,
        chair="Ibu Sri Wahyuni",
        whatsapp="+6281234567890",
        email="" if sparse else "pasreh@example.id",
        members=[] if sparse else [c.Member(name="Agus", role="editor"), c.Member(name="Rina")],
        verified=verified,
        revision=1,
    )


def edition(*, sparse: bool = False) -> c.EditionDetails:
    return c.EditionDetails(
        edition_id=EDITION_ID,
        title="Lomba Video Pendek KIM 2024",
        theme="Promosi UMKM Kota Malang",
        description="Film pendek tentang UMKM di kelurahan masing-masing.",
        submission_opens_at=AT,
        submission_closes_at=AT + timedelta(days=30),
        rules=c.EditionRules(
            max_video_seconds=300,
            allowed_video_hosts=[] if sparse else ["youtube.com", "youtu.be"],
            entries_per_kim=1,
        ),
        awarded_ranks=3,
        prizes=[]
        if sparse
        else [
            c.Prize(rank=2, title="Juara 2", reward="Rp 3.000.000"),
            c.Prize(rank=1, title="Juara 1", reward="Rp 5.000.000"),
            c.Prize(rank=3, title="Juara 3"),
        ],
        status="published",
        revision=2,
    )


def enrolment(status: str, *, sparse: bool = False) -> c.EnrolmentDetails:
    return c.EnrolmentDetails(
        enrolment_id=uuid4(),
        edition_id=EDITION_ID,
        kim_id=uuid4(),
        kim_name="KIM Ganjur",
        kelurahan=POLOWIJEN,
        kecamatan=BLIMBING,
        status=status,
        reason=None if sparse or status != "rejected" else "Berkas pendaftaran tidak lengkap.",
        at=AT,
        revision=1,
    )


def appointment(*, sparse: bool = False) -> c.JudgeAppointment:
    return c.JudgeAppointment(
        edition_id=EDITION_ID,
        judge_id=uuid4(),
        name="Dimas Sutradara",
        email=None if sparse else "dimas@example.id",
        affiliations=c.Affiliations()
        if sparse
        else c.Affiliations(kelurahan_codes=["bumiayu"], kim_ids=[uuid4()]),
        at=AT,
    )


JUDGE_EMAIL = "dimas@example.id"


def assigned_entries(*, sparse: bool) -> list[c.AssignedEntry]:
    if sparse:
        return [c.AssignedEntry(entry_id=uuid4(), title="Kopi Lereng Arjuno")]
    return [
        c.AssignedEntry(
            entry_id=uuid4(),
            title="Topeng Malangan dari Tangan-Tangan Istimewa",
            kim_name="KIM Pasreh Jaya",
            kelurahan=BUMIAYU,
        ),
        c.AssignedEntry(
            entry_id=uuid4(), title="Keripik Tempe Sanan", kim_name="KIM Ganjur", kelurahan=POLOWIJEN
        ),
    ]


def judge_assignment(*, sparse: bool = False) -> c.JudgeAssignment:
    """Sparse: judging blind, no deadline, and a judge without email (nobody to email)."""
    return c.JudgeAssignment(
        edition_id=EDITION_ID,
        edition_title="Lomba Video Pendek KIM 2024",
        judge_id=uuid4(),
        name="Dimas Sutradara",
        email=None if sparse else JUDGE_EMAIL,
        entries=assigned_entries(sparse=sparse),
        blind=sparse,
        deadline=None if sparse else AT + timedelta(days=7),
        at=AT,
    )


def judge_reminder(*, sparse: bool = False) -> c.JudgeReminder:
    return c.JudgeReminder(
        edition_id=EDITION_ID,
        edition_title="Lomba Video Pendek KIM 2024",
        judge_id=uuid4(),
        name="Dimas Sutradara",
        email=None if sparse else JUDGE_EMAIL,
        assigned=1 if sparse else 7,
        missing=assigned_entries(sparse=sparse),
        deadline=AT + timedelta(days=1),
        at=AT,
    )


def entry(status: str = "submitted", *, sparse: bool = False) -> c.EntryDetails:
    return c.EntryDetails(
        entry_id=uuid4(),
        edition_id=EDITION_ID,
        kim_id=uuid4(),
        kim_name="KIM Pasreh Jaya",
        kelurahan=BUMIAYU,
        title="Topeng Malangan dari Tangan-Tangan Istimewa",
        synopsis="Perajin topeng Malangan penyandang disabilitas di Bumiayu membangun usaha bersama.",
        video_url="https://youtu.be/pasreh2024",
        duration_seconds=245,
        umkm_featured=[] if sparse else ["Sanggar Topeng Pasreh", "Batik Bumiayu"],
        status=status,
        revision=2,
        submitted_at=AT,
        updated_at=AT + timedelta(hours=1),
        disqualification_reason="Musik latar tanpa izin."
        if status == "disqualified" and not sparse
        else None,
    )


def film_check(*, sparse: bool = False) -> c.FilmCheckDetails:
    """Sparse: a link that does not answer (no length, no title); full: a film too long."""
    return c.FilmCheckDetails(
        entry_id=uuid4(),
        edition_id=EDITION_ID,
        kim_id=uuid4(),
        kim_name="KIM Pasreh Jaya",
        title="Topeng Malangan dari Tangan-Tangan Istimewa",
        video_url="https://youtu.be/pasreh2024",
        revision=2,
        status="needs_review",
        needs_review=True,
        reason="unreachable" if sparse else "too_long",
        reachable=not sparse,
        duration_seconds=None if sparse else 3725,
        host_title=None if sparse else "Topeng Malangan | KIM Pasreh Jaya",
        max_video_seconds=300,
        checked_at=AT,
        kim_email=None if sparse else "kim.pasreh@example.id",
    )


def placing(rank: int, kim_name: str, title: str, score: float) -> c.Placing:
    return c.Placing(
        rank=rank,
        entry_id=uuid4(),
        entry_title=title,
        kim_id=uuid4(),
        kim_name=kim_name,
        kelurahan=BUMIAYU,
        score=score,
    )


WINNERS = [
    placing(1, "KIM Pasreh Jaya", "Topeng Malangan dari Tangan-Tangan Istimewa", 87.5),
    placing(2, "KIM Ganjur", "Keripik Tempe Sanan", 85.25),
    placing(3, "KIM Mojolangu", "Kopi Lereng Arjuno", 83.0),
]


def samples(*, sparse: bool = False) -> dict[str, Any]:
    """One event per handled type, by type."""
    events = [
        event(c.KimRegistered, kim(sparse=sparse)),
        event(c.KimUpdated, kim(sparse=sparse, verified=True)),
        event(c.KimVerified, kim(sparse=sparse, verified=True)),
        event(c.EditionPublished, edition(sparse=sparse)),
        event(c.EditionUpdated, edition(sparse=sparse)),
        event(
            c.EditionSubmissionsClosed,
            c.SubmissionsClosure(
                edition_id=EDITION_ID, closed_at=AT, closed_by="deadline" if sparse else "staff", revision=3
            ),
        ),
        event(c.EnrolmentRequested, enrolment("requested", sparse=sparse)),
        event(c.EnrolmentApproved, enrolment("approved", sparse=sparse)),
        event(c.EnrolmentRejected, enrolment("rejected", sparse=sparse)),
        event(c.JudgeAppointed, appointment(sparse=sparse)),
        event(c.JudgeRemoved, appointment(sparse=sparse)),
        event(c.JudgeAssigned, judge_assignment(sparse=sparse)),
        event(c.JudgeReminded, judge_reminder(sparse=sparse)),
        event(c.EntrySubmitted, entry(sparse=sparse)),
        event(c.EntryRevised, entry(sparse=sparse)),
        event(c.EntryWithdrawn, entry("withdrawn", sparse=sparse)),
        event(c.EntryDisqualified, entry("disqualified", sparse=sparse)),
        event(c.EntryFilmChecked, film_check(sparse=sparse)),
        event(
            c.ScoreRecorded,
            c.ScoreSheetDetails(
                sheet_id=uuid4(),
                edition_id=EDITION_ID,
                entry_id=uuid4(),
                judge_id=uuid4(),
                scores=[]
                if sparse
                else [
                    c.CriterionScore(criterion_id="cerita", weight=40, score=90),
                    c.CriterionScore(criterion_id="sinematografi", weight=60, score=85),
                ],
                total=0.0 if sparse else 87.0,
                revision=1,
                recorded_at=AT,
            ),
        ),
        event(
            c.JudgingCompleted,
            c.JudgingCompletion(edition_id=EDITION_ID, entries=19, judges=3, sheets=57, completed_at=AT),
        ),
        event(
            c.TieDetected,
            c.TieDetails(
                edition_id=EDITION_ID,
                tie_id=None if sparse else uuid4(),
                rank=3,
                entry_ids=[uuid4(), uuid4()],
                tie_break=[] if sparse else ["highest_criterion:cerita", "earliest_submission"],
                detected_at=AT,
            ),
        ),
        event(
            c.MessageDeadLettered,
            c.DeadLetter(
                dead_letter_id=uuid4(),
                service="judging",
                queue="judging.events",
                message_id=None if sparse else str(uuid4()),
                event_type=None if sparse else "entry.submitted",
                reason="rejected" if sparse else "delivery_limit",
                deliveries=1 if sparse else 5,
                at=AT,
            ),
        ),
        event(
            c.WinnerAnnounced,
            c.Announcement(
                edition_id=EDITION_ID,
                edition_title="Lomba Video Pendek KIM 2024",
                winners=[] if sparse else list(reversed(WINNERS)),
                ranking=[] if sparse else WINNERS,
                tie_break=[] if sparse else ["highest_criterion:cerita"],
                announced_at=AT,
                version=1 if sparse else 2,
                supersedes=None if sparse else 1,
                correction_reason=None if sparse else "Satu karya didiskualifikasi setelah pengumuman.",
                content_hash=None if sparse else "9f2c" * 16,
            ),
        ),
        event(
            c.ShortlistAnnounced,
            c.Shortlist(
                edition_id=EDITION_ID,
                edition_title="Lomba Video Pendek KIM 2024",
                entries=[] if sparse else WINNERS[:2],
                rule="score >= 85" if sparse else "top 2",
                announced_at=AT,
            ),
        ),
    ]
    return {e.type: e for e in events}
