"""Events the submissions service consumes (queue `submissions.events`): editions,
enrolments and KIM renames from the registry."""

# No `from __future__ import annotations` here: faststream reads the handlers' type
# hints at runtime to parse each message into its contract.

from collections.abc import Callable

from faststream.rabbit import RabbitRouter

from shared import contracts as c
from shared.messaging import SUBMISSIONS, handles, ignore_the_rest, subscribe
from shared.unit_of_work import Cause

from ..service_layer import projections
from ..service_layer.unit_of_work import SubmissionsUnitOfWork

UnitOfWorkFor = Callable[[Cause], SubmissionsUnitOfWork]


def consumers(uow_for: UnitOfWorkFor) -> RabbitRouter:
    router = RabbitRouter()
    events = subscribe(router, SUBMISSIONS)

    @events(filter=handles(c.EditionPublished))
    async def edition_published(event: c.EditionPublished) -> None:
        await projections.record_edition(uow_for(Cause.of(event)), event)

    @events(filter=handles(c.EditionUpdated))
    async def edition_updated(event: c.EditionUpdated) -> None:
        await projections.record_edition(uow_for(Cause.of(event)), event)

    @events(filter=handles(c.EditionSubmissionsClosed))
    async def submissions_closed(event: c.EditionSubmissionsClosed) -> None:
        await projections.record_closure(uow_for(Cause.of(event)), event)

    @events(filter=handles(c.EnrolmentRequested))
    async def enrolment_requested(event: c.EnrolmentRequested) -> None:
        await projections.record_enrolment(uow_for(Cause.of(event)), event)

    @events(filter=handles(c.EnrolmentApproved))
    async def enrolment_approved(event: c.EnrolmentApproved) -> None:
        await projections.record_enrolment(uow_for(Cause.of(event)), event)

    @events(filter=handles(c.EnrolmentRejected))
    async def enrolment_rejected(event: c.EnrolmentRejected) -> None:
        await projections.record_enrolment(uow_for(Cause.of(event)), event)

    @events(filter=handles(c.KimUpdated))
    async def kim_updated(event: c.KimUpdated) -> None:
        await projections.record_kim(uow_for(Cause.of(event)), event)

    ignore_the_rest(events)
    return router
