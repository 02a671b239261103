"""What staff do with recipients and their inbox. Each use case is one unit of work."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from shared.kernel.clock import Clock
from shared.kernel.i18n import Language
from shared.platform.persistence.unit_of_work import retry_on_conflict

from ..domain.delivery import Delivery
from ..domain.errors import InboxItemNotFound, RecipientNotFound
from ..domain.recipient import KEEP, Keep, Recipient, Webhook
from .unit_of_work import NotificationsUnitOfWork


@retry_on_conflict
async def create_recipient(
    uow: NotificationsUnitOfWork,
    clock: Clock,
    *,
    name: str,
    email: str | None,
    language: Language,
    subscriptions: Iterable[str],
    webhook: Webhook | None,
    active: bool = True,
) -> Recipient:
    if webhook is not None:
        uow.webhook_targets.check_url(webhook.url)
    async with uow:
        recipient = Recipient.create(
            name=name,
            email=email,
            language=language,
            subscriptions=subscriptions,
            webhook=webhook,
            active=active,
            now=clock(),
        )
        uow.recipients.add(recipient)
        await uow.commit()
    return recipient


@retry_on_conflict
async def change_recipient(
    uow: NotificationsUnitOfWork,
    clock: Clock,
    recipient_id: UUID,
    *,
    name: str | Keep = KEEP,
    email: str | None | Keep = KEEP,
    language: Language | Keep = KEEP,
    subscriptions: Iterable[str] | Keep = KEEP,
    webhook: Webhook | None | Keep = KEEP,
    active: bool | Keep = KEEP,
) -> Recipient:
    if isinstance(webhook, Webhook):
        uow.webhook_targets.check_url(webhook.url)
    async with uow:
        recipient = await recipient_of(uow, recipient_id)
        recipient.change(
            now=clock(),
            name=name,
            email=email,
            language=language,
            subscriptions=subscriptions,
            webhook=webhook,
            active=active,
        )
        await uow.commit()
    return recipient


@retry_on_conflict
async def mark_read(
    uow: NotificationsUnitOfWork, clock: Clock, recipient_id: UUID, delivery_id: UUID
) -> Delivery:
    async with uow:
        await recipient_of(uow, recipient_id)
        item = await uow.deliveries.get(delivery_id)
        if item is None or item.recipient_id != recipient_id or item.channel != "inbox":
            raise InboxItemNotFound(delivery_id=delivery_id)
        item.mark_read(clock())
        await uow.commit()
    return item


async def recipient_of(uow: NotificationsUnitOfWork, recipient_id: UUID) -> Recipient:
    recipient = await uow.recipients.get(recipient_id)
    if recipient is None:
        raise RecipientNotFound(recipient_id=recipient_id)
    return recipient
