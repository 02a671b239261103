"""Judging keeps what a judge needs to watch and score an entry (its film's
link, synopsis, duration and UMKM featured), takes each newer revision, hides
the KIM judging blind, and can rebuild its entries from the replayed events."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import uuid4

from judging.domain.entry import WITHHELD, Entry
from judging.domain.options import DEFAULT_OPTIONS
from judging.service_layer import projections

from shared import contracts as c

from .fakes import NOW, FakeJudging, appoint, clock, score, setup


def entry_event(
    event: type[c.EntrySubmitted] | type[c.EntryRevised] | type[c.EntryWithdrawn],
    entry_id: Any,
    edition_id: Any,
    *,
    revision: int = 1,
    status: str = "submitted",
    **changed: Any,
) -> Any:
    details: dict[str, Any] = {
        "entry_id": entry_id,
        "edition_id": edition_id,
        "kim_id": uuid4(),
        "kim_name": "KIM Pasreh Jaya",
        "kelurahan": c.Region(code="bumiayu", name="Bumiayu"),
        "title": "Topeng Malangan Pasreh Jaya",
        "synopsis": "KIM Pasreh Jaya dari Bumiayu mengikuti perajin topeng Malangan.",
        "video_url": "https://youtu.be/dQw4w9WgXcQ",
        "duration_seconds": 290,
        "umkm_featured": ["Topeng Malangan Bumiayu"],
        "status": status,
        "revision": revision,
        "submitted_at": NOW - timedelta(days=2),
        "updated_at": NOW - timedelta(days=2, minutes=-revision),
        **changed,
    }
    return event.new(c.EntryDetails(**details), producer="submissions", correlation_id="t")


async def test_the_film_synopsis_duration_and_umkm_are_kept_and_follow_each_revision() -> None:
    uow, edition, _ = setup(kims=[])
    entry_id = uuid4()
    await projections.record_entry(uow, entry_event(c.EntrySubmitted, entry_id, edition.edition_id), clock)
    kept = await uow.entries.require(entry_id)
    assert (kept.video_url, kept.duration_seconds, kept.umkm_featured) == (
        "https://youtu.be/dQw4w9WgXcQ",
        290,
        ["Topeng Malangan Bumiayu"],
    )
    revised = entry_event(
        c.EntryRevised,
        entry_id,
        edition.edition_id,
        revision=2,
        video_url="https://vimeo.com/76979871",
        synopsis="Versi baru.",
        duration_seconds=240,
        umkm_featured=["Keripik Tempe", "Batik"],
    )
    await projections.record_entry(uow, revised, clock)
    assert (kept.video_url, kept.synopsis, kept.duration_seconds, kept.umkm_featured) == (
        "https://vimeo.com/76979871",
        "Versi baru.",
        240,
        ["Keripik Tempe", "Batik"],
    )
    stale = entry_event(c.EntryRevised, entry_id, edition.edition_id, revision=2, synopsis="Lama.")
    await projections.record_entry(uow, stale, clock)
    assert kept.synopsis == "Versi baru.", "an older or equal revision changes nothing"


async def test_judging_blind_the_kim_is_withheld_from_the_entrys_own_text_too() -> None:
    uow, edition, _ = setup(kims=[])
    entry_id = uuid4()
    await projections.record_entry(uow, entry_event(c.EntrySubmitted, entry_id, edition.edition_id), clock)
    entry: Entry = await uow.entries.require(entry_id)

    seen = entry.seen_by_judges(blind=True)
    shown = " ".join([seen.title, seen.synopsis, *seen.umkm_featured])
    assert (seen.kim_name, seen.kelurahan) == (None, None)
    for name in ("Pasreh Jaya", "Bumiayu", "bumiayu"):
        assert name.lower() not in shown.lower()
    assert seen.synopsis == f"{WITHHELD} dari {WITHHELD} mengikuti perajin topeng Malangan."
    assert (seen.video_url, seen.duration_seconds) == ("https://youtu.be/dQw4w9WgXcQ", 290)

    open_view = entry.seen_by_judges(blind=False)
    assert open_view.kim_name == "KIM Pasreh Jaya" and "Bumiayu" in open_view.synopsis


async def test_a_rebuild_restores_the_entries_with_their_sheets_and_notes_a_departure_once() -> None:
    uow, edition, entries = setup()
    edition.options = DEFAULT_OPTIONS
    rina = await appoint(uow, edition, "Rina")
    for each in entries[:2]:
        await score(uow, edition, each, rina)
    gone = entries[2]
    events = []
    for each in entries:
        events.append(
            entry_event(
                c.EntrySubmitted,
                each.entry_id,
                edition.edition_id,
                kim_name=each.kim_name,
                kelurahan=c.Region(code=each.kelurahan.code, name=each.kelurahan.name),
                title=each.title,
                submitted_at=each.submitted_at,
            )
        )
    events.append(
        entry_event(
            c.EntryWithdrawn,
            gone.entry_id,
            edition.edition_id,
            revision=2,
            status="withdrawn",
            kim_name=gone.kim_name,
            kelurahan=c.Region(code=gone.kelurahan.code, name=gone.kelurahan.name),
            submitted_at=gone.submitted_at,
        )
    )
    for event in events:
        await projections.record_entry(uow, event, clock)
    assert edition.completed_at is not None, "both entries still in competition have their sheet"
    left_before = uow.actions().count("entry_left_competition")
    assert left_before == 1

    # What `POST /projections/reset` does: the entries and the processed events go.
    rebuilt = FakeJudging()
    rebuilt.editions, rebuilt.sheets, rebuilt.audit = uow.editions, uow.sheets, uow.audit
    for event in events:
        await projections.record_entry(rebuilt, event, clock)

    again = {e.entry_id: e for e in await rebuilt.entries.of_edition(edition.edition_id)}
    assert [again[e.entry_id].scored_by for e in entries] == [[rina], [rina], []]
    assert [again[e.entry_id].complete for e in entries[:2]] == [True, True]
    assert again[gone.entry_id].status == "withdrawn"
    assert rebuilt.actions().count("entry_left_competition") == left_before, "noted once, not again"


def film_checked(entry_id: Any, edition_id: Any, *, revision: int, duration: int | None) -> Any:
    check = c.FilmCheckDetails(
        entry_id=entry_id,
        edition_id=edition_id,
        kim_id=uuid4(),
        kim_name="KIM Pasreh Jaya",
        title="Topeng Malangan Pasreh Jaya",
        video_url="https://youtu.be/dQw4w9WgXcQ",
        revision=revision,
        status="ok" if duration else "needs_review",
        needs_review=duration is None,
        reason=None if duration else "unreachable",
        reachable=duration is not None,
        duration_seconds=duration,
        host_title="Topeng Malangan",
        max_video_seconds=300,
        checked_at=NOW,
    )
    return c.EntryFilmChecked.new(check, producer="submissions", correlation_id="t")


async def test_the_films_length_looked_up_by_submissions_reaches_the_desk() -> None:
    uow, edition, _ = setup(kims=[])
    entry_id = uuid4()
    submitted = entry_event(c.EntrySubmitted, entry_id, edition.edition_id, duration_seconds=0)
    await projections.record_entry(uow, submitted, clock)
    kept = await uow.entries.require(entry_id)
    assert kept.duration_seconds == 0, "not known yet"
    await projections.record_film_check(
        uow, film_checked(entry_id, edition.edition_id, revision=2, duration=253)
    )
    assert (kept.duration_seconds, kept.revision) == (253, 2)
    older = film_checked(entry_id, edition.edition_id, revision=2, duration=100)
    await projections.record_film_check(uow, older)
    assert kept.duration_seconds == 253, "an older or equal revision changes nothing"
    unreachable = film_checked(entry_id, edition.edition_id, revision=3, duration=None)
    await projections.record_film_check(uow, unreachable)
    assert (kept.duration_seconds, kept.revision) == (253, 3), "no length told: the known one stays"
