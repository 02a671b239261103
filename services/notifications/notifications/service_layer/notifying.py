"""Telling subscribers about an event: one delivery per recipient and channel,
created once however often the event arrives."""

from __future__ import annotations

from typing import Any

from shared.clock import Clock
from shared.contracts import Envelope
from shared.unit_of_work import apply_once

from ..domain.delivery import Notice
from .unit_of_work import NotificationsUnitOfWork


async def notify(uow: NotificationsUnitOfWork, event: Envelope[Any], clock: Clock) -> int:
    """Create the deliveries of `event` for its active subscribers; returns how many
    wait to be sent (email, webhook)."""
    waiting = 0

    async def effect(uow: NotificationsUnitOfWork) -> None:
        nonlocal waiting
        waiting = 0  # the effect runs again when its transaction met a concurrent change
        recipients = await uow.recipients.subscribed_to(event.type)
        if not recipients:
            return
        notice = Notice.of(event)
        now = clock()
        for recipient in recipients:
            for delivery in notice.deliveries_to(recipient, now):
                uow.deliveries.add(delivery)
                waiting += delivery.pending

    await apply_once(uow, event, effect)
    return waiting
