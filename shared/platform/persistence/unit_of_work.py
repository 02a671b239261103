"""The unit of work every service layer uses, independent of the database.

One unit of work is one atomic change: the aggregates it touched, the
integration events they caused, and, when it handles an event, the record that
the event was processed. `shared.platform.persistence.mongo.MongoUnitOfWork` is the real one; unit
tests use an in-memory fake with the same shape.
"""

from __future__ import annotations

import abc
import asyncio
import functools
import random
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, ParamSpec, Self, TypeVar
from uuid import UUID, uuid4

from shared.contracts import Envelope, EventClass, Payload
from shared.kernel.aggregate import Aggregate
from shared.kernel.errors import ConcurrentChange
from shared.platform.telemetry import current_traceparent


@dataclass(frozen=True)
class Cause:
    """Why a change happens: one correlation id per user action, passed along,
    and the event that caused it, if any; and the trace context it happens in
    (W3C `traceparent`), which the events it causes carry on."""

    correlation_id: str
    causation_id: UUID | None = None
    traceparent: str | None = field(default_factory=current_traceparent, compare=False)

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
    #: Where `apply_once` sends events to be applied together with others that
    #: arrive meanwhile; None applies each in a unit of work of its own.
    group: GroupCommit | None = None

    def __init__(self, *, producer: str, to_integration: ToIntegration, cause: Cause) -> None:
        self.producer = producer
        self.cause = cause
        self._to_integration = to_integration
        #: Integration events already collected, each under the cause of its own
        #: event, when one unit of work applies several events (a group commit).
        self.staged: list[Envelope[Any]] = []
        #: Event id -> the trace context of the cause it was collected under.
        self.traceparents: dict[UUID, str] = {}

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

    async def claim_all(self, events: Sequence[Envelope[Any]]) -> list[bool]:
        """Claim several events at once (see `claim`): for each, whether it is to be
        applied now; a second copy of one in `events` is not."""
        return [await self.claim(event) for event in events]

    async def prefetch(self, events: Sequence[Envelope[Any]]) -> None:
        """Read at once what the effects of `events`, applied together next, will
        ask for one by one (one round trip instead of one per event); nothing by
        default. Only reads: what it loads is what the effects would have read."""
        return None

    @abc.abstractmethod
    def seen(self) -> Iterable[Aggregate]:
        """Every aggregate loaded or added in this unit of work."""

    def also_store(self, event: Any) -> None:
        """Store with this change what a domain event leaves besides its integration
        event (judging: its audit records); nothing by default. Called once for
        each event, in the order its aggregate recorded them, when the events are
        collected, or just before the commit saves (see `store_alongside`), so it
        must not read the aggregates' versions."""
        return None

    def store_alongside(self) -> None:
        """Hand the events recorded so far to `also_store`, before a commit saves;
        the commit then collects them with `alongside=False`."""
        for aggregate in list(self.seen()):  # `also_store` may add aggregates
            for event in aggregate.events:
                self.also_store(event)

    def stage_events(self) -> None:
        """Collect the integration events recorded so far under the current cause."""
        self.staged.extend(self.collect_events())

    def events_to_store(self, *, alongside: bool = True) -> list[Envelope[Any]]:
        """What the commit stores in the outbox: the staged events, then the rest."""
        events = [*self.staged, *self.collect_events(alongside=alongside)]
        self.staged = []
        return events

    def collect_events(self, *, alongside: bool = True) -> list[Envelope[Any]]:
        """Turn the domain events the aggregates recorded into integration events
        (and, unless they were already, hand them to `also_store`)."""
        collected: list[Envelope[Any]] = []
        for aggregate in list(self.seen()):  # `also_store` may add aggregates
            while aggregate.events:
                event = aggregate.events.pop(0)
                if alongside:
                    self.also_store(event)
                mapped = self._to_integration(event)
                if mapped is None:
                    continue
                event_class, payload = mapped
                envelope = event_class.new(
                    payload,
                    producer=self.producer,
                    correlation_id=self.cause.correlation_id,
                    causation_id=self.cause.causation_id,
                )
                if self.cause.traceparent:
                    self.traceparents[envelope.event_id] = self.cause.traceparent
                collected.append(envelope)
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
Effect = Callable[[Any], Awaitable[None]]


