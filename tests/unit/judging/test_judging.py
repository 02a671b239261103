"""Judging use cases with an in-memory unit of work: the panel, conflicts,
completion, the announcement."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from judging.domain.edition import Affiliations, Edition
from judging.domain.entry import Entry, Region
from judging.domain.errors import (
    AlreadyAnnounced,
    EntryNotEligible,
    JudgeConflicted,
    JudgeNotOnPanel,
    JudgingAlreadyCompleted,
    JudgingNotComplete,
    JudgingNotOpen,
    RubricFixed,
)
from judging.domain.rubric import DEFAULT_RUBRIC
from judging.domain.score_sheet import ScoreSheet
from judging.service_layer import services
from judging.service_layer.integration_events import to_integration

from ..fakes import FakeRepository, FakeUnitOfWork

NOW = datetime(2024, 10, 1, tzinfo=UTC)
FLAT = {"tema": 80, "kreativitas": 80, "teknis": 80, "promosi_umkm": 80}


class FakeEntries(FakeRepository[Entry]):
    async def of_edition(self, edition_id: UUID) -> list[Entry]:
        return sorted(self.where(lambda e: e.edition_id == edition_id), key=lambda e: e.submitted_at)

    async def in_competition(self, edition_id: UUID) -> list[Entry]:
        return [e for e in await self.of_edition(edition_id) if e.in_competition]

    async def count_in_competition(self, edition_id: UUID) -> int:
        return len(await self.in_competition(edition_id))

    async def count_incomplete(self, edition_id: UUID) -> int:
        return len([e for e in await self.in_competition(edition_id) if not e.complete])


class FakeSheets(FakeRepository[ScoreSheet]):
    async def of(self, entry_id: UUID, judge_id: UUID) -> ScoreSheet | None:
        found = self.where(lambda s: (s.entry_id, s.judge_id) == (entry_id, judge_id))
        return found[0] if found else None

    async def of_edition(self, edition_id: UUID) -> list[ScoreSheet]:
        return self.where(lambda s: s.edition_id == edition_id)

    async def of_judge(self, edition_id: UUID, judge_id: UUID) -> list[ScoreSheet]:
        return self.where(lambda s: (s.edition_id, s.judge_id) == (edition_id, judge_id))

    async def count_by(self, edition_id: UUID, judge_ids: Collection[UUID]) -> int:
        return len(self.where(lambda s: s.edition_id == edition_id and s.judge_id in judge_ids))


class FakeJudging(FakeUnitOfWork):
    def __init__(self) -> None:
        super().__init__(to_integration)
        self.editions = FakeRepository[Edition]("edition_id")
        self.entries = FakeEntries("entry_id")
        self.sheets = FakeSheets("sheet_id")


def clock() -> datetime:
    return NOW


def setup(closed: bool = True) -> tuple[FakeJudging, Edition, list[Entry]]:
    uow = FakeJudging()
    edition = Edition(edition_id=uuid4(), title="Lomba 2024", awarded_ranks=2, revision=1)
    if closed:
        edition.close_submissions(at=NOW, revision=2)
    uow.editions.add(edition)
    entries = []
    for minute, (name, kelurahan) in enumerate(
        [("KIM Pasreh Jaya", "bumiayu"), ("KIM Ganjur", "gadang"), ("KIM Mojolangu", "mojolangu")]
    ):
        entry = Entry(
            entry_id=uuid4(),
            edition_id=edition.edition_id,
            kim_id=uuid4(),
            kim_name=name,
            kelurahan=Region(code=kelurahan, name=kelurahan.title()),
            title=f"Film {name}",
            status="submitted",
            submitted_at=NOW - timedelta(days=1, minutes=-minute),
            revision=1,
        )
        uow.entries.add(entry)
        entries.append(entry)
    return uow, edition, entries


async def appoint(uow: FakeJudging, edition: Edition, name: str, **affiliations: list) -> UUID:  # type: ignore[type-arg]
    judge = await services.appoint_judge(
        uow, clock, edition.edition_id, name=name, email=None, affiliations=Affiliations(**affiliations)
    )
    return judge.judge_id


async def score(
    uow: FakeJudging, edition: Edition, entry: Entry, judge: UUID, scores: dict[str, int] = FLAT
) -> ScoreSheet:
    return await services.record_score(
        uow, clock, edition_id=edition.edition_id, entry_id=entry.entry_id, judge_id=judge, scores=scores
    )


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
    await services.remove_judge(uow, clock, edition.edition_id, late)
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
    await services.set_rubric(uow, edition.edition_id, DEFAULT_RUBRIC)
    rina = await appoint(uow, edition, "Rina")
    await score(uow, edition, entries[0], rina)
    with pytest.raises(RubricFixed):
        await services.set_rubric(uow, edition.edition_id, DEFAULT_RUBRIC)


async def test_winners_are_announced_once_and_only_after_completion() -> None:
    uow, edition, entries = setup()
    rina = await appoint(uow, edition, "Rina")
    await score(
        uow, edition, entries[0], rina, {"tema": 95, "kreativitas": 90, "teknis": 90, "promosi_umkm": 95}
    )
    with pytest.raises(JudgingNotComplete) as refused:
        await services.announce(uow, clock, edition.edition_id)
    assert refused.value.params["missing"] == 2
    await score(
        uow, edition, entries[1], rina, {"tema": 90, "kreativitas": 85, "teknis": 85, "promosi_umkm": 90}
    )
    await score(
        uow, edition, entries[2], rina, {"tema": 85, "kreativitas": 85, "teknis": 80, "promosi_umkm": 85}
    )
    announcement = await services.announce(uow, clock, edition.edition_id)
    assert [p.kim_name for p in announcement.winners] == ["KIM Pasreh Jaya", "KIM Ganjur"]
    assert len(announcement.ranking) == 3
    with pytest.raises(AlreadyAnnounced):
        await services.announce(uow, clock, edition.edition_id)
    announced = [e for e in uow.published if e.type == "winner.announced"]
    assert [w.rank for w in announced[0].data.winners] == [1, 2]
