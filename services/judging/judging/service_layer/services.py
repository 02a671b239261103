"""What staff and judges do before the results: appoint the panel, set the
rubric and the judging options, assign entries, fill and correct score sheets.
Each use case is one unit of work; the audit trail is derived from the
domain events it records (see `audit_trail`), in the same transaction.

`actor` is who acts, for the audit trail: the caller's role and email
("staff:sari@malangkota.go.id", "judge:ayu@juri.id")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from shared.kernel.clock import Clock
from shared.kernel.errors import ConcurrentChange, DomainError
from shared.platform.persistence.unit_of_work import retry_on_conflict

from ..domain import categories
from ..domain.assignment import Assignment
from ..domain.edition import Edition, Judge
from ..domain.entry import Entry
from ..domain.errors import EntryNotFound
from ..domain.progress import Progress, progress
from ..domain.results import Results, compile_results
from ..domain.score_sheet import ScoreSheet
from .commands import (
    AppointJudge,
    AssignEntries,
    CorrectScoreSheet,
    RecordScoreSheet,
    RemoveJudge,
    SetJudgingOptions,
    SetRubric,
)
from .unit_of_work import JudgingUnitOfWork

STAFF = "staff"


@retry_on_conflict
async def appoint_judge(
    uow: JudgingUnitOfWork, clock: Clock, command: AppointJudge, actor: str = STAFF
) -> Judge:
    async with uow:
        edition = await uow.editions.require(command.edition_id)
        judge = edition.appoint(
            name=command.name,
            email=command.email,
            affiliations=command.affiliations,
            by=actor,
            now=clock(),
        )
        await _reassess_entries(uow, edition, clock)
        await uow.commit()
    return judge


@retry_on_conflict
async def remove_judge(
    uow: JudgingUnitOfWork, clock: Clock, command: RemoveJudge, actor: str = STAFF
) -> Judge:
    async with uow:
        edition = await uow.editions.require(command.edition_id)
        judge = edition.remove(command.judge_id, by=actor, now=clock())
        await _reassess_entries(uow, edition, clock)
        await uow.commit()
    return judge


@retry_on_conflict
async def set_rubric(uow: JudgingUnitOfWork, clock: Clock, command: SetRubric, actor: str = STAFF) -> Edition:
    async with uow:
        edition = await uow.editions.require(command.edition_id)
        edition.set_rubric(command.rubric, by=actor, now=clock())
        await uow.commit()
    return edition


@retry_on_conflict
async def set_options(
    uow: JudgingUnitOfWork, clock: Clock, command: SetJudgingOptions, actor: str = STAFF
) -> Edition:
    async with uow:
        edition = await uow.editions.require(command.edition_id)
        edition.set_options(command.options, by=actor, now=clock())
        await _reassess_entries(uow, edition, clock)
        await uow.commit()
    return edition


@retry_on_conflict
async def assign_entries(
    uow: JudgingUnitOfWork, clock: Clock, command: AssignEntries, actor: str = STAFF
) -> Assignment:
    """Assign the entries in competition to the panel; judges whose entries changed are told."""
    async with uow:
        edition = await uow.editions.require(command.edition_id)
        entries = await uow.entries.in_competition(command.edition_id)
        assignment = edition.assign(entries, by=actor, now=clock())
        await _reassess_entries(uow, edition, clock)
        await uow.commit()
    return assignment


@retry_on_conflict
async def record_score(
    uow: JudgingUnitOfWork,
    clock: Clock,
    command: RecordScoreSheet,
    *,
    actor: str | None = None,
    may_act: Callable[[Edition], None] = lambda _: None,
) -> ScoreSheet:
    """`actor` defaults to the judge themselves. `may_act` checks the edition as
    loaded here, before anything changes: it raises when the caller may not fill
    this judge's sheet."""
    async with uow:
        edition = await uow.editions.require(command.edition_id)
        may_act(edition)
        # A judge's first sheet writes the entry (it lists the judges who have a sheet,
        # written in the same transaction), expecting the version it read: the entry
        # kept in memory will do, and the sheet needs no read. A revision does not
        # write it: it reads the entry, then the sheet, as stored.
        entry = await uow.entries.recent(command.entry_id)
        if command.judge_id in entry.scored_by:
            entry = await uow.entries.fresh(command.entry_id)
        try:
            if entry.edition_id != command.edition_id:
                raise EntryNotFound(entry_id=command.entry_id)
            existing = (
                await uow.sheets.of(command.entry_id, command.judge_id)
                if command.judge_id in entry.scored_by
                else None
            )
            sheet = edition.record_score(
                judge_id=command.judge_id,
                entry=entry,
                sheet=existing,
                scores=command.scores,
                by=actor or str(command.judge_id),
                now=clock(),
                comment=command.comment,
                note=command.note,
                revision=command.revision,
            )
            if existing is None:
                uow.sheets.add(sheet)
            if entry.complete:
                await complete_if_done(uow, edition, clock)
            await uow.commit()
        except (DomainError, ConcurrentChange):
            # Refused, or the entry changed, on what was kept rather than read: read it.
            if uow.entries.forget_recent(command.entry_id):
                raise ConcurrentChange() from None
            raise
    return sheet


