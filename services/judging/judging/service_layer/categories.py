"""An edition's categories: staff give a ranked category its rubric, the jury a
special award its winner and reason; each category's results are resolved,
frozen, verified and announced like the main ranking's, each version its own
snapshot (kept apart, in `category_snapshots`). One unit of work per use case."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from shared.kernel.clock import Clock
from shared.platform.persistence.unit_of_work import retry_on_conflict

from ..domain import categories
from ..domain.categories import Category
from ..domain.edition import Edition
from ..domain.errors import NothingFrozen, SnapshotNotFound
from ..domain.results import Results, compile_results
from ..domain.snapshot import Snapshot, Verification
from ..domain.ties import Tie
from .category_commands import (
    AnnounceCategory,
    FreezeCategory,
    GiveSpecialAward,
    ResolveCategoryTie,
    SetCategoryRubric,
    VerifyCategory,
)
from .services import STAFF, entry_in, judging_progress
from .unit_of_work import JudgingUnitOfWork


@dataclass(frozen=True, kw_only=True)
class CategoryState:
    """A category with how many entries compete in it and its versions."""

    category: Category
    entries: int


async def listed(uow: JudgingUnitOfWork, edition_id: UUID) -> tuple[Edition, list[CategoryState]]:
    async with uow:
        edition = await uow.editions.require(edition_id)
        entries = await uow.entries.in_competition(edition_id)
        return edition, [
            CategoryState(
                category=found,
                entries=len(entries if found.kind != "ranked" else categories.entered(found, entries)),
            )
            for found in edition.categories
        ]


async def results_now(uow: JudgingUnitOfWork, edition: Edition, found: Category) -> Results:
    """The category's results as the stored sheets make them now."""
    entries = await uow.entries.of_edition(edition.edition_id)
    sheets = await uow.sheets.of_edition(edition.edition_id)
    main = compile_results(edition, entries, sheets)
    return categories.results_of(edition, found, entries, sheets, main)


async def current_results(
    uow: JudgingUnitOfWork, edition_id: UUID, code: str
) -> tuple[Edition, Category, Results]:
    async with uow:
        edition = await uow.editions.require(edition_id)
        found = categories.category(edition, code)
        return edition, found, await results_now(uow, edition, found)


async def category_of(uow: JudgingUnitOfWork, edition_id: UUID, code: str) -> tuple[Edition, Category]:
    async with uow:
        edition = await uow.editions.require(edition_id)
        return edition, categories.category(edition, code)


@retry_on_conflict
async def set_rubric(
    uow: JudgingUnitOfWork, clock: Clock, command: SetCategoryRubric, actor: str = STAFF
) -> tuple[Edition, Category]:
    async with uow:
        edition = await uow.editions.require(command.edition_id)
        found = categories.set_rubric(edition, command.category, command.weights, by=actor, now=clock())
        await uow.commit()
    return edition, found


@retry_on_conflict
async def give_award(
    uow: JudgingUnitOfWork, clock: Clock, command: GiveSpecialAward, actor: str = STAFF
) -> Category:
    async with uow:
        edition = await uow.editions.require(command.edition_id)
        entry = await entry_in(uow, command.edition_id, command.entry_id)
        found = categories.give_award(
            edition,
            command.category,
            entry,
            reason=command.reason,
            missing_sheets=(await judging_progress(uow, edition)).missing,
            by=actor,
            now=clock(),
        )
        await uow.commit()
    return found


@retry_on_conflict
async def resolve_tie(
    uow: JudgingUnitOfWork, clock: Clock, command: ResolveCategoryTie, actor: str = STAFF
) -> Tie:
    async with uow:
        edition = await uow.editions.require(command.edition_id)
        found = categories.category(edition, command.category)
        tie = categories.resolve_tie(
            edition,
            found,
            command.tie_id,
            order=command.order,
            reason=command.reason,
            results=await results_now(uow, edition, found),
            by=actor,
            now=clock(),
        )
        await uow.commit()
    return tie


@retry_on_conflict
async def freeze(
    uow: JudgingUnitOfWork, clock: Clock, command: FreezeCategory, actor: str = STAFF
) -> Snapshot:
    async with uow:
        edition = await uow.editions.require(command.edition_id)
        found = categories.category(edition, command.category)
        latest = await _latest(uow, edition, found)
        announced = (
            await uow.category_snapshots.numbered(edition.edition_id, found.code, found.announced_version)
            if found.announced_version is not None
            else None
        )
        snapshot = categories.freeze(
            edition,
            found,
            await results_now(uow, edition, found),
            latest=latest,
            announced=announced,
            reason=command.reason,
            missing_sheets=(await judging_progress(uow, edition)).missing,
            by=actor,
            now=clock(),
        )
        uow.category_snapshots.add(snapshot)
        await uow.commit()
    return snapshot


@retry_on_conflict
async def verify(
    uow: JudgingUnitOfWork, clock: Clock, command: VerifyCategory, actor: str = STAFF
) -> Verification:
    """Recompute the category's latest snapshot from the stored sheets and compare
    hashes; a failed verification is recorded too, then refused."""
    async with uow:
        edition = await uow.editions.require(command.edition_id)
        found = categories.category(edition, command.category)
        snapshot = await snapshot_of(uow, edition.edition_id, found.code, command.version)
        verification = categories.verify(
            edition, found, snapshot, recomputed=await results_now(uow, edition, found), by=actor, now=clock()
        )
        await uow.commit()
    verification.require_ok()
    return verification


@retry_on_conflict
async def announce(
    uow: JudgingUnitOfWork, clock: Clock, command: AnnounceCategory, actor: str = STAFF
) -> Snapshot:
    """Announce the category's latest snapshot (winner.announced v2 with the category)."""
    async with uow:
        edition = await uow.editions.require(command.edition_id)
        found = categories.category(edition, command.category)
        edition.check_complete((await judging_progress(uow, edition)).missing)
        snapshot = await _latest(uow, edition, found)
        if snapshot is None:
            raise NothingFrozen(title=f"{edition.title} — {found.title}")
        categories.announce(
            edition, found, snapshot, recomputed=await results_now(uow, edition, found), by=actor, now=clock()
        )
        await uow.commit()
    return snapshot


async def snapshot_of(uow: JudgingUnitOfWork, edition_id: UUID, code: str, version: int) -> Snapshot:
    snapshot = await uow.category_snapshots.numbered(edition_id, code, version)
    if snapshot is None:
        raise SnapshotNotFound(version=version)
    return snapshot


async def _latest(uow: JudgingUnitOfWork, edition: Edition, found: Category) -> Snapshot | None:
    if found.results_frozen == 0:
        return None
    return await snapshot_of(uow, edition.edition_id, found.code, found.results_frozen)
