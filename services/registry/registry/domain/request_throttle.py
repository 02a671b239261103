"""Requests that send mail (registration, password reset) are limited per email
address and per client address: at most `allowed` in a sliding `window_seconds`.

`Throttle` is what the service layer needs; `RequestThrottle` keeps the counts in
the process's memory, bounded in size (for the unit tests and a single process);
the registry itself counts in MongoDB (`adapters/request_counts.py`), so every
replica refuses the same requests."""

from __future__ import annotations

from collections import OrderedDict, deque
from typing import Protocol


class Throttle(Protocol):
    allowed: int
    window_seconds: float

    async def wait_seconds(self, keys: list[str], now: float) -> float: ...

    async def take(self, keys: list[str], now: float) -> None: ...


class RequestThrottle:
    def __init__(self, *, allowed: int, window_seconds: float, max_keys: int = 100_000) -> None:
        self.allowed = allowed
        self.window_seconds = window_seconds
        self.max_keys = max_keys
        self._times: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._times.pop(key, None) or deque()
        while times and times[0] <= now - self.window_seconds:
            times.popleft()
        self._times[key] = times
        return times

    async def wait_seconds(self, keys: list[str], now: float) -> float:
        return self._wait_seconds(keys, now)

    def _wait_seconds(self, keys: list[str], now: float) -> float:
        """How long until every key may be counted again (0: now)."""
        recents = [self._recent(key, now) for key in keys]
        waits = [times[0] + self.window_seconds - now for times in recents if len(times) >= self.allowed]
        return max([0.0, *waits])

    async def take(self, keys: list[str], now: float) -> None:
        """Counts one request against every key."""
        for key in keys:
            self._recent(key, now).append(now)
        while len(self._times) > self.max_keys:
            self._times.popitem(last=False)
