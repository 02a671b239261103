"""Repeated failed logins are slowed down, per account and per client address.

After `allowed` failures in a row, a key is paused for `pause_seconds`; each
further failure doubles the pause (at most an hour). A success clears the
account's count. Kept in the registry process's memory, bounded in size: a
restart forgets the counts.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

MAX_PAUSE_SECONDS = 3600.0


@dataclass
class _Failures:
    count: int = 0
    paused_until: float = 0.0


class LoginThrottle:
    def __init__(self, *, allowed: int, pause_seconds: float, max_keys: int = 100_000) -> None:
        self.allowed = allowed
        self.pause_seconds = pause_seconds
        self.max_keys = max_keys
        self._failures: OrderedDict[str, _Failures] = OrderedDict()

    def wait_seconds(self, keys: list[str], now: float) -> float:
        """How long the first of `keys` still has to wait; 0 when none is paused."""
        waits = [f.paused_until - now for key in keys if (f := self._failures.get(key)) is not None]
        return max([0.0, *waits])

    def failed(self, keys: list[str], now: float) -> None:
        for key in keys:
            failures = self._failures.pop(key, None) or _Failures()
            failures.count += 1
            if failures.count >= self.allowed:
                doublings = failures.count - self.allowed
                pause = min(self.pause_seconds * 2 ** min(doublings, 20), MAX_PAUSE_SECONDS)
                failures.paused_until = now + pause
            self._failures[key] = failures
        while len(self._failures) > self.max_keys:
            self._failures.popitem(last=False)

    def succeeded(self, keys: list[str]) -> None:
        for key in keys:
            self._failures.pop(key, None)
