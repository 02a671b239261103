"""The outbox relay against the real MongoDB wire server: records go out oldest
first, are marked published, and a broker that refuses stops the batch."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
from aio_pika.exceptions import DeliveryError
from pamqp.commands import Basic

from shared import contracts as c
from shared.platform.messaging.outbox import (
    FAILED,
    MAX_REFUSALS,
    OUTBOX,
    OutboxRecord,
    OutboxRelay,
    outbox_document,
)
from shared.platform.persistence.mongo import connect


def closure_event(number: int) -> c.EditionSubmissionsClosed:
    return c.EditionSubmissionsClosed.new(
        c.SubmissionsClosure(
            edition_id=uuid4(), closed_at=datetime.now(UTC), closed_by="staff", revision=number
        ),
        producer="test",
        correlation_id=f"c{number}",
    )


@pytest.fixture
async def outbox(mongodb_url: str, database_name: str) -> Any:
    client = connect(mongodb_url, "test")
    collection = client[database_name][OUTBOX]
    yield collection
    client.close()


async def test_records_go_out_in_the_order_they_were_stored(outbox: Any) -> None:
    events = [closure_event(n) for n in range(5)]
    for event in events:
        await outbox.insert_one(outbox_document(event))
    sent: list[OutboxRecord] = []

    async def publish(record: OutboxRecord) -> None:
        await asyncio.sleep(0.001 * (5 - len(sent)))  # earlier ones slower: order must still hold
        sent.append(record)

    relay = OutboxRelay(outbox, publish)
    assert await relay.relay_pending() == 5
    assert [r.event_id for r in sent] == [e.event_id for e in events]
    assert sent[0].body == events[0].model_dump_json()
    assert await outbox.count_documents({"state": "published"}) == 5
    assert await relay.relay_pending() == 0, "published records are not sent again"


async def test_a_refusal_stops_the_batch_and_is_recorded(outbox: Any) -> None:
    first, second = closure_event(1), closure_event(2)
    await outbox.insert_many([outbox_document(first), outbox_document(second)])
    sent: list[OutboxRecord] = []

    async def refuse_the_first(record: OutboxRecord) -> None:
        if record.event_id == first.event_id:
            raise DeliveryError(None, Basic.Nack(delivery_tag=1))  # the broker said no
        sent.append(record)

    relay = OutboxRelay(outbox, refuse_the_first)
    with pytest.raises(DeliveryError):
        await relay.relay_pending()
    assert sent == [], "nothing after a refused record goes out before it"
    stored = await outbox.find_one({"_id": first.event_id})
    assert (stored["state"], stored["attempts"]) == ("pending", 1) and "DeliveryError" in stored["last_error"]

    for _ in range(MAX_REFUSALS - 1):
        with pytest.raises(DeliveryError):
            await relay.relay_pending()
    assert (await outbox.find_one({"_id": first.event_id}))["state"] == FAILED
    assert await relay.relay_pending() == 1 and [r.event_id for r in sent] == [second.event_id]


async def test_a_lost_connection_is_not_counted_as_a_refusal(outbox: Any) -> None:
    event = closure_event(1)
    await outbox.insert_one(outbox_document(event))

    async def broker_away(record: OutboxRecord) -> None:
        raise ConnectionError("broker away")

    with pytest.raises(ConnectionError):
        await OutboxRelay(outbox, broker_away).relay_pending()
    stored = await outbox.find_one({"_id": event.event_id})
    assert (stored["state"], stored["attempts"]) == ("pending", 0)
