"""Events the submissions service consumes (queue `submissions.events`): editions,
enrolments and KIMs (their contact, their renames) from the registry."""

# No `from __future__ import annotations`: faststream reads the handlers' hints at
# run time, and a string hint could resolve against a caller's local names.

from collections.abc import Callable

from faststream.rabbit import RabbitRouter

from shared import contracts as c
from shared.kernel.clock import Clock, utcnow
from shared.platform.messaging import SUBMISSIONS, handler, ignore_the_rest, subscribe
from shared.platform.persistence.unit_of_work import Cause

from ..service_layer import projections
from ..service_layer.unit_of_work import SubmissionsUnitOfWork

UnitOfWorkFor = Callable[[Cause], SubmissionsUnitOfWork]


def consumers(uow_for: UnitOfWorkFor, clock: Clock = utcnow) -> RabbitRouter:
    router = RabbitRouter()
    events = subscribe(router, SUBMISSIONS)

    @handler(events)
    async def on_edition_published(event: c.EditionPublished) -> None:
        await projections.record_edition(uow_for(Cause.of(event)), event)

    @handler(events)
    async def on_edition_updated(event: c.EditionUpdated) -> None:
        await projections.record_edition(uow_for(Cause.of(event)), event)

    @handler(events)
    async def on_edition_submissions_closed(event: c.EditionSubmissionsClosed) -> None:
        await projections.record_closure(uow_for(Cause.of(event)), event, clock)

    @handler(events)
    async def on_enrolment_requested(event: c.EnrolmentRequested) -> None:
        await projections.record_enrolment(uow_for(Cause.of(event)), event)

    @handler(events)
    async def on_enrolment_approved(event: c.EnrolmentApproved) -> None:
        await projections.record_enrolment(uow_for(Cause.of(event)), event)

    @handler(events)
    async def on_enrolment_rejected(event: c.EnrolmentRejected) -> None:
        await projections.record_enrolment(uow_for(Cause.of(event)), event)

    @handler(events)
    async def on_kim_registered(event: c.KimRegistered) -> None:
        await projections.record_kim(uow_for(Cause.of(event)), event)

    @handler(events)
    async def on_kim_updated(event: c.KimUpdated) -> None:
        await projections.record_kim(uow_for(Cause.of(event)), event)

    @handler(events)
    async def on_kim_verified(event: c.KimVerified) -> None:
        await projections.record_kim(uow_for(Cause.of(event)), event)

    ignore_the_rest(events)
    return router
