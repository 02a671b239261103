"""Events judging consumes (queue `judging.events`): editions from the registry,
entries from submissions, the public vote's frozen tally from voting."""

# No `from __future__ import annotations`: faststream reads the handlers' hints at
# run time, and a string hint could resolve against a caller's local names.

from collections.abc import Callable

from faststream.rabbit import RabbitRouter

from shared import contracts as c
from shared.contracts.voting import VotesTallied
from shared.kernel.clock import Clock
from shared.platform.messaging import JUDGING, handler, ignore_the_rest, subscribe
from shared.platform.persistence.unit_of_work import Cause

from ..service_layer import categories, projections
from ..service_layer.unit_of_work import JudgingUnitOfWork

UnitOfWorkFor = Callable[[Cause], JudgingUnitOfWork]


def consumers(uow_for: UnitOfWorkFor, clock: Clock) -> RabbitRouter:
    router = RabbitRouter()
    events = subscribe(router, JUDGING)

    @handler(events)
    async def on_edition_published(event: c.EditionPublished) -> None:
        await projections.record_edition(uow_for(Cause.of(event)), event, clock)

    @handler(events)
    async def on_edition_updated(event: c.EditionUpdated) -> None:
        await projections.record_edition(uow_for(Cause.of(event)), event)

    @handler(events)
    async def on_edition_submissions_closed(event: c.EditionSubmissionsClosed) -> None:
        await projections.record_closure(uow_for(Cause.of(event)), event, clock)

    @handler(events)
    async def on_entry_submitted(event: c.EntrySubmitted) -> None:
        await projections.record_entry(uow_for(Cause.of(event)), event, clock)

    @handler(events)
    async def on_entry_revised(event: c.EntryRevised) -> None:
        await projections.record_entry(uow_for(Cause.of(event)), event, clock)

    @handler(events)
    async def on_entry_withdrawn(event: c.EntryWithdrawn) -> None:
        await projections.record_entry(uow_for(Cause.of(event)), event, clock)

    @handler(events)
    async def on_entry_disqualified(event: c.EntryDisqualified) -> None:
        await projections.record_entry(uow_for(Cause.of(event)), event, clock)

    @handler(events)
    async def on_entry_film_checked(event: c.EntryFilmChecked) -> None:
        await projections.record_film_check(uow_for(Cause.of(event)), event)

    @handler(events)
    async def on_votes_tallied(event: VotesTallied) -> None:
        await categories.record_tally(uow_for(Cause.of(event)), event, clock)

    ignore_the_rest(events)
    return router