async def apply_once(uow: U, event: Envelope[Any], effect: Callable[[U], Awaitable[None]]) -> bool:
    """Apply an event's effect and record the event as processed, in one unit of work.

    A redelivered event finds its record and changes nothing. Returns whether
    the effect was applied now. With a group commit, events that arrive together
    share one unit of work (one transaction), each still applied exactly once.
    """
    if uow.group is not None:
        return await uow.group.apply(uow, event, effect)
    return await _apply_alone(uow, event, effect)


@retry_on_conflict
async def _apply_alone(uow: UnitOfWork, event: Envelope[Any], effect: Effect) -> bool:
    async with uow:
        if not await uow.claim(event):
            return False
        await effect(uow)
        await uow.commit()
    return True


@dataclass
class _Waiting:
    uow: UnitOfWork
    event: Envelope[Any]
    effect: Effect
    applied: asyncio.Future[bool]


class GroupCommit:
    """Applies the events a consumer is handling at the same time in one unit of
    work: one transaction, one write of their processed records, one of their
    outbox records, instead of one of each per event.

    Each event's effect runs in arrival order and stages the events it causes
    under its own cause. Events that arrive while a group is being stored form
    the next group. If a group fails as a whole (one effect refuses, a
    redelivered copy raced in, the database is away), each of its events is
    applied again alone, so each handler gets its own outcome: applied,
    already applied, or the error to nack with.
    """

    def __init__(self, most: int = 50) -> None:
        self._most = most
        self._waiting: list[_Waiting] = []
        self._storing: asyncio.Task[None] | None = None

    async def apply(self, uow: UnitOfWork, event: Envelope[Any], effect: Effect) -> bool:
        waiting = _Waiting(uow, event, effect, asyncio.get_running_loop().create_future())
        self._waiting.append(waiting)
        if self._storing is None:
            self._storing = asyncio.create_task(self._store_groups(), name="group-commit")
        return await waiting.applied

    async def _store_groups(self) -> None:
        try:
            while self._waiting:
                group = [w for w in self._waiting[: self._most] if not w.applied.done()]
                del self._waiting[: self._most]
                if len(group) > 1:
                    try:
                        outcomes = await _apply_together(group)
                    except Exception:  # noqa: BLE001 - each event gets its own outcome, alone
                        pass
                    else:
                        for waiting, applied in zip(group, outcomes, strict=True):
                            _settle(waiting.applied, applied)
                        continue
                for waiting in group:
                    try:
                        applied = await _apply_alone(waiting.uow, waiting.event, waiting.effect)
                        _settle(waiting.applied, applied)
                    except Exception as error:  # noqa: BLE001 - the handler raises it and nacks
                        if not waiting.applied.done():
                            waiting.applied.set_exception(error)
        finally:
            self._storing = None


def _settle(future: asyncio.Future[bool], applied: bool) -> None:
    if not future.done():
        future.set_result(applied)


async def _apply_together(group: list[_Waiting]) -> list[bool]:
    uow = group[0].uow
    own_cause = uow.cause
    try:
        async with uow:
            fresh = await uow.claim_all([w.event for w in group])
            await uow.prefetch([w.event for w, new in zip(group, fresh, strict=True) if new])
            for waiting, new in zip(group, fresh, strict=True):
                if new:
                    uow.cause = waiting.uow.cause
                    await waiting.effect(uow)
                    uow.stage_events()
            uow.cause = own_cause
            await uow.commit()
        return fresh
    finally:
        uow.cause = own_cause
        uow.staged = []
