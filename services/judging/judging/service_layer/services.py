"""What staff and judges do: appoint the panel, set the rubric, fill score
sheets, announce the winners. Each use case is one unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from shared.clock import Clock
from shared.unit_of_work import retry_on_conflict

from ..domain.edition import Affiliations, Announcement, Edition, Judge
from ..domain.entry import Entry
from ..domain.errors import EditionNotFound, EntryNotFound
from ..domain.ranking import Placing, rank, tie_break
from ..domain.rubric import Rubric
from ..domain.score_sheet import ScoreSheet
from .unit_of_work import JudgingUnitOfWork


@retry_on_conflict
async def appoint_judge(
    uow: JudgingUnitOfWork,
    clock: Clock,
    edition_id: UUID,
    *,
    name: str,
    email: str | None,
    affiliations: Affiliations,
) -> Judge:
    async with uow:
        edition = await _edition(uow, edition_id)
        judge = edition.appoint(name=name, email=email, affiliations=affiliations, now=clock())
        await _reassess_entries(uow, edition, clock)
        await uow.commit()
    return judge


@retry_on_conflict
async def remove_judge(uow: JudgingUnitOfWork, clock: Clock, edition_id: UUID, judge_id: UUID) -> Judge:
    async with uow:
        edition = await _edition(uow, edition_id)
        judge = edition.remove(judge_id, clock())
        await _reassess_entries(uow, edition, clock)
        await uow.commit()
    return judge


@retry_on_conflict
async def set_rubric(uow: JudgingUnitOfWork, edition_id: UUID, rubric: Rubric) -> Edition:
    async with uow:
        edition = await _edition(uow, edition_id)
        edition.set_rubric(rubric)
        await uow.commit()
    return edition


@retry_on_conflict
async def record_score(
    uow: JudgingUnitOfWork,
    clock: Clock,
    *,
    edition_id: UUID,
    entry_id: UUID,
    judge_id: UUID,
    scores: dict[str, int],
) -> ScoreSheet:
    async with uow:
        edition = await _edition(uow, edition_id)
        entry = await uow.entries.get(entry_id)
        if entry is None or entry.edition_id != edition_id:
            raise EntryNotFound(entry_id=entry_id)
        existing = await uow.sheets.of(entry_id, judge_id)
        sheet = edition.record_score(
            judge_id=judge_id, entry=entry, sheet=existing, scores=scores, now=clock()
        )
        if existing is None:
            uow.sheets.add(sheet)
        if entry.complete:
            await complete_if_done(uow, edition, clock)
        await uow.commit()
    return sheet


@retry_on_conflict
async def announce(uow: JudgingUnitOfWork, clock: Clock, edition_id: UUID) -> Announcement:
    async with uow:
        edition = await _edition(uow, edition_id)
        progress = await judging_progress(uow, edition)
        announcement = edition.announce(
            ranking=await _ranking(uow, edition),
            tie_break=tie_break(edition.rubric),
            missing_sheets=progress.missing,
            now=clock(),
        )
        await uow.commit()
    return announcement


async def current_ranking(uow: JudgingUnitOfWork, edition_id: UUID) -> tuple[Edition, list[Placing]]:
    """The ranking as the sheets now stand, for staff; the public sees only the announcement."""
    async with uow:
        edition = await _edition(uow, edition_id)
        return edition, await _ranking(uow, edition)


@dataclass(frozen=True)
class Progress:
    required: int
    recorded: int

    @property
    def missing(self) -> int:
        return self.required - self.recorded


async def judging_progress(uow: JudgingUnitOfWork, edition: Edition) -> Progress:
    entries = await uow.entries.in_competition(edition.edition_id)
    required = sum(len(edition.judges_for(entry)) for entry in entries)
    recorded = sum(len(edition.judges_for(entry) & set(entry.scored_by)) for entry in entries)
    return Progress(required=required, recorded=recorded)


async def complete_if_done(uow: JudgingUnitOfWork, edition: Edition, clock: Clock) -> bool:
    """Complete judging if every entry in competition has all its sheets."""
    await uow.flush()  # the counts below must see this unit's own changes
    incomplete = await uow.entries.count_incomplete(edition.edition_id)
    in_competition = await uow.entries.count_in_competition(edition.edition_id)
    sheets = (
        await uow.sheets.count_by(edition.edition_id, [j.judge_id for j in edition.panel])
        if not incomplete
        else 0
    )
    return edition.complete_if_done(
        incomplete_entries=incomplete, entries_in_competition=in_competition, sheets=sheets, now=clock()
    )


async def _reassess_entries(uow: JudgingUnitOfWork, edition: Edition, clock: Clock) -> None:
    """The panel changed: which entries have all their sheets may have changed too."""
    for entry in await uow.entries.in_competition(edition.edition_id):
        entry.reassess(edition.judges_for(entry))
    await complete_if_done(uow, edition, clock)


async def _ranking(uow: JudgingUnitOfWork, edition: Edition) -> list[Placing]:
    entries: list[Entry] = await uow.entries.of_edition(edition.edition_id)
    sheets = await uow.sheets.of_edition(edition.edition_id)
    return rank(entries, sheets, edition.rubric, {judge.judge_id for judge in edition.panel})


async def _edition(uow: JudgingUnitOfWork, edition_id: UUID) -> Edition:
    edition = await uow.editions.get(edition_id)
    if edition is None:
        raise EditionNotFound(edition_id=edition_id)
    return edition
