"""Riding out a database that is briefly away or blocked: a restart, a failover,
or a transaction a crashed process left open, which holds its writes until the
server aborts it (after 60 s, MongoDB's transactionLifetimeLimitSeconds).

A consumer that failed for one of these reasons would otherwise nack, be
redelivered at once, fail again and use up the queue's delivery limit in
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

from .errors import ConcurrentChange

log = logging.getLogger("kim.outages")

T = TypeVar("T")

#: How long a message is held while MongoDB is unreachable before it is given back.
DATABASE_PATIENCE_SECONDS = 300.0


#: Failures that pass by themselves: the server is away, or a write is blocked.
PASSING = (ConnectionFailure, ConcurrentChange)


async def patiently(
    operation: Callable[[], Awaitable[T]], *, what: str, patience: float = DATABASE_PATIENCE_SECONDS
) -> T:
    """Run `operation`; while the database is away or blocked, wait and run it again."""
    deadline = time.monotonic() + patience
    delay = 0.2
    while True:
        try:
            return await operation()
        except PASSING as error:
            if time.monotonic() + delay > deadline:
                raise
            log.warning("database away or blocked while %s; trying again in %.1fs: %r", what, delay, error)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)
