"""Throttle counters in MongoDB, so every replica counts the same requests.

A counter of one client IP or one address block is one document that every code
request from there increments at once: on awards night, a mobile carrier's block
is thousands of residents. Two increments that meet are a write conflict (the
server refuses one): it is tried again here, not answered as a concurrent change."""

from __future__ import annotations

import asyncio
import random
from datetime import datetime

from motor.motor_asyncio import AsyncIOMotorCollection
from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError, PyMongoError

from shared.platform.persistence.mongo import is_concurrent_change

COLLECTION = "throttles"
#: Tries of one increment that keeps meeting others (a few milliseconds apart, growing).
ATTEMPTS = 8


class MongoCounters:
    def __init__(self, collection: AsyncIOMotorCollection) -> None:
        self._collection = collection

    async def hit(self, key: str, expires_at: datetime) -> int:
        """Count one hit; the count now. An increment, then a read by id: SecantusDB's
        `findAndModify` reads through the whole collection (17 a second at 5,000
        counters here, against 723 updates and 2,000 reads by id), and every code
        request hits its IP's and its block's counter. The read may include a hit
        that came meanwhile: at the limit, a request may be refused one hit early."""
        for attempt in range(ATTEMPTS):
            try:
                await self._collection.update_one(
                    {"_id": key},
                    {"$inc": {"count": 1}, "$setOnInsert": {"expires_at": expires_at}},
                    upsert=True,
                )
                doc = await self._collection.find_one({"_id": key}, {"count": 1})
                if doc is not None:
                    return int(doc["count"])
                # Expired and removed between the two (the TTL monitor): counted again.
            except PyMongoError as error:
                # A conflicting increment, or two first hits upserting one key at once.
                retry = isinstance(error, DuplicateKeyError) or is_concurrent_change(error)
                if not retry or attempt == ATTEMPTS - 1:
                    raise
                await asyncio.sleep(random.uniform(0, 0.002 * 2**attempt))
                continue
            if attempt == ATTEMPTS - 1:
                raise RuntimeError(f"the throttle counter {key} was never returned")
        raise AssertionError("unreachable")


async def create_counter_index(collection: AsyncIOMotorCollection) -> None:
    await collection.create_index([("expires_at", ASCENDING)], expireAfterSeconds=0)
