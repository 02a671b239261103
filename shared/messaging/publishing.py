"""Publishing stored events to `kim.events`, and subscribing to a consumer queue."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable

from faststream.rabbit import RabbitBroker, RabbitMessage, RabbitRouter
from faststream.rabbit.subscriber import RabbitSubscriber

from shared.contracts import AnyEvent, EventClass

from .outbox import OutboxRecord
from .topology import EVENTS, ConsumerQueue


class EventPublisher:
    """Persistent, broker-confirmed publishing of outbox records, one publisher per
    event type so the AsyncAPI document lists what the service produces."""

    def __init__(self, broker: RabbitBroker, produces: Iterable[EventClass]) -> None:
        self._publishers = {
            event.event_type: broker.publisher(
                exchange=EVENTS,
                routing_key=event.event_type,
                schema=event,
                title=f"{event.event_type}:publish",
                description=event.__doc__,
                persist=True,
                # Some events (notification.*) may have no queue bound; they are
                # still confirmed by the broker and need not be returned.
                mandatory=False,
                timeout=10,
            )
            for event in produces
        }

    async def publish(self, record: OutboxRecord) -> None:
        await self._publishers[record.type].publish(
            record.body.encode(),
            message_id=str(record.event_id),
            correlation_id=record.correlation_id,
            content_type="application/json",
            message_type=record.type,
            headers={"version": record.version},
            timestamp=record.occurred_at,
        )


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
    """The subscriber of one consumer queue; its handlers are chosen by `handles(...)`.

    Bindings come from `declare_topology`, so the queue is declared here
    (with its quorum, dead-letter and delivery-limit arguments) but not bound.
    """
    return router.subscriber(
        consumer.queue(),
        title=consumer.name,
        description="Bound to kim.events with: " + ", ".join(consumer.routing_keys),
    )


def ignore_the_rest(subscriber: RabbitSubscriber) -> None:
    """Register last: a valid event of a type or version this consumer does not
    read is acknowledged and ignored; a malformed one is still dead-lettered."""

    @subscriber()
    async def not_for_us(event: AnyEvent) -> None:
        return None
