"""Judging's HTTP API before the results: staff set the rubric and judging
options, appoint the panel, assign entries and watch progress; judges fill
score sheets; staff correct final sheets and read the audit trail. Who may call what is
in `shared/platform/access.py`; a judge is recognised by their account's email."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response

from shared.kernel.principal import Principal
from shared.platform.http import Caller, RequestLanguage

from ..domain.edition import Edition
from ..domain.errors import NotOnThisPanel, NotYourSheet
from ..domain.score_sheet import ScoreSheet
from ..service_layer import services
from ..service_layer.commands import AssignEntries, RemoveJudge
from ..service_layer.unit_of_work import JudgingUnitOfWork
from .dependencies import System, UnitOfWork
from .schemas import (
    AssignedEntryPublic,
    AssignmentPublic,
    AuditRecordPublic,
    EditionJudgingPublic,
    EditionProgressPublic,
    EntryJudgingPublic,
    JudgeCreate,
    JudgePublic,
    JudgeViewPublic,
    JudgingOptionsIn,
    RubricIn,
    ScoreSheetIn,
    ScoreSheetPublic,
    SheetCorrectionIn,
)

router = APIRouter()


def staff_actor(caller: Caller) -> str:
    return caller.label


#: Who acts, for the audit trail: the caller's role and email, e.g. "staff:sari@malangkota.go.id".
StaffActor = Annotated[str, Depends(staff_actor)]


def require_judge(edition: Edition, caller: Principal, judge_id: UUID | None = None) -> None:
    """Staff pass; a judge passes for an edition whose panel they sit on (recognised
    by their account's email) and, given `judge_id`, only as that judge."""
    if caller.is_staff:
        return
    mine = {
        judge.judge_id
        for judge in edition.judges
        if judge.on_panel and judge.email and caller.email and judge.email.lower() == caller.email.lower()
    }
    if not mine:
        raise NotOnThisPanel()
    if judge_id is not None and judge_id not in mine:
        raise NotYourSheet()


@router.get(
    "/editions/{edition_id}", tags=["editions"], summary="Judging status, rubric, options, panel, progress"
)
async def get_edition(edition_id: UUID, uow: UnitOfWork, caller: Caller) -> EditionJudgingPublic:
    async with uow:
        edition = await uow.editions.require(edition_id)
        require_judge(edition, caller)
        found = EditionJudgingPublic.of(edition, await services.judging_progress(uow, edition))
    # A judge reads the status, rubric and options; the panel's emails and declared
    # affiliations are staff's.
    return found if caller.is_staff else found.model_copy(update={"panel": []})


@router.put(
    "/editions/{edition_id}/rubric", tags=["editions"], summary="Staff: set the rubric before scoring starts"
)
async def set_rubric(
    edition_id: UUID, body: RubricIn, system: System, uow: UnitOfWork, caller: Caller
) -> EditionJudgingPublic:
    await services.set_rubric(uow, system.clock, body.command(edition_id), caller.label)
    return await get_edition(edition_id, uow, caller)


@router.put(
    "/editions/{edition_id}/judging-options",
    tags=["editions"],
    summary="Staff: assignment, blind judging, normalisation, tie-break chain, deadline (before scoring)",
)
async def set_options(
    edition_id: UUID, body: JudgingOptionsIn, system: System, uow: UnitOfWork, caller: Caller
) -> EditionJudgingPublic:
    await services.set_options(uow, system.clock, body.command(edition_id), caller.label)
    return await get_edition(edition_id, uow, caller)


@router.post(
    "/editions/{edition_id}/judges", status_code=201, tags=["panel"], summary="Staff: appoint a judge"
)
async def appoint_judge(
    edition_id: UUID, body: JudgeCreate, system: System, uow: UnitOfWork, actor: StaffActor
) -> JudgePublic:
    judge = await services.appoint_judge(uow, system.clock, body.command(edition_id), actor)
    return JudgePublic.model_validate(judge)


@router.get("/editions/{edition_id}/judges", tags=["panel"], summary="The panel")
async def list_judges(edition_id: UUID, uow: UnitOfWork) -> list[JudgePublic]:
    async with uow:
        edition = await uow.editions.require(edition_id)
    return [JudgePublic.model_validate(judge) for judge in edition.panel]


@router.delete("/editions/{edition_id}/judges/{judge_id}", tags=["panel"], summary="Staff: remove a judge")
async def remove_judge(
    edition_id: UUID, judge_id: UUID, system: System, uow: UnitOfWork, actor: StaffActor
) -> JudgePublic:
    command = RemoveJudge(edition_id=edition_id, judge_id=judge_id)
    return JudgePublic.model_validate(await services.remove_judge(uow, system.clock, command, actor))


@router.post(
    "/editions/{edition_id}/assignments",
    tags=["panel"],
    summary="Staff: assign the entries to the panel; judges whose entries changed are told (judge.assigned)",
)
async def assign_entries(
    edition_id: UUID, system: System, uow: UnitOfWork, actor: StaffActor
) -> AssignmentPublic:
    assignment = await services.assign_entries(uow, system.clock, AssignEntries(edition_id=edition_id), actor)
    async with uow:
        edition = await uow.editions.require(edition_id)
    return AssignmentPublic.of(assignment, edition)


@router.get("/editions/{edition_id}/assignments", tags=["panel"], summary="Staff: the assignment last made")
async def get_assignment(edition_id: UUID, uow: UnitOfWork) -> AssignmentPublic | None:
    async with uow:
        edition = await uow.editions.require(edition_id)
    return AssignmentPublic.of(edition.assignment, edition) if edition.assignment else None


@router.get(
    "/editions/{edition_id}/judges/{judge_id}/assignments",
    tags=["score sheets"],
    summary="A judge's entries to score, with the sheet filled so far; judging blind, without the KIM",
)
async def judge_assignments(
    edition_id: UUID, judge_id: UUID, uow: UnitOfWork, caller: Caller
) -> list[AssignedEntryPublic]:
    async with uow:
        edition = await uow.editions.require(edition_id)
        edition.judge(judge_id)
        require_judge(edition, caller, judge_id)
        sheets = {s.entry_id: s for s in await uow.sheets.of_judge(edition_id, judge_id)}
        entries = await uow.entries.in_competition(edition_id)
    return [
        AssignedEntryPublic(
            entry=JudgeViewPublic.model_validate(entry.seen_by_judges(edition.options.blind)),
            sheet=ScoreSheetPublic.of(sheets[entry.entry_id], edition.rubric)
            if entry.entry_id in sheets
            else None,
        )
        for entry in entries
        if judge_id in edition.judges_for(entry)
    ]


@router.put(
    "/editions/{edition_id}/entries/{entry_id}/sheets/{judge_id}",
    tags=["score sheets"],
    summary="A judge fills or revises their score sheet for an entry assigned to them",
)
async def record_score(
    edition_id: UUID,
    entry_id: UUID,
    judge_id: UUID,
    body: ScoreSheetIn,
    system: System,
    uow: UnitOfWork,
    caller: Caller,
) -> ScoreSheetPublic:
    loaded: list[Edition] = []

    def may_act(edition: Edition) -> None:
        require_judge(edition, caller, judge_id)
        loaded.append(edition)  # its rubric shapes the answer: not read a second time

    sheet = await services.record_score(
        uow, system.clock, body.command(edition_id, entry_id, judge_id), actor=caller.label, may_act=may_act
    )
    return ScoreSheetPublic.of(sheet, loaded[-1].rubric)


@router.put(
    "/editions/{edition_id}/entries/{entry_id}/sheets/{judge_id}/correction",
    tags=["score sheets"],
    summary="Staff: correct a final sheet after judging completed, with a reason",
)
async def correct_sheet(
    edition_id: UUID,
    entry_id: UUID,
    judge_id: UUID,
    body: SheetCorrectionIn,
    system: System,
    uow: UnitOfWork,
    actor: StaffActor,
) -> ScoreSheetPublic:
    sheet = await services.correct_sheet(
        uow, system.clock, body.command(edition_id, entry_id, judge_id), actor
    )
    return await _sheet_public(uow, edition_id, sheet)


@router.get(
    "/editions/{edition_id}/entries", tags=["score sheets"], summary="Entries and their sheets so far"
)
async def list_entries(edition_id: UUID, uow: UnitOfWork) -> list[EntryJudgingPublic]:
    async with uow:
        return [EntryJudgingPublic.of(e) for e in await uow.entries.of_edition(edition_id)]


@router.get(
    "/editions/{edition_id}/progress",
    tags=["score sheets"],
    summary="Staff: per judge and per entry, what is still missing, and who abstained and why",
)
async def progress(edition_id: UUID, uow: UnitOfWork, language: RequestLanguage) -> EditionProgressPublic:
    async with uow:
        edition = await uow.editions.require(edition_id)
        found = await services.judging_progress(uow, edition)
    return EditionProgressPublic.of_edition(edition, found, language)


AuditLimit = Annotated[int, Query(ge=1, le=10_000)]


@router.get("/editions/{edition_id}/audit", tags=["audit"], summary="Staff: the audit trail, oldest first")
async def audit_trail(edition_id: UUID, uow: UnitOfWork, limit: AuditLimit = 1000) -> list[AuditRecordPublic]:
    async with uow:
        await uow.editions.require(edition_id)
        return [AuditRecordPublic.model_validate(r) for r in await uow.audit.of_edition(edition_id, limit)]


@router.get(
    "/editions/{edition_id}/audit.csv",
    tags=["audit"],
    summary="Staff: the audit trail as CSV (at, actor, action, subject, details as JSON)",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
async def audit_csv(edition_id: UUID, uow: UnitOfWork) -> Response:
    records = await audit_trail(edition_id, uow, limit=100_000)
    out = io.StringIO()
    writer = csv.writer(out)
    columns = list(AuditRecordPublic.model_fields)  # at, actor, action, subject, details
    writer.writerow(columns)
    for record in records:
        writer.writerow([_cell(getattr(record, column)) for column in columns])
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="audit-{edition_id}.csv"'},
    )


def _cell(value: object) -> object:
    """A CSV cell: times in ISO 8601, the details as JSON."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


async def _sheet_public(uow: JudgingUnitOfWork, edition_id: UUID, sheet: ScoreSheet) -> ScoreSheetPublic:
    async with uow:
        edition = await uow.editions.require(edition_id)
    return ScoreSheetPublic.of(sheet, edition.rubric)
