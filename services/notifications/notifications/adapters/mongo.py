"""The notifications service's MongoDB repositories and unit of work.

Every query below is served by one of the declared indexes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from motor.motor_asyncio import AsyncIOMotorClientSession, AsyncIOMotorDatabase
from pymongo import ASCENDING, DESCENDING

from shared import contracts as c
from shared.contracts import Envelope
from shared.platform.persistence.mongo import MongoUnitOfWork, Repository

from ..domain.delivery import Delivery, DeliveryStatus
from ..domain.errors import InboxItemNotFound, RecipientNotFound
from ..domain.projections import (
    EditionSchedule,
    EnrolmentRecord,
    EntryRecord,
    KimContact,
    PanelSeat,
    ReminderSent,
)
from ..domain.recipient import Channel, Recipient
from ..service_layer.unit_of_work import NotificationsUnitOfWork

NEWEST_FIRST = [("created_at", DESCENDING)]
#: An inbox lists what happened, newest first, whatever order the events arrived in.
LATEST_EVENT_FIRST = [("occurred_at", DESCENDING), ("created_at", DESCENDING)]


class MongoRecipientRepository(Repository[Recipient]):
    collection_name = "recipients"
    aggregate = Recipient
    id_field = "recipient_id"
    not_found = RecipientNotFound
    indexes: ClassVar = [
        # Multikey: one entry per subscribed type.
        {"keys": [("subscriptions", ASCENDING), ("active", ASCENDING)]},
        {"keys": [("created_at", ASCENDING)]},
        {"keys": [("account_id", ASCENDING)]},
        {"keys": [("kim_id", ASCENDING)]},
        {"keys": [("email", ASCENDING)]},
    ]

    def __init__(self, db: AsyncIOMotorDatabase, session: AsyncIOMotorClientSession | None) -> None:
        super().__init__(db, session)
        #: Events applied together ask for the same subscribers: one read per type.
        self._subscribers: dict[str, list[Recipient]] = {}

    def _with_unsaved(self, found: list[Recipient], wanted: Callable[[Recipient], bool]) -> list[Recipient]:
        """`found` and the recipients of this unit of work not saved yet that are `wanted`
        (events applied together see what the ones before them made)."""
        known = {r.recipient_id for r in found}
        return found + [r for r in self.seen if r.recipient_id not in known and wanted(r)]

    async def subscribed_to(self, event_type: str) -> list[Recipient]:
        if event_type not in self._subscribers:
            self._subscribers[event_type] = await self._find({"subscriptions": event_type, "active": True})
        found = self._with_unsaved(self._subscribers[event_type], lambda r: event_type in r.subscriptions)
        return [r for r in found if r.active and event_type in r.subscriptions]

    async def of_account(self, account_id: UUID) -> Recipient | None:
        found = [r for r in self.seen if r.account_id == account_id]
        return found[0] if found else await self._find_one({"account_id": account_id})

    async def of_kim(self, kim_id: UUID) -> list[Recipient]:
        return self._with_unsaved(await self._find({"kim_id": kim_id}), lambda r: r.kim_id == kim_id)

    async def made_by_hand_for(self, email: str) -> Recipient | None:
        """An active recipient made by hand with this email (any case), if any."""
        address = email.strip().lower()
        candidates = self._with_unsaved(
            await self._find({"account_id": None, "active": True, "email": {"$ne": None}}),
            lambda r: r.account_id is None,
        )
        return next(
            (
                r
                for r in candidates
                if r.account_id is None and r.active and (r.email or "").strip().lower() == address
            ),
            None,
        )

    # Last: in the annotations below it, `list` would name this method.
    async def list(self) -> list[Recipient]:
        return await self._find({}, sort=[("created_at", ASCENDING)])


class MongoDeliveryRepository(Repository[Delivery]):
    collection_name = "deliveries"
    aggregate = Delivery
    id_field = "delivery_id"
    #: A delivery is asked for by id only as an item of an inbox.
    not_found = InboxItemNotFound
    indexes: ClassVar = [
        # One delivery per event, recipient and channel, even when two copies of
        # an event are handled at once.
        {
            "keys": [("event_id", ASCENDING), ("recipient_id", ASCENDING), ("channel", ASCENDING)],
            "unique": True,
        },
        # What the sender claims; also the log filtered by status.
        {"keys": [("status", ASCENDING), ("next_attempt_at", ASCENDING)]},
        # A recipient's inbox, all or unread; also the log filtered by recipient.
        {
            "keys": [
                ("recipient_id", ASCENDING),
                ("channel", ASCENDING),
                ("read_at", ASCENDING),
                ("occurred_at", DESCENDING),
            ]
        },
        {"keys": [("recipient_id", ASCENDING), ("channel", ASCENDING), ("occurred_at", DESCENDING)]},
        # The delivery log, unfiltered or by event type or channel.
        {"keys": [("created_at", DESCENDING)]},
        {"keys": [("event_type", ASCENDING), ("created_at", DESCENDING)]},
        {"keys": [("channel", ASCENDING), ("created_at", DESCENDING)]},
        # A WhatsApp status callback names the message by the gateway's id.
        {"keys": [("provider_message_id", ASCENDING)]},
    ]

    async def of_event(self, event_id: UUID, recipient_id: UUID, channel: Channel) -> Delivery | None:
        return await self._find_one({"event_id": event_id, "recipient_id": recipient_id, "channel": channel})

    async def by_provider_message_id(self, message_id: str) -> Delivery | None:
        return await self._find_one({"provider_message_id": message_id})

    async def due(self, now: datetime, limit: int) -> list[Delivery]:
        return await self._find(
            {"status": "pending", "next_attempt_at": {"$lte": now}},
            sort=[("next_attempt_at", ASCENDING)],
            limit=limit,
        )

    async def inbox(self, recipient_id: UUID, *, unread_only: bool, limit: int) -> list[Delivery]:
        return await self._find(
            self._inbox_query(recipient_id, unread_only), sort=LATEST_EVENT_FIRST, limit=limit
        )

    async def unread(self, recipient_id: UUID) -> int:
        return await self._count(self._inbox_query(recipient_id, unread_only=True))

    @staticmethod
    def _inbox_query(recipient_id: UUID, unread_only: bool) -> dict[str, Any]:
        query: dict[str, Any] = {"recipient_id": recipient_id, "channel": "inbox"}
        if unread_only:
            query["read_at"] = None
        return query

    async def log(
        self,
        *,
        recipient_id: UUID | None = None,
        channel: Channel | None = None,
        status: DeliveryStatus | None = None,
        event_type: str | None = None,
        limit: int,
    ) -> list[Delivery]:
        # Most selective first: with several filters, the first indexed one drives the scan.
        given = {"recipient_id": recipient_id, "event_type": event_type, "status": status, "channel": channel}
        query = {field: value for field, value in given.items() if value is not None}
        return await self._find(query, sort=NEWEST_FIRST, limit=limit)


class _Projection(Repository[Any]):
    not_found = RecipientNotFound  # projections are never asked for by id from outside

    def __init__(self, db: AsyncIOMotorDatabase, session: AsyncIOMotorClientSession | None) -> None:
        super().__init__(db, session)
        #: Events applied together ask for the same edition's records: one read per
        #: edition in a unit of work (what it adds or changes is seen all the same).
        self._of_edition: dict[UUID, list[Any]] = {}

    def _unsaved(self, wanted: Callable[[Any], bool], found: list[Any]) -> list[Any]:
        known = {id(x) for x in found}
        return found + [x for x in self.seen if id(x) not in known and wanted(x)]

    async def _stored_of_edition(self, edition_id: UUID) -> list[Any]:
        """The stored records of an edition, read once in this unit of work; each
        is the object the unit of work tracks, so changes made since are in it."""
        if edition_id not in self._of_edition:
            self._of_edition[edition_id] = await self._find({"edition_id": edition_id})
        return list(self._of_edition[edition_id])


class MongoKimContactRepository(_Projection):
    collection_name = "kim_contacts"
    aggregate = KimContact
    id_field = "kim_id"


class MongoEnrolmentRecordRepository(_Projection):
    collection_name = "enrolments"
    aggregate = EnrolmentRecord
    id_field = "enrolment_id"
    indexes: ClassVar = [
        {"keys": [("edition_id", ASCENDING), ("status", ASCENDING)]},
        {"keys": [("kim_id", ASCENDING)]},
    ]

    async def of_edition(self, edition_id: UUID) -> list[EnrolmentRecord]:
        found: list[EnrolmentRecord] = await self._stored_of_edition(edition_id)
        return self._unsaved(lambda e: e.edition_id == edition_id, found)


class MongoEntryRecordRepository(_Projection):
    collection_name = "entries"
    aggregate = EntryRecord
    id_field = "entry_id"
    indexes: ClassVar = [{"keys": [("edition_id", ASCENDING), ("kim_id", ASCENDING)]}]

    async def of_edition(self, edition_id: UUID) -> list[EntryRecord]:
        found: list[EntryRecord] = await self._stored_of_edition(edition_id)
        return self._unsaved(lambda e: e.edition_id == edition_id, found)


class MongoPanelSeatRepository(_Projection):
    collection_name = "panel_seats"
    aggregate = PanelSeat
    id_field = "seat_id"
    indexes: ClassVar = [{"keys": [("edition_id", ASCENDING)]}]

    async def of_edition(self, edition_id: UUID) -> list[PanelSeat]:
        found: list[PanelSeat] = await self._stored_of_edition(edition_id)
        return self._unsaved(lambda s: s.edition_id == edition_id, found)


class MongoEditionScheduleRepository(_Projection):
    collection_name = "edition_schedules"
    aggregate = EditionSchedule
    id_field = "edition_id"
    indexes: ClassVar = [{"keys": [("closed", ASCENDING), ("closes_at", ASCENDING)]}]

    async def open_before(self, horizon: datetime, now: datetime) -> list[EditionSchedule]:
        """Editions still open whose deadline is after `now` and no later than `horizon`."""
        return await self._find({"closed": False, "closes_at": {"$gt": now, "$lte": horizon}})


class MongoReminderSentRepository(_Projection):
    collection_name = "reminders"
    aggregate = ReminderSent
    id_field = "reminder_id"
    indexes: ClassVar = [{"keys": [("edition_id", ASCENDING), ("reminded_at", ASCENDING)]}]

    async def of_edition(self, edition_id: UUID) -> list[ReminderSent]:
        return await self._find({"edition_id": edition_id}, sort=[("reminded_at", ASCENDING)])


class MongoNotificationsUnitOfWork(MongoUnitOfWork, NotificationsUnitOfWork):
    recipients: MongoRecipientRepository
    deliveries: MongoDeliveryRepository
    kim_contacts: MongoKimContactRepository
    enrolments: MongoEnrolmentRecordRepository
    entries: MongoEntryRecordRepository
    panel_seats: MongoPanelSeatRepository
    edition_schedules: MongoEditionScheduleRepository
    reminders: MongoReminderSentRepository

    async def prefetch(self, events: Sequence[Envelope[Any]]) -> None:
        # Entry events applied together: the entries kept of them in one read.
        await self.entries.load({e.data.entry_id for e in events if isinstance(e.data, c.EntryDetails)})
