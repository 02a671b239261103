"""What staff and judges do before the results: appoint the panel, set the
rubric and the judging options, assign entries, fill and correct score sheets.
Each use case is one unit of work, and writes its audit records in it.

`actor` is who acts, for the audit trail: the caller's role and email
("staff:sari@malangkota.go.id", "judge:ayu@juri.id")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from shared.kernel.clock import Clock
from shared.platform.persistence.unit_of_work import retry_on_conflict

from ..domain.assignment import Assignment
from ..domain.audit import SYSTEM, Action, AuditRecord
from ..domain.edition import Affiliations, Edition, Judge
from ..domain.entry import Entry
from ..domain.errors import EntryNotFound
from ..domain.options import JudgingOptions
from ..domain.progress import Progress, progress
from ..domain.results import Results, compile_results
from ..domain.rubric import Rubric
from ..domain.score_sheet import ScoreSheet
from .unit_of_work import JudgingUnitOfWork

STAFF = "staff"


@retry_on_conflict
async def appoint_judge(
    uow: JudgingUnitOfWork,
    clock: Clock,
    edition_id: UUID,
    *,
    name: str,
    email: str | None,
    affiliations: Affiliations,
    actor: str = STAFF,
) -> Judge:
    async with uow:
        edition = await uow.editions.require(edition_id)
        now = clock()
        judge = edition.appoint(name=name, email=email, affiliations=affiliations, now=now)
        audit(
            uow,
            edition,
            now,
            actor,
            "judge_appointed",
            judge.judge_id,
            name=name,
            kelurahan_codes=",".join(affiliations.kelurahan_codes),
            kim_ids=",".join(str(k) for k in affiliations.kim_ids),
        )
        await _reassess_entries(uow, edition, clock)
        await uow.commit()
    return judge


@retry_on_conflict
async def remove_judge(
    uow: JudgingUnitOfWork, clock: Clock, edition_id: UUID, judge_id: UUID, actor: str = STAFF
) -> Judge:
    async with uow:
        edition = await uow.editions.require(edition_id)
        now = clock()
        judge = edition.remove(judge_id, now)
        audit(uow, edition, now, actor, "judge_removed", judge_id, name=judge.name)
        await _reassess_entries(uow, edition, clock)
        await uow.commit()
    return judge


@retry_on_conflict
async def set_rubric(
    uow: JudgingUnitOfWork, clock: Clock, edition_id: UUID, rubric: Rubric, actor: str = STAFF
) -> Edition:
    async with uow:
        edition = await uow.editions.require(edition_id)
        edition.set_rubric(rubric)
        audit(
            uow,
            edition,
            clock(),
            actor,
            "rubric_set",
            criteria=", ".join(f"{c.criterion_id}:{c.weight}" for c in rubric.criteria),
        )
        await uow.commit()
    return edition


@retry_on_conflict
async def set_options(
    uow: JudgingUnitOfWork, clock: Clock, edition_id: UUID, options: JudgingOptions, actor: str = STAFF
) -> Edition:
    async with uow:
        edition = await uow.editions.require(edition_id)
        edition.set_options(options)
        audit(
            uow,
            edition,
            clock(),
            actor,
            "options_set",
            **{**vars(options), "tie_break": ",".join(options.tie_break)},
        )
        await _reassess_entries(uow, edition, clock)
        await uow.commit()
    return edition


@retry_on_conflict
async def assign_entries(
    uow: JudgingUnitOfWork, clock: Clock, edition_id: UUID, actor: str = STAFF
) -> Assignment:
    """Assign the entries in competition to the panel; judges whose entries changed are told."""
    async with uow:
        edition = await uow.editions.require(edition_id)
        now = clock()
        assignment = edition.assign(await uow.entries.in_competition(edition_id), by=actor, now=now)
        for assigned in assignment.entries:
            audit(
                uow,
                edition,
                now,
                actor,
                "entries_assigned",
                assigned.entry_id,
                judges=",".join(str(j) for j in assigned.judge_ids),
            )
        await _reassess_entries(uow, edition, clock)
        await uow.commit()
    return assignment


@retry_on_conflict
async def record_score(
    uow: JudgingUnitOfWork,
    clock: Clock,
    *,
    edition_id: UUID,
    entry_id: UUID,
    judge_id: UUID,
    scores: dict[str, int],
    actor: str | None = None,
    may_act: Callable[[Edition], None] = lambda _: None,
) -> ScoreSheet:
    """`may_act` checks the edition as loaded here, before anything changes: it
    raises when the caller may not fill this judge's sheet."""
    async with uow:
        edition = await uow.editions.require(edition_id)
        may_act(edition)
        entry = await entry_in(uow, edition_id, entry_id)
        existing = await uow.sheets.of(entry_id, judge_id)
        before = dict(existing.scores) if existing else None
        now = clock()
        sheet = edition.record_score(judge_id=judge_id, entry=entry, sheet=existing, scores=scores, now=now)
        if existing is None:
            uow.sheets.add(sheet)
        if before != sheet.scores:
            action: Action = "sheet_filled" if before is None else "sheet_revised"
            audit_sheet(uow, edition, now, actor or str(judge_id), action, sheet, before)
        if entry.complete:
            await complete_if_done(uow, edition, clock)
        await uow.commit()
    return sheet


