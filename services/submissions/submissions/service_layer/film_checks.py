"""The background film check: looks each stored entry's film up on its host.

A pass claims the due lookups (a lease: if the process dies mid-check, they
fall due again when it ends), asks the host outside any transaction, then
records each outcome in a unit of work of its own: on the entry (`film_check`,
its duration when the host tells it) with `entry.film_checked`, or, for a
failure worth trying again (a timeout, a 5xx), a later attempt with backoff, up
to a bound, after which the entry is marked for staff review as unreachable.
A result for a link the KIM has since changed is dropped: the new link has its
own lookup.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Protocol
from uuid import UUID

from shared.kernel.clock import Clock
from shared.platform.persistence.unit_of_work import Cause, retry_on_conflict
from shared.service import Periodic

from ..domain.film import FilmCheck, FilmFacts, FilmLookup, RetryPolicy
from .unit_of_work import SubmissionsUnitOfWork

log = logging.getLogger("kim.submissions.film_checks")

UnitOfWorkFor = Callable[[Cause], SubmissionsUnitOfWork]


class VideoHosts(Protocol):
    async def look_up(self, video_url: str) -> FilmFacts:
        """What the film's host says of the link: never raises for the host's own
        failures (they are `FilmFacts.problem`, `transient` when worth retrying)."""


@retry_on_conflict
async def claim_due(
    uow: SubmissionsUnitOfWork, clock: Clock, lease: timedelta, limit: int
) -> list[FilmLookup]:
    async with uow:
        now = clock()
        claimed = await uow.film_lookups.due(now, limit)
        for lookup in claimed:
            lookup.claim(now, lease)
        await uow.commit()
    return claimed


@retry_on_conflict
async def record_outcome(
    uow: SubmissionsUnitOfWork,
    clock: Clock,
    entry_id: UUID,
    video_url: str,
    facts: FilmFacts,
    policy: RetryPolicy,
) -> None:
    async with uow:
        now = clock()
        lookup = await uow.film_lookups.get(entry_id)
        if lookup is None or lookup.status != "pending" or lookup.video_url != video_url:
            return  # the link changed meanwhile: its own lookup checks it
        if facts.transient and not lookup.failed(now, facts.detail or str(facts.problem), policy):
            await uow.commit()
            return
        lookup.done()
        entry = await uow.entries.get(entry_id)
        if entry is not None and entry.status == "submitted":
            edition = await uow.editions.require(entry.edition_id)
            check = FilmCheck.of(
                facts, video_url=video_url, max_seconds=edition.rules.max_video_seconds, now=now
            )
            kim = await uow.kims.get(entry.kim_id)
            entry.record_film_check(check, kim_email=kim.email if kim else None)
        await uow.commit()


class FilmChecker:
    """Checks what is due every `poll_seconds`, and at once when woken. One pass
    at a time in this process; passes in other processes are kept apart by the claims."""

    def __init__(
        self,
        *,
        uow_for: UnitOfWorkFor,
        hosts: VideoHosts,
        policy: RetryPolicy,
        clock: Clock,
        lease: timedelta,
        poll_seconds: float,
        batch_size: int = 10,
    ) -> None:
        self._uow_for = uow_for
        self._hosts = hosts
        self._policy = policy
        self._clock = clock
        self._lease = lease
        self._batch_size = batch_size
        self._periodic = Periodic("film-checker", self.check_due, poll_seconds)

    def start(self) -> None:
        self._periodic.start()

    async def stop(self) -> None:
        await self._periodic.stop()

    def wake(self) -> None:
        self._periodic.wake()

    async def check_due(self) -> int:
        """Check every lookup due now; returns how many were attempted."""
        attempted = 0
        while True:
            claimed = await claim_due(self._uow_for(Cause.new()), self._clock, self._lease, self._batch_size)
            found = await asyncio.gather(*(self._look_up(lookup) for lookup in claimed))
            for lookup, facts in zip(claimed, found, strict=True):
                await record_outcome(
                    self._uow_for(Cause.new(lookup.correlation_id or None)),
                    self._clock,
                    lookup.entry_id,
                    lookup.video_url,
                    facts,
                    self._policy,
                )
            attempted += len(claimed)
            if len(claimed) < self._batch_size:
                return attempted

    async def _look_up(self, lookup: FilmLookup) -> FilmFacts:
        try:
            facts = await self._hosts.look_up(lookup.video_url)
        except Exception as error:  # noqa: BLE001 - an adapter's bug is tried again, then reviewed
            facts = FilmFacts(
                problem="unreachable", transient=True, detail=f"{type(error).__name__}: {error}"
            )
        if facts.problem:
            log.warning(
                "film of entry %s (attempt %d): %s %s",
                lookup.entry_id,
                lookup.attempts + 1,
                facts.problem,
                facts.detail,
            )
        return facts
