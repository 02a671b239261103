"""Freeze, verify, announce, correct: the hash of the frozen results is stable
and changes with anything in them; verification catches a snapshot changed
behind the application's back and sheets changed since freezing; a
correction after the announcement is a new version with a reason, and both
versions stay; every step is in the audit trail."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from uuid import UUID

import pytest
from judging.adapters.mongo import MongoSnapshotRepository
from judging.domain.edition import Edition
from judging.domain.entry import Entry
from judging.domain.errors import (
    CorrectionReasonRequired,
    NothingToCorrect,
    ResultsAlreadyFrozen,
    SnapshotNotVerified,
    SnapshotStale,
    SnapshotTampered,
)
from judging.domain.options import JudgingOptions
from judging.domain.snapshot import Snapshot
from judging.service_layer import projections, results, services
from judging.service_layer.commands import (
    AnnounceResults,
    AppointJudge,
    CorrectScoreSheet,
    FreezeResults,
    RecordScoreSheet,
    VerifyResults,
)

from shared import contracts as c

from .fakes import NOW, FakeJudging, appoint, clock, flat, score, setup
from .standings import J1, J2, entry, flat_sheet, sheet
from .standings import results as compiled

STAFF = "Bu Sari (Diskominfo)"


def test_the_same_results_give_the_same_hash_and_any_change_another() -> None:
    a, b = entry("A", 1), entry("B", 2)
    sheets = [
        sheet(a, J1, 90, 85, 80, 88),
        flat_sheet(b, J1, 80),
        sheet(a, J2, 70, 75, 80, 85),
        flat_sheet(b, J2, 82),
    ]
    first = compiled([a, b], sheets, {J1, J2})
    assert compiled([a, b], sheets, {J1, J2}).digest() == first.digest()
    assert len(first.digest()) == 64

    # Stored and read back as the MongoDB repository does: the same canonical JSON.
    frozen = Snapshot.freeze(
        edition_id=first.edition_id,
        edition_title="Lomba",
        number=1,
        results=first,
        supersedes=None,
        reason=None,
        by=STAFF,
        now=NOW,
    )
    stored = MongoSnapshotRepository.from_document(MongoSnapshotRepository.to_document(frozen))
    assert stored.results.digest() == frozen.content_hash == first.digest()

    one_point_more = [sheet(a, J1, 90, 85, 80, 89), *sheets[1:]]  # a mean moves by 0.125
    changed = [
        compiled([a, b], one_point_more, {J1, J2}),
        compiled([a, b], sheets, {J1, J2}, awarded_ranks=2),
        compiled([a, b], sheets, {J1, J2}, JudgingOptions(normalise=True, min_sheets_per_judge=2)),
        compiled([a, b], sheets, {J1}),
    ]
    assert len({first.digest(), *(r.digest() for r in changed)}) == 5


async def completed(uow: FakeJudging, edition: Edition, entries: list[Entry]) -> UUID:
    """Rina scores Pasreh 90, Ganjur 85, Mojolangu 80: judging completes."""
    rina = await appoint(uow, edition, "Rina")
    for each, total in zip(entries, (90, 85, 80), strict=True):
        await score(uow, edition, each, rina, flat(total))
    assert edition.status == "completed"
    return rina


async def test_verification_catches_a_snapshot_changed_behind_the_applications_back() -> None:
    uow, edition, entries = setup()
    await completed(uow, edition, entries)
    snapshot = await results.freeze(
        uow, clock, FreezeResults(edition_id=edition.edition_id, reason=None), STAFF
    )
    # Someone edits the stored document: Ganjur's score becomes 95.
    standings = list(snapshot.results.standings)
    standings[1] = dataclasses.replace(standings[1], score=95.0)
    snapshot.results = dataclasses.replace(snapshot.results, standings=tuple(standings))

    with pytest.raises(SnapshotTampered) as refused:
        await results.verify(uow, clock, VerifyResults(edition_id=edition.edition_id, version=1), STAFF)
    assert refused.value.params["stored"] == snapshot.content_hash != refused.value.params["actual"]
    assert snapshot.verified_at is None
    assert uow.actions()[-1] == "results_verification_failed"
    with pytest.raises(SnapshotNotVerified):
        await results.announce(uow, clock, AnnounceResults(edition_id=edition.edition_id))


async def test_verification_catches_sheets_changed_since_freezing() -> None:
    uow, edition, entries = setup()
    rina = await completed(uow, edition, entries)
    await results.freeze(uow, clock, FreezeResults(edition_id=edition.edition_id, reason=None))
    with pytest.raises(ResultsAlreadyFrozen):
        await results.freeze(uow, clock, FreezeResults(edition_id=edition.edition_id, reason=None))
    await services.correct_sheet(
        uow,
        clock,
        CorrectScoreSheet(
            edition_id=edition.edition_id,
            entry_id=entries[2].entry_id,
            judge_id=rina,
            scores=flat(88),
            reason="Nilai tertukar dengan karya lain.",
        ),
    )
    with pytest.raises(SnapshotStale):
        await results.verify(uow, clock, VerifyResults(edition_id=edition.edition_id, version=1))
    # Not announced yet: freezing again is simply the next version, no reason needed.
    second = await results.freeze(uow, clock, FreezeResults(edition_id=edition.edition_id, reason=None))
    assert (second.number, second.supersedes) == (2, None)
    assert (await results.verify(uow, clock, VerifyResults(edition_id=edition.edition_id, version=2))).ok
    await results.announce(uow, clock, AnnounceResults(edition_id=edition.edition_id))
    (announced,) = uow.of_type("winner.announced")
    assert [w.kim_name for w in announced.data.winners] == ["KIM Pasreh Jaya", "KIM Mojolangu"]
    assert (announced.data.version, announced.data.supersedes) == (2, None)


def disqualified(entry: Entry) -> c.EntryDisqualified:
    return c.EntryDisqualified.new(
        c.EntryDetails(
            entry_id=entry.entry_id,
            edition_id=entry.edition_id,
            kim_id=entry.kim_id,
            kim_name=entry.kim_name,
            kelurahan=c.Region(code=entry.kelurahan.code, name=entry.kelurahan.name),
            title=entry.title,
            synopsis="-",
            video_url="https://youtu.be/x",
            duration_seconds=200,
            umkm_featured=[],
            status="disqualified",
            revision=entry.revision + 1,
            submitted_at=entry.submitted_at,
            updated_at=NOW + timedelta(days=3),
            disqualification_reason="Memakai musik tanpa izin.",
        ),
        producer="submissions",
        correlation_id="dq",
    )


async def test_a_correction_after_the_announcement_is_a_new_version_and_both_stay_readable() -> None:
    uow, edition, entries = setup()
    await completed(uow, edition, entries)
    first = await results.freeze(uow, clock, FreezeResults(edition_id=edition.edition_id, reason=None))
    await results.verify(uow, clock, VerifyResults(edition_id=edition.edition_id, version=1))
    await results.announce(uow, clock, AnnounceResults(edition_id=edition.edition_id))

    with pytest.raises(NothingToCorrect):
        await results.freeze(
            uow, clock, FreezeResults(edition_id=edition.edition_id, reason="Tidak ada yang berubah.")
        )
    # The winner is disqualified after the announcement.
    await projections.record_entry(uow, disqualified(entries[0]), clock)
    with pytest.raises(CorrectionReasonRequired):
        await results.freeze(uow, clock, FreezeResults(edition_id=edition.edition_id, reason=None))
    reason = "KIM Pasreh Jaya didiskualifikasi: musik tanpa izin."
    second = await results.freeze(
        uow, clock, FreezeResults(edition_id=edition.edition_id, reason=reason), STAFF
    )
    assert (second.number, second.supersedes, second.reason) == (2, 1, reason)
    await results.verify(uow, clock, VerifyResults(edition_id=edition.edition_id, version=2))
    await results.announce(uow, clock, AnnounceResults(edition_id=edition.edition_id), STAFF)

    v1, v2 = [e.data for e in uow.of_type("winner.announced")]
    assert [w.kim_name for w in v1.winners] == ["KIM Pasreh Jaya", "KIM Ganjur"]
    assert [w.kim_name for w in v2.winners] == ["KIM Ganjur", "KIM Mojolangu"]
    assert (v2.version, v2.supersedes, v2.correction_reason) == (2, 1, reason)
    assert v1.content_hash == first.content_hash != v2.content_hash
    stored = await uow.snapshots.of_edition(edition.edition_id)
    assert [(s.number, s.announced_at is not None) for s in stored] == [(1, True), (2, True)]
    assert edition.announced_version == 2


async def test_the_audit_trail_says_who_did_what_and_when() -> None:
    uow, edition, entries = setup()
    rina = await services.appoint_judge(
        uow, clock, AppointJudge(edition_id=edition.edition_id, name="Rina", email=None), STAFF
    )
    await score(uow, edition, entries[0], rina.judge_id, flat(80))
    await score(uow, edition, entries[0], rina.judge_id, flat(82))
    await score(uow, edition, entries[0], rina.judge_id, flat(82))  # the same again: no change, no record
    await score(uow, edition, entries[1], rina.judge_id, flat(70))
    await services.record_score(
        uow,
        clock,
        RecordScoreSheet(
            edition_id=edition.edition_id,
            entry_id=entries[2].entry_id,
            judge_id=rina.judge_id,
            scores=flat(60),
        ),
        actor="Rina (via tablet panitia)",
    )
    await services.correct_sheet(
        uow,
        clock,
        CorrectScoreSheet(
            edition_id=edition.edition_id,
            entry_id=entries[1].entry_id,
            judge_id=rina.judge_id,
            scores=flat(75),
            reason="Salah ketik: 75, bukan 70.",
        ),
        STAFF,
    )
    await results.freeze(uow, clock, FreezeResults(edition_id=edition.edition_id, reason=None), STAFF)
    await results.verify(uow, clock, VerifyResults(edition_id=edition.edition_id, version=1), STAFF)
    await results.announce(uow, clock, AnnounceResults(edition_id=edition.edition_id), STAFF)

    trail = await uow.audit.of_edition(edition.edition_id, limit=100)
    judge = str(rina.judge_id)
    assert [(r.actor, r.action) for r in trail] == [
        (STAFF, "judge_appointed"),
        (judge, "sheet_filled"),
        (judge, "sheet_revised"),
        (judge, "sheet_filled"),
        ("Rina (via tablet panitia)", "sheet_filled"),
        ("system", "judging_completed"),
        (STAFF, "sheet_corrected"),
        (STAFF, "results_frozen"),
        (STAFF, "results_verified"),
        (STAFF, "results_announced"),
    ]
    assert all(r.at == NOW and r.edition_id == edition.edition_id for r in trail)
    revised = trail[2].details
    assert (trail[2].subject, revised["before"], revised["after"], revised["total"]) == (
        str(entries[0].entry_id),
        "tema:80, kreativitas:80, teknis:80, promosi_umkm:80",
        "tema:82, kreativitas:82, teknis:82, promosi_umkm:82",
        "82.0",
    )
    assert trail[6].details["reason"] == "Salah ketik: 75, bukan 70."
    assert trail[7].details["content_hash"] == trail[9].details["content_hash"]