@retry_on_conflict
async def correct_sheet(
    uow: JudgingUnitOfWork,
    clock: Clock,
    *,
    edition_id: UUID,
    entry_id: UUID,
    judge_id: UUID,
    scores: dict[str, int],
    reason: str,
    actor: str = STAFF,
) -> ScoreSheet:
    """Staff correct a final sheet, with a reason; ties are looked for again."""
    async with uow:
        edition = await uow.editions.require(edition_id)
        entry = await entry_in(uow, edition_id, entry_id)
        sheet = await uow.sheets.of(entry_id, judge_id)
        before = dict(sheet.scores) if sheet else None
        now = clock()
        sheet = edition.correct_sheet(judge_id=judge_id, entry=entry, sheet=sheet, scores=scores, now=now)
        if before != sheet.scores:
            audit_sheet(uow, edition, now, actor, "sheet_corrected", sheet, before, reason=reason)
            await detect_ties(uow, edition, now)
        await uow.commit()
    return sheet


async def judging_progress(uow: JudgingUnitOfWork, edition: Edition) -> Progress:
    return progress(edition, await uow.entries.in_competition(edition.edition_id))


async def complete_if_done(uow: JudgingUnitOfWork, edition: Edition, clock: Clock) -> bool:
    """Complete judging if every entry in competition has all its sheets; then look for ties."""
    await uow.flush()  # the counts below must see this unit's own changes
    incomplete = await uow.entries.count_incomplete(edition.edition_id)
    in_competition = await uow.entries.count_in_competition(edition.edition_id)
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
        audit(uow, edition, now, SYSTEM, "judging_completed", entries=in_competition, sheets=sheets)
        await detect_ties(uow, edition, now)
    return completed


async def results_now(uow: JudgingUnitOfWork, edition: Edition) -> Results:
    """The results as the stored sheets make them now."""
    entries = await uow.entries.of_edition(edition.edition_id)
    return compile_results(edition, entries, await uow.sheets.of_edition(edition.edition_id))


async def detect_ties(uow: JudgingUnitOfWork, edition: Edition, now: datetime) -> None:
    """Once judging is complete, record (and publish once) every new escalated tie."""
    if edition.completed_at is None:
        return
    await uow.flush()
    for tie in edition.note_ties(await results_now(uow, edition), now):
        audit(
            uow,
            edition,
            tie.detected_at,
            SYSTEM,
            "tie_detected",
            tie.tie_id,
            rank=tie.rank,
            entries=",".join(str(e) for e in tie.entry_ids),
        )


def audit(
    uow: JudgingUnitOfWork,
    edition: Edition,
    at: datetime,
    actor: str,
    action: Action,
    subject: object = "",
    **details: object,
) -> None:
    """Append an audit record to this unit of work."""
    uow.audit.add(
        AuditRecord.of(
            edition_id=edition.edition_id,
            at=at,
            sequence=uow.audit.added(),
            actor=actor,
            action=action,
            subject=subject,
            **details,
        )
    )


def audit_sheet(
    uow: JudgingUnitOfWork,
    edition: Edition,
    at: datetime,
    actor: str,
    action: Action,
    sheet: ScoreSheet,
    before: dict[str, int] | None,
    **details: object,
) -> None:
    def listed(scores: dict[str, int]) -> str:
        return ", ".join(f"{criterion}:{score}" for criterion, score in scores.items())

    audit(
        uow,
        edition,
        at,
        actor,
        action,
        sheet.entry_id,
        judge_id=sheet.judge_id,
        before=listed(before) if before else None,
        after=listed(sheet.scores),
        total=str(sheet.total(edition.rubric)),
        **details,
    )


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
