"""Sending email and webhook deliveries.

A pass claims the due deliveries (a lease: if the process dies mid-send, they
fall due again when it ends), sends them outside any transaction, then records
each outcome in a unit of work of its own, which carries the source event's
correlation id on to notification.delivered / notification.failed.

Delivery is at least once: a send that succeeds but is not recorded (crash,
database away) is sent again after the lease. Receivers deduplicate on the
delivery id (the webhook's X-KIM-Delivery, the email's Message-ID).

WhatsApp: each send first takes a token from the sending number's bucket (the
gateway's rate limit); a message the gateway took is recorded `sent` with the
gateway's message id, and is never sent again (its status callbacks, see
`receipts.py`, say whether it was delivered and read). A number the gateway says
is not on WhatsApp fails the delivery at once, and the recipient is emailed
instead, if they have an address ("dialihkan ke email").
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol
from uuid import UUID

from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer

from shared.kernel.clock import Clock
from shared.platform.persistence.unit_of_work import Cause, retry_on_conflict
from shared.platform.telemetry import context_of, tracer
from shared.service import Periodic

from ..domain.delivery import Delivery, RetryPolicy
from ..domain.recipient import Channel, Recipient
from .unit_of_work import NotificationsUnitOfWork

log = logging.getLogger("kim.notifications.sending")

UnitOfWorkFor = Callable[[Cause], NotificationsUnitOfWork]


class Undeliverable(Exception):
    """Raised by a transport when trying again cannot help (e.g. a webhook whose
    host is not allowed): the delivery fails at once, with this as its error."""


class FallBack(Undeliverable):
    """Raised by a transport when the address is not on its channel (a number not
    on WhatsApp): the delivery fails at once and the recipient is emailed instead."""


class Transport(Protocol):
    async def send(self, delivery: Delivery, recipient: Recipient | None) -> str | None:
        """Hand the delivery to its channel; raise when the channel did not take it
        (`Undeliverable` when it never will). `recipient` is None for a delivery
        to an addressee (see `Delivery.address`). Returns the channel's id of the
        message when the channel reports on it later (WhatsApp), else None: delivered."""


class RateLimit(Protocol):
    async def take(self) -> None:
        """Wait until one more send is allowed."""


@dataclass(frozen=True)
class Failure:
    """What went wrong with one attempt, for the delivery log."""

    error: str
    permanent: bool = False
    #: The number is not on WhatsApp: tell the recipient by email instead.
    fallback: bool = False


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to: a failure, or taken (with the channel's message id, if any)."""

    failure: Failure | None = None
    provider_message_id: str | None = None


#: Said in the delivery log and the service's log when WhatsApp falls back to email.
FALLBACK_NOTE = "dialihkan ke email (fallback to email)"


@retry_on_conflict
async def claim_due(
    uow: NotificationsUnitOfWork, clock: Clock, lease: timedelta, limit: int
) -> list[tuple[Delivery, Recipient | None]]:
    async with uow:
        now = clock()
        claimed = []
        due = await uow.deliveries.due(now, limit)
        await uow.recipients.load({delivery.recipient_id for delivery in due})
        for delivery in due:
            delivery.claim(now, lease)
            claimed.append((delivery, await uow.recipients.get(delivery.recipient_id)))
        await uow.commit()
    return claimed


@retry_on_conflict
async def record_outcome(
    uow: NotificationsUnitOfWork,
    clock: Clock,
    delivery_id: UUID,
    outcome: Outcome,
    policy: RetryPolicy,
) -> bool:
    """Record an attempt's outcome; True when an email was made in place of WhatsApp."""
    async with uow:
        fell_back = await _record(uow, clock, delivery_id, outcome, policy)
        await uow.commit()
    return fell_back


async def record_outcomes(
    uow: NotificationsUnitOfWork,
    clock: Clock,
    outcomes: Sequence[tuple[Cause, UUID, Outcome]],
    policy: RetryPolicy,
) -> list[bool]:
    """Record several attempts' outcomes in one unit of work (one read of their
    deliveries, one transaction), each event it causes under its delivery's own
    cause; for each, whether an email was made in place of WhatsApp. A conflict
    fails them all: the caller records each alone then (`record_outcome`)."""
    own_cause = uow.cause
    try:
        async with uow:
            await uow.deliveries.load({delivery_id for _, delivery_id, _ in outcomes})
            fell_back = []
            for cause, delivery_id, outcome in outcomes:
                uow.cause = cause
                fell_back.append(await _record(uow, clock, delivery_id, outcome, policy))
                uow.stage_events()
            uow.cause = own_cause
            await uow.commit()
        return fell_back
    finally:
        uow.cause = own_cause
        uow.staged = []