@retry_on_conflict
async def correct_sheet(
    uow: JudgingUnitOfWork, clock: Clock, command: CorrectScoreSheet, actor: str = STAFF
) -> ScoreSheet:
    """Staff correct a final sheet, with a reason; ties are looked for again."""
    async with uow:
        edition = await uow.editions.require(command.edition_id)
        entry = await entry_in(uow, command.edition_id, command.entry_id)
        sheet = await uow.sheets.of(command.entry_id, command.judge_id)
        before = dict(sheet.scores) if sheet else None
        now = clock()
        sheet = edition.correct_sheet(
            judge_id=command.judge_id,
            entry=entry,
            sheet=sheet,
            scores=command.scores,
            reason=command.reason,
            by=actor,
            now=now,
        )
        if before != sheet.scores:
            await detect_ties(uow, edition, now)
        await uow.commit()
    return sheet


async def judging_progress(uow: JudgingUnitOfWork, edition: Edition) -> Progress:
    return progress(edition, await uow.entries.in_competition(edition.edition_id))


async def complete_if_done(uow: JudgingUnitOfWork, edition: Edition, clock: Clock) -> bool:
    """Complete judging if every entry in competition has all its sheets; then look for ties."""
    await uow.flush()  # the counts below must see this unit's own changes
    incomplete = await uow.entries.count_incomplete(edition.edition_id)
    # While an entry lacks sheets nothing completes: the other counts are not asked.
    in_competition = await uow.entries.count_in_competition(edition.edition_id) if not incomplete else 0
    sheets = (
        await uow.sheets.count_by(edition.edition_id, [j.judge_id for j in edition.panel])
        if not incomplete
        else 0
    )
    now = clock()
    completed = edition.complete_if_done(
        incomplete_entries=incomplete, entries_in_competition=in_competition, sheets=sheets, now=now
    )
    if completed:
        await detect_ties(uow, edition, now)
    return completed


async def results_now(uow: JudgingUnitOfWork, edition: Edition) -> Results:
    """The results as the stored sheets make them now."""
    entries = await uow.entries.of_edition(edition.edition_id)
    return compile_results(edition, entries, await uow.sheets.of_edition(edition.edition_id))


async def detect_ties(uow: JudgingUnitOfWork, edition: Edition, now: datetime) -> None:
    """Once judging is complete, record (and publish once) every new escalated tie,
    the main ranking's and each ranked category's."""
    if edition.completed_at is None:
        return
    await uow.flush()
    entries = await uow.entries.of_edition(edition.edition_id)
    sheets = await uow.sheets.of_edition(edition.edition_id)
    main = compile_results(edition, entries, sheets)
    edition.note_ties(main, now)
    categories.note_all_ties(edition, entries, sheets, main, now)


async def _reassess_entries(uow: JudgingUnitOfWork, edition: Edition, clock: Clock) -> None:
    """Who must score what may have changed: so may which entries have all their sheets."""
    for entry in await uow.entries.in_competition(edition.edition_id):
        entry.reassess(edition.requirement(entry))
    await complete_if_done(uow, edition, clock)


async def entry_in(uow: JudgingUnitOfWork, edition_id: UUID, entry_id: UUID) -> Entry:
    """The entry, refused as not found when it belongs to another edition."""
    entry = await uow.entries.require(entry_id)
    if entry.edition_id != edition_id:
        raise EntryNotFound(entry_id=entry_id)
    return entry
