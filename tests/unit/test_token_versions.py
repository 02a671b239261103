"""Token versions outside the registry: a version read is used again for a
moment instead of being read on every request; one recorded here is used at once."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from shared import contracts as c
from shared.kernel.principal import Principal
from shared.platform.auth import SessionEnded
from shared.platform.revocation import TokenVersions


class Collection:
    """The two calls TokenVersions makes, in memory, counting the reads."""

    def __init__(self) -> None:
        self.docs: dict[Any, dict[str, Any]] = {}
        self.reads = 0

    async def find_one(self, query: dict[str, Any], projection: Any = None) -> dict[str, Any] | None:
        self.reads += 1
        return self.docs.get(query["_id"])

    async def update_one(self, query: dict[str, Any], update: dict[str, Any], upsert: bool = False) -> None:
        doc = self.docs.setdefault(query["_id"], {"_id": query["_id"]})
        for name, value in update["$max"].items():
            doc[name] = max(doc.get(name, value), value)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def account(account_id: Any, token_version: int) -> c.AccountDetails:
    return c.AccountDetails(
        account_id=account_id,
        email="staf@example.org",
        name="Staf",
        role="staff",
        disabled=False,
        token_version=token_version,
        revision=token_version,
    )


def caller(account_id: Any, token_version: int) -> Principal:
    return Principal(account_id=account_id, role="staff", token_version=token_version)


async def test_a_version_read_is_used_again_for_the_moment_given_then_read_again() -> None:
    collection, clock, who = Collection(), Clock(), uuid4()
    collection.docs[who] = {"_id": who, "token_version": 2}
    versions = TokenVersions(collection, remember_seconds=1.0, clock=clock)  # type: ignore[arg-type]
    assert [await versions.latest(who) for _ in range(5)] == [2] * 5
    assert collection.reads == 1
    clock.now += 1.5
    assert await versions.latest(who) == 2 and collection.reads == 2


async def test_a_version_recorded_here_is_used_at_once() -> None:
    collection, clock, who = Collection(), Clock(), uuid4()
    versions = TokenVersions(collection, remember_seconds=60.0, clock=clock)  # type: ignore[arg-type]
    await versions.check(caller(who, 0))  # remembered: version 0
    await versions.record(account(who, 1))  # signed out: the token of version 0 stops working
    with pytest.raises(SessionEnded):
        await versions.check(caller(who, 0))


async def test_without_memory_every_check_reads() -> None:
    collection, who = Collection(), uuid4()
    versions = TokenVersions(collection)  # type: ignore[arg-type]
    for _ in range(3):
        await versions.latest(who)
    assert collection.reads == 3
