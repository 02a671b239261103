"""The submissions service's MongoDB repositories and unit of work."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from pymongo import ASCENDING

from shared.platform.persistence.mongo import Change, MongoUnitOfWork, Repository

from ..domain.edition import Edition
from ..domain.enrolment import Enrolment
from ..domain.entry import Entry, EntryStatus
from ..domain.errors import EditionNotFound, EnrolmentNotFound, EntryNotFound
from ..domain.film import FilmCheckStatus, FilmLookup
from ..domain.kim import KimContact
from ..service_layer.unit_of_work import SubmissionsUnitOfWork

#: How long an edition read for a submission serves the next ones, in seconds.
RECENT_EDITION_SECONDS = 1.0
#: Editions read for submissions in this process: id -> (until, generation, document).
_recent_editions: dict[UUID, tuple[float, int, dict[str, Any]]] = {}
#: Editions this process wrote: a read begun before one of them is not kept.
_editions_written = 0


class MongoEditionRepository(Repository[Edition]):
    collection_name = "editions"
    aggregate = Edition
    id_field = "edition_id"
    not_found = EditionNotFound

    async def recent(self, edition_id: UUID) -> Edition:
        """The edition as read at most `RECENT_EDITION_SECONDS` ago in this process,
        or after this process last wrote an edition (a new object, not saved with the
        unit of work). What a submission is checked against: its rules and window, which
        reach this service from the registry's events anyway; staff's close is checked
        again after the commit, from the database (`refuse_if_closed_meanwhile`)."""
        now, generation = time.monotonic(), _editions_written
        kept = _recent_editions.get(edition_id)
        if kept is None or kept[0] <= now or kept[1] != generation:
            doc = await self._collection.find_one({"_id": edition_id}, session=self._session)
            if doc is None:
                raise EditionNotFound(edition_id=edition_id)
            if len(_recent_editions) >= 1000:
                _recent_editions.clear()
            kept = _recent_editions[edition_id] = (now + RECENT_EDITION_SECONDS, generation, doc)
        return self.from_document(kept[2])

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

    async def of_kim(self, edition_id: UUID, kim_id: UUID) -> Enrolment | None:
        return await self._find_one({"edition_id": edition_id, "kim_id": kim_id})

    async def all_of_kim(self, kim_id: UUID) -> list[Enrolment]:
        return await self._find({"kim_id": kim_id})


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
