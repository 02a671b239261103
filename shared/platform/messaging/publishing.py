"""Publishing stored events to `kim.events`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from faststream.rabbit import RabbitBroker

from shared.contracts import EventClass
from shared.platform.telemetry import continued

from .outbox import OutboxRecord
from .topology import CONSUMER_QUEUES, EVENTS, REPLAY


class EventPublisher:
    """Persistent, broker-confirmed publishing of outbox records, one publisher per
    event type so the AsyncAPI document lists what the service produces."""

    def __init__(self, broker: RabbitBroker, produces: Iterable[EventClass], *, user_id: str) -> None:
        """`user_id`: the broker user this service connects as; every message
        carries it, the broker checks it, and consumers trust no other publisher."""
        self._broker = broker
        self._user_id = user_id
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
        # In the trace the record was stored in: the telemetry middleware puts it in the headers.
        with continued(record.traceparent):
            await self._publishers[record.type].publish(
                record.body.encode(), user_id=self._user_id, **_properties(record)
            )

    async def resend(self, record: OutboxRecord, queue: str) -> None:
        """Send a stored event again, to one consumer's queue only (a replay),
        through `kim.replay`, where this service may write only its own event types.

        In the trace of the replay that asks for it, not the record's own."""
        consumer = next(q for q in CONSUMER_QUEUES if q.name == queue)
        await self._broker.publish(
            record.body.encode(),
            exchange=REPLAY,
            routing_key=consumer.replay_key(record.type),
            persist=True,
            mandatory=True,
            timeout=10,
            user_id=self._user_id,
            **_properties(record),
        )


def _properties(record: OutboxRecord) -> dict[str, Any]:
    return {
        "message_id": str(record.event_id),
        "correlation_id": record.correlation_id,
        "content_type": "application/json",
        "message_type": record.type,
        "headers": {"version": record.version},
        "timestamp": record.occurred_at,
    }
