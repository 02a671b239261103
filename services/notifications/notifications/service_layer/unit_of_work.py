"""What the notifications service layer needs from storage; adapters provide it."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from shared.platform.persistence.unit_of_work import UnitOfWork

from ..domain.delivery import DEFAULT_CONSOLE_URL, Delivery, DeliveryStatus
from ..domain.recipient import Channel, Recipient
from ..domain.webhook_targets import WebhookTargets


class RecipientRepository(Protocol):
    async def get(self, recipient_id: UUID) -> Recipient | None: ...
    async def require(self, recipient_id: UUID) -> Recipient:
        """The recipient; `RecipientNotFound` if there is none."""
        ...

    def add(self, recipient: Recipient) -> None: ...
    async def subscribed_to(self, event_type: str) -> list[Recipient]: ...
    # Last: in the annotations below it, `list` would name this method.
    async def list(self) -> list[Recipient]: ...


class DeliveryRepository(Protocol):
    async def get(self, delivery_id: UUID) -> Delivery | None: ...
    async def require(self, delivery_id: UUID) -> Delivery:
        """The delivery; `InboxItemNotFound` if there is none."""
        ...

    def add(self, delivery: Delivery) -> None: ...
    async def of_event(self, event_id: UUID, recipient_id: UUID, channel: Channel) -> Delivery | None: ...
    async def by_provider_message_id(self, message_id: str) -> Delivery | None: ...
    async def due(self, now: datetime, limit: int) -> list[Delivery]: ...
    async def inbox(self, recipient_id: UUID, *, unread_only: bool, limit: int) -> list[Delivery]: ...
    async def unread(self, recipient_id: UUID) -> int: ...
    async def log(
        self,
        *,
        recipient_id: UUID | None = None,
        channel: Channel | None = None,
        status: DeliveryStatus | None = None,
        event_type: str | None = None,
        limit: int,
    ) -> list[Delivery]: ...


class NotificationsUnitOfWork(UnitOfWork):
    recipients: RecipientRepository
    deliveries: DeliveryRepository
    #: Where webhooks may point, as configured; `bootstrap` sets it on every unit
    #: of work it hands out. Strict unless told otherwise.
    webhook_targets: WebhookTargets = WebhookTargets()
    #: The console's address, for the links in WhatsApp messages; `bootstrap` sets it.
    console_url: str = DEFAULT_CONSOLE_URL
