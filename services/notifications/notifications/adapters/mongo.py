"""The notifications service's MongoDB repositories and unit of work.

Every query below is served by one of the declared indexes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from motor.motor_asyncio import AsyncIOMotorClientSession, AsyncIOMotorDatabase
from pymongo import ASCENDING, DESCENDING

from shared.platform.persistence.mongo import MongoUnitOfWork, Repository

from ..domain.delivery import Delivery, DeliveryStatus
from ..domain.errors import InboxItemNotFound, RecipientNotFound
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
    ]

    def __init__(self, db: AsyncIOMotorDatabase, session: AsyncIOMotorClientSession | None) -> None:
        super().__init__(db, session)
        #: Events applied together ask for the same subscribers: one read per type.
        self._subscribers: dict[str, list[Recipient]] = {}

    async def subscribed_to(self, event_type: str) -> list[Recipient]:
        if event_type not in self._subscribers:
            self._subscribers[event_type] = await self._find({"subscriptions": event_type, "active": True})
        return self._subscribers[event_type]

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


class MongoNotificationsUnitOfWork(MongoUnitOfWork, NotificationsUnitOfWork):
    recipients: MongoRecipientRepository
    deliveries: MongoDeliveryRepository
