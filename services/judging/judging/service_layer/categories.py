"""An edition's categories: staff give a ranked category its rubric, the jury a
special award its winner and reason; each category's results are resolved,
frozen, verified and announced like the main ranking's, each version its own
snapshot (kept apart, in `category_snapshots`). One unit of work per use case."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from shared.contracts.voting import VotesTallied
from shared.kernel.clock import Clock
from shared.platform.persistence.unit_of_work import apply_once, retry_on_conflict

from ..domain import categories
from ..domain.categories import Category
from ..domain.edition import Edition
from ..domain.entry import Region
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

log = logging.getLogger("kim.judging.categories")


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


async def record_tally(uow: JudgingUnitOfWork, event: VotesTallied, clock: Clock) -> bool:
    """votes.tallied: the favourite category's results, version for version;
    announced as soon as the main ranking is (or with it)."""
    tally = event.data

    async def effect(uow: JudgingUnitOfWork) -> None:
        edition = await uow.editions.get(tally.edition_id)
        if edition is None:  # its edition.published is still on the way: retried
            raise LookupError(f"edition {tally.edition_id} not known yet")
        found = next((c for c in edition.categories if c.code == tally.category_code), None)
        if found is None or found.kind != "favourite":
            log.warning(
                "votes.tallied %s: '%s' is not a favourite category of edition %s; not kept",
                event.event_id,
                tally.category_code,
                tally.edition_id,
            )
            return
        entries = {e.entry_id: e for e in await uow.entries.of_edition(edition.edition_id)}
        lines = [
            categories.VoteLine(
                rank=line.rank,
                entry_id=line.entry_id,
                entry_title=line.entry_title,
                kim_id=line.kim_id,
                kim_name=line.kim_name,
                kelurahan=Region(code=line.kelurahan.code, name=line.kelurahan.name),
                votes=line.votes,
                submitted_at=entries[line.entry_id].submitted_at
                if line.entry_id in entries
                else tally.frozen_at,
            )
            for line in tally.standings
        ]
        snapshot = categories.record_tally(
            edition,
            found,
            version=tally.version,
            content_hash=tally.content_hash,
            lines=lines,
            tie_break=tally.tie_break,
            frozen_at=tally.frozen_at,
            now=clock(),
        )
        if snapshot is not None:
            uow.category_snapshots.add(snapshot)

    return await apply_once(uow, event, effect)


async def announce_tallies(uow: JudgingUnitOfWork, edition: Edition, now: datetime) -> None:
    """With the main ranking's announcement, the favourite categories' tallies that waited for it."""
    for found in categories.tallies_to_announce(edition):
        snapshot = await snapshot_of(uow, edition.edition_id, found.code, found.results_frozen)
        categories.announce_tally(edition, found, snapshot, now=now)
