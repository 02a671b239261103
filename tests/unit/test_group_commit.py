"""Events applied together in one unit of work: each exactly once, each under
its own cause, and each with its own outcome when the group fails."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from shared import contracts as c
from shared.contracts import Envelope
from shared.platform.persistence.unit_of_work import Cause, GroupCommit, apply_once

from .fakes import FakeUnitOfWork
from .notifications.samples import kim


class Ledger:
    """What the units of work of one consumer share: its database, in memory."""

    def __init__(self) -> None:
        self.processed: set[UUID] = set()
        self.applied: list[tuple[str, str]] = []
        self.commits = 0
        #: What each group read ahead for its effects.
        self.prefetched: list[list[str]] = []


class SharedUnitOfWork(FakeUnitOfWork):
    def __init__(self, ledger: Ledger, cause: Cause, group: GroupCommit) -> None:
        super().__init__(lambda event: None)
        self.ledger, self.cause, self.group = ledger, cause, group
        self._effects: list[tuple[str, str]] = []
        self._claimed: set[UUID] = set()

    async def __aenter__(self) -> SharedUnitOfWork:
        self._effects, self._claimed = [], set()
        return self

    async def prefetch(self, events: Sequence[Envelope[Any]]) -> None:
        self.ledger.prefetched.append([e.data.name for e in events])

    async def claim(self, event: Envelope[Any]) -> bool:
        # Like the inbox record: kept only if the unit of work commits.
        if event.event_id in self.ledger.processed | self._claimed:
            return False
        self._claimed.add(event.event_id)
        return True

    def note(self, what: str) -> None:
        self._effects.append((what, self.cause.correlation_id))

    async def commit(self) -> None:
        self.ledger.processed |= self._claimed
        self.ledger.applied.extend(self._effects)
        self.ledger.commits += 1


def event(number: int) -> Envelope[Any]:
    profile = kim(verified=True).model_copy(update={"name": f"KIM {number}"})
    return c.KimVerified.new(profile, producer="registry", correlation_id=f"action-{number}")


async def handle(ledger: Ledger, group: GroupCommit, message: Envelope[Any], fail: bool = False) -> bool:
    async def effect(uow: SharedUnitOfWork) -> None:
        if fail:
            raise LookupError("not known yet")
        uow.note(message.data.name)

    return await apply_once(SharedUnitOfWork(ledger, Cause.of(message), group), message, effect)


async def test_events_handled_at_once_are_applied_in_one_unit_of_work_each_under_its_own_cause() -> None:
    ledger, group = Ledger(), GroupCommit()
    events = [event(n) for n in range(3)]
    assert await asyncio.gather(*(handle(ledger, group, e) for e in events)) == [True, True, True]
    assert ledger.commits == 1
    assert ledger.applied == [(f"KIM {n}", f"action-{n}") for n in range(3)]


async def test_a_copy_in_the_same_group_or_a_later_one_changes_nothing() -> None:
    ledger, group = Ledger(), GroupCommit()
    first, second = event(1), event(2)
    outcomes = await asyncio.gather(handle(ledger, group, first), handle(ledger, group, first))
    assert outcomes == [True, False]
    assert await asyncio.gather(handle(ledger, group, first), handle(ledger, group, second)) == [False, True]
    assert ledger.applied == [("KIM 1", "action-1"), ("KIM 2", "action-2")]


async def test_when_one_effect_fails_the_others_are_applied_alone_and_it_alone_raises() -> None:
    ledger, group = Ledger(), GroupCommit()
    good, bad, later = event(1), event(2), event(3)
    outcomes = await asyncio.gather(
        handle(ledger, group, good),
        handle(ledger, group, bad, fail=True),
        handle(ledger, group, later),
        return_exceptions=True,
    )
    assert outcomes[0] is True and outcomes[2] is True
    assert isinstance(outcomes[1], LookupError)
    assert ledger.applied == [("KIM 1", "action-1"), ("KIM 3", "action-3")]
    assert bad.event_id not in ledger.processed


async def test_a_group_reads_ahead_once_for_the_events_it_applies_and_not_for_copies() -> None:
    ledger, group = Ledger(), GroupCommit()
    first, second = event(1), event(2)
    await asyncio.gather(
        handle(ledger, group, first), handle(ledger, group, first), handle(ledger, group, second)
    )
    assert ledger.prefetched == [["KIM 1", "KIM 2"]]
    assert ledger.applied == [("KIM 1", "action-1"), ("KIM 2", "action-2")]
