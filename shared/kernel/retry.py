"""Trying an operation again while what it needs is briefly away: the one retry
policy of the project (exponential backoff from 0.2 s to 5 s, within a bound)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

log = logging.getLogger("kim.retry")

T = TypeVar("T")

FIRST_DELAY_SECONDS = 0.2
LONGEST_DELAY_SECONDS = 5.0


async def retry(
    operation: Callable[[], Awaitable[T]],
    *,
    what: str,
    patience: float,
    retry_on: tuple[type[BaseException], ...] = (Exception,),
    longest: float = LONGEST_DELAY_SECONDS,
) -> T:
    """Run `operation`; while it fails with one of `retry_on`, wait and run it
    again (waiting at most `longest` between tries), until `patience` seconds have
    passed (then its error is raised)."""
    deadline = time.monotonic() + patience
    delay = FIRST_DELAY_SECONDS
    while True:
        try:
            return await operation()
        except retry_on as error:
            if time.monotonic() + delay > deadline:
                raise
            log.warning("%s failed; trying again in %.1fs: %r", what, delay, error)
            await asyncio.sleep(delay)
            delay = min(delay * 2, longest)
