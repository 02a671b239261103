"""What the notifications service layer needs from storage; adapters provide it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol, TypeVar
from uuid import UUID

from shared.platform.persistence.unit_of_work import UnitOfWork

from ..domain.delivery import Delivery, DeliveryStatus
from ..domain.personal import DEFAULT_CONSOLE_URL
from ..domain.projections import (
    EditionSchedule,
    EnrolmentRecord,
    EntryRecord,
    KimContact,
    PanelSeat,
    ReminderSent,
)
from ..domain.recipient import CHANNELS, Channel, Recipient
from ..domain.webhook_targets import WebhookTargets

P = TypeVar("P")


class RecipientRepository(Protocol):
    async def get(self, recipient_id: UUID) -> Recipient | None: ...
    async def load(self, recipient_ids: Iterable[UUID]) -> None:
        """Read these in one round trip, for the `get`s to come."""
        ...

    async def require(self, recipient_id: UUID) -> Recipient:
        """The recipient; `RecipientNotFound` if there is none."""
        ...

    def add(self, recipient: Recipient) -> None: ...
    async def subscribed_to(self, event_type: str) -> list[Recipient]: ...
    async def of_account(self, account_id: UUID) -> Recipient | None: ...
    async def of_kim(self, kim_id: UUID) -> list[Recipient]: ...
    async def made_by_hand_for(self, email: str) -> Recipient | None: ...
    # Last: in the annotations below it, `list` would name this method.
    async def list(self) -> list[Recipient]: ...


class DeliveryRepository(Protocol):
    async def get(self, delivery_id: UUID) -> Delivery | None: ...
    async def load(self, delivery_ids: Iterable[UUID]) -> None:
        """Read these in one round trip, for the `get`s to come."""
        ...

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


class Projection(Protocol[P]):
    async def get(self, key: UUID) -> P | None: ...
    def add(self, record: P) -> None: ...


class EditionProjection(Projection[P], Protocol[P]):
    async def of_edition(self, edition_id: UUID) -> list[P]: ...


class EditionScheduleRepository(Projection[EditionSchedule], Protocol):
    async def open_before(self, horizon: datetime, now: datetime) -> list[EditionSchedule]: ...


class ReminderSentRepository(Projection[ReminderSent], Protocol):
    async def of_edition(self, edition_id: UUID) -> list[ReminderSent]: ...


class NotificationsUnitOfWork(UnitOfWork):
    recipients: RecipientRepository
    deliveries: DeliveryRepository
    kim_contacts: Projection[KimContact]
    enrolments: EditionProjection[EnrolmentRecord]
    entries: EditionProjection[EntryRecord]
    panel_seats: EditionProjection[PanelSeat]
    edition_schedules: EditionScheduleRepository
    reminders: ReminderSentRepository
    #: The channels the service sends on (the inbox and those with a transport);
    #: `bootstrap` sets it. A channel without one is not offered a delivery.
    channels_offered: frozenset[Channel] = frozenset(CHANNELS) - {"whatsapp"}
    #: Where the console is, for the links in messages; `bootstrap` sets it.
    console_url: str = DEFAULT_CONSOLE_URL
    #: Where webhooks may point, as configured; `bootstrap` sets it on every unit
    #: of work it hands out. Strict unless told otherwise.
    webhook_targets: WebhookTargets = WebhookTargets()
