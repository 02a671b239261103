"""Events the notifications service consumes (queue `notifications.events`): every
event of the catalog but its own notification.* reports.

Every event is told to its subscribers the same way, so one handler takes them
all (`on_catalog_event`), rather than one handler per event type that would
each say the same line."""

# No `from __future__ import annotations`: faststream reads the handlers' hints at
# run time, and a string hint could resolve against a caller's local names.

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from faststream.rabbit import RabbitRouter

from shared import contracts as c
from shared.kernel.clock import Clock
from shared.platform.messaging import NOTIFICATIONS, handler, ignore_the_rest, subscribe
from shared.platform.persistence.unit_of_work import Cause

from ..service_layer.notifying import notify
from ..service_layer.unit_of_work import NotificationsUnitOfWork

UnitOfWorkFor = Callable[[Cause], NotificationsUnitOfWork]

if TYPE_CHECKING:
    CatalogEvent = c.Envelope[Any]
else:
    CatalogEvent = c.one_of(NOTIFICATIONS.handles)


def consumers(uow_for: UnitOfWorkFor, clock: Clock, deliveries_waiting: Callable[[], None]) -> RabbitRouter:
    """`deliveries_waiting` is called after a commit that stored email or webhook deliveries."""
    router = RabbitRouter()
    events = subscribe(router, NOTIFICATIONS)

    @handler(events)
    async def on_catalog_event(event: CatalogEvent) -> None:
        if await notify(uow_for(Cause.of(event)), event, clock):
            deliveries_waiting()

    ignore_the_rest(events)
    return router
