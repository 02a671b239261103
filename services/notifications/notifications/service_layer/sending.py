"""Sending email and webhook deliveries.

A pass claims the due deliveries (a lease: if the process dies mid-send, they
fall due again when it ends), sends them outside any transaction, then records
each outcome in a unit of work of its own, which carries the source event's
correlation id on to notification.delivered / notification.failed.

Delivery is at least once: a send that succeeds but is not recorded (crash,
database away) is sent again after the lease. Receivers deduplicate on the
delivery id (the webhook's X-KIM-Delivery, the email's Message-ID).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol
from uuid import UUID

from shared.kernel.clock import Clock
from shared.platform.persistence.unit_of_work import Cause, retry_on_conflict
from shared.service import Periodic

from ..domain.delivery import Delivery, RetryPolicy
from ..domain.recipient import Channel, Recipient
from .unit_of_work import NotificationsUnitOfWork

log = logging.getLogger("kim.notifications.sending")

UnitOfWorkFor = Callable[[Cause], NotificationsUnitOfWork]


class Undeliverable(Exception):
    """Raised by a transport when trying again cannot help (e.g. a webhook whose
    host is not allowed): the delivery fails at once, with this as its error."""


class Transport(Protocol):
    async def send(self, delivery: Delivery, recipient: Recipient | None) -> None:
        """Hand the delivery to its channel; raise when the channel did not take it
        (`Undeliverable` when it never will). `recipient` is None for a delivery
        to an addressee (see `Delivery.address`)."""


@dataclass(frozen=True)
class Failure:
    """What went wrong with one attempt, for the delivery log."""

    error: str
    permanent: bool = False


@retry_on_conflict
async def claim_due(
    uow: NotificationsUnitOfWork, clock: Clock, lease: timedelta, limit: int
) -> list[tuple[Delivery, Recipient | None]]:
    async with uow:
        now = clock()
        claimed = []
        for delivery in await uow.deliveries.due(now, limit):
            delivery.claim(now, lease)
            claimed.append((delivery, await uow.recipients.get(delivery.recipient_id)))
        await uow.commit()
    return claimed


@retry_on_conflict
async def record_outcome(
    uow: NotificationsUnitOfWork,
    clock: Clock,
    delivery_id: UUID,
    failure: Failure | None,
    policy: RetryPolicy,
) -> None:
    async with uow:
        delivery = await uow.deliveries.get(delivery_id)
        assert delivery is not None, "deliveries are never deleted"
        if failure is None:
            delivery.succeeded(clock())
        else:
            delivery.attempt_failed(clock(), failure.error, policy, permanent=failure.permanent)
        await uow.commit()


class DeliverySender:
    """Sends what is due every `poll_seconds`, and at once when woken after new
    deliveries were stored. One pass at a time in this process; passes in other
    processes are kept apart by the claims."""

    def __init__(
        self,
        *,
        uow_for: UnitOfWorkFor,
        transports: Mapping[Channel, Transport],
        policy: RetryPolicy,
        clock: Clock,
        lease: timedelta,
        poll_seconds: float,
        batch_size: int = 50,
    ) -> None:
        self._uow_for = uow_for
        self._transports = transports
        self._policy = policy
        self._clock = clock
        self._lease = lease
        self._batch_size = batch_size
        self._periodic = Periodic("delivery-sender", self.send_due, poll_seconds)

    def start(self) -> None:
        self._periodic.start()

    async def stop(self) -> None:
        await self._periodic.stop()

    def wake(self) -> None:
        """Called after a commit that stored pending deliveries."""
        self._periodic.wake()

    async def send_due(self) -> int:
        """Send every delivery due now; returns how many were attempted."""
        attempted = 0
        while True:
            claimed = await claim_due(self._uow_for(Cause.new()), self._clock, self._lease, self._batch_size)
            failures = await asyncio.gather(*(self._attempt(d, r) for d, r in claimed))
            for (delivery, _), failure in zip(claimed, failures, strict=True):
                cause = Cause(delivery.correlation_id, delivery.event_id)
                await record_outcome(
                    self._uow_for(cause), self._clock, delivery.delivery_id, failure, self._policy
                )
            attempted += len(claimed)
            if len(claimed) < self._batch_size:
                return attempted

    async def _attempt(self, delivery: Delivery, recipient: Recipient | None) -> Failure | None:
        """None when the channel took it, else what went wrong, for the delivery log."""
        try:
            if recipient is None and delivery.address is None:
                raise LookupError(f"recipient {delivery.recipient_id} does not exist")
            await self._transports[delivery.channel].send(delivery, recipient)
        except Exception as error:  # noqa: BLE001 - any other failure is tried again later
            permanent = isinstance(error, Undeliverable)
            log.warning(
                "%s delivery %s (attempt %d) failed%s: %r",
                delivery.channel,
                delivery.delivery_id,
                delivery.attempts + 1,
                " for good" if permanent else "",
                error,
            )
            return Failure(f"{type(error).__name__}: {error}", permanent)
        return None
