"""Requests that send mail, counted in MongoDB (`mail_requests`), so every registry
replica applies the same allowance per email and per client address (see
`domain/request_throttle.py`). One document per counted request and key; those
older than the window are removed as new ones are counted."""

from __future__ import annotations

from motor.motor_asyncio import AsyncIOMotorCollection
from pymongo import ASCENDING, DESCENDING

MAIL_REQUESTS = "mail_requests"


class MongoRequestThrottle:
    def __init__(self, collection: AsyncIOMotorCollection, *, allowed: int, window_seconds: float) -> None:
        self.collection = collection
        self.allowed = allowed
        self.window_seconds = window_seconds
        self._indexed = False

    async def _index(self) -> None:
        if not self._indexed:
            await self.collection.create_index([("key", ASCENDING), ("at", ASCENDING)])
            self._indexed = True

    async def wait_seconds(self, keys: list[str], now: float) -> float:
        """How long until every key may be counted again (0: now)."""
        await self._index()
        waits = [0.0]
        for key in keys:
            recent = (
                await self.collection.find({"key": key, "at": {"$gt": now - self.window_seconds}}, {"at": 1})
                .sort("at", DESCENDING)
                .limit(self.allowed)
                .to_list(None)
            )
            if len(recent) >= self.allowed:
                waits.append(recent[-1]["at"] + self.window_seconds - now)
        return max(waits)

    async def take(self, keys: list[str], now: float) -> None:
        await self._index()
        await self.collection.insert_many([{"key": key, "at": now} for key in keys])
        await self.collection.delete_many({"key": {"$in": keys}, "at": {"$lte": now - self.window_seconds}})
