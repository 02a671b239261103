"""Two rounds (`domain/rounds.py`): staff turn them on or off before scoring,
close round 1 into a shortlist, and run the final round as an edition of its
own, with every use case of `services` and `results` unchanged, given the final
round's id and a unit of work whose entries are the final's (`final_entries`)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from shared.kernel.clock import Clock
from shared.platform.persistence.unit_of_work import retry_on_conflict

from ..domain import rounds
from ..domain.edition import Edition
from ..domain.errors import FinalRoundNotOpen, NoFinalRound, RoundsNotSet
from ..domain.rounds import Shortlist, ShortlistRule
from .services import STAFF, judging_progress, results_now
from .unit_of_work import JudgingUnitOfWork


@dataclass(frozen=True, kw_only=True)
class SetRounds:
    edition_id: UUID
    #: None: one round, as without rounds.
    rule: ShortlistRule | None


@dataclass(frozen=True, kw_only=True)
class CloseShortlist:
    edition_id: UUID


@retry_on_conflict
async def set_rounds(uow: JudgingUnitOfWork, clock: Clock, command: SetRounds, actor: str = STAFF) -> Edition:
    async with uow:
        edition = await uow.editions.require(command.edition_id)
        rounds.set_rounds(edition, command.rule, by=actor, now=clock())
        await uow.commit()
    return edition


@retry_on_conflict
async def close_shortlist(
    uow: JudgingUnitOfWork, clock: Clock, command: CloseShortlist, actor: str = STAFF
) -> tuple[Shortlist, Edition]:
    """Close round 1 (complete): its ranking gives the shortlist, and the final
    round opens with the shortlisted entries. `uow` is the edition's (round 1's)."""
    async with uow:
        edition = await uow.editions.require(command.edition_id)
        if edition.rounds is None:
            raise RoundsNotSet(title=edition.title)
        missing = (await judging_progress(uow, edition)).missing if edition.completed_at is None else 0
        now = clock()
        shortlist = rounds.close_shortlist(
            edition, await results_now(uow, edition), missing_sheets=missing, by=actor, now=now
        )
        final, copies = rounds.open_final(
            edition, shortlist, await uow.entries.in_competition(edition.edition_id), now=now
        )
        uow.editions.add(final)
        for copy in copies:
            uow.final_entries.add(copy)
        await uow.commit()
    return shortlist, final


async def final_of(uow: JudgingUnitOfWork, edition_id: UUID) -> UUID:
    """The final round's id of an edition judged in two rounds, once round 1 is closed."""
    async with uow:
        edition = await uow.editions.require(edition_id)
    if edition.rounds is None:
        raise NoFinalRound(title=edition.title)
    if edition.rounds.shortlist is None:
        raise FinalRoundNotOpen(title=edition.title)
    return edition.rounds.shortlist.final_edition_id


async def announced_round(uow: JudgingUnitOfWork, edition: Edition) -> Edition | None:
    """The edition whose announced results the public reads for `edition`: the
    final round when judged in two rounds (None until it opens), else itself."""
    if edition.rounds is None:
        return edition
    if edition.rounds.shortlist is None:
        return None
    return await uow.editions.require(edition.rounds.shortlist.final_edition_id)
