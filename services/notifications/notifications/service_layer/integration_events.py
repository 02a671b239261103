"""Deliveries' domain events as the integration events other services read."""

from __future__ import annotations

from datetime import datetime

from shared import contracts as c

from ..domain import events
from ..domain.delivery import Delivery


def to_integration(event: object) -> tuple[c.EventClass, c.Payload]:
    match event:
        case events.DeliveryDelivered(delivery):
            assert delivery.delivered_at is not None
            return c.NotificationDelivered, delivery_outcome(delivery, delivery.delivered_at)
        case events.DeliveryFailed(delivery):
            assert delivery.failed_at is not None
            return c.NotificationFailed, delivery_outcome(delivery, delivery.failed_at)
    raise TypeError(f"no integration event for {event!r}")


def delivery_outcome(delivery: Delivery, at: datetime) -> c.DeliveryOutcome:
    return c.DeliveryOutcome(
        delivery_id=delivery.delivery_id,
        source_event_id=delivery.event_id,
        source_event_type=delivery.event_type,
        recipient_id=delivery.recipient_id,
        channel=delivery.channel,
        attempts=delivery.attempts,
        at=at,
        error=delivery.last_error if delivery.status == "failed" else None,
    )
