"""Riding out a database that is briefly away: a restart, a failover.

A consumer that failed because MongoDB was unreachable would otherwise nack,
be redelivered at once, fail again and use up the queue's delivery limit in
seconds, dead-lettering good messages. Instead it keeps the message and tries
again, with backoff, for a bounded time.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from pymongo.errors import ConnectionFailure

log = logging.getLogger("kim.outages")

T = TypeVar("T")

#: How long a message is held while MongoDB is unreachable before it is given back.
DATABASE_PATIENCE_SECONDS = 300.0


def database_unreachable(error: BaseException) -> bool:
    return isinstance(error, ConnectionFailure)


async def patiently(
    operation: Callable[[], Awaitable[T]], *, what: str, patience: float = DATABASE_PATIENCE_SECONDS
) -> T:
    """Run `operation`; while the database is unreachable, wait and run it again."""
    deadline = time.monotonic() + patience
    delay = 0.2
    while True:
        try:
            return await operation()
        except ConnectionFailure as error:
            if time.monotonic() + delay > deadline:
                raise
            log.warning("database unreachable while %s; trying again in %.1fs: %s", what, delay, error)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)
