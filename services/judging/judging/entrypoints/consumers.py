"""Events judging consumes (queue `judging.events`): editions from the registry,
entries from submissions."""

from __future__ import annotations

from collections.abc import Callable

from faststream.rabbit import RabbitRouter

from shared import contracts as c
from shared.kernel.clock import Clock
from shared.platform.messaging import JUDGING, consume, ignore_the_rest, subscribe
from shared.platform.persistence.unit_of_work import Cause

from ..service_layer import projections
from ..service_layer.unit_of_work import JudgingUnitOfWork

UnitOfWorkFor = Callable[[Cause], JudgingUnitOfWork]


def consumers(uow_for: UnitOfWorkFor, clock: Clock) -> RabbitRouter:
    router = RabbitRouter()
    events = subscribe(router, JUDGING)
    consume(
        events,
        [c.EditionPublished, c.EditionUpdated],
        lambda event: projections.record_edition(uow_for(Cause.of(event)), event),
    )
    consume(
        events,
        [c.EditionSubmissionsClosed],
        lambda event: projections.record_closure(uow_for(Cause.of(event)), event, clock),
    )
    consume(
        events,
        [c.EntrySubmitted, c.EntryRevised, c.EntryWithdrawn, c.EntryDisqualified],
        lambda event: projections.record_entry(uow_for(Cause.of(event)), event, clock),
    )
    ignore_the_rest(events)
    return router
