"""Failed logins counted in MongoDB (`login_failures`), so every registry replica
throttles the same (account, client) pairs (see `domain/login_throttle.py`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from motor.motor_asyncio import AsyncIOMotorCollection
from pymongo import ReturnDocument

from ..domain.login_throttle import FORGET_AFTER

LOGIN_FAILURES = "login_failures"


class MongoFailedLogins:
    def __init__(self, collection: AsyncIOMotorCollection) -> None:
        self.collection = collection

    async def add(self, key: str, now: datetime) -> int:
        await self.collection.delete_one({"_id": key, "last": {"$lt": now - FORGET_AFTER}})
        found: dict[str, Any] = await self.collection.find_one_and_update(
            {"_id": key},
            {"$inc": {"count": 1}, "$set": {"last": now}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        return int(found["count"])

    async def pause(self, key: str, until: datetime) -> None:
        await self.collection.update_one({"_id": key}, {"$max": {"paused_until": until}})

    async def paused_until(self, keys: list[str]) -> list[datetime]:
        cursor = self.collection.find({"_id": {"$in": keys}, "paused_until": {"$ne": None}})
        return [doc["paused_until"] async for doc in cursor]

    async def clear(self, key: str) -> None:
        await self.collection.delete_one({"_id": key})
