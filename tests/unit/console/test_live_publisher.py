"""The live inbox takes notification.delivered only from the notifications service's broker user."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from console.live import Listener

from shared import contracts as c


@dataclass
class Message:
    body: bytes
    user_id: str | None


class Hub:
    def __init__(self) -> None:
        self.outcomes: list[c.DeliveryOutcome] = []

    def delivered(self, outcome: c.DeliveryOutcome) -> None:
        self.outcomes.append(outcome)


def delivered_event() -> bytes:
    outcome = c.DeliveryOutcome(
        delivery_id=uuid.uuid4(),
        source_event_id=uuid.uuid4(),
        source_event_type="enrolment.requested",
        recipient_id=uuid.uuid4(),
        channel="inbox",
        attempts=1,
        at=datetime.now(UTC),
    )
    event = c.NotificationDelivered.new(outcome, producer="notifications", correlation_id="live")
    return event.model_dump_json().encode()


async def test_only_the_notifications_user_reaches_the_live_inbox() -> None:
    hub = Hub()
    listener = Listener("amqp://127.0.0.1:9/", hub, publisher="kim-notifications")  # type: ignore[arg-type]
    body = delivered_event()
    for forger in (None, "notifications", "judging"):
        await listener._on_message(Message(body, forger))  # type: ignore[arg-type]
    assert hub.outcomes == []
    await listener._on_message(Message(body, "kim-notifications"))  # type: ignore[arg-type]
    assert len(hub.outcomes) == 1
