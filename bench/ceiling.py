"""The ceiling: the least work an event can cost on this broker and this database.

Per event: one persistent publish the broker confirms, one consume from a
durable quorum queue (like the services' queues) acked after one MongoDB insert,
with prefetch 100. Raw aio-pika and motor, no framework, no transaction. The
publisher keeps up to `window` publishes awaiting their confirm, so neither side
waits for the other more than the broker and the database make it.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import aio_pika
from motor.motor_asyncio import AsyncIOMotorClient

from .figures import latency_ms, rate

QUEUE = "bench.ceiling"
DATABASE = "bench_ceiling"
PREFETCH = 100


@dataclass
class Ceiling:
    events: int
    seconds: float
    latencies: list[float]

    def summary(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "seconds": round(self.seconds, 2),
            "events_per_second": rate(self.events, self.seconds),
            "latency_ms": latency_ms(self.latencies),
        }


async def measure(amqp_url: str, mongodb_url: str, events: int, window: int = 100) -> Ceiling:
    mongo: AsyncIOMotorClient[dict[str, Any]] = AsyncIOMotorClient(
        mongodb_url, uuidRepresentation="standard", tz_aware=True
    )
    collection = mongo[DATABASE]["events"]
    await collection.drop()
    publishing = await aio_pika.connect(amqp_url)
    consuming = await aio_pika.connect(amqp_url)
    try:
        publisher = await publishing.channel(publisher_confirms=True)
        consumer = await consuming.channel()
        await consumer.set_qos(prefetch_count=PREFETCH)
        queue = await consumer.declare_queue(QUEUE, durable=True, arguments={"x-queue-type": "quorum"})
        await queue.purge()

        sent_at: dict[str, float] = {}
        latencies: list[float] = []
        all_written = asyncio.Event()

        async def write(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            await collection.insert_one({"_id": message.message_id, "body": message.body})
            await message.ack()
            latencies.append(time.perf_counter() - sent_at[message.message_id or ""])
            if len(latencies) == events:
                all_written.set()

        consumer_tag = await queue.consume(write)
        slots = asyncio.Semaphore(window)

        async def publish(number: int) -> None:
            message_id = f"ceiling-{number}"
            body = b'{"event": %d, "padding": "%s"}' % (number, b"x" * 400)
            try:
                sent_at[message_id] = time.perf_counter()
                await publisher.default_exchange.publish(
                    aio_pika.Message(
                        body, message_id=message_id, delivery_mode=aio_pika.DeliveryMode.PERSISTENT
                    ),
                    routing_key=QUEUE,
                )
            finally:
                slots.release()

        started = time.perf_counter()
        pending = set()
        for number in range(events):
            await slots.acquire()
            pending.add(asyncio.create_task(publish(number)))
        await asyncio.gather(*pending)
        await asyncio.wait_for(all_written.wait(), timeout=max(60.0, events / 20))
        seconds = time.perf_counter() - started
        await queue.cancel(consumer_tag)
        await queue.delete(if_unused=False, if_empty=False)
        return Ceiling(events=events, seconds=seconds, latencies=latencies)
    finally:
        await publishing.close()
        await consuming.close()
        await mongo.drop_database(DATABASE)
        mongo.close()
