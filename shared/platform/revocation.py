"""Tokens that stop working before they expire: every service refuses a token whose
version (`ver`) is older than the latest version it knows for the account.

The registry bumps an account's `token_version` when what was issued to it must
stop working (disabled, signed out, password changed) and publishes it in
`account.opened` / `account.changed`. The registry reads the version from its own
`accounts` collection; every other service keeps the versions it learns from those
events, through a queue of its own (`<service>.accounts`, see `topology`), in a
small collection, `token_versions` ({_id: account id, token_version, revision}).
An account a service has not heard of yet has version 0: every token passes until
its first change arrives.
"""

# No `from __future__ import annotations` in this module: faststream reads the
# consumer's type hints at run time to parse each message into its contract.

import time
from collections.abc import Callable
from typing import Any
from uuid import UUID

from faststream.rabbit import RabbitRouter
from motor.motor_asyncio import AsyncIOMotorCollection

from shared import contracts as c
from shared.kernel.principal import Principal
from shared.platform.auth import SessionEnded
from shared.platform.caching import Recent
from shared.platform.messaging.consuming import handler, ignore_the_rest, subscribe
from shared.platform.messaging.topology import ConsumerQueue

#: Where a service other than the registry keeps the versions it learnt.
TOKEN_VERSIONS = "token_versions"


class TokenVersions:
    """The latest token version of each account, as stored in `collection` (documents
    keyed by account id with a `token_version` field: the registry's `accounts`, or the
    `token_versions` a consumer fills)."""

    #: Accounts remembered at most (a bound on memory, not a cache policy).
    MOST_REMEMBERED = 10_000

    def __init__(
        self,
        collection: AsyncIOMotorCollection,
        *,
        remember_seconds: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`remember_seconds`: how long a version read is used again without asking
        the database (0: every check reads). Only where versions arrive by event
        anyway (every service but the registry), so a change reaches the checks
        at most that much later than it reaches the collection; one this process
        records itself is used at once."""
        self.collection = collection
        self._remembered: Recent[UUID, int] = Recent(remember_seconds, most=self.MOST_REMEMBERED, clock=clock)

    async def latest(self, account_id: UUID) -> int:
        async def read() -> int:
            found: dict[str, Any] | None = await self.collection.find_one(
                {"_id": account_id}, {"token_version": 1}
            )
            version = (found or {}).get("token_version", 0)
            return version if isinstance(version, int) else 0

        return await self._remembered.get(account_id, read)

    async def check(self, principal: Principal) -> None:
        """`SessionEnded` when the caller's token is older than the account's latest version."""
        if principal.account_id is None:
            return
        if await self.latest(principal.account_id) > principal.token_version:
            raise SessionEnded()

    async def record(self, account: c.AccountDetails) -> None:
        """Keep the highest version and revision heard of: order and duplicates do not matter."""
        await self.collection.update_one(
            {"_id": account.account_id},
            {"$max": {"token_version": account.token_version, "revision": account.revision}},
            upsert=True,
        )
        self._remembered.forget(account.account_id)


def token_version_consumer(queue: ConsumerQueue, versions: TokenVersions) -> RabbitRouter:
    """Reads `account.opened` and `account.changed` from the service's own accounts queue
    into `versions`."""
    router = RabbitRouter()
    subscriber = subscribe(router, queue)

    @handler(subscriber)
    async def on_account_opened(event: c.AccountOpened) -> None:
        await versions.record(event.data)

    @handler(subscriber)
    async def on_account_changed(event: c.AccountChanged) -> None:
        await versions.record(event.data)

    ignore_the_rest(subscriber)
    return router
