"""Judging use cases with an in-memory unit of work: the panel, conflicts,
completion, the announcement."""

from __future__ import annotations

from uuid import uuid4

import pytest
from judging.domain.errors import (
    AlreadyAnnounced,
    EntryNotEligible,
    JudgeConflicted,
    JudgeNotOnPanel,
    JudgingAlreadyCompleted,
    JudgingNotComplete,
    JudgingNotOpen,
    NothingFrozen,
    RubricFixed,
    SnapshotNotVerified,
)
from judging.domain.rubric import DEFAULT_RUBRIC
from judging.service_layer import results, services
from judging.service_layer.commands import (
    AnnounceResults,
    FreezeResults,
    RemoveJudge,
    SetRubric,
    VerifyResults,
)

from .fakes import FLAT, NOW, appoint, clock, score, setup


async def test_judging_completes_when_the_last_required_sheet_is_in() -> None:
    uow, edition, entries = setup()
    rina, dimas = await appoint(uow, edition, "Rina"), await appoint(uow, edition, "Dimas")
    for entry in entries:
        await score(uow, edition, entry, rina)
    for entry in entries[:-1]:
        await score(uow, edition, entry, dimas)
    assert edition.completed_at is None
    await score(uow, edition, entries[-1], dimas)
    assert edition.status == "completed"
    completed = [e for e in uow.published if e.type == "judging.completed"]
    assert [(e.data.entries, e.data.judges, e.data.sheets) for e in completed] == [(3, 2, 6)]


async def test_a_conflicted_judge_never_scores_that_entry_and_is_not_waited_for() -> None:
    uow, edition, entries = setup()
    rina = await appoint(uow, edition, "Rina")
    dimas = await appoint(uow, edition, "Dimas", kelurahan_codes=["mojolangu"])
    with pytest.raises(JudgeConflicted):
        await score(uow, edition, entries[2], dimas)
    for entry in entries:
        await score(uow, edition, entry, rina)
    for entry in entries[:2]:
        await score(uow, edition, entry, dimas)
    assert edition.status == "completed", "Mojolangu's entry needs only Rina's sheet"


async def test_a_conflict_can_name_the_kim_itself() -> None:
    uow, edition, entries = setup()
    judge = await appoint(uow, edition, "Hendra", kim_ids=[entries[0].kim_id])
    with pytest.raises(JudgeConflicted):
        await score(uow, edition, entries[0], judge)


async def test_no_scoring_before_submissions_close_or_by_a_stranger() -> None:
    uow, edition, entries = setup(closed=False)
    rina = await appoint(uow, edition, "Rina")
    with pytest.raises(JudgingNotOpen):
        await score(uow, edition, entries[0], rina)
    edition.close_submissions(at=NOW, revision=2)
    with pytest.raises(JudgeNotOnPanel):
        await score(uow, edition, entries[0], uuid4())


async def test_a_disqualified_entry_is_not_scored_and_not_waited_for() -> None:
    uow, edition, entries = setup()
    rina = await appoint(uow, edition, "Rina")
    entries[1].status = "disqualified"
    with pytest.raises(EntryNotEligible):
        await score(uow, edition, entries[1], rina)
    await score(uow, edition, entries[0], rina)
    await score(uow, edition, entries[2], rina)
    assert edition.status == "completed"


async def test_removing_the_only_missing_judge_completes_judging() -> None:
    uow, edition, entries = setup()
    rina, late = await appoint(uow, edition, "Rina"), await appoint(uow, edition, "Late")
    for entry in entries:
        await score(uow, edition, entry, rina)
    assert edition.completed_at is None
    await services.remove_judge(uow, clock, RemoveJudge(edition_id=edition.edition_id, judge_id=late))
    assert edition.status == "completed"
    assert "judge.removed" in uow.types()


async def test_sheets_are_final_once_judging_completes() -> None:
    uow, edition, entries = setup()
    rina = await appoint(uow, edition, "Rina")
    for entry in entries:
        await score(uow, edition, entry, rina)
    with pytest.raises(JudgingAlreadyCompleted):
        await score(uow, edition, entries[0], rina, {**FLAT, "tema": 90})
    with pytest.raises(JudgingAlreadyCompleted):
        await appoint(uow, edition, "Too late")


async def test_a_sheet_is_revised_in_place_until_completion() -> None:
    uow, edition, entries = setup()
    rina = await appoint(uow, edition, "Rina")
    await appoint(uow, edition, "Dimas")
    first = await score(uow, edition, entries[0], rina)
    second = await score(uow, edition, entries[0], rina, {**FLAT, "tema": 95})
    assert first is second and second.scores["tema"] == 95
    recorded = [e for e in uow.published if e.type == "score.recorded"]
    assert [e.data.total for e in recorded] == [80.0, 84.5]  # 80 + 30 * (95 - 80) / 100


async def test_the_rubric_is_fixed_once_scoring_starts() -> None:
    uow, edition, entries = setup()
    await services.set_rubric(uow, clock, SetRubric(edition_id=edition.edition_id, rubric=DEFAULT_RUBRIC))
    rina = await appoint(uow, edition, "Rina")
    await score(uow, edition, entries[0], rina)
    with pytest.raises(RubricFixed):
        await services.set_rubric(uow, clock, SetRubric(edition_id=edition.edition_id, rubric=DEFAULT_RUBRIC))


async def test_winners_are_announced_once_and_only_after_completion() -> None:
    uow, edition, entries = setup()
    rina = await appoint(uow, edition, "Rina")
    await score(
        uow, edition, entries[0], rina, {"tema": 95, "kreativitas": 90, "teknis": 90, "promosi_umkm": 95}
    )
    with pytest.raises(JudgingNotComplete) as refused:
        await results.announce(uow, clock, AnnounceResults(edition_id=edition.edition_id))
    assert refused.value.params["missing"] == 2
    with pytest.raises(JudgingNotComplete):
        await results.freeze(uow, clock, FreezeResults(edition_id=edition.edition_id, reason=None))
    await score(
        uow, edition, entries[1], rina, {"tema": 90, "kreativitas": 85, "teknis": 85, "promosi_umkm": 90}
    )
    await score(
        uow, edition, entries[2], rina, {"tema": 85, "kreativitas": 85, "teknis": 80, "promosi_umkm": 85}
    )
    with pytest.raises(NothingFrozen):
        await results.announce(uow, clock, AnnounceResults(edition_id=edition.edition_id))
    frozen = await results.freeze(uow, clock, FreezeResults(edition_id=edition.edition_id, reason=None))
    with pytest.raises(SnapshotNotVerified):
        await results.announce(uow, clock, AnnounceResults(edition_id=edition.edition_id))
    await results.verify(uow, clock, VerifyResults(edition_id=edition.edition_id, version=frozen.number))
    announced_snapshot = await results.announce(uow, clock, AnnounceResults(edition_id=edition.edition_id))
    assert [p.kim_name for p in announced_snapshot.results.winners] == ["KIM Pasreh Jaya", "KIM Ganjur"]
    assert len(announced_snapshot.results.standings) == 3
    with pytest.raises(AlreadyAnnounced):
        await results.announce(uow, clock, AnnounceResults(edition_id=edition.edition_id))
    announced = [e for e in uow.published if e.type == "winner.announced"]
    assert [w.rank for w in announced[0].data.winners] == [1, 2]
    assert (announced[0].data.version, announced[0].data.content_hash) == (1, frozen.content_hash)
