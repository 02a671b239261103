"""Judging's HTTP API for two rounds (`domain/rounds.py`): staff turn the
shortlist round on or off, close it into a shortlist, and run the final round
at `/editions/{id}/final/...`, the same routes as an edition's, given the
final round's unit of work. The final round's own id (in the shortlist's
`final_edition_id`) serves every edition route too, as judges' desks use it."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from shared.platform.http import Caller, RequestLanguage
from shared.platform.openapi import may_raise

from ..domain.errors import (
    RoundOneNotComplete,
    RoundsFixed,
    RoundsNotSet,
    RoundsRuleInvalid,
    ShortlistAlreadyClosed,
    ShortlistEmpty,
    ShortlistLargerThanField,
)
from ..service_layer import results as use_cases
from ..service_layer import rounds
from ..service_layer.commands import AnnounceResults
from . import http, http_results
from .dependencies import FinalUnitOfWork, System, UnitOfWork
from .http import StaffActor
from .http_results import Version
from .schemas import (
    AssignmentPublic,
    AuditRecordPublic,
    EditionJudgingPublic,
    EditionProgressPublic,
    FreezeIn,
    JudgeCreate,
    JudgePublic,
    JudgingOptionsIn,
    RankingPublic,
    ResultsPublic,
    RubricIn,
    ScoreSheetIn,
    ScoreSheetPublic,
    SheetCorrectionIn,
    SnapshotPublic,
    SnapshotSummaryPublic,
    TiePublic,
    TieResolutionIn,
    VerificationPublic,
)
from .schemas_rounds import RoundsIn, RoundsPublic, ShortlistPublic

router = APIRouter(tags=["rounds"])


@router.get("/editions/{edition_id}/rounds", summary="Staff: one round, or a shortlist round then a final")
async def get_rounds(edition_id: UUID, uow: UnitOfWork, language: RequestLanguage) -> RoundsPublic:
    async with uow:
        edition = await uow.editions.require(edition_id)
    return RoundsPublic.of(edition, language)


@router.put(
    "/editions/{edition_id}/rounds",
    summary="Staff, before scoring: a shortlist round (top `size`, or score >= `min_score`) then a final",
    responses=may_raise(RoundsRuleInvalid, RoundsFixed),
)
async def set_rounds(
    edition_id: UUID,
    body: RoundsIn,
    system: System,
    uow: UnitOfWork,
    actor: StaffActor,
    language: RequestLanguage,
) -> RoundsPublic:
    edition = await rounds.set_rounds(uow, system.clock, body.command(edition_id), actor)
    return RoundsPublic.of(edition, language)


@router.delete("/editions/{edition_id}/rounds", summary="Staff, before scoring: back to one round")
async def clear_rounds(
    edition_id: UUID, system: System, uow: UnitOfWork, actor: StaffActor, language: RequestLanguage
) -> RoundsPublic:
    command = rounds.SetRounds(edition_id=edition_id, rule=None)
    edition = await rounds.set_rounds(uow, system.clock, command, actor)
    return RoundsPublic.of(edition, language)


@router.post(
    "/editions/{edition_id}/shortlist",
    status_code=201,
    summary="Staff: close round 1 (complete); its ranking gives the shortlist and the final round opens",
    responses=may_raise(
        RoundsNotSet, RoundOneNotComplete, ShortlistAlreadyClosed, ShortlistLargerThanField, ShortlistEmpty
    ),
)
async def close_shortlist(
    edition_id: UUID, system: System, uow: UnitOfWork, actor: StaffActor, language: RequestLanguage
) -> ShortlistPublic:
    shortlist, _ = await rounds.close_shortlist(
        uow, system.clock, rounds.CloseShortlist(edition_id=edition_id), actor
    )
    async with uow:
        edition = await uow.editions.require(edition_id)
    return ShortlistPublic.of(edition, shortlist, language)


# The final round: the edition's routes, on the final round's id and unit of work.

FINAL = "/editions/{edition_id}/final"


async def _final(uow: UnitOfWork, edition_id: UUID) -> UUID:
    return await rounds.final_of(uow, edition_id)


@router.get(FINAL, summary="Staff: the final round's status, rubric, options, panel, progress")
async def final_edition(
    edition_id: UUID, uow: UnitOfWork, final: FinalUnitOfWork, caller: Caller
) -> EditionJudgingPublic:
    return await http.get_edition(await _final(uow, edition_id), final, caller)


@router.put(FINAL + "/rubric", summary="Staff: the final round's rubric, before its scoring starts")
async def final_rubric(
    edition_id: UUID, body: RubricIn, system: System, uow: UnitOfWork, final: FinalUnitOfWork, caller: Caller
) -> EditionJudgingPublic:
    return await http.set_rubric(await _final(uow, edition_id), body, system, final, caller)


@router.put(
    FINAL + "/judging-options", summary="Staff: the final round's judging options, before its scoring"
)
async def final_options(
    edition_id: UUID,
    body: JudgingOptionsIn,
    system: System,
    uow: UnitOfWork,
    final: FinalUnitOfWork,
    caller: Caller,
) -> EditionJudgingPublic:
    return await http.set_options(await _final(uow, edition_id), body, system, final, caller)


@router.post(FINAL + "/judges", status_code=201, summary="Staff: appoint a judge to the final round's panel")
async def final_appoint(
    edition_id: UUID,
    body: JudgeCreate,
    system: System,
    uow: UnitOfWork,
    final: FinalUnitOfWork,
    actor: StaffActor,
) -> JudgePublic:
    return await http.appoint_judge(await _final(uow, edition_id), body, system, final, actor)


@router.get(FINAL + "/judges", summary="Staff: the final round's panel")
async def final_judges(edition_id: UUID, uow: UnitOfWork, final: FinalUnitOfWork) -> list[JudgePublic]:
    return await http.list_judges(await _final(uow, edition_id), final)


@router.delete(FINAL + "/judges/{judge_id}", summary="Staff: remove a judge from the final round's panel")
async def final_remove(
    edition_id: UUID,
    judge_id: UUID,
    system: System,
    uow: UnitOfWork,
    final: FinalUnitOfWork,
    actor: StaffActor,
) -> JudgePublic:
    return await http.remove_judge(await _final(uow, edition_id), judge_id, system, final, actor)


@router.post(
    FINAL + "/assignments", summary="Staff: assign the shortlisted entries to the final round's panel"
)
async def final_assign(
    edition_id: UUID, system: System, uow: UnitOfWork, final: FinalUnitOfWork, actor: StaffActor
) -> AssignmentPublic:
    return await http.assign_entries(await _final(uow, edition_id), system, final, actor)


@router.get(FINAL + "/assignments", summary="Staff: the final round's assignment")
async def final_assignment(
    edition_id: UUID, uow: UnitOfWork, final: FinalUnitOfWork
) -> AssignmentPublic | None:
    return await http.get_assignment(await _final(uow, edition_id), final)


@router.put(
    FINAL + "/entries/{entry_id}/sheets/{judge_id}",
    summary="Staff: key in a final-round judge's paper sheet (judges fill theirs at their desk)",
)
async def final_sheet(
    edition_id: UUID,
    entry_id: UUID,
    judge_id: UUID,
    body: ScoreSheetIn,
    system: System,
    uow: UnitOfWork,
    final: FinalUnitOfWork,
    caller: Caller,
) -> ScoreSheetPublic:
    return await http.record_score(
        await _final(uow, edition_id), entry_id, judge_id, body, system, final, caller
    )


@router.put(
    FINAL + "/entries/{entry_id}/sheets/{judge_id}/correction",
    summary="Staff: correct a final-round sheet after the final round completed, with a reason",
)
async def final_correction(
    edition_id: UUID,
    entry_id: UUID,
    judge_id: UUID,
    body: SheetCorrectionIn,
    system: System,
    uow: UnitOfWork,
    final: FinalUnitOfWork,
    actor: StaffActor,
) -> ScoreSheetPublic:
    final_id = await _final(uow, edition_id)
    return await http.correct_sheet(final_id, entry_id, judge_id, body, system, final, actor)


@router.get(FINAL + "/progress", summary="Staff: what the final round still misses")
async def final_progress(
    edition_id: UUID, uow: UnitOfWork, final: FinalUnitOfWork, language: RequestLanguage
) -> EditionProgressPublic:
    return await http.progress(await _final(uow, edition_id), final, language)


@router.get(FINAL + "/audit", summary="Staff: the final round's audit trail, oldest first")
async def final_audit(edition_id: UUID, uow: UnitOfWork, final: FinalUnitOfWork) -> list[AuditRecordPublic]:
    return await http.audit_trail(await _final(uow, edition_id), final)


@router.get(FINAL + "/ranking", summary="Staff: the final round's ranking as its sheets stand")
async def final_ranking(
    edition_id: UUID, uow: UnitOfWork, final: FinalUnitOfWork, language: RequestLanguage
) -> RankingPublic:
    return await http_results.ranking(await _final(uow, edition_id), final, language)


@router.get(FINAL + "/ties", summary="Staff: the final round's ties")
async def final_ties(edition_id: UUID, uow: UnitOfWork, final: FinalUnitOfWork) -> list[TiePublic]:
    return await http_results.ties(await _final(uow, edition_id), final)


@router.post(FINAL + "/ties/{tie_id}/resolution", summary="Staff: decide the order of a final-round tie")
async def final_resolve_tie(
    edition_id: UUID,
    tie_id: UUID,
    body: TieResolutionIn,
    system: System,
    uow: UnitOfWork,
    final: FinalUnitOfWork,
    actor: StaffActor,
) -> TiePublic:
    return await http_results.resolve_tie(await _final(uow, edition_id), tie_id, body, system, final, actor)


@router.post(FINAL + "/snapshots", status_code=201, summary="Staff: freeze the final round's results")
async def final_freeze(
    edition_id: UUID,
    system: System,
    uow: UnitOfWork,
    final: FinalUnitOfWork,
    actor: StaffActor,
    language: RequestLanguage,
    body: FreezeIn | None = None,
) -> SnapshotPublic:
    return await http_results.freeze(await _final(uow, edition_id), system, final, actor, language, body)


@router.get(FINAL + "/snapshots", summary="Staff: the final round's frozen versions")
async def final_snapshots(
    edition_id: UUID, uow: UnitOfWork, final: FinalUnitOfWork
) -> list[SnapshotSummaryPublic]:
    return await http_results.snapshots(await _final(uow, edition_id), final)


@router.get(FINAL + "/snapshots/{version}", summary="Staff: one frozen version of the final round")
async def final_snapshot(
    edition_id: UUID, version: Version, uow: UnitOfWork, final: FinalUnitOfWork, language: RequestLanguage
) -> SnapshotPublic:
    return await http_results.snapshot(await _final(uow, edition_id), version, final, language)


@router.post(
    FINAL + "/snapshots/{version}/verification", summary="Staff: verify a frozen final-round version"
)
async def final_verify(
    edition_id: UUID,
    version: Version,
    system: System,
    uow: UnitOfWork,
    final: FinalUnitOfWork,
    actor: StaffActor,
) -> VerificationPublic:
    return await http_results.verify(await _final(uow, edition_id), version, system, final, actor)


@router.post(
    FINAL + "/announcement",
    summary="Staff: announce the final round's latest verified version as the edition's results",
)
async def final_announce(
    edition_id: UUID, system: System, uow: UnitOfWork, final: FinalUnitOfWork, actor: StaffActor
) -> ResultsPublic:
    final_id = await _final(uow, edition_id)
    await use_cases.announce(final, system.clock, AnnounceResults(edition_id=final_id), actor)
    return await http_results.results(edition_id, uow)
