"""WhatsApp status callbacks turned into the deliveries' receipts and states.

The gateway posts `entry[].changes[].value.statuses[]`, each naming the message
by the id the gateway gave it when it took it (`Delivery.provider_message_id`),
with a status (sent, delivered, read, failed), a unix timestamp and, for a
failed message, its errors. Each status is applied to its delivery in a unit of
work of its own that carries the delivery's source event as its cause, so
`notification.delivered` / `notification.failed` go out through the outbox like
every other outcome. A repeat changes nothing; an unknown id is logged and left.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast, get_args
from uuid import UUID

from shared.kernel.clock import Clock
from shared.platform.persistence.unit_of_work import Cause, retry_on_conflict

from ..domain.delivery import Delivery, ReceiptStatus
from .unit_of_work import NotificationsUnitOfWork

log = logging.getLogger("kim.notifications.receipts")

UnitOfWorkFor = Callable[[Cause], NotificationsUnitOfWork]


@dataclass(frozen=True)
class StatusUpdate:
    message_id: str
    status: ReceiptStatus
    at: datetime
    error: str | None = None
    #: `biz_opaque_callback_data`: the id of the delivery that sent the message.
    reference: str | None = None


@dataclass
class Applied:
    applied: int = 0
    repeated: int = 0
    unknown: int = 0
    malformed: int = 0


def status_updates(body: Any, now: datetime) -> tuple[list[StatusUpdate], int]:
    """The status updates in a Cloud API callback body, and how many were malformed."""
    found: list[StatusUpdate] = []
    malformed = 0
    entries = body.get("entry") if isinstance(body, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes if isinstance(changes, list) else []:
            value = change.get("value") if isinstance(change, dict) else None
            statuses = value.get("statuses") if isinstance(value, dict) else None
            for status in statuses if isinstance(statuses, list) else []:
                update = _status(status, now)
                if update is None:
                    malformed += 1
                else:
                    found.append(update)
    return found, malformed


def _status(status: Any, now: datetime) -> StatusUpdate | None:
    if not isinstance(status, dict):
        return None
    message_id, kind = status.get("id"), status.get("status")
    if not isinstance(message_id, str) or not message_id or kind not in get_args(ReceiptStatus):
        return None
    try:
        at = datetime.fromtimestamp(int(status.get("timestamp")), UTC)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError, OSError):
        at = now
    errors = status.get("errors")
    error = None
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        first = errors[0]
        data = first.get("error_data")
        details = data.get("details") if isinstance(data, dict) else None
        error = f"{first.get('code')}: {details or first.get('title') or first.get('message') or ''}".strip()
    reference = status.get("biz_opaque_callback_data")
    return StatusUpdate(
        message_id=message_id[:200],
        status=cast(ReceiptStatus, kind),
        at=at,
        error=error,
        reference=reference[:100] if isinstance(reference, str) else None,
    )


async def _sent_by(uow: NotificationsUnitOfWork, update: StatusUpdate) -> Delivery | None:
    """The WhatsApp delivery the callback's reference names, if it has no message id yet."""
    try:
        delivery_id = UUID(update.reference) if update.reference else None
    except ValueError:
        return None
    delivery = await uow.deliveries.get(delivery_id) if delivery_id else None
    if delivery is None or delivery.channel != "whatsapp" or delivery.provider_message_id is not None:
        return None
    return delivery


@retry_on_conflict
async def _adopt(uow: NotificationsUnitOfWork, delivery_id: UUID, update: StatusUpdate) -> None:
    async with uow:
        delivery = await uow.deliveries.require(delivery_id)
        if delivery.provider_message_id is None:
            delivery.sent(update.at, update.message_id)
            log.info("whatsapp message %s adopted by delivery %s", update.message_id, delivery_id)
        await uow.commit()


@retry_on_conflict
async def _apply_one(uow: NotificationsUnitOfWork, update: StatusUpdate) -> bool:
    async with uow:
        delivery = await uow.deliveries.by_provider_message_id(update.message_id)
        assert delivery is not None, "looked up before"
        applied = delivery.receipt(update.status, update.at, update.error)
        await uow.commit()
    return applied


async def apply_statuses(uow_for: UnitOfWorkFor, clock: Clock, updates: Iterable[StatusUpdate]) -> Applied:
    tally = Applied()
    for update in updates:
        async with uow_for(Cause.new()) as looking:
            delivery = await looking.deliveries.by_provider_message_id(update.message_id)
            orphan = await _sent_by(looking, update) if delivery is None else None
        if orphan is not None:
            # Its sender died before storing the message id: adopt it, never send it again.
            await _adopt(uow_for(Cause(orphan.correlation_id, orphan.event_id)), orphan.delivery_id, update)
            delivery = orphan
        if delivery is None:
            tally.unknown += 1
            log.info("whatsapp status %s for unknown message %s ignored", update.status, update.message_id)
            continue
        cause = Cause(delivery.correlation_id, delivery.event_id)
        if await _apply_one(uow_for(cause), update):
            tally.applied += 1
        else:
            tally.repeated += 1
    return tally
