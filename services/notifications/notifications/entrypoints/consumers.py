"""Events the notifications service consumes (queue `notifications.events`): every
event of the catalog but its own notification.* reports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from faststream.rabbit import RabbitRouter

from shared.contracts import Envelope
from shared.kernel.clock import Clock
from shared.platform.messaging import NOTIFICATIONS, consume, ignore_the_rest, subscribe
from shared.platform.persistence.unit_of_work import Cause

from ..service_layer.notifying import notify
from ..service_layer.unit_of_work import NotificationsUnitOfWork

UnitOfWorkFor = Callable[[Cause], NotificationsUnitOfWork]


def consumers(uow_for: UnitOfWorkFor, clock: Clock, deliveries_waiting: Callable[[], None]) -> RabbitRouter:
    """`deliveries_waiting` is called after a commit that stored email or webhook deliveries."""
    router = RabbitRouter()
    events = subscribe(router, NOTIFICATIONS)

    async def tell_subscribers(event: Envelope[Any]) -> None:
        if await notify(uow_for(Cause.of(event)), event, clock):
            deliveries_waiting()

    consume(events, NOTIFICATIONS.handles, tell_subscribers)
    ignore_the_rest(events)
    return router
