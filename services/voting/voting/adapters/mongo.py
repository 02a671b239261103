"""The voting service's MongoDB repositories and unit of work."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from motor.motor_asyncio import AsyncIOMotorDatabase
from pymongo import ASCENDING, UpdateOne
from pymongo.errors import BulkWriteError, OperationFailure

from shared import contracts as c
from shared.contracts import Envelope
from shared.kernel.errors import ConcurrentChange, DomainError
from shared.platform.persistence.mongo import DUPLICATE_KEY, MongoUnitOfWork, Repository, in_transaction

from ..domain.edition import Edition
from ..domain.entry import Entry, Kim
from ..domain.errors import (
    AlreadyVoted,
    CodeRequestNotFound,
    CodeUsed,
    EditionNotFound,
    EntryNotFound,
    FlagNotFound,
    VoteNotFound,
)
from ..domain.fraud import AuditRecord, Flag, VoteTrace
from ..domain.tally import EntryCount, FrozenTally
from ..domain.voter import CodeRequest, Vote
from ..service_layer.unit_of_work import VotingUnitOfWork


class MongoEditionRepository(Repository[Edition]):
    collection_name = "editions"
    aggregate = Edition
    id_field = "edition_id"
    not_found = EditionNotFound
    indexes: ClassVar = [{"keys": [("window.opens_at", ASCENDING)]}]

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Edition:
        # Stored before an edition could have several favourite categories: its one code.
        fields = {name: value for name, value in doc.items() if name != "category_code"}
        if "favourites" not in doc:
            code = doc.get("category_code")
            fields["favourites"] = [{"code": code}] if code else []
        return super().from_document(fields)

    async def voting_since(self, now: datetime) -> list[Edition]:
        return await self._find({"window.opens_at": {"$lte": now}, "frozen_version": 0})

    async def all(self) -> list[Edition]:
        return await self._find({})


class MongoEntryRepository(Repository[Entry]):
    collection_name = "entries"
    aggregate = Entry
    id_field = "entry_id"
    not_found = EntryNotFound
    indexes: ClassVar = [
        {"keys": [("edition_id", ASCENDING), ("submitted_at", ASCENDING)]},
        {"keys": [("status", ASCENDING), ("kecamatan.code", ASCENDING), ("kelurahan.code", ASCENDING)]},
        {"keys": [("kim_id", ASCENDING)]},
    ]

    async def of_edition(self, edition_id: UUID) -> list[Entry]:
        return await self._find({"edition_id": edition_id}, sort=[("submitted_at", ASCENDING)])

    async def of_kim(self, kim_id: UUID) -> list[Entry]:
        return await self._find({"kim_id": kim_id})

    async def gallery(
        self, *, edition_id: UUID | None, kecamatan: str | None, kelurahan: str | None, umkm: str | None
    ) -> list[Entry]:
        query: dict[str, Any] = {"status": "submitted"}
        if edition_id is not None:
            query["edition_id"] = edition_id
        if kecamatan:
            query["kecamatan.code"] = kecamatan
        if kelurahan:
            query["kelurahan.code"] = kelurahan
        if umkm:
            # Words as typed, any case: "tempe" finds "Keripik Tempe Sanan".
            query["umkm_featured"] = {"$regex": re.escape(umkm), "$options": "i"}
        return await self._find(query, sort=[("edition_id", ASCENDING), ("submitted_at", ASCENDING)])


class MongoKimRepository(Repository[Kim]):
    collection_name = "kims"
    aggregate = Kim
    id_field = "kim_id"
    not_found = EntryNotFound


class MongoCodeRequestRepository(Repository[CodeRequest]):
    collection_name = "code_requests"
    aggregate = CodeRequest
    id_field = "request_id"
    not_found = CodeRequestNotFound
    indexes: ClassVar = [{"keys": [("edition_id", ASCENDING), ("address", ASCENDING)]}]


class MongoVoteRepository(Repository[Vote]):
    """One document per vote: accepting a vote inserts it, nothing else is counted up."""

    collection_name = "votes"
    aggregate = Vote
    id_field = "vote_id"
    not_found = VoteNotFound
    indexes: ClassVar = [
        # One person, one vote per favourite category of an edition: the database refuses the second.
        {"keys": [("edition_id", ASCENDING), ("category", ASCENDING), ("voter", ASCENDING)], "unique": True},
        # A code's ballot: one vote per category.
        {"keys": [("request_id", ASCENDING), ("category", ASCENDING)], "unique": True},
        {"keys": [("edition_id", ASCENDING), ("cast_at", ASCENDING)]},
    ]
    #: The keys of one vote per edition (and per code), before several favourite categories.
    OLD_INDEXES = ("edition_id_1_voter_1", "request_id_1")

    @classmethod
    async def create_indexes(cls, db: AsyncIOMotorDatabase) -> None:
        """The per-category keys; on a database that had the per-edition ones, the
        votes stored then get their edition's favourite category (so the voter who
        voted then cannot vote again there), then the old keys go."""
        await super().create_indexes(db)
        votes = db[cls.collection_name]
        existing = await votes.index_information()
        if not any(name in existing for name in cls.OLD_INDEXES):
            return
        async for edition in db[MongoEditionRepository.collection_name].find({}):
            code = MongoEditionRepository.from_document(edition).category_code
            if code is not None:
                await votes.update_many(
                    {"edition_id": edition["_id"], "category": None}, {"$set": {"category": code}}
                )
        for name in cls.OLD_INDEXES:
            if name in existing:
                with contextlib.suppress(OperationFailure):  # another replica dropped it first
                    await votes.drop_index(name)

    def duplicate(self, aggregate: Vote) -> DomainError | None:
        return AlreadyVoted()

    async def insert_all(self, votes: list[Vote]) -> tuple[list[Vote], list[str]]:
        docs = [self.to_document(vote) for vote in votes]
        for vote, doc in zip(votes, docs, strict=True):
            vote.version = doc["version"] = 1
        refused: set[int] = set()
        if docs:
            try:
                await self._collection.insert_many(docs, ordered=False, session=self._session)
            except BulkWriteError as error:
                errors = error.details.get("writeErrors") or []
                if any(e.get("code") != DUPLICATE_KEY for e in errors):
                    raise
                refused = {e["index"] for e in errors}
        stored = [vote for index, vote in enumerate(votes) if index not in refused]
        for index, (vote, doc) in enumerate(zip(votes, docs, strict=True)):
            if index not in refused:
                self._loaded[vote.vote_id] = (vote, doc)
        taken: list[str] = []
        if refused:
            made = {vote.category: vote for vote in await self.of_request(votes[min(refused)].request_id)}
            for index in sorted(refused):
                vote = votes[index]
                earlier = made.get(vote.category)
                if earlier is None:
                    taken.append(vote.category or "")  # the voter's vote made with another code
                elif earlier.entry_id == vote.entry_id:
                    stored.append(earlier)  # the same request again, or racing itself
                else:
                    raise CodeUsed()
        return stored, taken

    async def of_request(self, request_id: UUID) -> list[Vote]:
        return await self._find({"request_id": request_id})

    async def counts(self, edition_id: UUID, *, default: str) -> dict[str, dict[UUID, EntryCount]]:
        pipeline: list[dict[str, Any]] = [
            {"$match": {"edition_id": edition_id}},
            {
                "$group": {
                    "_id": {
                        "category": {"$ifNull": ["$category", default]},
                        "entry": "$entry_id",
                        "status": "$status",
                        "flagged": "$flagged",
                    },
                    "n": {"$sum": 1},
                    "last": {"$max": "$cast_at"},
                }
            },
        ]
        totals: dict[tuple[str, UUID], dict[str, Any]] = {}
        async for row in self._collection.aggregate(pipeline, session=self._session):
            key = row["_id"]
            total = totals.setdefault(
                (key["category"], key["entry"]), {"counted": 0, "voided": 0, "flagged": 0, "last": None}
            )
            if key["status"] == "voided":
                total["voided"] += row["n"]
                continue
            total["counted"] += row["n"]
            if key.get("flagged"):
                total["flagged"] += row["n"]
            if total["last"] is None or row["last"] > total["last"]:
                total["last"] = row["last"]
        counts: dict[str, dict[UUID, EntryCount]] = {}
        for (category, entry_id), t in totals.items():
            counts.setdefault(category, {})[entry_id] = EntryCount(
                entry_id=entry_id,
                counted=t["counted"],
                voided=t["voided"],
                flagged=t["flagged"],
                last_counted_at=t["last"],
            )
        return counts

    async def traces(self, edition_id: UUID, most: int) -> list[VoteTrace]:
        fields = ["voter", "channel", "ip_block", "cast_at", "code_requested_at", "challenge_solve_ms"]
        cursor = self._collection.find(
            {"edition_id": edition_id, "status": "counted"},
            {name: 1 for name in fields},
            sort=[("cast_at", ASCENDING)],
            limit=most,
            session=self._session,
        )
        return [
            VoteTrace(vote_id=doc["_id"], **{name: doc.get(name) for name in fields}) async for doc in cursor
        ]

    async def voided_among(self, vote_ids: Collection[UUID]) -> set[UUID]:
        cursor = self._collection.find(
            {"_id": {"$in": list(vote_ids)}, "status": "voided"}, {"_id": 1}, session=self._session
        )
        found = {doc["_id"] async for doc in cursor}
        # Voided in this unit of work, not saved yet.
        found |= {vote.vote_id for vote in self.seen if vote.status == "voided" and vote.vote_id in vote_ids}
        return found

    async def mark_flagged(self, edition_id: UUID, flagged: Collection[UUID]) -> None:
        # Only the votes whose mark changes are written, each by its id: a pass over an
        # edition under attack finds hundreds flagged already, and a `$in`/`$nin` over
        # hundreds of ids costs SecantusDB a read of every vote per id (it held the
        # votes back for seconds at every fraud pass in the benchmark).
        wanted = set(flagged)
        cursor = self._collection.find(
            {"edition_id": edition_id, "flagged": True}, {"_id": 1}, session=self._session
        )
        marked = {doc["_id"] async for doc in cursor}
        # Each changed vote's version moves on, so a concurrent change of it conflicts.
        requests = [
            UpdateOne({"_id": vote_id}, {"$set": {"flagged": vote_id in wanted}, "$inc": {"version": 1}})
            for vote_id in sorted(wanted ^ marked)
        ]
        if not requests:
            return
        in_transaction(self._session)
        await self._collection.bulk_write(requests, ordered=True, session=self._session)


class MongoFlagRepository(Repository[Flag]):
    collection_name = "flags"
    aggregate = Flag
    id_field = "flag_id"
    not_found = FlagNotFound
    indexes: ClassVar = [{"keys": [("edition_id", ASCENDING), ("raised_at", ASCENDING)]}]

    async def of_edition(self, edition_id: UUID) -> list[Flag]:
        return await self._find({"edition_id": edition_id}, sort=[("raised_at", ASCENDING)])


class MongoAuditRepository(Repository[AuditRecord]):
    """Append-only: who voided a vote or dismissed a flag, when and why."""

    collection_name = "audit"
    aggregate = AuditRecord
    id_field = "record_id"
    indexes: ClassVar = [{"keys": [("edition_id", ASCENDING), ("at", ASCENDING)]}]

    async def of_edition(self, edition_id: UUID) -> list[AuditRecord]:
        return await self._find({"edition_id": edition_id}, sort=[("at", ASCENDING)])


class MongoTallyRepository(Repository[FrozenTally]):
    collection_name = "tallies"
    aggregate = FrozenTally
    id_field = "tally_id"
    not_found = EditionNotFound
    indexes: ClassVar = [
        # Numbered per favourite category of an edition.
        {
            "keys": [("edition_id", ASCENDING), ("tally.category_code", ASCENDING), ("number", ASCENDING)],
            "unique": True,
        }
    ]

    @classmethod
    async def create_indexes(cls, db: AsyncIOMotorDatabase) -> None:
        await super().create_indexes(db)
        if "edition_id_1_number_1" in await db[cls.collection_name].index_information():
            with contextlib.suppress(OperationFailure):  # another replica dropped it first
                await db[cls.collection_name].drop_index("edition_id_1_number_1")

    async def latest(self, edition_id: UUID, category: str) -> FrozenTally | None:
        found = await self._find(
            {"edition_id": edition_id, "tally.category_code": category}, sort=[("number", -1)], limit=1
        )
        return found[0] if found else None

    def duplicate(self, aggregate: FrozenTally) -> DomainError | None:
        # Two freezes of one version at once: the loser is retried and finds the winner's.
        return ConcurrentChange()


class MongoVotingUnitOfWork(MongoUnitOfWork, VotingUnitOfWork):
    editions: MongoEditionRepository
    entries: MongoEntryRepository
    kims: MongoKimRepository
    codes: MongoCodeRequestRepository
    votes: MongoVoteRepository
    flags: MongoFlagRepository
    audit: MongoAuditRepository
    tallies: MongoTallyRepository

    async def prefetch(self, events: Sequence[Envelope[Any]]) -> None:
        # Entry events applied together: their entries and their KIMs, one read each.
        entries = [e.data for e in events if isinstance(e.data, c.EntryDetails)]
        await self.entries.load({entry.entry_id for entry in entries})
        await self.kims.load({entry.kim_id for entry in entries})


#: Built only from other services' events: a replay rebuilds them.
PROJECTIONS = (MongoEntryRepository, MongoKimRepository)
