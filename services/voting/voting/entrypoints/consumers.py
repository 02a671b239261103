"""Events voting consumes (queue `voting.events`): editions and KIMs from the
registry, entries from submissions."""

# No `from __future__ import annotations`: faststream reads the handlers' hints at
# run time, and a string hint could resolve against a caller's local names.

from collections.abc import Callable

from faststream.rabbit import RabbitRouter

from shared import contracts as c
from shared.platform.messaging import VOTING, handler, ignore_the_rest, subscribe
from shared.platform.persistence.unit_of_work import Cause

from ..service_layer import projections
from ..service_layer.unit_of_work import VotingUnitOfWork

UnitOfWorkFor = Callable[[Cause], VotingUnitOfWork]


def consumers(uow_for: UnitOfWorkFor) -> RabbitRouter:
    router = RabbitRouter()
    events = subscribe(router, VOTING)

    @handler(events)
    async def on_edition_published(event: c.EditionPublished) -> None:
        await projections.record_edition(uow_for(Cause.of(event)), event)

    @handler(events)
    async def on_edition_updated(event: c.EditionUpdated) -> None:
        await projections.record_edition(uow_for(Cause.of(event)), event)

    @handler(events)
    async def on_kim_registered(event: c.KimRegistered) -> None:
        await projections.record_kim(uow_for(Cause.of(event)), event)

    @handler(events)
    async def on_kim_updated(event: c.KimUpdated) -> None:
        await projections.record_kim(uow_for(Cause.of(event)), event)

    @handler(events)
    async def on_kim_verified(event: c.KimVerified) -> None:
        await projections.record_kim(uow_for(Cause.of(event)), event)

    @handler(events)
    async def on_entry_submitted(event: c.EntrySubmitted) -> None:
        await projections.record_entry(uow_for(Cause.of(event)), event)

    @handler(events)
    async def on_entry_revised(event: c.EntryRevised) -> None:
        await projections.record_entry(uow_for(Cause.of(event)), event)

    @handler(events)
    async def on_entry_withdrawn(event: c.EntryWithdrawn) -> None:
        await projections.record_entry(uow_for(Cause.of(event)), event)

    @handler(events)
    async def on_entry_disqualified(event: c.EntryDisqualified) -> None:
        await projections.record_entry(uow_for(Cause.of(event)), event)

    ignore_the_rest(events)
    return router
