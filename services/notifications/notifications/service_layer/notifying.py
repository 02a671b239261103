"""Telling subscribers about an event: one delivery per recipient and channel,
created once however often the event arrives; and, when the event names a
person to tell (a judge), an email to that person."""

from __future__ import annotations

from typing import Any

from shared.contracts import Envelope
from shared.kernel.clock import Clock
from shared.platform.persistence.unit_of_work import apply_once

from ..domain.delivery import Notice
from .unit_of_work import NotificationsUnitOfWork


async def notify(uow: NotificationsUnitOfWork, event: Envelope[Any], clock: Clock) -> int:
    """Create the deliveries of `event` for its active subscribers; returns how many
    wait to be sent (email, webhook, WhatsApp)."""
    waiting = 0

    async def effect(uow: NotificationsUnitOfWork) -> None:
        nonlocal waiting
        waiting = 0  # the effect runs again when its transaction met a concurrent change
        recipients = await uow.recipients.subscribed_to(event.type)
        notice = Notice.of(
            event, languages={recipient.language for recipient in recipients}, console_url=uow.console_url
        )
        now = clock()
        deliveries = [d for recipient in recipients for d in notice.deliveries_to(recipient, now)]
        to_addressee = notice.delivery_to_addressee(recipients, now)
        for delivery in [*deliveries, *([to_addressee] if to_addressee else [])]:
            uow.deliveries.add(delivery)
            waiting += delivery.pending

    await apply_once(uow, event, effect)
    return waiting
