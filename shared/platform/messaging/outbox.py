"""The transactional outbox and its relay.

A state change and the events it causes are written in one MongoDB
transaction (see `shared.platform.persistence.mongo.UnitOfWork`); the relay is the only thing that
publishes. It sends pending records with broker confirms, marks them published,
and keeps retrying with backoff while the broker is away. Published records
stay: they are the producer's event log, for replay.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from aio_pika.exceptions import DeliveryError
from bson import ObjectId
from motor.motor_asyncio import AsyncIOMotorCollection
from pymongo import ASCENDING

from shared.contracts import Envelope
from shared.kernel.clock import utcnow

log = logging.getLogger("kim.outbox")

OUTBOX = "outbox"
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

    `sequence` orders records as they were made, also within one transaction
    (where they share a millisecond): an ObjectId's counter grows in a process.
    """
    return {
        "_id": event.event_id,
        "sequence": ObjectId(),
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
    ) -> None:
        self._collection = collection
        self._publish = publish
        self._poll_seconds = poll_seconds
        self._batch_size = batch_size
        self._max_backoff = max_backoff_seconds
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        """Called after a commit that stored events, so they go out now, not at the next poll."""
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        """Finish the batch in flight, then stop."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

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
        batch; it is recorded and raised, and the caller backs off.
        """
        docs = (
            await self._collection.find({"state": PENDING})
            .sort("sequence", ASCENDING)
            .limit(self._batch_size)
            .to_list(None)
        )
        published = []
        try:
            for doc in docs:
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
