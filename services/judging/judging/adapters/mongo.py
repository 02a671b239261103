"""The judging service's MongoDB repositories and unit of work."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from motor.motor_asyncio import AsyncIOMotorClientSession, AsyncIOMotorDatabase
from pymongo import ASCENDING

from shared import contracts as c
from shared.contracts import Envelope
from shared.kernel.errors import ConcurrentChange
from shared.platform.caching import Recent
from shared.platform.persistence.mongo import Change, MongoUnitOfWork, Repository

from ..domain.audit import AuditRecord
from ..domain.certificate import Certificate
from ..domain.edition import Edition
from ..domain.entry import Entry
from ..domain.errors import EditionNotFound, EntryNotFound
from ..domain.score_sheet import ScoreSheet
from ..domain.snapshot import Snapshot
from ..service_layer.unit_of_work import JudgingUnitOfWork


class MongoEditionRepository(Repository[Edition]):
    collection_name = "editions"
    aggregate = Edition
    id_field = "edition_id"
    not_found = EditionNotFound
    indexes: ClassVar = [
        {"keys": [("options.judging_deadline", ASCENDING)]},
        {"keys": [("judges.email", ASCENDING)]},
    ]

    async def with_deadline_between(self, start: datetime, end: datetime) -> list[Edition]:
        return await self._find({"options.judging_deadline": {"$gte": start, "$lte": end}})

    async def with_judge(self, email: str) -> list[Edition]:
        # Emails are compared without case: staff type them as given.
        exactly = {"$regex": f"^{re.escape(email)}$", "$options": "i"}
        return await self._find({"judges.email": exactly}, sort=[("title", ASCENDING)])


#: Entries read or written in this process, by (collection, id), for
#: `MongoEntryRepository.recent`. Kept long: a judge's first sheet writes its entry
#: expecting the version it read, so a stale one costs a retry, never a wrong answer,
#: and this process's own writes (the entry's events, each sheet) keep them current.
_recent_entries: Recent[tuple[str, UUID], dict[str, Any] | None] = Recent(600.0, most=10_000)


class MongoEntryRepository(Repository[Entry]):
    collection_name = "entries"
    aggregate = Entry
    id_field = "entry_id"
    not_found = EntryNotFound
    indexes: ClassVar = [
        {"keys": [("edition_id", ASCENDING), ("status", ASCENDING), ("complete", ASCENDING)]},
        {"keys": [("edition_id", ASCENDING), ("submitted_at", ASCENDING)]},
    ]

    def __init__(self, db: AsyncIOMotorDatabase, session: AsyncIOMotorClientSession | None) -> None:
        super().__init__(db, session)
        #: Entries `recent` last answered without a read.
        self._unread: set[UUID] = set()

    async def recent(self, entry_id: UUID) -> Entry:
        """The entry as this process last read or wrote it: for a change that writes
        it, expecting the version it read (a judge's first sheet), so one another
        replica changed since only makes the commit fail and the change read again
        (`forget_recent`). A change that may not write it reads it with `fresh`."""
        key, read_now = (self.collection_name, entry_id), False

        async def read() -> dict[str, Any] | None:
            nonlocal read_now
            read_now = True
            return await self._collection.find_one({"_id": entry_id})

        doc = await _recent_entries.get(key, read)
        if doc is None:
            _recent_entries.forget(key)
            raise EntryNotFound(entry_id=entry_id)
        if not read_now:
            self._unread.add(entry_id)
        return self._track(doc)

    async def fresh(self, entry_id: UUID) -> Entry:
        """The entry as stored now, read again even if this unit of work holds it."""
        self.forget_recent(entry_id)
        self._loaded.pop(entry_id, None)
        return await self.require(entry_id)

    def forget_recent(self, entry_id: UUID) -> bool:
        _recent_entries.forget((self.collection_name, entry_id))
        return entry_id in self._unread

    def stored(self, change: Change) -> None:
        super().stored(change)
        _recent_entries.keep((self.collection_name, change.key), change.document)

    async def of_edition(self, edition_id: UUID) -> list[Entry]:
        return await self._find({"edition_id": edition_id}, sort=[("submitted_at", ASCENDING)])

    async def in_competition(self, edition_id: UUID) -> list[Entry]:
        return await self._find(
            {"edition_id": edition_id, "status": "submitted"}, sort=[("submitted_at", ASCENDING)]
        )

    async def count_in_competition(self, edition_id: UUID) -> int:
        return await self._count({"edition_id": edition_id, "status": "submitted"})

    async def count_incomplete(self, edition_id: UUID) -> int:
        return await self._count({"edition_id": edition_id, "status": "submitted", "complete": False})


class MongoFinalEntryRepository(MongoEntryRepository):
    """Final rounds' copies of the shortlisted entries (`domain/rounds.py`): each
    with the final round's edition id and its own sheets so far."""

    collection_name = "final_entries"


class MongoScoreSheetRepository(Repository[ScoreSheet]):
    collection_name = "score_sheets"
    aggregate = ScoreSheet
    id_field = "sheet_id"
    indexes: ClassVar = [
        {"keys": [("entry_id", ASCENDING), ("judge_id", ASCENDING)], "unique": True},
        {"keys": [("edition_id", ASCENDING), ("judge_id", ASCENDING)]},
    ]

    def __init__(self, db: AsyncIOMotorDatabase, session: AsyncIOMotorClientSession | None) -> None:
        super().__init__(db, session)
        #: Sheets of entries read together (`load_of_entries`), by entry.
        self._of_entry: dict[UUID, list[ScoreSheet]] = {}

    async def of(self, entry_id: UUID, judge_id: UUID) -> ScoreSheet | None:
        return await self._find_one({"entry_id": entry_id, "judge_id": judge_id})

    async def of_edition(self, edition_id: UUID) -> list[ScoreSheet]:
        return await self._find({"edition_id": edition_id})

    async def of_entry(self, entry_id: UUID) -> list[ScoreSheet]:
        stored = self._of_entry.get(entry_id)
        if stored is None:
            return await self._find({"entry_id": entry_id})
        known = {id(sheet) for sheet in stored}
        return stored + [s for s in self.seen if s.entry_id == entry_id and id(s) not in known]

    async def load_of_entries(self, entry_ids: Collection[UUID]) -> None:
        """The sheets of these entries in one round trip, for the `of_entry` to come."""
        wanted = [i for i in entry_ids if i not in self._of_entry]
        if not wanted:
            return
        self._of_entry.update({i: [] for i in wanted})
        for sheet in await self._find({"entry_id": {"$in": wanted}}):
            self._of_entry[sheet.entry_id].append(sheet)

    async def of_judge(self, edition_id: UUID, judge_id: UUID) -> list[ScoreSheet]:
        return await self._find({"edition_id": edition_id, "judge_id": judge_id})

    async def count_by(self, edition_id: UUID, judge_ids: Collection[UUID]) -> int:
        return await self._count({"edition_id": edition_id, "judge_id": {"$in": list(judge_ids)}})


class MongoSnapshotRepository(Repository[Snapshot]):
    collection_name = "snapshots"
    aggregate = Snapshot
    id_field = "snapshot_id"
    indexes: ClassVar = [{"keys": [("edition_id", ASCENDING), ("number", ASCENDING)], "unique": True}]

    async def numbered(self, edition_id: UUID, number: int) -> Snapshot | None:
        return await self._find_one({"edition_id": edition_id, "number": number})

    async def of_edition(self, edition_id: UUID) -> list[Snapshot]:
        return await self._find({"edition_id": edition_id}, sort=[("number", ASCENDING)])

    def duplicate(self, aggregate: Snapshot) -> ConcurrentChange:
        # Two freezes of one version at once: the edition's counter normally keeps
        # them apart; if not, the loser is retried and freezes the next version.
        return ConcurrentChange()


class MongoCategorySnapshotRepository(Repository[Snapshot]):
    """The categories' frozen results: each category numbers its own versions."""

    collection_name = "category_snapshots"
    aggregate = Snapshot
    id_field = "snapshot_id"
    indexes: ClassVar = [
        {"keys": [("edition_id", ASCENDING), ("category", ASCENDING), ("number", ASCENDING)], "unique": True}
    ]

    async def numbered(self, edition_id: UUID, category: str, number: int) -> Snapshot | None:
        return await self._find_one({"edition_id": edition_id, "category": category, "number": number})

    async def of_category(self, edition_id: UUID, category: str) -> list[Snapshot]:
        return await self._find(
            {"edition_id": edition_id, "category": category}, sort=[("number", ASCENDING)]
        )

    def duplicate(self, aggregate: Snapshot) -> ConcurrentChange:
        return ConcurrentChange()


class MongoAuditRepository(Repository[AuditRecord]):
    """Append-only: records are added, never changed."""

    collection_name = "audit"
    aggregate = AuditRecord
    id_field = "record_id"
    indexes: ClassVar = [{"keys": [("edition_id", ASCENDING), ("at", ASCENDING), ("sequence", ASCENDING)]}]

    def added(self) -> int:
        return len(self.seen)

    async def of_edition(self, edition_id: UUID, limit: int) -> list[AuditRecord]:
        return await self._find(
            {"edition_id": edition_id}, sort=[("at", ASCENDING), ("sequence", ASCENDING)], limit=limit
        )


class MongoCertificateRepository(Repository[Certificate]):
    """Issued with each announcement, never changed; the code is the id."""

    collection_name = "certificates"
    aggregate = Certificate
    id_field = "code"
    indexes: ClassVar = [
        {"keys": [("edition_id", ASCENDING), ("category.code", ASCENDING), ("results_version", ASCENDING)]}
    ]

    async def of_edition(self, edition_id: UUID) -> list[Certificate]:
        found = await self._find({"edition_id": edition_id})
        return sorted(found, key=_certificate_order)

    async def of_results(self, edition_id: UUID, category: str | None) -> list[Certificate]:
        which = {"category": None} if category is None else {"category.code": category}
        return await self._find({"edition_id": edition_id, **which})

    def duplicate(self, aggregate: Certificate) -> ConcurrentChange:
        # Two codes alike (one chance in 2^50): the announcement is tried again, with new codes.
        return ConcurrentChange()


def _certificate_order(certificate: Certificate) -> tuple[object, ...]:
    """Main ranking first, then categories by code; latest version first; places
    in order, then participants by KIM name."""
    return (
        certificate.category_code is not None,
        certificate.category_code or "",
        -certificate.results_version,
        certificate.place is None,
        certificate.place or 0,
        certificate.kim_name,
    )


class MongoJudgingUnitOfWork(MongoUnitOfWork, JudgingUnitOfWork):
    editions: MongoEditionRepository
    entries: MongoEntryRepository
    final_entries: MongoFinalEntryRepository
    sheets: MongoScoreSheetRepository
    snapshots: MongoSnapshotRepository
    category_snapshots: MongoCategorySnapshotRepository
    audit: MongoAuditRepository
    certificates: MongoCertificateRepository

    async def prefetch(self, events: Sequence[Envelope[Any]]) -> None:
        # Entry events applied together: their entries in one read, and the sheets
        # of those judging does not know yet (an entry rebuilt after a reset).
        entry_ids = {e.data.entry_id for e in events if isinstance(e.data, c.EntryDetails)}
        if not entry_ids:
            return
        await self.entries.load(entry_ids)
        unknown = [i for i in entry_ids if await self.entries.get(i) is None]
        await self.sheets.load_of_entries(unknown)


class MongoFinalRoundUnitOfWork(MongoJudgingUnitOfWork):
    """A final round's unit of work: the same as an edition's, except that its
    `entries` are the final round's copies of the shortlisted entries."""

    def open_repositories(self, session: AsyncIOMotorClientSession) -> None:
        super().open_repositories(session)
        self.entries = self.final_entries

    @property
    def repositories(self) -> list[Repository[Any]]:
        # `entries` and `final_entries` are one repository: counted once.
        unique: dict[int, Repository[Any]] = {}
        for name in self.repository_classes():
            repository = getattr(self, name)
            unique.setdefault(id(repository), repository)
        return list(unique.values())


async def is_final_round(db: AsyncIOMotorDatabase, edition_id: str | None) -> bool:
    """Whether `edition_id` (as a request's path gives it) names a final round.
    Final rounds' ids are uuid5 (`rounds.final_round_id`), the registry's uuid4:
    only those are looked up."""
    try:
        parsed = UUID(edition_id) if edition_id else None
    except ValueError:
        return False
    if parsed is None or parsed.version != 5:
        return False
    found = await db[MongoEditionRepository.collection_name].find_one({"_id": parsed}, {"round_of": 1})
    return found is not None and found.get("round_of") is not None


#: Built only from submissions' entry.* events: a replay rebuilds them (with
#: who has scored each, from the sheets). Editions are not: they hold the
#: panel, the rubric and the results, which no event carries.
PROJECTIONS = (MongoEntryRepository,)
