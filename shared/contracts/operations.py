"""Events about the system itself, for the staff who run it."""

from __future__ import annotations

from uuid import UUID

from pydantic import AwareDatetime, Field

from .envelope import Envelope, Payload


class DeadLetter(Payload):
    dead_letter_id: UUID
    service: str
    queue: str = Field(description="the consumer queue the message died in")
    message_id: str | None
    event_type: str | None
    reason: str = Field(description="rejected (did not match its contract) or delivery_limit (kept failing)")
    deliveries: int
    at: AwareDatetime


class MessageDeadLettered(Envelope[DeadLetter]):
    """A message could not be processed and was set aside; staff can inspect and requeue it."""

    event_type = "message.dead_lettered"
