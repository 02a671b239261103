"""Judging's HTTP API for the results: staff read the ranking as the sheets
stand, resolve ties, freeze, verify and announce (and correct); anyone reads
the announced results, every version of them."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path

from shared.platform.caching import cacheable
from shared.platform.http import RequestLanguage

from ..domain.errors import ResultsNotAnnounced, ResultsVersionNotAnnounced
from ..service_layer import results as use_cases
from ..service_layer.commands import AnnounceResults, VerifyResults
from .dependencies import System, UnitOfWork
from .http import StaffActor
from .schemas import (
    FreezeIn,
    RankingPublic,
    ResultsPublic,
    SnapshotPublic,
    SnapshotSummaryPublic,
    TiePublic,
    TieResolutionIn,
    VerificationPublic,
)

router = APIRouter()

#: How long a browser, a proxy or a CDN may keep the public results (ETag, then 304).
PUBLIC_MAX_AGE = 60
#: How long this process serves the public results it built without building them again
#: (never past a write of its own; another replica's announcement shows within this).
PUBLIC_FRESH_SECONDS = 1.0
#: A results version: bounded, so a huge number is a 422, not a query MongoDB cannot encode.
Version = Annotated[int, Path(ge=1, le=1_000_000)]


@router.get(
    "/editions/{edition_id}/ranking",
    tags=["results"],
    summary="Staff: the ranking as the sheets now stand, every number behind it, and the ties",
)
async def ranking(edition_id: UUID, uow: UnitOfWork, language: RequestLanguage) -> RankingPublic:
    edition, results = await use_cases.current_results(uow, edition_id)
    return RankingPublic.of(edition, results, language)


@router.get(
    "/editions/{edition_id}/ties", tags=["results"], summary="Staff: every tie detected, resolved or not"
)
async def ties(edition_id: UUID, uow: UnitOfWork) -> list[TiePublic]:
    edition, results = await use_cases.current_results(uow, edition_id)
    standing = {tie.tie_id for tie in results.ties}
    return [TiePublic.of(tie, tie.tie_id in standing) for tie in edition.ties]


@router.post(
    "/editions/{edition_id}/ties/{tie_id}/resolution",
    tags=["results"],
    summary="Staff: decide the order of tied entries, with a reason",
)
async def resolve_tie(
    edition_id: UUID, tie_id: UUID, body: TieResolutionIn, system: System, uow: UnitOfWork, actor: StaffActor
) -> TiePublic:
    tie = await use_cases.resolve_tie(uow, system.clock, body.command(edition_id, tie_id), actor)
    return TiePublic.of(tie, stands=True)


@router.post(
    "/editions/{edition_id}/snapshots",
    status_code=201,
    tags=["results"],
    summary="Staff: freeze the results as the next version (a correction needs a reason)",
)
async def freeze(
    edition_id: UUID,
    system: System,
    uow: UnitOfWork,
    actor: StaffActor,
    language: RequestLanguage,
    body: FreezeIn | None = None,
) -> SnapshotPublic:
    snapshot = await use_cases.freeze(uow, system.clock, (body or FreezeIn()).command(edition_id), actor)
    return SnapshotPublic.of_snapshot(snapshot, language)


@router.get("/editions/{edition_id}/snapshots", tags=["results"], summary="Staff: every frozen version")
async def snapshots(edition_id: UUID, uow: UnitOfWork) -> list[SnapshotSummaryPublic]:
    async with uow:
        await uow.editions.require(edition_id)
        return [SnapshotSummaryPublic.of(s) for s in await uow.snapshots.of_edition(edition_id)]


@router.get(
    "/editions/{edition_id}/snapshots/{version}", tags=["results"], summary="Staff: one frozen version"
)
async def snapshot(
    edition_id: UUID, version: Version, uow: UnitOfWork, language: RequestLanguage
) -> SnapshotPublic:
    async with uow:
        return SnapshotPublic.of_snapshot(await use_cases.snapshot_of(uow, edition_id, version), language)


@router.post(
    "/editions/{edition_id}/snapshots/{version}/verification",
    tags=["results"],
    summary="Staff: recompute the results from the stored sheets and compare the hashes",
)
async def verify(
    edition_id: UUID, version: Version, system: System, uow: UnitOfWork, actor: StaffActor
) -> VerificationPublic:
    command = VerifyResults(edition_id=edition_id, version=version)
    return VerificationPublic.of(await use_cases.verify(uow, system.clock, command, actor))


@router.post(
    "/editions/{edition_id}/announcement",
    tags=["results"],
    summary="Staff: announce the latest frozen and verified version (winner.announced)",
)
async def announce(edition_id: UUID, system: System, uow: UnitOfWork, actor: StaffActor) -> ResultsPublic:
    await use_cases.announce(uow, system.clock, AnnounceResults(edition_id=edition_id), actor)
    return await results(edition_id, uow)


@cacheable(
    router,
    "/editions/{edition_id}/results",
    max_age=PUBLIC_MAX_AGE,
    fresh_for=PUBLIC_FRESH_SECONDS,
    tags=["results"],
    summary="Public: the latest announced results",
)
async def results(edition_id: UUID, uow: UnitOfWork) -> ResultsPublic:
    async with uow:
        edition = await uow.editions.require(edition_id)
        if edition.announced_version is None:
            raise ResultsNotAnnounced(title=edition.title)
        return await _announced(uow, edition_id, edition.announced_version)


@cacheable(
    router,
    "/editions/{edition_id}/results/versions/{version}",
    max_age=PUBLIC_MAX_AGE,
    fresh_for=PUBLIC_FRESH_SECONDS,
    tags=["results"],
    summary="Public: one announced version of the results, also after a correction",
)
async def results_version(edition_id: UUID, version: Version, uow: UnitOfWork) -> ResultsPublic:
    async with uow:
        await uow.editions.require(edition_id)
        return await _announced(uow, edition_id, version)


async def _announced(uow: UnitOfWork, edition_id: UUID, version: int) -> ResultsPublic:
    edition = await uow.editions.require(edition_id)
    found = await uow.snapshots.of_edition(edition_id)
    announced = [s for s in found if s.announced_at is not None]
    chosen = next((s for s in announced if s.number == version), None)
    if chosen is None:
        raise ResultsVersionNotAnnounced(version=version, title=edition.title)
    return ResultsPublic.of(edition, chosen, [s.number for s in announced])
