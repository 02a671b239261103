"""What staff do with recipients and their inbox. Each use case takes its command
(`commands.py`) and is one unit of work."""

from __future__ import annotations

from shared.kernel.clock import Clock
from shared.kernel.principal import Principal
from shared.platform.persistence.unit_of_work import retry_on_conflict

from ..domain.audience import menu
from ..domain.delivery import Delivery
from ..domain.errors import InboxItemNotFound, NotAnAccount
from ..domain.recipient import Recipient, Webhook
from .commands import ChangeRecipient, ChoosePreferences, CreateRecipient, MarkRead
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


async def _own(uow: NotificationsUnitOfWork, clock: Clock, caller: Principal) -> Recipient:
    """The caller's recipient, made now if their account's event has not arrived yet
    (it will find it by account and follow it)."""
    if caller.account_id is None or caller.role is None:
        raise NotAnAccount()
    recipient = await uow.recipients.of_account(caller.account_id)
    if recipient is None and caller.email:
        recipient = await uow.recipients.made_by_hand_for(caller.email)
        if recipient is not None:
            recipient.follow_account(
                account_id=caller.account_id,
                role=caller.role,
                name=caller.name or recipient.name,
                email=caller.email,
                kim_id=caller.kim_id,
                active=True,
                revision=0,
                now=clock(),
            )
    if recipient is None:
        contact = await uow.kim_contacts.get(caller.kim_id) if caller.kim_id else None
        recipient = Recipient.for_account(
            account_id=caller.account_id,
            role=caller.role,
            name=caller.name or caller.email or str(caller.account_id),
            email=caller.email or "",
            kim_id=caller.kim_id,
            whatsapp=contact.whatsapp if contact else None,
            active=True,
            revision=0,
            now=clock(),
        )
        uow.recipients.add(recipient)
    return recipient


@retry_on_conflict
async def my_recipient(uow: NotificationsUnitOfWork, clock: Clock, caller: Principal) -> Recipient:
    async with uow:
        recipient = await _own(uow, clock, caller)
        await uow.commit()
    return recipient


@retry_on_conflict
async def choose_preferences(
    uow: NotificationsUnitOfWork, clock: Clock, caller: Principal, command: ChoosePreferences
) -> Recipient:
    async with uow:
        recipient = await _own(uow, clock, caller)
        recipient.choose(
            now=clock(), channels=command.channels, menu=menu(recipient.role), language=command.language
        )
        await uow.commit()
    return recipient
