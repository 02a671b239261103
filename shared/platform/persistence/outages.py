"""Riding out a database that is briefly away or blocked: a restart, a failover,
or a transaction a crashed process left open, which holds its writes until the
server aborts it (after 60 s, MongoDB's transactionLifetimeLimitSeconds).

A consumer that failed for one of these reasons would otherwise nack, be
redelivered at once, fail again and use up the queue's delivery limit in
seconds, dead-lettering good messages. Instead it keeps the message and tries
again, with backoff, for a bounded time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from pymongo.errors import ConnectionFailure

from shared.kernel.errors import ConcurrentChange
from shared.kernel.retry import retry

T = TypeVar("T")

#: How long a message is held while MongoDB is unreachable before it is given back.
DATABASE_PATIENCE_SECONDS = 300.0


#: Failures that pass by themselves: the server is away, or a write is blocked.
PASSING = (ConnectionFailure, ConcurrentChange)

#: The longest wait between tries: a write blocked by a dead process's transaction
#: passes the moment the server aborts it (see devstack/mongodb.py), and a message
#: waiting longer than needed holds up the consumer's recovery.
LONGEST_WAIT_SECONDS = 1.0


async def patiently(
    operation: Callable[[], Awaitable[T]], *, what: str, patience: float = DATABASE_PATIENCE_SECONDS
) -> T:
    """Run `operation`; while the database is away or blocked, wait and run it again."""
    return await retry(
        operation, what=what, patience=patience, retry_on=PASSING, longest=LONGEST_WAIT_SECONDS
    )
