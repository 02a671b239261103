"""The unit of work every service layer uses, independent of the database.

One unit of work is one atomic change: the aggregates it touched, the
integration events they caused, and, when it handles an event, the record that
the event was processed. `shared.mongo.MongoUnitOfWork` is the real one; unit
tests use an in-memory fake with the same shape.
"""

from __future__ import annotations

import abc
import asyncio
import functools
import random
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, ParamSpec, Self, TypeVar
from uuid import UUID, uuid4

from .contracts import Envelope, EventClass, Payload
from .domain import Aggregate
from .errors import ConcurrentChange


@dataclass(frozen=True)
class Cause:
    """Why a change happens: one correlation id per user action, passed along,
    and the event that caused it, if any."""

    correlation_id: str
    causation_id: UUID | None = None

    @classmethod
    def new(cls, correlation_id: str | None = None) -> Cause:
        return cls(correlation_id or uuid4().hex)

    @classmethod
    def of(cls, event: Envelope[Any]) -> Cause:
        return cls(event.correlation_id, event.event_id)


#: Maps a service's domain event to the integration event that crosses the bus,
#: or None when it stays inside the service.
ToIntegration = Callable[[Any], tuple[EventClass, Payload] | None]


class UnitOfWork(abc.ABC):
    def __init__(self, *, producer: str, to_integration: ToIntegration, cause: Cause) -> None:
        self.producer = producer
        self.cause = cause
        self._to_integration = to_integration

    @abc.abstractmethod
    async def __aenter__(self) -> Self: ...

    @abc.abstractmethod
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    @abc.abstractmethod
    async def commit(self) -> None: ...

    @abc.abstractmethod
    async def flush(self) -> None:
        """Make this unit's changes visible to its own queries, before commit."""

    @abc.abstractmethod
    async def claim(self, event: Envelope[Any]) -> bool:
        """Record, with the effect to come, that `event` is applied; False when it
        already was (a redelivery), in which case nothing else may be done."""

    @abc.abstractmethod
    def seen(self) -> Iterable[Aggregate]:
        """Every aggregate loaded or added in this unit of work."""

    def collect_events(self) -> list[Envelope[Any]]:
        """Turn the domain events the aggregates recorded into integration events."""
        collected: list[Envelope[Any]] = []
        for aggregate in self.seen():
            while aggregate.events:
                mapped = self._to_integration(aggregate.events.pop(0))
                if mapped is None:
                    continue
                event_class, payload = mapped
                collected.append(
                    event_class.new(
                        payload,
                        producer=self.producer,
                        correlation_id=self.cause.correlation_id,
                        causation_id=self.cause.causation_id,
                    )
                )
        return collected


P = ParamSpec("P")
R = TypeVar("R")

CONFLICT_ATTEMPTS = 6


def retry_on_conflict(handler: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """Run a service-layer handler again when its transaction met a concurrent change.

    The handler opens its unit of work itself, so every attempt reads fresh state.
    """

    @functools.wraps(handler)
    async def attempt(*args: P.args, **kwargs: P.kwargs) -> R:
        for number in range(CONFLICT_ATTEMPTS):
            try:
                return await handler(*args, **kwargs)
            except ConcurrentChange:
                if number == CONFLICT_ATTEMPTS - 1:
                    raise
                await asyncio.sleep(random.uniform(0, 0.005 * 2**number))
        raise AssertionError("unreachable")

    return attempt


U = TypeVar("U", bound=UnitOfWork)


@retry_on_conflict
async def apply_once(uow: U, event: Envelope[Any], effect: Callable[[U], Awaitable[None]]) -> bool:
    """Apply an event's effect and record the event as processed, in one unit of work.

    A redelivered event finds its record and changes nothing. Returns whether
    the effect was applied now.
    """
    async with uow:
        if not await uow.claim(event):
            return False
        await effect(uow)
        await uow.commit()
    return True
