"""Judging's HTTP API: staff appoint the panel, set the rubric and announce;
judges fill score sheets; anyone reads the announced results."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from shared.http import service_dependencies

from ..bootstrap import Judging
from ..domain.errors import EditionNotFound, ResultsNotAnnounced
from ..domain.ranking import tie_break
from ..service_layer import services
from ..service_layer.unit_of_work import JudgingUnitOfWork
from .schemas import (
    AssignmentPublic,
    EditionJudgingPublic,
    EntryJudgingPublic,
    JudgeCreate,
    JudgePublic,
    RankingPublic,
    ResultsPublic,
    RubricIn,
    ScoreSheetIn,
    ScoreSheetPublic,
    StaffPlacingPublic,
)

router = APIRouter()


System, UoW = service_dependencies(Judging, JudgingUnitOfWork)


@router.get("/editions/{edition_id}", tags=["editions"], summary="Judging status, rubric, panel and progress")
async def get_edition(edition_id: UUID, uow: UoW) -> EditionJudgingPublic:
    async with uow:
        edition = await uow.editions.get(edition_id)
        if edition is None:
            raise EditionNotFound(edition_id=edition_id)
        return EditionJudgingPublic.of(edition, await services.judging_progress(uow, edition))


@router.put(
    "/editions/{edition_id}/rubric", tags=["editions"], summary="Staff: set the rubric before scoring starts"
)
async def set_rubric(edition_id: UUID, body: RubricIn, uow: UoW) -> EditionJudgingPublic:
    edition = await services.set_rubric(uow, edition_id, body.to_domain())
    async with uow:
        return EditionJudgingPublic.of(edition, await services.judging_progress(uow, edition))


@router.post(
    "/editions/{edition_id}/judges", status_code=201, tags=["panel"], summary="Staff: appoint a judge"
)
async def appoint_judge(edition_id: UUID, body: JudgeCreate, system: System, uow: UoW) -> JudgePublic:
    judge = await services.appoint_judge(
        uow,
        system.clock,
        edition_id,
        name=body.name,
        email=str(body.email) if body.email else None,
        affiliations=body.affiliations_domain(),
    )
    return JudgePublic.of(judge)


@router.get("/editions/{edition_id}/judges", tags=["panel"], summary="The panel")
async def list_judges(edition_id: UUID, uow: UoW) -> list[JudgePublic]:
    async with uow:
        edition = await uow.editions.get(edition_id)
    if edition is None:
        raise EditionNotFound(edition_id=edition_id)
    return [JudgePublic.of(judge) for judge in edition.panel]


@router.delete("/editions/{edition_id}/judges/{judge_id}", tags=["panel"], summary="Staff: remove a judge")
async def remove_judge(edition_id: UUID, judge_id: UUID, system: System, uow: UoW) -> JudgePublic:
    return JudgePublic.of(await services.remove_judge(uow, system.clock, edition_id, judge_id))


@router.get(
    "/editions/{edition_id}/judges/{judge_id}/assignments",
    tags=["score sheets"],
    summary="A judge's entries to score, with the sheet filled so far",
)
async def assignments(edition_id: UUID, judge_id: UUID, uow: UoW) -> list[AssignmentPublic]:
    async with uow:
        edition = await uow.editions.get(edition_id)
        if edition is None:
            raise EditionNotFound(edition_id=edition_id)
        edition.judge(judge_id)
        sheets = {s.entry_id: s for s in await uow.sheets.of_judge(edition_id, judge_id)}
        entries = await uow.entries.in_competition(edition_id)
    return [
        AssignmentPublic(
            entry=EntryJudgingPublic.of(entry),
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
    summary="A judge fills or revises their score sheet for an entry",
)
async def record_score(
    edition_id: UUID, entry_id: UUID, judge_id: UUID, body: ScoreSheetIn, system: System, uow: UoW
) -> ScoreSheetPublic:
    sheet = await services.record_score(
        uow,
        system.clock,
        edition_id=edition_id,
        entry_id=entry_id,
        judge_id=judge_id,
        scores=dict(body.scores),
    )
    async with uow:
        edition = await uow.editions.get(edition_id)
    assert edition is not None
    return ScoreSheetPublic.of(sheet, edition.rubric)


@router.get(
    "/editions/{edition_id}/entries", tags=["score sheets"], summary="Entries and their sheets so far"
)
async def list_entries(edition_id: UUID, uow: UoW) -> list[EntryJudgingPublic]:
    async with uow:
        return [EntryJudgingPublic.of(e) for e in await uow.entries.of_edition(edition_id)]


@router.get(
    "/editions/{edition_id}/ranking", tags=["results"], summary="Staff: the ranking as the sheets now stand"
)
async def ranking(edition_id: UUID, uow: UoW) -> RankingPublic:
    edition, placings = await services.current_ranking(uow, edition_id)
    return RankingPublic(
        edition_id=edition.edition_id,
        status=edition.status,
        tie_break=tie_break(edition.rubric),
        ranking=[StaffPlacingPublic.of(p) for p in placings],
    )


@router.post("/editions/{edition_id}/announcement", tags=["results"], summary="Staff: announce the winners")
async def announce(edition_id: UUID, system: System, uow: UoW) -> ResultsPublic:
    announcement = await services.announce(uow, system.clock, edition_id)
    async with uow:
        edition = await uow.editions.get(edition_id)
    assert edition is not None
    return ResultsPublic.of(edition, announcement)


@router.get("/editions/{edition_id}/results", tags=["results"], summary="Public: the announced results")
async def results(edition_id: UUID, uow: UoW) -> ResultsPublic:
    async with uow:
        edition = await uow.editions.get(edition_id)
    if edition is None:
        raise EditionNotFound(edition_id=edition_id)
    if edition.announcement is None:
        raise ResultsNotAnnounced(title=edition.title)
    return ResultsPublic.of(edition, edition.announcement)
