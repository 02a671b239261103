"""The outbox relay against the real MongoDB wire server: records go out oldest
first, are marked published, and a broker that refuses stops the batch."""

from __future__ import annotations

import asyncio
import itertools
import pickle
import sys
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
from aio_pika.exceptions import DeliveryError
from pamqp.commands import Basic

from shared import contracts as c
from shared.platform.messaging.outbox import (
    FAILED,
    LEASES,
    MAX_REFUSALS,
    OUTBOX,
    RELAY_LEASE,
    Lease,
    OutboxRecord,
    OutboxRelay,
    next_sequence,
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


# Replicas: two relays on one database (two processes of one service) publish each
# event once, the second takes over within seconds when the first dies, and the
# order key keeps records of two processes in the order they were made.


def replica(
    outbox: Any, sent: list[OutboxRecord], *, lease_seconds: float = 5.0, **options: Any
) -> OutboxRelay:
    async def publish(record: OutboxRecord) -> None:
        sent.append(record)

    lease = Lease(outbox.database[LEASES], RELAY_LEASE, seconds=lease_seconds)
    return OutboxRelay(outbox, publish, lease=lease, **options)


async def test_two_replicas_publish_each_event_once(outbox: Any) -> None:
    sent: list[OutboxRecord] = []
    first, second = replica(outbox, sent, poll_seconds=0.05), replica(outbox, sent, poll_seconds=0.05)
    first.start()
    second.start()
    try:
        events = [closure_event(n) for n in range(60)]
        for event in events:
            await outbox.insert_one(outbox_document(event))
            first.wake()
            second.wake()
            await asyncio.sleep(0.002)
        for _ in range(200):
            if await outbox.count_documents({"state": "published"}) == len(events):
                break
            await asyncio.sleep(0.05)
    finally:
        await first.stop()
        await second.stop()
    assert len(sent) == len({r.event_id for r in sent}) == len(events), "each exactly once"
    assert [r.event_id for r in sent] == [e.event_id for e in events], "in the order stored"
    assert first.lease.held != second.lease.held, "one holder"


async def test_a_replica_that_does_not_hold_the_lease_publishes_nothing(outbox: Any) -> None:
    holder_sent: list[OutboxRecord] = []
    other_sent: list[OutboxRecord] = []
    holder, other = replica(outbox, holder_sent), replica(outbox, other_sent)
    assert await holder.relay_pending() == 0 and holder.lease.held
    await outbox.insert_one(outbox_document(closure_event(1)))
    other.wake()
    assert await other.relay_pending() == 0 and other_sent == []
    assert not other.lease.held
    assert await holder.relay_pending() == 1 and len(holder_sent) == 1


async def test_a_dead_holders_lease_is_taken_over_within_seconds(outbox: Any) -> None:
    dead_sent: list[OutboxRecord] = []
    survivor_sent: list[OutboxRecord] = []
    dead = replica(outbox, dead_sent, lease_seconds=1.5)
    assert await dead.relay_pending() == 0 and dead.lease.held  # it holds the lease, then dies (never stops)
    survivor = replica(outbox, survivor_sent, lease_seconds=1.5, poll_seconds=0.1)
    event = closure_event(1)
    await outbox.insert_one(outbox_document(event))
    started = asyncio.get_running_loop().time()
    survivor.start()
    try:
        for _ in range(100):
            if survivor_sent:
                break
            await asyncio.sleep(0.05)
    finally:
        await survivor.stop()
    took = asyncio.get_running_loop().time() - started
    assert [r.event_id for r in survivor_sent] == [event.event_id] and dead_sent == []
    assert took < 3.0, f"taken over after {took:.1f}s"


async def test_a_released_lease_is_taken_at_once(outbox: Any) -> None:
    sent: list[OutboxRecord] = []
    leaving, staying = replica(outbox, sent, lease_seconds=30), replica(outbox, sent, lease_seconds=30)
    assert await leaving.relay_pending() == 0 and leaving.lease.held
    assert await staying.relay_pending() == 0 and not staying.lease.held
    await leaving.release()
    await outbox.insert_one(outbox_document(closure_event(1)))
    assert await staying.relay_pending() == 1 and staying.lease.held


async def test_records_made_by_two_processes_keep_the_order_they_were_made(outbox: Any) -> None:
    # An ObjectId's random per-process bytes decided the order within a second: of
    # records made in turn by two processes, one of the other's sorted out of turn.
    other = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "import sys, pickle\n"
        "from shared.platform.messaging.outbox import outbox_document\n"
        "from tests.integration.test_outbox import closure_event\n"
        "for line in sys.stdin:\n"
        "    sys.stdout.write(pickle.dumps(outbox_document(closure_event(int(line)))).hex() + '\\n')\n"
        "    sys.stdout.flush()\n",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert other.stdin is not None and other.stdout is not None
    made = []
    try:
        for number in range(6):
            if number % 2:
                other.stdin.write(f"{number}\n".encode())
                await other.stdin.drain()
                line = await asyncio.wait_for(other.stdout.readline(), 30)
                made.append(pickle.loads(bytes.fromhex(line.decode().strip())))  # noqa: S301 - our child
            else:
                made.append(outbox_document(closure_event(number)))
    finally:
        other.stdin.close()
        await other.wait()
    await outbox.insert_many(list(reversed(made)))
    sent: list[OutboxRecord] = []
    assert await replica(outbox, sent).relay_pending() == 6
    assert [r.event_id for r in sent] == [d["_id"] for d in made]


def test_the_order_key_grows_within_a_process_faster_than_the_clock() -> None:
    keys = [next_sequence() for _ in range(1000)]
    assert all(later > earlier for earlier, later in itertools.pairwise(keys))
