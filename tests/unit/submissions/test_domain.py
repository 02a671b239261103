"""Every rule an entry must pass, each refusal naming the rule it broke."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from submissions.domain import events
from submissions.domain.edition import Edition, Rules
from submissions.domain.enrolment import Enrolment, Region
from submissions.domain.entry import Entry
from submissions.domain.errors import (
    EnrolmentNotApproved,
    EntryLimitReached,
    EntryNotActive,
    KimNotEnrolled,
    SubmissionWindowClosed,
    SubmissionWindowNotOpen,
    VideoHostNotAllowed,
    VideoLinkNotHttps,
    VideoTooLong,
)
from submissions.domain.film import FilmCheck, FilmFacts, FilmLookup, RetryPolicy

from shared.kernel.errors import DomainError

OPENS = datetime(2024, 8, 1, tzinfo=UTC)
CLOSES = datetime(2024, 9, 30, 23, 59, tzinfo=UTC)
DURING = OPENS + timedelta(days=10)


def an_edition(entries_per_kim: int = 1) -> Edition:
    return Edition(
        edition_id=uuid4(),
        title="Lomba Video Pendek KIM 2024",
        opens_at=OPENS,
        closes_at=CLOSES,
        rules=Rules(
            max_video_seconds=300,
            allowed_video_hosts=["youtube.com", "youtu.be"],
            entries_per_kim=entries_per_kim,
        ),
        revision=1,
    )


def an_enrolment(edition: Edition, status: str = "approved", reason: str | None = None) -> Enrolment:
    return Enrolment(
        enrolment_id=uuid4(),
        edition_id=edition.edition_id,
        kim_id=uuid4(),
        kim_name="KIM Mojolangu",
        kelurahan=Region(code="mojolangu", name="Mojolangu"),
        status=status,  # type: ignore[arg-type]
        reason=reason,
        revision=2,
    )


def submit(
    edition: Edition, enrolment: Enrolment | None, *, now: datetime = DURING, **video: object
) -> Entry:
    return Entry.submit(
        edition=edition,
        enrolment=enrolment,
        title="Secangkir dari Mojolangu",
        synopsis="Kedai kopi rumahan.",
        video_url=str(video.get("url", "https://youtu.be/abc")),
        duration_seconds=None if video.get("duration", 240) is None else int(video.get("duration", 240)),  # type: ignore[call-overload]
        umkm_featured=["Kopi Mojolangu"],
        now=now,
    )


def refusal(
    error: type[DomainError], edition: Edition, enrolment: Enrolment | None, **kwargs: object
) -> DomainError:
    with pytest.raises(error) as refused:
        submit(edition, enrolment, **kwargs)  # type: ignore[arg-type]
    return refused.value


def test_an_approved_kim_submits_inside_the_window() -> None:
    edition = an_edition()
    entry = submit(edition, an_enrolment(edition))
    assert (entry.status, entry.kim_name, entry.kelurahan.code) == ("submitted", "KIM Mojolangu", "mojolangu")
    assert [type(e) for e in entry.events] == [events.EntrySubmitted]


def test_too_early() -> None:
    edition = an_edition()
    error = refusal(SubmissionWindowNotOpen, edition, an_enrolment(edition), now=OPENS - timedelta(seconds=1))
    assert "2024-08-01" in error.message("id") and error.message("en").startswith("Too early")


def test_too_late_at_the_deadline_and_after_staff_close() -> None:
    edition = an_edition()
    refusal(SubmissionWindowClosed, edition, an_enrolment(edition), now=CLOSES)
    edition.close(DURING - timedelta(days=1), revision=3)
    error = refusal(SubmissionWindowClosed, edition, an_enrolment(edition))
    assert "2024-08-10" in error.message("en"), "names when staff closed it"


def test_a_closure_older_than_what_is_known_is_ignored() -> None:
    edition = an_edition()
    edition.close(DURING, revision=1)
    assert edition.closed_at is None


def test_not_enrolled() -> None:
    refusal(KimNotEnrolled, an_edition(), None)


def test_enrolment_waiting_or_rejected_says_so_with_the_reason() -> None:
    edition = an_edition()
    waiting = refusal(EnrolmentNotApproved, edition, an_enrolment(edition, "requested"))
    assert "menunggu persetujuan" in waiting.message("id")
    rejected = refusal(
        EnrolmentNotApproved, edition, an_enrolment(edition, "rejected", "Berkas tidak lengkap")
    )
    assert "rejected" in rejected.message("en") and "Berkas tidak lengkap" in rejected.message("en")


def test_more_entries_than_allowed_until_one_is_withdrawn() -> None:
    edition = an_edition(entries_per_kim=1)
    enrolment = an_enrolment(edition)
    first = submit(edition, enrolment)
    error = refusal(EntryLimitReached, edition, enrolment)
    assert error.params == {"kim_name": "KIM Mojolangu", "count": 1, "limit": 1}
    first.withdraw(edition=edition, enrolment=enrolment, now=DURING)
    submit(edition, enrolment)


def test_a_disqualified_entry_still_counts_against_the_limit() -> None:
    edition = an_edition(entries_per_kim=1)
    enrolment = an_enrolment(edition)
    submit(edition, enrolment).disqualify(reason="Musik tanpa izin", now=DURING)
    refusal(EntryLimitReached, edition, enrolment)


@pytest.mark.parametrize(
    "url", ["http://youtu.be/abc", "ftp://youtube.com/x", "youtube.com/watch?v=1", "https:///nohost"]
)
def test_a_link_that_is_not_https_is_refused(url: str) -> None:
    edition = an_edition()
    assert refusal(VideoLinkNotHttps, edition, an_enrolment(edition), url=url).field == "video_url"


@pytest.mark.parametrize(
    "url", ["https://vimeo.com/1", "https://youtube.com.evil.example/x", "https://notyoutube.com/x"]
)
def test_a_host_that_is_not_allowed_is_refused(url: str) -> None:
    edition = an_edition()
    refusal(VideoHostNotAllowed, edition, an_enrolment(edition), url=url)


@pytest.mark.parametrize(
    "url", ["https://www.youtube.com/watch?v=1", "https://m.youtube.com/watch?v=1", "https://YOUTU.BE/x"]
)
def test_allowed_hosts_include_their_subdomains(url: str) -> None:
    edition = an_edition()
    submit(edition, an_enrolment(edition), url=url)


def test_a_video_over_the_maximum_duration_is_refused() -> None:
    edition = an_edition()
    submit(edition, an_enrolment(edition), duration=300)
    other = an_enrolment(edition)
    error = refusal(VideoTooLong, edition, other, duration=301)
    assert (error.field, error.params) == ("duration_seconds", {"duration": 301, "limit": 300})


def test_the_duration_is_optional_and_a_new_link_forgets_the_old_length() -> None:
    edition = an_edition()
    entry = submit(edition, an_enrolment(edition), duration=None)
    assert entry.duration_seconds is None
    entry.revise(edition=edition, now=DURING, duration_seconds=200)
    entry.revise(edition=edition, now=DURING, title="Judul lain")
    assert entry.duration_seconds == 200, "a revision without a length keeps the known one"
    entry.revise(edition=edition, now=DURING, video_url="https://youtu.be/other")
    assert entry.duration_seconds is None, "another film's length is not known yet"


def test_revisions_check_the_rules_again_and_only_real_changes_count() -> None:
    edition = an_edition()
    entry = submit(edition, an_enrolment(edition))
    entry.revise(edition=edition, now=DURING, title=entry.title)
    assert [type(e) for e in entry.events] == [events.EntrySubmitted]
    with pytest.raises(VideoTooLong):
        entry.revise(edition=edition, now=DURING, duration_seconds=900)
    entry.revise(edition=edition, now=DURING, duration_seconds=200)
    assert entry.video.duration_seconds == 200
    with pytest.raises(SubmissionWindowClosed):
        entry.revise(edition=edition, now=CLOSES, duration_seconds=100)


def test_a_withdrawn_or_disqualified_entry_cannot_change() -> None:
    edition = an_edition()
    enrolment = an_enrolment(edition)
    entry = submit(edition, enrolment)
    entry.disqualify(reason="Musik tanpa izin", now=DURING)
    with pytest.raises(EntryNotActive) as refused:
        entry.withdraw(edition=edition, enrolment=enrolment, now=DURING)
    assert "didiskualifikasi" in refused.value.message("id")
    with pytest.raises(EntryNotActive):
        entry.disqualify(reason="Lagi", now=DURING)


def test_a_film_check_records_the_hosts_length_unless_the_link_changed_meanwhile() -> None:
    edition = an_edition()
    entry = submit(edition, an_enrolment(edition), duration=None)
    entry.await_film_check()
    stale = FilmCheck.of(
        FilmFacts(duration_seconds=100), video_url="https://youtu.be/old", max_seconds=300, now=DURING
    )
    assert not entry.record_film_check(stale)
    check = FilmCheck.of(
        FilmFacts(duration_seconds=253, title="Di YouTube"),
        video_url=entry.video_url,
        max_seconds=300,
        now=DURING,
    )
    assert entry.record_film_check(check)
    assert (entry.duration_seconds, entry.film_check, entry.updated_at) == (253, check, DURING)
    assert [type(e) for e in entry.events] == [events.EntrySubmitted, events.EntryFilmChecked]


def test_changes_after_the_closing_instant_are_undone_back_to_the_entry_as_it_stood() -> None:
    edition = an_edition(entries_per_kim=2)
    enrolment = an_enrolment(edition)
    entry = submit(edition, enrolment, duration=200)
    entry.revise(edition=edition, now=DURING + timedelta(hours=1), title="Revisi sebelum tutup")
    closed_at = DURING + timedelta(hours=2)
    entry.revise(edition=edition, now=closed_at + timedelta(milliseconds=30), title="Terlambat 1")
    entry.revise(
        edition=edition, now=closed_at + timedelta(milliseconds=60), video_url="https://youtu.be/late"
    )
    assert not entry.undo_after(closed_at + timedelta(seconds=1), DURING + timedelta(days=1))
    assert entry.undo_after(closed_at, DURING + timedelta(days=1))
    assert (entry.title, entry.video_url, entry.duration_seconds) == (
        "Revisi sebelum tutup",
        "https://youtu.be/abc",
        200,
    )
    assert entry.updated_at == DURING + timedelta(hours=1) and entry.updated_at <= closed_at
    assert entry.undone_after_close_at == DURING + timedelta(days=1)
    assert isinstance(entry.events[-1], events.EntryRevised)

    late = submit(edition, enrolment, now=closed_at + timedelta(milliseconds=5))
    assert late.undo_after(closed_at, DURING + timedelta(days=1)) and late.status == "withdrawn"

    withdrawn_late = submit(an_edition(), an_enrolment(edition))
    withdrawn_late.withdraw(
        edition=edition, enrolment=an_enrolment(edition), now=closed_at + timedelta(seconds=1)
    )
    assert withdrawn_late.undo_after(closed_at, DURING + timedelta(days=1))
    assert (withdrawn_late.status, withdrawn_late.updated_at) == ("submitted", DURING)


def test_a_film_lookup_is_leased_tried_again_with_backoff_and_bounded() -> None:
    policy = RetryPolicy(max_attempts=3, first_delay=timedelta(seconds=30))
    lookup = FilmLookup.start(uuid4(), "https://youtu.be/abc", DURING)
    lookup.claim(DURING, timedelta(seconds=30))
    assert lookup.next_attempt_at == DURING + timedelta(seconds=30), (
        "a crashed check falls due after the lease"
    )
    assert not lookup.failed(DURING, "HTTP 503", policy)
    assert (lookup.attempts, lookup.next_attempt_at) == (1, DURING + timedelta(seconds=30))
    assert not lookup.failed(DURING, "timeout", policy)
    assert lookup.next_attempt_at == DURING + timedelta(seconds=60), "the wait doubles"
    assert lookup.failed(DURING, "timeout", policy), "the last attempt allowed"
    assert (lookup.status, lookup.next_attempt_at) == ("done", None)
    lookup.restart("https://youtu.be/new", DURING)
    assert (lookup.status, lookup.attempts, lookup.video_url) == ("pending", 0, "https://youtu.be/new")
