"""The submissions service's MongoDB repositories and unit of work."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from motor.motor_asyncio import AsyncIOMotorClientSession, AsyncIOMotorDatabase
from pymongo import ASCENDING

from shared.platform.caching import Recent
from shared.platform.persistence.mongo import Change, MongoUnitOfWork, Repository

from ..domain.edition import Edition
from ..domain.enrolment import Enrolment
from ..domain.entry import Entry, EntryStatus
from ..domain.errors import EditionNotFound, EnrolmentNotFound, EntryNotFound
from ..domain.film import FilmCheckStatus, FilmLookup
from ..domain.kim import KimContact
from ..service_layer.unit_of_work import SubmissionsUnitOfWork

#: Editions read for submissions in this process, each kept a second (`recent`).
_recent_editions: Recent[UUID, dict[str, Any]] = Recent(1.0, most=1000)
#: Enrolments read or written in this process, by (edition, KIM), for `recent_of_kim`.
#: Kept long: a submission writes its enrolment expecting the version it read, so a
#: stale one costs a retry, never a wrong answer, and this process's own writes
#: (approvals, entries, the close) keep them current.
_recent_enrolments: Recent[tuple[UUID, UUID], dict[str, Any] | None] = Recent(600.0, most=10_000)
#: Editions this process wrote: a read begun before one of them is not kept.
_editions_written = 0


class MongoEditionRepository(Repository[Edition]):
    collection_name = "editions"
    aggregate = Edition
    id_field = "edition_id"
    not_found = EditionNotFound

    async def recent(self, edition_id: UUID) -> Edition:
        """The edition as read at most a second ago in this process (`_recent_editions`)
        and after this process last wrote an edition; a new object, not saved with the
        unit of work. What a submission is checked against: its rules and window, which
        reach this service from the registry's events anyway; staff's close reaches the
        submission exactly through its enrolment (`Enrolment.closed_at`)."""

        async def read() -> dict[str, Any]:
            doc = await self._collection.find_one({"_id": edition_id})
            if doc is None:
                raise EditionNotFound(edition_id=edition_id)
            return doc

        return self.from_document(await _recent_editions.get(edition_id, read, _editions_written))

    def stored(self, change: Change) -> None:
        super().stored(change)
        global _editions_written  # noqa: PLW0603 - one counter per process, by design
        _editions_written += 1


class MongoEnrolmentRepository(Repository[Enrolment]):
    collection_name = "enrolments"
    aggregate = Enrolment
    id_field = "enrolment_id"
    not_found = EnrolmentNotFound
    indexes: ClassVar = [
        {"keys": [("edition_id", ASCENDING), ("kim_id", ASCENDING)], "unique": True},
        {"keys": [("kim_id", ASCENDING)]},
    ]

    def __init__(self, db: AsyncIOMotorDatabase, session: AsyncIOMotorClientSession | None) -> None:
        super().__init__(db, session)
        #: The KIMs whose enrolment `recent_of_kim` last answered without a read.
        self._unread: set[tuple[UUID, UUID]] = set()

    async def of_kim(self, edition_id: UUID, kim_id: UUID) -> Enrolment | None:
        return await self._find_one({"edition_id": edition_id, "kim_id": kim_id})

    async def recent_of_kim(self, edition_id: UUID, kim_id: UUID) -> Enrolment | None:
        """The enrolment as this process last read or wrote it (`_recent_enrolments`): a
        submission writes it, expecting the version it read, so one another replica
        changed since only makes the commit fail and the submission read again
        (`forget_recent`)."""
        key, read_now = (edition_id, kim_id), False

        async def read() -> dict[str, Any] | None:
            nonlocal read_now
            read_now = True
            return await self._collection.find_one({"edition_id": edition_id, "kim_id": kim_id})

        doc = await _recent_enrolments.get(key, read)
        if doc is None:
            _recent_enrolments.forget(key)  # a KIM enrolled a moment later is seen at once
            return None
        if not read_now:
            self._unread.add(key)
        return self._track(doc)

    def forget_recent(self, edition_id: UUID, kim_id: UUID) -> bool:
        _recent_enrolments.forget((edition_id, kim_id))
        return (edition_id, kim_id) in self._unread

    def stored(self, change: Change) -> None:
        super().stored(change)
        _recent_enrolments.keep((change.aggregate.edition_id, change.aggregate.kim_id), change.document)

    async def all_of_kim(self, kim_id: UUID) -> list[Enrolment]:
        return await self._find({"kim_id": kim_id})

    async def of_edition(self, edition_id: UUID) -> list[Enrolment]:
        return await self._find({"edition_id": edition_id})


class MongoEntryRepository(Repository[Entry]):
    collection_name = "entries"
    aggregate = Entry
    id_field = "entry_id"
    not_found = EntryNotFound
    indexes: ClassVar = [
        {"keys": [("edition_id", ASCENDING), ("submitted_at", ASCENDING)]},
        {"keys": [("edition_id", ASCENDING), ("kim_id", ASCENDING)]},
        {"keys": [("edition_id", ASCENDING), ("film_check.status", ASCENDING)]},
        {"keys": [("edition_id", ASCENDING), ("updated_at", ASCENDING)]},
    ]

    async def of_edition(
        self,
        edition_id: UUID,
        *,
        kim_id: UUID | None = None,
        status: EntryStatus | None = None,
        film_check: FilmCheckStatus | None = None,
    ) -> list[Entry]:
        query: dict[str, Any] = {"edition_id": edition_id}
        if kim_id is not None:
            query["kim_id"] = kim_id
        if status is not None:
            query["status"] = status
        if film_check is not None:
            query["film_check.status"] = film_check
        return await self._find(query, sort=[("submitted_at", ASCENDING)])

    async def changed_after(self, edition_id: UUID, instant: datetime) -> list[Entry]:
        return await self._find(
            {"edition_id": edition_id, "updated_at": {"$gt": instant}}, sort=[("updated_at", ASCENDING)]
        )

    async def count_against_limit(self, edition_id: UUID, kim_id: UUID) -> int:
        return await self._count(
            {"edition_id": edition_id, "kim_id": kim_id, "status": {"$in": ["submitted", "disqualified"]}}
        )


class MongoKimRepository(Repository[KimContact]):
    collection_name = "kims"
    aggregate = KimContact
    id_field = "kim_id"
    not_found = EnrolmentNotFound


class MongoFilmLookupRepository(Repository[FilmLookup]):
    collection_name = "film_lookups"
    aggregate = FilmLookup
    id_field = "entry_id"
    not_found = EntryNotFound
    indexes: ClassVar = [{"keys": [("status", ASCENDING), ("next_attempt_at", ASCENDING)]}]

    async def due(self, now: datetime, limit: int) -> list[FilmLookup]:
        return await self._find(
            {"status": "pending", "next_attempt_at": {"$lte": now}},
            sort=[("next_attempt_at", ASCENDING)],
            limit=limit,
        )


class MongoSubmissionsUnitOfWork(MongoUnitOfWork, SubmissionsUnitOfWork):
    editions: MongoEditionRepository
    enrolments: MongoEnrolmentRepository
    entries: MongoEntryRepository
    film_lookups: MongoFilmLookupRepository
    kims: MongoKimRepository


#: Built only from the registry's events: a replay can rebuild them (not the entries).
PROJECTIONS = (MongoEditionRepository, MongoEnrolmentRepository, MongoKimRepository)
