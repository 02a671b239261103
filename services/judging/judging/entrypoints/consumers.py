"""Events judging consumes (queue `judging.events`): editions from the registry,
entries from submissions."""

# No `from __future__ import annotations` here: faststream reads the handlers' type
# hints at runtime to parse each message into its contract.

from collections.abc import Callable

from faststream.rabbit import RabbitRouter

from shared import contracts as c
from shared.clock import Clock
from shared.messaging import JUDGING, handles, ignore_the_rest, subscribe
from shared.unit_of_work import Cause

from ..service_layer import projections
from ..service_layer.unit_of_work import JudgingUnitOfWork

UnitOfWorkFor = Callable[[Cause], JudgingUnitOfWork]


def consumers(uow_for: UnitOfWorkFor, clock: Clock) -> RabbitRouter:
    router = RabbitRouter()
    events = subscribe(router, JUDGING)

    @events(filter=handles(c.EditionPublished))
    async def edition_published(event: c.EditionPublished) -> None:
        await projections.record_edition(uow_for(Cause.of(event)), event)

    @events(filter=handles(c.EditionUpdated))
    async def edition_updated(event: c.EditionUpdated) -> None:
        await projections.record_edition(uow_for(Cause.of(event)), event)

    @events(filter=handles(c.EditionSubmissionsClosed))
    async def submissions_closed(event: c.EditionSubmissionsClosed) -> None:
        await projections.record_closure(uow_for(Cause.of(event)), event, clock)

    @events(filter=handles(c.EntrySubmitted))
    async def entry_submitted(event: c.EntrySubmitted) -> None:
        await projections.record_entry(uow_for(Cause.of(event)), event, clock)

    @events(filter=handles(c.EntryRevised))
    async def entry_revised(event: c.EntryRevised) -> None:
        await projections.record_entry(uow_for(Cause.of(event)), event, clock)

    @events(filter=handles(c.EntryWithdrawn))
    async def entry_withdrawn(event: c.EntryWithdrawn) -> None:
        await projections.record_entry(uow_for(Cause.of(event)), event, clock)

    @events(filter=handles(c.EntryDisqualified))
    async def entry_disqualified(event: c.EntryDisqualified) -> None:
        await projections.record_entry(uow_for(Cause.of(event)), event, clock)

    ignore_the_rest(events)
    return router
