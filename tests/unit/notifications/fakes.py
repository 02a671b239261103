"""The notifications service's repositories and channels, in memory, on the
shared fake unit of work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from notifications.domain.delivery import Delivery, DeliveryStatus
from notifications.domain.errors import InboxItemNotFound, RecipientNotFound
from notifications.domain.projections import (
    EditionSchedule,
    KimContact,
    ReminderSent,
)
from notifications.domain.recipient import CHANNELS, Channel, Recipient
from notifications.domain.webhook_targets import WebhookTargets
from notifications.service_layer.integration_events import to_integration

from shared.platform.persistence.unit_of_work import Cause

from ..fakes import FakeRepository, FakeUnitOfWork


class FakeRecipients(FakeRepository[Recipient]):
    async def list(self) -> list[Recipient]:
        return sorted(self.items.values(), key=lambda r: r.created_at)

    async def subscribed_to(self, event_type: str) -> list[Recipient]:
        return self.where(lambda r: r.active and event_type in r.subscriptions)

    async def of_account(self, account_id: UUID) -> Recipient | None:
        found = self.where(lambda r: r.account_id == account_id)
        return found[0] if found else None

    async def of_kim(self, kim_id: UUID) -> list[Recipient]:
        return self.where(lambda r: r.kim_id == kim_id)

    async def made_by_hand_for(self, email: str) -> Recipient | None:
        address = email.strip().lower()
        found = self.where(
            lambda r: r.account_id is None and r.active and (r.email or "").strip().lower() == address
        )
        return found[0] if found else None


class FakeOfEdition(FakeRepository[Any]):
    async def of_edition(self, edition_id: UUID) -> list[Any]:
        return self.where(lambda x: x.edition_id == edition_id)


class FakeSchedules(FakeRepository[EditionSchedule]):
    async def open_before(self, horizon: datetime, now: datetime) -> list[EditionSchedule]:
        return self.where(lambda s: not s.closed and s.closes_at is not None and now < s.closes_at <= horizon)


class FakeReminders(FakeRepository[ReminderSent]):
    def add(self, aggregate: ReminderSent) -> None:
        # What the unique _id guarantees.
        assert aggregate.reminder_id not in self.items, aggregate.reminder_id
        super().add(aggregate)

    async def of_edition(self, edition_id: UUID) -> list[ReminderSent]:
        return sorted(self.where(lambda r: r.edition_id == edition_id), key=lambda r: r.reminded_at)


class FakeDeliveries(FakeRepository[Delivery]):
    def add(self, aggregate: Delivery) -> None:
        # What the unique index on (event, recipient, channel) guarantees.
        key = (aggregate.event_id, aggregate.recipient_id, aggregate.channel)
        assert not self.where(lambda d: (d.event_id, d.recipient_id, d.channel) == key), key
        super().add(aggregate)

    async def of_event(self, event_id: UUID, recipient_id: UUID, channel: Channel) -> Delivery | None:
        key = (event_id, recipient_id, channel)
        found = self.where(lambda d: (d.event_id, d.recipient_id, d.channel) == key)
        return found[0] if found else None

    async def by_provider_message_id(self, message_id: str) -> Delivery | None:
        found = self.where(lambda d: d.provider_message_id == message_id)
        return found[0] if found else None

    async def due(self, now: datetime, limit: int) -> list[Delivery]:
        due = self.where(lambda d: d.pending and d.next_attempt_at is not None and d.next_attempt_at <= now)
        return sorted(due, key=lambda d: d.next_attempt_at or now)[:limit]

    async def inbox(self, recipient_id: UUID, *, unread_only: bool, limit: int) -> list[Delivery]:
        items = self.where(
            lambda d: (
                d.recipient_id == recipient_id
                and d.channel == "inbox"
                and not (unread_only and d.read_at is not None)
            )
        )
        return sorted(items, key=lambda d: d.created_at, reverse=True)[:limit]

    async def unread(self, recipient_id: UUID) -> int:
        return len(await self.inbox(recipient_id, unread_only=True, limit=len(self.items)))

    async def log(
        self,
        *,
        recipient_id: UUID | None = None,
        channel: Channel | None = None,
        status: DeliveryStatus | None = None,
        event_type: str | None = None,
        limit: int,
    ) -> list[Delivery]:
        wanted = {
            "recipient_id": recipient_id,
            "channel": channel,
            "status": status,
            "event_type": event_type,
        }
        found = self.where(lambda d: all(v is None or getattr(d, k) == v for k, v in wanted.items()))
        return sorted(found, key=lambda d: d.created_at, reverse=True)[:limit]


class FakeNotifications(FakeUnitOfWork):
    def __init__(self, webhook_targets: WebhookTargets | None = None) -> None:
        super().__init__(to_integration)
        self.recipients = FakeRecipients("recipient_id", not_found=RecipientNotFound)
        self.deliveries = FakeDeliveries("delivery_id", not_found=InboxItemNotFound)
        self.webhook_targets = webhook_targets or WebhookTargets()
        self.kim_contacts: FakeRepository[KimContact] = FakeRepository("kim_id")
        self.enrolments: FakeOfEdition = FakeOfEdition("enrolment_id")
        self.entries: FakeOfEdition = FakeOfEdition("entry_id")
        self.panel_seats: FakeOfEdition = FakeOfEdition("seat_id")
        self.edition_schedules = FakeSchedules("edition_id")
        self.reminders = FakeReminders("reminder_id")
        self.channels_offered = frozenset(CHANNELS)
        self.console_url = "http://console.test"

    def caused_by(self, cause: Cause) -> FakeNotifications:
        """The unit of work for one cause, as `bootstrap` hands them out."""
        self.cause = cause
        return self

    def of_type(self, event_type: str) -> list[object]:
        return [event for event in self.published if event.type == event_type]


class Clock:
    """Time that moves only when a test moves it."""

    def __init__(self, start: datetime = datetime(2024, 8, 1, 10, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class FakeTransport:
    """A channel that takes deliveries, or refuses them while `failing` is set."""

    def __init__(self, failing: bool = False) -> None:
        self.failing = failing
        self.sent: list[tuple[Delivery, Recipient | None]] = []
        self.attempts = 0

    async def send(self, delivery: Delivery, recipient: Recipient | None) -> None:
        self.attempts += 1
        if self.failing:
            raise ConnectionError("connection refused")
        self.sent.append((delivery, recipient))
