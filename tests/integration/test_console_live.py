"""The console's live inbox on the real broker, as the console's own broker user: it
may read kim.events but not declare it, and must still hear notification.delivered."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from console.live import Listener, LiveInbox

from shared import contracts as c
from tests.support import OwnerPublisher

pytestmark = pytest.mark.integration


def delivered(recipient_id: uuid.UUID) -> c.Envelope[c.DeliveryOutcome]:
    outcome = c.DeliveryOutcome(
        delivery_id=uuid.uuid4(),
        source_event_id=uuid.uuid4(),
        source_event_type="edition.published",
        recipient_id=recipient_id,
        channel="inbox",
        attempts=1,
        at=datetime.now(UTC),
    )
    return c.NotificationDelivered.new(outcome, producer="notifications", correlation_id="live-test")


async def test_the_console_user_listens_to_deliveries_and_hands_them_to_the_open_page(
    amqp_url_for: Callable[[str], str],
) -> None:
    hub = LiveInbox()
    listener = Listener(amqp_url_for("console"), hub, publisher="notifications")
    task = asyncio.create_task(listener.run())
    recipient_id = uuid.uuid4()
    try:
        # Before the fix the console declared kim.events, which its user may not: refused,
        # it reconnected in a tight loop and never listened.
        await asyncio.wait_for(listener.connected.wait(), timeout=15)
        async with hub.stream(recipient_id) as stream, OwnerPublisher(amqp_url_for) as publisher:
            event = delivered(recipient_id)
            await publisher.publish(event)
            arrival = await asyncio.wait_for(stream.arrivals.get(), timeout=10)
    finally:
        await listener.stop(task)
    assert arrival.delivery_id == event.data.delivery_id and not arrival.lagging
