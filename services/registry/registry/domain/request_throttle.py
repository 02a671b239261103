"""Requests that send mail (registration, password reset) are limited per email
address and per client address: at most `allowed` in a sliding `window_seconds`.
Kept in the process's memory, bounded in size (like the login throttle)."""

from __future__ import annotations

from collections import OrderedDict, deque


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

    def wait_seconds(self, keys: list[str], now: float) -> float:
        """How long until every key may be counted again (0: now)."""
        recents = [self._recent(key, now) for key in keys]
        waits = [times[0] + self.window_seconds - now for times in recents if len(times) >= self.allowed]
        return max([0.0, *waits])

    def take(self, keys: list[str], now: float) -> float:
        """Counts one request against every key, unless one of them is spent: then
        nothing is counted and the answer is how long to wait (0 when allowed)."""
        wait = self.wait_seconds(keys, now)
        if wait > 0:
            return wait
        for key in keys:
            self._times[key].append(now)
        while len(self._times) > self.max_keys:
            self._times.popitem(last=False)
        return 0.0
