"""Events the notifications service consumes (queue `notifications.events`): every
event of the catalog but its own notification.* reports."""

# No `from __future__ import annotations` here: faststream reads the handlers' type
# hints at runtime to parse each message into its contract.

from collections.abc import Callable

from faststream.rabbit import RabbitRouter

from shared import contracts as c
from shared.clock import Clock
from shared.messaging import NOTIFICATIONS, handles, ignore_the_rest, subscribe
from shared.unit_of_work import Cause

from ..service_layer.notifying import notify
from ..service_layer.unit_of_work import NotificationsUnitOfWork

UnitOfWorkFor = Callable[[Cause], NotificationsUnitOfWork]


def consumers(uow_for: UnitOfWorkFor, clock: Clock, deliveries_waiting: Callable[[], None]) -> RabbitRouter:
    """`deliveries_waiting` is called after a commit that stored email or webhook deliveries."""
    router = RabbitRouter()
    events = subscribe(router, NOTIFICATIONS)
    for event_class in NOTIFICATIONS.handles:
        events(filter=handles(event_class))(_teller(event_class, uow_for, clock, deliveries_waiting))
    ignore_the_rest(events)
    return router


def _teller(
    event_class: c.EventClass,
    uow_for: UnitOfWorkFor,
    clock: Clock,
    deliveries_waiting: Callable[[], None],
) -> Callable[..., object]:
    """The handler of one event type: the message is parsed into `event_class`, so
    one that does not match its contract is dead-lettered."""

    async def tell_subscribers(event: event_class) -> None:  # type: ignore[valid-type]
        if await notify(uow_for(Cause.of(event)), event, clock):
            deliveries_waiting()

    name = "notify_" + event_class.event_type.replace(".", "_")
    tell_subscribers.__name__ = tell_subscribers.__qualname__ = name
    return tell_subscribers
