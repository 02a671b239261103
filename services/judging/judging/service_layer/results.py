"""From complete sheets to announced results: staff resolve escalated ties,
freeze the results into a snapshot, verify it, and announce it; a correction
after the announcement is a new snapshot, frozen, verified and announced the
same way. Each use case is one unit of work; its audit records come from its domain events."""

from __future__ import annotations

from uuid import UUID

from shared.kernel.clock import Clock
from shared.platform.persistence.unit_of_work import retry_on_conflict

from ..domain.edition import Edition
from ..domain.errors import NothingFrozen, SnapshotNotFound
from ..domain.results import Results
from ..domain.snapshot import Snapshot, Verification
from ..domain.ties import Tie
from .categories import announce_tallies
from .commands import AnnounceResults, FreezeResults, ResolveTie, VerifyResults
from .services import STAFF, judging_progress, results_now
from .unit_of_work import JudgingUnitOfWork


async def current_results(uow: JudgingUnitOfWork, edition_id: UUID) -> tuple[Edition, Results]:
    """The results as the sheets now stand, for staff; the public sees only what was announced."""
    async with uow:
        edition = await uow.editions.require(edition_id)
        return edition, await results_now(uow, edition)


@retry_on_conflict
async def resolve_tie(uow: JudgingUnitOfWork, clock: Clock, command: ResolveTie, actor: str = STAFF) -> Tie:
    async with uow:
        edition = await uow.editions.require(command.edition_id)
        tie = edition.resolve_tie(
            command.tie_id,
            order=command.order,
            reason=command.reason,
            results=await results_now(uow, edition),
            by=actor,
            now=clock(),
        )
        await uow.commit()
    return tie


@retry_on_conflict
async def freeze(
    uow: JudgingUnitOfWork, clock: Clock, command: FreezeResults, actor: str = STAFF
) -> Snapshot:
    async with uow:
        edition = await uow.editions.require(command.edition_id)
        latest = await _latest(uow, edition)
        announced = (
            await uow.snapshots.numbered(edition.edition_id, edition.announced_version)
            if edition.announced_version is not None
            else None
        )
        now = clock()
        snapshot = edition.freeze(
            await results_now(uow, edition),
            latest=latest,
            announced=announced,
            reason=command.reason,
            missing_sheets=(await judging_progress(uow, edition)).missing,
            by=actor,
            now=now,
        )
        uow.snapshots.add(snapshot)
        await uow.commit()
    return snapshot


@retry_on_conflict
async def verify(
    uow: JudgingUnitOfWork, clock: Clock, command: VerifyResults, actor: str = STAFF
) -> Verification:
    """Recompute the latest snapshot from the stored sheets and compare hashes.
    A failed verification is recorded too, then refused."""
    async with uow:
        edition = await uow.editions.require(command.edition_id)
        snapshot = await snapshot_of(uow, command.edition_id, command.version)
        verification = edition.verify(
            snapshot, recomputed=await results_now(uow, edition), by=actor, now=clock()
        )
        await uow.commit()
    verification.require_ok()
    return verification


@retry_on_conflict
async def announce(
    uow: JudgingUnitOfWork, clock: Clock, command: AnnounceResults, actor: str = STAFF
) -> Snapshot:
    """Announce the latest snapshot: it must be verified and still match the sheets."""
    async with uow:
        edition = await uow.editions.require(command.edition_id)
        edition.check_complete((await judging_progress(uow, edition)).missing)
        snapshot = await _latest(uow, edition)
        if snapshot is None:
            raise NothingFrozen(title=edition.title)
        now = clock()
        edition.announce(snapshot, recomputed=await results_now(uow, edition), by=actor, now=now)
        await announce_tallies(uow, edition, now)
        await uow.commit()
    return snapshot


async def snapshot_of(uow: JudgingUnitOfWork, edition_id: UUID, version: int) -> Snapshot:
    snapshot = await uow.snapshots.numbered(edition_id, version)
    if snapshot is None:
        raise SnapshotNotFound(version=version)
    return snapshot


async def _latest(uow: JudgingUnitOfWork, edition: Edition) -> Snapshot | None:
    if edition.results_frozen == 0:
        return None
    return await snapshot_of(uow, edition.edition_id, edition.results_frozen)
