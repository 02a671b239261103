"""What staff do with recipients and their inbox. Each use case takes its command
(`commands.py`) and is one unit of work."""

from __future__ import annotations

from shared.kernel.clock import Clock
from shared.platform.persistence.unit_of_work import retry_on_conflict

from ..domain.delivery import Delivery
from ..domain.errors import InboxItemNotFound
from ..domain.recipient import Recipient, Webhook
from .commands import ChangeRecipient, CreateRecipient, MarkRead
from .unit_of_work import NotificationsUnitOfWork


@retry_on_conflict
async def create_recipient(uow: NotificationsUnitOfWork, clock: Clock, command: CreateRecipient) -> Recipient:
    if command.webhook is not None:
        uow.webhook_targets.check_url(command.webhook.url)
    async with uow:
        recipient = Recipient.create(now=clock(), **command.fields())
        uow.recipients.add(recipient)
        await uow.commit()
    return recipient


@retry_on_conflict
async def change_recipient(uow: NotificationsUnitOfWork, clock: Clock, command: ChangeRecipient) -> Recipient:
    if isinstance(command.webhook, Webhook):
        uow.webhook_targets.check_url(command.webhook.url)
    async with uow:
        recipient = await uow.recipients.require(command.recipient_id)
        recipient.change(now=clock(), **command.changes())
        await uow.commit()
    return recipient


@retry_on_conflict
async def mark_read(uow: NotificationsUnitOfWork, clock: Clock, command: MarkRead) -> Delivery:
    async with uow:
        await uow.recipients.require(command.recipient_id)
        item = await uow.deliveries.get(command.delivery_id)
        # Another recipient's item, or one on another channel, is not in this inbox either.
        if item is None or item.recipient_id != command.recipient_id or item.channel != "inbox":
            raise InboxItemNotFound(delivery_id=command.delivery_id)
        item.mark_read(clock())
        await uow.commit()
    return item
