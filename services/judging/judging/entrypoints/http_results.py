"""Judging's HTTP API for the results: staff read the ranking as the sheets
stand, resolve ties, freeze, verify and announce (and correct); anyone reads
the announced results, every version of them."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query

from shared.platform.caching import cacheable
from shared.platform.http import RequestLanguage

from ..domain import categories as rules
from ..domain.errors import ResultsNotAnnounced, ResultsVersionNotAnnounced
from ..service_layer import categories as in_category
from ..service_layer import results as use_cases
from ..service_layer import rounds
from ..service_layer.category_commands import (
    AnnounceCategory,
    FreezeCategory,
    ResolveCategoryTie,
    VerifyCategory,
)
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
#: Which results: a category's code, or none for the edition's main ranking.
CategoryCode = Annotated[
    str | None,
    Query(
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        max_length=40,
        description="a category's code (GET /editions/{id}/categories); without it, the main ranking",
    ),
]


@router.get(
    "/editions/{edition_id}/ranking",
    tags=["results"],
    summary="Staff: the ranking as the sheets now stand, every number behind it, and the ties",
)
async def ranking(
    edition_id: UUID, uow: UnitOfWork, language: RequestLanguage, category: CategoryCode = None
) -> RankingPublic:
    if category is not None:
        edition, _, results = await in_category.current_results(uow, edition_id, category)
        return RankingPublic.of(edition, results, language)
    edition, results = await use_cases.current_results(uow, edition_id)
    return RankingPublic.of(edition, results, language)


@router.get(
    "/editions/{edition_id}/ties", tags=["results"], summary="Staff: every tie detected, resolved or not"
)
async def ties(edition_id: UUID, uow: UnitOfWork, category: CategoryCode = None) -> list[TiePublic]:
    if category is not None:
        _, found, results = await in_category.current_results(uow, edition_id, category)
        standing = {tie.tie_id for tie in results.ties}
        return [TiePublic.of(tie, tie.tie_id in standing) for tie in found.ties]
    edition, results = await use_cases.current_results(uow, edition_id)
    standing = {tie.tie_id for tie in results.ties}
    return [TiePublic.of(tie, tie.tie_id in standing) for tie in edition.ties]


@router.post(
    "/editions/{edition_id}/ties/{tie_id}/resolution",
    tags=["results"],
    summary="Staff: decide the order of tied entries, with a reason",
)
async def resolve_tie(
    edition_id: UUID,
    tie_id: UUID,
    body: TieResolutionIn,
    system: System,
    uow: UnitOfWork,
    actor: StaffActor,
    category: CategoryCode = None,
) -> TiePublic:
    if category is not None:
        command = ResolveCategoryTie(
            edition_id=edition_id,
            category=category,
            tie_id=tie_id,
            order=tuple(body.order),
            reason=body.reason,
        )
        return TiePublic.of(await in_category.resolve_tie(uow, system.clock, command, actor), stands=True)
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
    category: CategoryCode = None,
) -> SnapshotPublic:
    if category is not None:
        command = FreezeCategory(edition_id=edition_id, category=category, reason=(body or FreezeIn()).reason)
        return SnapshotPublic.of_snapshot(
            await in_category.freeze(uow, system.clock, command, actor), language
        )
    snapshot = await use_cases.freeze(uow, system.clock, (body or FreezeIn()).command(edition_id), actor)
    return SnapshotPublic.of_snapshot(snapshot, language)


@router.get("/editions/{edition_id}/snapshots", tags=["results"], summary="Staff: every frozen version")
async def snapshots(
    edition_id: UUID, uow: UnitOfWork, category: CategoryCode = None
) -> list[SnapshotSummaryPublic]:
    async with uow:
        edition = await uow.editions.require(edition_id)
        if category is not None:
            code = rules.category(edition, category).code
            return [
                SnapshotSummaryPublic.of(s)
                for s in await uow.category_snapshots.of_category(edition_id, code)
            ]
        return [SnapshotSummaryPublic.of(s) for s in await uow.snapshots.of_edition(edition_id)]


@router.get(
    "/editions/{edition_id}/snapshots/{version}", tags=["results"], summary="Staff: one frozen version"
)
async def snapshot(
    edition_id: UUID,
    version: Version,
    uow: UnitOfWork,
    language: RequestLanguage,
    category: CategoryCode = None,
) -> SnapshotPublic:
    async with uow:
        if category is not None:
            edition = await uow.editions.require(edition_id)
            code = rules.category(edition, category).code
            return SnapshotPublic.of_snapshot(
                await in_category.snapshot_of(uow, edition_id, code, version), language
            )
        return SnapshotPublic.of_snapshot(await use_cases.snapshot_of(uow, edition_id, version), language)


@router.post(
    "/editions/{edition_id}/snapshots/{version}/verification",
    tags=["results"],
    summary="Staff: recompute the results from the stored sheets and compare the hashes",
)
async def verify(
    edition_id: UUID,
    version: Version,
    system: System,
    uow: UnitOfWork,
    actor: StaffActor,
    category: CategoryCode = None,
) -> VerificationPublic:
    if category is not None:
        checked = VerifyCategory(edition_id=edition_id, category=category, version=version)
        return VerificationPublic.of(await in_category.verify(uow, system.clock, checked, actor))
    command = VerifyResults(edition_id=edition_id, version=version)
    return VerificationPublic.of(await use_cases.verify(uow, system.clock, command, actor))


@router.post(
    "/editions/{edition_id}/announcement",
    tags=["results"],
    summary="Staff: announce the latest frozen and verified version (winner.announced)",
)
async def announce(
    edition_id: UUID, system: System, uow: UnitOfWork, actor: StaffActor, category: CategoryCode = None
) -> ResultsPublic:
    if category is not None:
        command = AnnounceCategory(edition_id=edition_id, category=category)
        await in_category.announce(uow, system.clock, command, actor)
        return await results(edition_id, uow, category)
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
async def results(edition_id: UUID, uow: UnitOfWork, category: CategoryCode = None) -> ResultsPublic:
    async with uow:
        edition = await uow.editions.require(edition_id)
        if category is not None:
            found = rules.category(edition, category)
            if found.announced_version is None:
                raise ResultsNotAnnounced(title=f"{edition.title} — {found.title}")
            return await _announced_category(uow, edition_id, found.code, found.announced_version)
        # Judged in two rounds, the final round's results are the edition's.
        shown = await rounds.announced_round(uow, edition)
        if shown is None or shown.announced_version is None:
            raise ResultsNotAnnounced(title=edition.title)
        return await _announced(uow, edition_id, shown.announced_version)


@cacheable(
    router,
    "/editions/{edition_id}/results/versions/{version}",
    max_age=PUBLIC_MAX_AGE,
    fresh_for=PUBLIC_FRESH_SECONDS,
    tags=["results"],
    summary="Public: one announced version of the results, also after a correction",
)
async def results_version(
    edition_id: UUID, version: Version, uow: UnitOfWork, category: CategoryCode = None
) -> ResultsPublic:
    async with uow:
        edition = await uow.editions.require(edition_id)
        if category is not None:
            code = rules.category(edition, category).code
            return await _announced_category(uow, edition_id, code, version)
        return await _announced(uow, edition_id, version)


async def _announced(uow: UnitOfWork, edition_id: UUID, version: int) -> ResultsPublic:
    edition = await uow.editions.require(edition_id)
    shown = await rounds.announced_round(uow, edition)
    found = await uow.snapshots.of_edition(shown.edition_id) if shown is not None else []
    announced = [s for s in found if s.announced_at is not None]
    chosen = next((s for s in announced if s.number == version), None)
    if chosen is None:
        raise ResultsVersionNotAnnounced(version=version, title=edition.title)
    return ResultsPublic.of(edition, chosen, [s.number for s in announced])


async def _announced_category(uow: UnitOfWork, edition_id: UUID, code: str, version: int) -> ResultsPublic:
    edition = await uow.editions.require(edition_id)
    announced = [s for s in await uow.category_snapshots.of_category(edition_id, code) if s.announced_at]
    chosen = next((s for s in announced if s.number == version), None)
    if chosen is None:
        raise ResultsVersionNotAnnounced(version=version, title=edition.title)
    return ResultsPublic.of(edition, chosen, [s.number for s in announced])
