"""Events the notifications service publishes: what reached whom, on which channel."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime

from .envelope import Envelope, Payload


class DeliveryOutcome(Payload):
    delivery_id: UUID
    source_event_id: UUID
    source_event_type: str
    recipient_id: UUID
    channel: Literal["inbox", "email", "webhook", "whatsapp"]
    attempts: int
    at: AwareDatetime
    error: str | None = None


class NotificationDelivered(Envelope[DeliveryOutcome]):
    event_type = "notification.delivered"


class NotificationFailed(Envelope[DeliveryOutcome]):
    event_type = "notification.failed"