async def _record(
    uow: NotificationsUnitOfWork, clock: Clock, delivery_id: UUID, outcome: Outcome, policy: RetryPolicy
) -> bool:
    failure = outcome.failure
    fell_back = False
    delivery = await uow.deliveries.get(delivery_id)
    assert delivery is not None, "deliveries are never deleted"
    now = clock()
    if failure is None and outcome.provider_message_id is not None:
        delivery.sent(now, outcome.provider_message_id)
    elif failure is None:
        delivery.succeeded(now)
    elif failure.fallback and delivery.pending:
        recipient = await uow.recipients.get(delivery.recipient_id)
        email = delivery.fallback_to_email(recipient, now)
        if email is not None and await uow.deliveries.of_event(email.event_id, email.recipient_id, "email"):
            email = None  # already told by email
        note = f" — {FALLBACK_NOTE}" if email is not None else " — no email address to fall back to"
        delivery.attempt_failed(now, failure.error + note, policy, permanent=True)
        if email is not None:
            uow.deliveries.add(email)
            fell_back = True
            log.warning("whatsapp delivery %s: %s, email %s", delivery_id, FALLBACK_NOTE, email.delivery_id)
    else:
        delivery.attempt_failed(now, failure.error, policy, permanent=failure.permanent)
    return fell_back


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
        rate_limits: Mapping[Channel, RateLimit] | None = None,
        traces: Tracer | None = None,
    ) -> None:
        self._uow_for = uow_for
        self._tracer = traces or tracer(None)
        self._transports = transports
        #: Per channel, the sending number's bucket (WhatsApp).
        self._rate_limits = dict(rate_limits or {})
        self._recording = asyncio.Lock()
        #: Outcomes known and not recorded yet, with what their sends await.
        self._outcomes: list[tuple[Cause, UUID, Outcome, asyncio.Future[bool]]] = []
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
        """Send every delivery due now, a batch at a time; returns how many were attempted.
        Asked to stop, it ends after the batch in flight (the rest waits for the next start),
        so a backlog held to WhatsApp's rate cannot hold up a shutdown."""
        attempted = 0
        while not self._periodic.stopping:
            claimed = await claim_due(self._uow_for(Cause.new()), self._clock, self._lease, self._batch_size)
            fell_back = any(await asyncio.gather(*(self._send_and_record(d, r) for d, r in claimed)))
            attempted += len(claimed)
            if len(claimed) < self._batch_size and not fell_back:
                break
        return attempted

    async def _send_and_record(self, delivery: Delivery, recipient: Recipient | None) -> bool:
        """Each outcome is recorded as soon as it is known, not after the whole batch:
        the shorter the time between a send and its record, the fewer sends a crash
        repeats, and the sooner a WhatsApp status callback finds its message id.

        The send is a span of the trace the delivery was created in; its outcome
        event carries that trace on (the cause is made within the span)."""
        with self._tracer.start_as_current_span(
            f"send {delivery.channel}",
            context=context_of(delivery.trace_context),
            kind=SpanKind.CLIENT,
            attributes={
                "kim.delivery.id": str(delivery.delivery_id),
                "kim.delivery.channel": delivery.channel,
                "kim.event.type": delivery.event_type,
            },
        ) as span:
            outcome = await self._attempt(delivery, recipient)
            if outcome.failure is not None:
                span.set_status(Status(StatusCode.ERROR, outcome.failure.error[:200]))
            cause = Cause(delivery.correlation_id, delivery.event_id)
        recorded: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._outcomes.append((cause, delivery.delivery_id, outcome, recorded))
        async with self._recording:  # one commit at a time, as a batch's sends finish
            if not recorded.done():
                await self._record_waiting()
        return await recorded

    async def _record_waiting(self) -> None:
        """Record the outcomes known by now together (those that finished while the
        last commit ran); if that fails as a whole, each alone, with its own result."""
        waiting, self._outcomes = self._outcomes, []
        if len(waiting) > 1:
            try:
                fell_back = await record_outcomes(
                    self._uow_for(waiting[0][0]),
                    self._clock,
                    [(cause, delivery_id, outcome) for cause, delivery_id, outcome, _ in waiting],
                    self._policy,
                )
            except Exception:  # noqa: BLE001, S110 - each is recorded alone below, with its own outcome
                pass
            else:
                for (*_, recorded), result in zip(waiting, fell_back, strict=True):
                    recorded.set_result(result)
                return
        for cause, delivery_id, outcome, recorded in waiting:
            try:
                recorded.set_result(
                    await record_outcome(
                        self._uow_for(cause), self._clock, delivery_id, outcome, self._policy
                    )
                )
            except Exception as error:  # noqa: BLE001 - raised by the send that awaits it
                recorded.set_exception(error)

    async def _attempt(self, delivery: Delivery, recipient: Recipient | None) -> Outcome:
        """Taken (with the channel's message id, if any), or what went wrong, for the delivery log."""
        try:
            if recipient is None and delivery.address is None:
                raise LookupError(f"recipient {delivery.recipient_id} does not exist")
            if delivery.provider_message_id is not None:
                # Taken before; only recording that was lost. Never send it twice.
                return Outcome(provider_message_id=delivery.provider_message_id)
            if delivery.expired(self._clock()):
                # A voter's code no longer of use: sending it would only confuse them.
                raise Undeliverable("expired before it could be sent (kedaluwarsa sebelum terkirim)")
            limit = self._rate_limits.get(delivery.channel)
            if limit is not None:
                await limit.take()
            message_id = await self._transports[delivery.channel].send(delivery, recipient)
        except Exception as error:  # noqa: BLE001 - any other failure is tried again later
            permanent = isinstance(error, Undeliverable)
            fallback = isinstance(error, FallBack)
            log.warning(
                "%s delivery %s (attempt %d) failed%s: %r",
                delivery.channel,
                delivery.delivery_id,
                delivery.attempts + 1,
                " for good" if permanent else "",
                error,
            )
            return Outcome(Failure(f"{type(error).__name__}: {error}", permanent, fallback))
        return Outcome(provider_message_id=message_id)
