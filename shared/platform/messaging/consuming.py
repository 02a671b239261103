"""Consuming a queue: one typed handler per event type and version."""

# No `from __future__ import annotations` in this module: faststream reads the
# handlers' type hints at run time to parse each message into its contract.

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from faststream.rabbit import RabbitBroker, RabbitMessage, RabbitRouter
from faststream.rabbit.subscriber import RabbitSubscriber

from shared.contracts import AnyEvent, Envelope, EventClass
from shared.platform.persistence.outages import patiently

from .topology import ConsumerQueue


def event_type_of(message: RabbitMessage) -> tuple[str, int]:
    """The (type, version) a delivered message claims, from its AMQP properties.

    The `type` property survives a requeue from a dead-letter queue; the routing
    key does not, so it is only the fallback.
    """
    raw = message.raw_message
    version = message.headers.get("version", 1)
    try:
        version = int(version)
    except (TypeError, ValueError):
        version = 0
    return raw.type or raw.routing_key or "", version


def handles(event: EventClass) -> Callable[[RabbitMessage], Awaitable[bool]]:
    """A subscriber filter choosing the handler for one event type and version."""
    wanted = (event.event_type, event.event_version)

    async def matches(message: RabbitMessage) -> bool:
        return event_type_of(message) == wanted

    matches.__name__ = f"handles_{event.event_type}_v{event.event_version}"
    return matches


def subscribe(router: RabbitRouter | RabbitBroker, consumer: ConsumerQueue) -> RabbitSubscriber:
    """The subscriber of one consumer queue; `consume` gives it its handlers.

    Bindings come from `declare_topology`, so the queue is declared here
    (with its quorum, dead-letter and delivery-limit arguments) but not bound.
    """
    return router.subscriber(
        consumer.queue(),
        title=consumer.name,
        description="Bound to kim.events with: " + ", ".join(consumer.routing_keys),
    )


Apply = Callable[[Any], Awaitable[object]]


def consume(subscriber: RabbitSubscriber, events: Iterable[EventClass], apply: Apply) -> None:
    """Handle each of `events` with `apply`, the message parsed into its contract.

    A message that does not match its contract fails to parse and is
    dead-lettered (see `poison.RejectMalformed`).
    """
    for event in events:
        subscriber(filter=handles(event))(_typed(event, apply))


def _typed(event: EventClass, apply: Apply) -> Callable[..., Awaitable[None]]:
    async def handler(message: Envelope[Any]) -> None:
        await patiently(lambda: apply(message), what=f"handling {message.type} {message.event_id}")

    handler.__annotations__ = {"message": event, "return": None}
    handler.__name__ = handler.__qualname__ = "on_" + event.event_type.replace(".", "_")
    return handler


def ignore_the_rest(subscriber: RabbitSubscriber) -> None:
    """Register last: a valid event of a type or version this consumer does not
    read is acknowledged and ignored; a malformed one is still dead-lettered."""

    @subscriber()
    async def not_for_us(event: AnyEvent) -> None:
        return None
