"""A token bucket: at most `rate` sends a second on average, `burst` at once.

The WhatsApp Cloud API lets each sending number send 80 messages a second by
default and answers error 130429 past that; the sender keeps one bucket per
sending number and waits for a token before each send.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

#: Below this a missing fraction of a token is rounding, not a wait.
EPSILON = 1e-9


class TokenBucket:
    def __init__(
        self,
        rate: float,
        burst: float | None = None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = burst if burst is not None else max(1.0, rate)
        self._tokens = self.burst
        self._monotonic = monotonic
        self._sleep = sleep
        self._updated = monotonic()
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = self._monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
        self._updated = now

    def try_take(self) -> bool:
        """Take a token if there is one now."""
        self._refill()
        if self._tokens >= 1 - EPSILON:  # refilling in floats may leave 0.999...
            self._tokens = max(0.0, self._tokens - 1)
            return True
        return False

    async def take(self) -> None:
        """Wait until a token is free, then take it. Waiters are served in turn."""
        async with self._lock:
            while not self.try_take():
                await self._sleep(max((1 - self._tokens) / self.rate, EPSILON))


class RateLimits:
    """One bucket per sending number, made when first needed."""

    def __init__(self, rate: float, burst: float | None = None) -> None:
        self._rate = rate
        self._burst = burst
        self._buckets: dict[str, TokenBucket] = {}

    def for_sender(self, sender_id: str) -> TokenBucket:
        if sender_id not in self._buckets:
            self._buckets[sender_id] = TokenBucket(self._rate, self._burst)
        return self._buckets[sender_id]
