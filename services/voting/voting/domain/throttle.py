"""Limits on code requests: per address, per client IP, per address block.

Counted in fixed windows (`window_seconds` long) in a store every replica
shares; a request over any limit is refused with how long to wait."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from .errors import TooManyCodeRequests

Scope = Literal["address", "ip", "block"]

SCOPE_NAMES: dict[Scope, tuple[str, str]] = {
    "address": ("nomor atau alamat", "number or address"),
    "ip": ("alamat IP", "IP address"),
    "block": ("jaringan", "network"),
}


class Counters(Protocol):
    async def hit(self, key: str, expires_at: datetime) -> int:
        """Count one more under `key` (kept until `expires_at`); the count now."""
        ...


@dataclass(frozen=True)
class Limit:
    scope: Scope
    most: int


@dataclass(frozen=True)
class Throttle:
    limits: tuple[Limit, ...]
    window_seconds: int

    def window(self, now: datetime) -> tuple[int, int]:
        """The current window's number and the seconds until it ends."""
        seconds = int(now.timestamp())
        number = seconds // self.window_seconds
        return number, (number + 1) * self.window_seconds - seconds

    async def check(self, counters: Counters, keys: dict[Scope, str], now: datetime) -> None:
        number, retry_after = self.window(now)
        expires_at = datetime.fromtimestamp((number + 2) * self.window_seconds, tz=now.tzinfo)
        # Every request counts in every scope, refused or not: a script that keeps
        # trying from one network uses up that network's allowance too.
        counts = [
            (limit, await counters.hit(f"{limit.scope}:{keys[limit.scope]}:{number}", expires_at))
            for limit in self.limits
        ]
        for limit, count in counts:
            if count > limit.most:
                scope_id, scope_en = SCOPE_NAMES[limit.scope]
                raise TooManyCodeRequests(
                    retry_after_seconds=retry_after, scope_id=scope_id, scope_en=scope_en
                )
