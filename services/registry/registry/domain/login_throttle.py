"""Repeated failed logins are slowed down per (account, client) pair, never for everyone.

Failures count per pair of the email tried and the client's address: after
`allowed` failures in a row the pair waits `pause_seconds`, doubling with each
further failure (at most an hour). A wrong-password storm from one client so
pauses that client for that account only: the owner still logs in from anywhere
else. A client that fails across many accounts (password spraying) is paused on
its own after `CLIENT_ALLOWANCE_FACTOR` times the allowance, which again stops only
that client. A success clears the pair. Counts idle for a day are forgotten.

Where the counts live is the `FailedLogins` store's business: the registry keeps
them in MongoDB (`adapters/login_failures.py`), shared by every replica.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

MAX_PAUSE_SECONDS = 3600.0
#: A client's failures over every account may run this many times the pair's allowance.
CLIENT_ALLOWANCE_FACTOR = 10
#: Failures idle this long are forgotten: the next one counts from one.
FORGET_AFTER = timedelta(days=1)


class FailedLogins(Protocol):
    """Where failures are counted."""

    async def add(self, key: str, now: datetime) -> int:
        """Count one more failure of `key` (from one after `FORGET_AFTER` idle); the new count."""
        ...

    async def pause(self, key: str, until: datetime) -> None: ...

    async def paused_until(self, keys: list[str]) -> list[datetime]: ...

    async def clear(self, key: str) -> None: ...


def pair_key(email: str, client: str) -> str:
    """The (account, client) pair, hashed: the store holds no email address."""
    digest = hashlib.sha256(f"{email.strip().lower()}\n{client}".encode()).hexdigest()
    return f"pair:{digest}"


def client_key(client: str) -> str:
    return f"client:{client}"


@dataclass
class LoginThrottle:
    allowed: int
    pause_seconds: float
    failures: FailedLogins = field(default_factory=lambda: InMemoryFailedLogins())

    def pause_after(self, count: int, allowed: int) -> float:
        """The wait after `count` failures in a row where `allowed` pass freely."""
        if count < allowed:
            return 0.0
        return min(self.pause_seconds * 2 ** min(count - allowed, 20), MAX_PAUSE_SECONDS)

    def _allowances(self, email: str, client: str) -> dict[str, int]:
        return {
            pair_key(email, client): self.allowed,
            client_key(client): self.allowed * CLIENT_ALLOWANCE_FACTOR,
        }

    async def wait_seconds(self, email: str, client: str, now: datetime) -> float:
        """How long this pair (or this client) still has to wait; 0 when it may try."""
        until = await self.failures.paused_until(list(self._allowances(email, client)))
        return max([0.0, *((moment - now).total_seconds() for moment in until)])

    async def failed(self, email: str, client: str, now: datetime) -> None:
        for key, allowed in self._allowances(email, client).items():
            pause = self.pause_after(await self.failures.add(key, now), allowed)
            if pause > 0:
                await self.failures.pause(key, now + timedelta(seconds=pause))

    async def succeeded(self, email: str, client: str) -> None:
        await self.failures.clear(pair_key(email, client))


@dataclass
class _Count:
    count: int
    last: datetime
    paused_until: datetime | None = None


class InMemoryFailedLogins:
    """Counts in this process, bounded in size (the oldest are forgotten): for tests and
    a single process."""

    def __init__(self, max_keys: int = 100_000) -> None:
        self.max_keys = max_keys
        self._counts: OrderedDict[str, _Count] = OrderedDict()

    async def add(self, key: str, now: datetime) -> int:
        known = self._counts.pop(key, None)
        if known is None or now - known.last > FORGET_AFTER:
            known = _Count(0, now)
        known.count += 1
        known.last = now
        self._counts[key] = known
        while len(self._counts) > self.max_keys:
            self._counts.popitem(last=False)
        return known.count

    async def pause(self, key: str, until: datetime) -> None:
        if key in self._counts:
            self._counts[key].paused_until = until

    async def paused_until(self, keys: list[str]) -> list[datetime]:
        return [c.paused_until for key in keys if (c := self._counts.get(key)) and c.paused_until]

    async def clear(self, key: str) -> None:
        self._counts.pop(key, None)
