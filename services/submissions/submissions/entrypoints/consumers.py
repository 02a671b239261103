"""Events the submissions service consumes (queue `submissions.events`): editions,
enrolments and KIM renames from the registry."""

from __future__ import annotations

from collections.abc import Callable

from faststream.rabbit import RabbitRouter

from shared import contracts as c
from shared.platform.messaging import SUBMISSIONS, consume, ignore_the_rest, subscribe
from shared.platform.persistence.unit_of_work import Cause

from ..service_layer import projections
from ..service_layer.unit_of_work import SubmissionsUnitOfWork

UnitOfWorkFor = Callable[[Cause], SubmissionsUnitOfWork]


def consumers(uow_for: UnitOfWorkFor) -> RabbitRouter:
    router = RabbitRouter()
    events = subscribe(router, SUBMISSIONS)
    consume(
        events,
        [c.EditionPublished, c.EditionUpdated],
        lambda event: projections.record_edition(uow_for(Cause.of(event)), event),
    )
    consume(
        events,
        [c.EditionSubmissionsClosed],
        lambda event: projections.record_closure(uow_for(Cause.of(event)), event),
    )
    consume(
        events,
        [c.EnrolmentRequested, c.EnrolmentApproved, c.EnrolmentRejected],
        lambda event: projections.record_enrolment(uow_for(Cause.of(event)), event),
    )
    consume(events, [c.KimUpdated], lambda event: projections.record_kim(uow_for(Cause.of(event)), event))
    ignore_the_rest(events)
    return router
