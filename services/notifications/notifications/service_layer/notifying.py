"""Telling the people an event concerns: one delivery per recipient and channel,
created once however often the event arrives; and, when the event names a
person to tell who is not a recipient (a judge without an account), an email to
that person.

Before anyone is told, the event updates what the service keeps
(`following.follow`: recipients from accounts, enrolments, panels, deadlines);
then `audience.concerns` decides, for each subscribed recipient, whether the
event is theirs to hear."""

from __future__ import annotations

from typing import Any

from shared.contracts import Envelope
from shared.kernel.clock import Clock
from shared.platform.persistence.unit_of_work import apply_once

from ..domain.audience import concerns
from ..domain.delivery import Delivery, Notice
from ..domain.templates import TEMPLATES
from ..domain.voter_codes import VOTER_CODE
from .following import follow, knowledge_of
from .unit_of_work import NotificationsUnitOfWork


async def notify(uow: NotificationsUnitOfWork, event: Envelope[Any], clock: Clock) -> int:
    """Keep what the event says, then create its deliveries for the recipients it
    concerns; returns how many wait to be sent (email, webhook, WhatsApp)."""
    waiting = 0

    async def effect(uow: NotificationsUnitOfWork) -> None:
        nonlocal waiting
        waiting = 0  # the effect runs again when its transaction met a concurrent change
        if event.type == VOTER_CODE:
            # Told only to the address the voter gave, who is no recipient (`voter_codes`).
            # Stored even when its channel has no transport: it then fails in the log,
            # visibly, rather than vanish.
            delivery = Delivery.of_voter_code(event, clock(), uow.console_url)
            delivery.trace_context = uow.cause.traceparent
            uow.deliveries.add(delivery)
            waiting = 1
            return
        await follow(uow, event, clock)
        if event.type not in TEMPLATES:
            return  # kept, not told (accounts)
        if event.version > 1 and event.type == "winner.announced":
            return  # kept, not told: v1 tells the main ranking until the templates move to v2
        data = event.data.model_dump(mode="json")
        knowledge = await knowledge_of(uow, data)
        subscribed = await uow.recipients.subscribed_to(event.type)
        recipients = [r for r in subscribed if concerns(event.type, data, r, knowledge)]
        notice = Notice.of(
            event,
            languages={r.language for r in recipients if r.role not in ("kim_rep", "judge")},
            readers=recipients,
            console_url=uow.console_url,
        )
        now = clock()
        offered = uow.channels_offered
        deliveries = [d for recipient in recipients for d in notice.deliveries_to(recipient, now, offered)]
        to_addressee = notice.delivery_to_addressee(recipients, now)
        for delivery in [*deliveries, *([to_addressee] if to_addressee else [])]:
            delivery.trace_context = uow.cause.traceparent
            uow.deliveries.add(delivery)
            waiting += delivery.pending

    await apply_once(uow, event, effect)
    return waiting
