"""Throttle counters in MongoDB, so every replica counts the same requests."""

from __future__ import annotations

from datetime import datetime

from motor.motor_asyncio import AsyncIOMotorCollection
from pymongo import ASCENDING, ReturnDocument

COLLECTION = "throttles"


class MongoCounters:
    def __init__(self, collection: AsyncIOMotorCollection) -> None:
        self._collection = collection

    async def hit(self, key: str, expires_at: datetime) -> int:
        doc = await self._collection.find_one_and_update(
            {"_id": key},
            {"$inc": {"count": 1}, "$setOnInsert": {"expires_at": expires_at}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        return int(doc["count"])


async def create_counter_index(collection: AsyncIOMotorCollection) -> None:
    await collection.create_index([("expires_at", ASCENDING)], expireAfterSeconds=0)
