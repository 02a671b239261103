"""The transactional outbox and its relay.

A state change and the events it causes are written in one MongoDB
transaction (see `shared.platform.persistence.mongo.UnitOfWork`); the relay is the only thing that
publishes. It sends pending records with broker confirms, marks them published,
and keeps retrying with backoff while the broker is away. Published records
stay: they are the producer's event log, for replay.

Replicas. Every replica of a service runs a relay, but only one publishes: the
holder of the lease `outbox-relay` in the service's own `leases` collection
(`Lease`). The holder renews it every few seconds (one write per renewal, none per
event); when the holder dies, its lease runs out (`lease_seconds`, 5 s by default)
and another replica's relay takes it at its next poll and publishes at once. A
replica that does not hold the lease ignores `wake()`: the events its commits
stored go out at the holder's next poll (`outbox_poll_seconds`). Each event is
published once in normal operation; after a crash between the broker's confirm
and the mark, or a holder paused past its lease, at least once (consumers
deduplicate on the event id through their inbox).

The order key. `sequence` is the time the record was made, in microseconds since
the epoch, made strictly increasing within a process (`next_sequence`), so
records of one transaction keep their order. Across processes it keeps the order
per aggregate: a second change to an aggregate commits only after it read the
first change's committed version (the version check and the server's write
conflicts see to that), and its records are made after that, later in time than
the first change's records. That holds exactly for replicas on one host and, across
hosts, as long as their clocks agree to better than a commit's round trip (NTP
keeps them within a millisecond or so). It costs no database operation, unlike a
shared counter (one more write per commit, and a document every transaction
contends on); the aggregate's revision in the record would be exact but needs the
aggregate's identity in every record. Consumers still keep the highest revision
they have seen where order matters (`$max`), so even a swap across badly skewed
clocks does not roll a projection back. (The key used to be an ObjectId, whose
per-process random bytes decided the order of records made by two processes in
the same second.)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from aio_pika.exceptions import DeliveryError
from motor.motor_asyncio import AsyncIOMotorCollection
from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from shared.contracts import Envelope
from shared.kernel.clock import utcnow

log = logging.getLogger("kim.outbox")

OUTBOX = "outbox"
#: The service's leases: which replica runs what only one may run.
LEASES = "leases"
RELAY_LEASE = "outbox-relay"
PENDING, PUBLISHED, FAILED = "pending", "published", "failed"

#: A record the broker refuses (nacks) this many times is set aside as failed
#: so it cannot hold up the rest; lost connections do not count.
MAX_REFUSALS = 10


@dataclass(frozen=True)
class OutboxRecord:
    event_id: UUID
    type: str
    version: int
    correlation_id: str
    occurred_at: datetime
    body: str
    #: The W3C trace context the event was stored in; the relay publishes in it.
    traceparent: str | None = None

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> OutboxRecord:
        return cls(
            event_id=doc["_id"],
            type=doc["type"],
            version=doc["version"],
            correlation_id=doc["correlation_id"],
            occurred_at=doc["occurred_at"],
            body=doc["body"],
            traceparent=doc.get("traceparent"),
        )


def outbox_document(event: Envelope[Any], traceparent: str | None = None) -> dict[str, Any]:
    """The record stored beside the change; `body` is exactly what goes on the wire,
    `traceparent` the trace context of the span that made the change, if any.

    `sequence` orders records as they were made, also within one transaction and,
    per aggregate, across processes (see the module's docstring).
    """
    return {
        "_id": event.event_id,
        "sequence": next_sequence(),
        "type": event.type,
        "version": event.version,
        "correlation_id": event.correlation_id,
        "occurred_at": event.occurred_at,
        "body": event.model_dump_json(),
        "state": PENDING,
        "attempts": 0,
        "created_at": utcnow(),
        **({"traceparent": traceparent} if traceparent else {}),
    }


_last_sequence = 0
_sequence_lock = threading.Lock()


def next_sequence() -> int:
    """Microseconds since the epoch, strictly increasing in this process."""
    global _last_sequence  # noqa: PLW0603 - one counter per process, by design
    with _sequence_lock:
        _last_sequence = max(time.time_ns() // 1000, _last_sequence + 1)
        return _last_sequence


class Lease:
    """Who of a service's replicas runs `name` (a document in the service's `leases`).

    `hold()` answers whether this process holds it, taking it when it is free or run
    out and renewing it when a third of it is gone; between renewals it answers
    from memory, so it costs a write every few seconds, not one per call. A holder
    counts its lease as ended a second before the others may take it (their clocks
    may run a little ahead). `release()` frees it at a clean stop.
    """

    def __init__(
        self,
        collection: AsyncIOMotorCollection,
        name: str,
        *,
        seconds: float = 5.0,
        holder: str | None = None,
    ) -> None:
        self._collection = collection
        self.name = name
        self.holder = holder or uuid4().hex
        self._seconds = seconds
        self._margin = min(1.0, seconds / 5)
        self._held_until = 0.0  # monotonic
        self._renew_at = 0.0  # monotonic

    @property
    def held(self) -> bool:
        return time.monotonic() < self._held_until

    async def hold(self) -> bool:
        now = time.monotonic()
        if now < self._renew_at:
            return True
        wall = utcnow()
        try:
            await self._collection.update_one(
                {"_id": self.name, "$or": [{"holder": self.holder}, {"until": {"$lte": wall}}]},
                {"$set": {"holder": self.holder, "until": wall + timedelta(seconds=self._seconds)}},
                upsert=True,
            )
        except DuplicateKeyError:  # another holds it: the upsert met its document
            self._held_until = self._renew_at = 0.0
            return False
        self._held_until = now + self._seconds - self._margin
        self._renew_at = now + self._seconds / 3
        return True

    async def release(self) -> None:
        if self._held_until == 0.0:
            return
        self._held_until = self._renew_at = 0.0
        await self._collection.update_one(
            {"_id": self.name, "holder": self.holder}, {"$set": {"until": utcnow()}}
        )


async def create_outbox_indexes(collection: AsyncIOMotorCollection) -> None:
    await collection.create_index([("state", ASCENDING), ("sequence", ASCENDING)])


Publish = Callable[[OutboxRecord], Awaitable[None]]


class OutboxRelay:
    def __init__(
        self,
        collection: AsyncIOMotorCollection,
        publish: Publish,
        *,
        poll_seconds: float = 1.0,
        batch_size: int = 100,
        max_backoff_seconds: float = 10.0,
        lease: Lease | None = None,
    ) -> None:
        self._collection = collection
        self.lease = lease or Lease(collection.database[LEASES], RELAY_LEASE)
        self._publish = publish
        self._poll_seconds = poll_seconds
        self._batch_size = batch_size
        self._max_backoff = max_backoff_seconds
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        """Called after a commit that stored events, so they go out now, not at the next poll.

        Only the holder of the lease publishes: elsewhere this does nothing."""
        if self.lease.held:
            self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        """Finish the batch in flight, then stop (the lease is kept for a last flush: `release`)."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def release(self) -> None:
        """Give up the lease, so another replica's relay takes over at its next poll."""
        await self.lease.release()

    async def _run(self) -> None:
        backoff = 0.5
        while not self._stopping:
            try:
                sent = await self.relay_pending()
            except Exception as error:  # noqa: BLE001 - broker or database away: wait and retry
                log.warning("outbox relay could not publish, retrying in %.1fs: %r", backoff, error)
                await self._sleep(backoff)
                backoff = min(backoff * 2, self._max_backoff)
                continue
            backoff = 0.5
            if sent < self._batch_size:
                await self._sleep(self._poll_seconds)

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)
        self._wake.clear()

    async def relay_pending(self) -> int:
        """Publish one batch of pending records, oldest first; return how many went out.

        One after another, each confirmed before the next, so consumers see a
        producer's events in the order they were stored. A failure stops the
        batch; it is recorded and raised, and the caller backs off. A relay that
        does not hold the lease (or loses it mid-batch) publishes nothing more.
        """
        if not await self.lease.hold():
            return 0
        docs = (
            await self._collection.find({"state": PENDING})
            .sort("sequence", ASCENDING)
            .limit(self._batch_size)
            .to_list(None)
        )
        published = []
        try:
            for doc in docs:
                if not await self.lease.hold():
                    break
                try:
                    await self._publish(OutboxRecord.from_document(doc))
                except Exception as error:
                    await self._record_failure(doc, error)
                    raise
                published.append(doc["_id"])
        finally:
            if published:
                await self._collection.update_many(
                    {"_id": {"$in": published}},
                    {"$set": {"state": PUBLISHED, "published_at": utcnow()}, "$inc": {"attempts": 1}},
                )
        return len(published)

    async def _record_failure(self, doc: dict[str, Any], error: BaseException) -> None:
        refused = isinstance(error, DeliveryError)
        update: dict[str, Any] = {"$set": {"last_error": repr(error)[:500]}}
        if refused:
            update["$inc"] = {"attempts": 1}
            if doc["attempts"] + 1 >= MAX_REFUSALS:
                update["$set"]["state"] = FAILED
                log.error("broker refused event %s %d times; set aside", doc["_id"], MAX_REFUSALS)
        await self._collection.update_one({"_id": doc["_id"]}, update)
