"""MongoDB (via motor) behind each service's repositories and units of work."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import typing
from collections.abc import Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any, ClassVar, Generic, Self, TypeVar

from motor.motor_asyncio import (
    AsyncIOMotorClient,
    AsyncIOMotorClientSession,
    AsyncIOMotorCollection,
    AsyncIOMotorDatabase,
)
from pydantic import TypeAdapter
from pymongo import ReplaceOne
from pymongo.errors import (
    BulkWriteError,
    ConnectionFailure,
    DuplicateKeyError,
    OperationFailure,
    PyMongoError,
)

from shared.contracts import Envelope
from shared.kernel.aggregate import Aggregate
from shared.kernel.clock import utcnow
from shared.kernel.errors import ConcurrentChange, DomainError, NotFound
from shared.platform.messaging.outbox import OUTBOX, OutboxRelay, create_outbox_indexes, outbox_document
from shared.platform.persistence.unit_of_work import Cause, ToIntegration, UnitOfWork

INBOX = "inbox"
WRITE_CONFLICT = 112
DUPLICATE_KEY = 11000


def connect(url: str, app_name: str) -> AsyncIOMotorClient:
    return AsyncIOMotorClient(
        url,
        appname=app_name,
        tz_aware=True,
        uuidRepresentation="standard",
        serverSelectionTimeoutMS=5000,
    )


async def reachable(client: AsyncIOMotorClient, timeout: float = 2.0) -> bool:
    try:
        await asyncio.wait_for(client.admin.command("ping"), timeout)
    except (PyMongoError, TimeoutError):
        return False
    return True


def in_transaction(session: AsyncIOMotorClientSession | None) -> None:
    """Start the unit of work's transaction at its first write.

    Reads before it go without one: a read in a transaction costs the server
    several times more, and what they read is protected all the same, by the
    version every save expects and by the unique indexes.
    """
    if session is not None and not session.in_transaction:  # type: ignore[truthy-function]  # a property; motor's hint says method
        session.start_transaction()


#: Transactions this process committed: what a short in-process cache of a read
#: (`shared.platform.caching.cacheable`, `fresh_for`) checks to never outlive a write.
_committed = 0


def committed() -> int:
    """How many transactions this process has committed so far (only ever grows)."""
    return _committed


def is_concurrent_change(error: BaseException) -> bool:
    return (
        isinstance(error, PyMongoError)
        and (
            error.has_error_label("TransientTransactionError")
            or (isinstance(error, OperationFailure) and error.code == WRITE_CONFLICT)
        )
        and not isinstance(error, ConnectionFailure)
    )


A = TypeVar("A", bound=Aggregate)


class Repository(Generic[A]):
    """Loads and stores one kind of aggregate as documents in one collection.

    Changes are found by comparing an aggregate with the document it was loaded
    from; the unit of work saves them at commit, each save expecting the version
    it read (optimistic locking).
    """

    collection_name: ClassVar[str]
    aggregate: ClassVar[type[Any]]
    id_field: ClassVar[str]
    indexes: ClassVar[Sequence[dict[str, Any]]] = ()
    #: The refusal `require` raises for an id that names nothing; it is given the
    #: id under the name of `id_field` (e.g. `EditionNotFound(edition_id=...)`).
    not_found: ClassVar[type[NotFound]]

    _adapters: ClassVar[dict[type[Any], TypeAdapter[Any]]] = {}

    def __init__(self, db: AsyncIOMotorDatabase, session: AsyncIOMotorClientSession | None) -> None:
        self._collection: AsyncIOMotorCollection = db[self.collection_name]
        self._session = session
        self._loaded: dict[Any, tuple[A, dict[str, Any] | None]] = {}
        #: Ids `load` looked for and did not find: `get` answers None without a round trip.
        self._absent: set[Any] = set()

    @classmethod
    def _adapter(cls) -> TypeAdapter[A]:
        adapter = cls._adapters.get(cls.aggregate)
        if adapter is None:
            adapter = cls._adapters[cls.aggregate] = TypeAdapter(cls.aggregate)
        return adapter

    @classmethod
    def to_document(cls, aggregate: A) -> dict[str, Any]:
        doc = cls._adapter().dump_python(aggregate, exclude={"events"})
        doc["_id"] = doc.pop(cls.id_field)
        return doc

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> A:
        fields = dict(doc)
        fields[cls.id_field] = fields.pop("_id")
        return cls._adapter().validate_python(fields)

    @classmethod
    async def create_indexes(cls, db: AsyncIOMotorDatabase) -> None:
        for index in cls.indexes:
            await db[cls.collection_name].create_index(**index)

    @property
    def seen(self) -> list[A]:
        return [aggregate for aggregate, _ in self._loaded.values()]

    def _track(self, doc: dict[str, Any]) -> A:
        """The aggregate for a loaded document; one object per document in a unit of work."""
        known = self._loaded.get(doc["_id"])
        if known is not None:
            return known[0]
        aggregate = self.from_document(doc)
        self._loaded[doc["_id"]] = (aggregate, self.to_document(aggregate))
        return aggregate

    async def _find_one(self, query: dict[str, Any]) -> A | None:
        doc = await self._collection.find_one(query, session=self._session)
        return None if doc is None else self._track(doc)

    async def _find(
        self, query: dict[str, Any], sort: list[tuple[str, int]] | None = None, limit: int = 0
    ) -> list[A]:
        cursor = self._collection.find(query, session=self._session, sort=sort, limit=limit)
        return [self._track(doc) async for doc in cursor]

    async def _count(self, query: dict[str, Any]) -> int:
        return await self._collection.count_documents(query, session=self._session)

    async def get(self, aggregate_id: Any) -> A | None:
        # Loaded or added in this unit of work already: the same object, no round trip.
        known = self._loaded.get(aggregate_id)
        if known is not None:
            return known[0]
        if aggregate_id in self._absent:
            return None
        return await self._find_one({"_id": aggregate_id})

    async def load(self, aggregate_ids: Iterable[Any]) -> None:
        """Read the aggregates with these ids in one round trip, for the `get`s to
        come (events applied together each ask for their own); an id not found is
        remembered as absent until the unit of work adds it."""
        wanted = {i for i in aggregate_ids if i not in self._loaded and i not in self._absent}
        if not wanted:
            return
        found = await self._find({"_id": {"$in": list(wanted)}})
        self._absent |= wanted - {getattr(a, self.id_field) for a in found}

    async def require(self, aggregate_id: Any) -> A:
        """The aggregate with this id; the repository's `not_found` refusal if there is none."""
        found = await self.get(aggregate_id)
        if found is None:
            raise self.not_found(**{self.id_field: aggregate_id})
        return found

    def add(self, aggregate: A) -> None:
        key = getattr(aggregate, self.id_field)
        self._absent.discard(key)
        self._loaded[key] = (aggregate, None)

    def duplicate(self, aggregate: A) -> DomainError | None:
        """The refusal for an aggregate that breaks one of the unique indexes, if any."""
        return None

    async def save_changes(self) -> None:
        new = [(key, aggregate) for key, (aggregate, original) in self._loaded.items() if original is None]
        if len(new) > 1:
            await self._insert_together(new)
        # Each aggregate's document made once: new ones and changed ones are written.
        pending = [
            (key, aggregate, original, current)
            for key, (aggregate, original) in self._loaded.items()
            if (current := self.to_document(aggregate)) != original
        ]
        changed = [(key, aggregate, current) for key, aggregate, was, current in pending if was is not None]
        if len(changed) > 1:
            await self._replace_together(changed)
            pending = [item for item in pending if item[2] is None]
        for key, aggregate, original, current in pending:
            try:
                saved = await self._save(aggregate, original, current)
            except DuplicateKeyError as error:
                refusal = self.duplicate(aggregate)
                if refusal is not None:
                    raise refusal from error
                if original is None and _on_id(error.details):
                    # Created by another writer since this one found it absent: read again.
                    raise ConcurrentChange() from error
                raise
            self._loaded[key] = (aggregate, saved)

    async def _insert_together(self, new: list[tuple[Any, A]]) -> None:
        """New aggregates in one write: the server's cost is mostly per request."""
        docs = [self.to_document(aggregate) for _, aggregate in new]
        for (_, aggregate), doc in zip(new, docs, strict=True):
            aggregate.version = doc["version"] = 1
        in_transaction(self._session)
        try:
            await self._collection.insert_many(docs, ordered=True, session=self._session)
        except BulkWriteError as error:
            failed = (error.details.get("writeErrors") or [{}])[0]
            if failed.get("code") == WRITE_CONFLICT:
                raise ConcurrentChange() from error
            if failed.get("code") == DUPLICATE_KEY:
                refusal = self.duplicate(new[failed["index"]][1])
                if refusal is not None:
                    raise refusal from error
                if _on_id(failed):
                    raise ConcurrentChange() from error
                message = failed.get("errmsg", "duplicate key")
                raise DuplicateKeyError(message, DUPLICATE_KEY, failed) from error
            raise
        for (key, aggregate), doc in zip(new, docs, strict=True):
            self._loaded[key] = (aggregate, doc)

    async def _replace_together(self, changed: list[tuple[Any, A, dict[str, Any]]]) -> None:
        """Changed aggregates in one write, each replace expecting the version it
        read; any one that finds another version fails them all (the transaction)."""
        requests = []
        for _, aggregate, current in changed:
            current["version"] = aggregate.version + 1
            requests.append(ReplaceOne({"_id": current["_id"], "version": aggregate.version}, current))
        in_transaction(self._session)
        try:
            result = await self._collection.bulk_write(requests, ordered=True, session=self._session)
        except BulkWriteError as error:
            failed = (error.details.get("writeErrors") or [{}])[0]
            if failed.get("code") == WRITE_CONFLICT:
                raise ConcurrentChange() from error
            if failed.get("code") == DUPLICATE_KEY:
                refusal = self.duplicate(changed[failed["index"]][1])
                if refusal is not None:
                    raise refusal from error
                raise DuplicateKeyError(
                    failed.get("errmsg", "duplicate key"), DUPLICATE_KEY, failed
                ) from error
            raise
        if result.matched_count != len(changed):
            raise ConcurrentChange()
        for key, aggregate, current in changed:
            aggregate.version = current["version"]
            self._loaded[key] = (aggregate, current)

    async def _save(
        self, aggregate: A, original: dict[str, Any] | None, current: dict[str, Any]
    ) -> dict[str, Any] | None:
        """Write the aggregate (`current`, its document now) if it changed from
        `original`; return the document as now stored."""
        if original is None:
            aggregate.version = current["version"] = 1
            in_transaction(self._session)
            await self._collection.insert_one(current, session=self._session)
        elif current != original:
            read_version = aggregate.version
            current["version"] = read_version + 1
            in_transaction(self._session)
            result = await self._collection.replace_one(
                {"_id": current["_id"], "version": read_version}, current, session=self._session
            )
            if result.matched_count != 1:
                raise ConcurrentChange()
            aggregate.version = read_version + 1
        return current


def _on_id(details: Mapping[str, Any] | None) -> bool:
    """Whether a duplicate-key error is about the document's `_id` (not another unique index)."""
    details = details or {}
    pattern = details.get("keyPattern")
    if isinstance(pattern, dict):
        return list(pattern) == ["_id"]
    return "_id_" in str(details.get("errmsg", ""))


@functools.cache
def _declared_repositories(unit_of_work: type[MongoUnitOfWork]) -> dict[str, type[Repository[Any]]]:
    return {
        name: hint
        for name, hint in typing.get_type_hints(unit_of_work).items()
        if isinstance(hint, type) and issubclass(hint, Repository)
    }


class MongoUnitOfWork(UnitOfWork):
    """One MongoDB transaction: the aggregates' changes, the events they caused
    (the outbox) and, for a consumer, the events it processed (the inbox).

    The transaction starts at the first write (see `in_transaction`); a unit of
    work that only reads has none.
    """

    def __init__(
        self,
        client: AsyncIOMotorClient,
        database: str,
        *,
        producer: str,
        to_integration: ToIntegration,
        cause: Cause,
        relay: OutboxRelay | None = None,
    ) -> None:
        super().__init__(producer=producer, to_integration=to_integration, cause=cause)
        self._client = client
        self.db: AsyncIOMotorDatabase = client[database]
        self._relay = relay
        self.session: AsyncIOMotorClientSession | None = None
        self._committed_events = 0
        #: Processed records of events claimed together, written at commit.
        self._claims: list[dict[str, Any]] = []

    @classmethod
    def repository_classes(cls) -> dict[str, type[Repository[Any]]]:
        """The repositories a unit of work declares, by attribute name: its class
        annotations whose type is a `Repository` (`kims: MongoKimRepository`)."""
        return _declared_repositories(cls)

    @property
    def repositories(self) -> Iterable[Repository[Any]]:
        """The unit of work's repositories, opened for this unit of work."""
        return [getattr(self, name) for name in self.repository_classes()]

    def open_repositories(self, session: AsyncIOMotorClientSession) -> None:
        """Open each declared repository, bound to `session`."""
        for name, repository in self.repository_classes().items():
            setattr(self, name, repository(self.db, session))

    def seen(self) -> Iterable[Aggregate]:
        for repository in self.repositories:
            yield from repository.seen

    async def __aenter__(self) -> Self:
        self.session = await self._client.start_session()
        self.open_repositories(self.session)
        self._committed_events = 0
        self._claims = []
        self.staged = []
        self.traceparents = {}
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self.session is not None
        try:
            if self.session.in_transaction:  # type: ignore[truthy-function]  # a property
                with contextlib.suppress(PyMongoError):
                    await self.session.abort_transaction()
        finally:
            await self.session.end_session()
        if exc is not None and is_concurrent_change(exc):
            raise ConcurrentChange() from exc
        if self._committed_events and self._relay is not None:
            self._relay.wake()

    async def flush(self) -> None:
        try:
            for repository in self.repositories:
                await repository.save_changes()
        except PyMongoError as error:
            if is_concurrent_change(error):
                raise ConcurrentChange() from error
            raise

    async def commit(self) -> None:
        assert self.session is not None
        self.store_alongside()  # before the flush, which saves what it adds
        await self.flush()
        try:
            events = self.events_to_store(alongside=False)
            if self._claims:
                in_transaction(self.session)
                await self.db[INBOX].insert_many(self._claims, session=self.session)
                self._claims = []
            if events:
                in_transaction(self.session)
                await self.db[OUTBOX].insert_many(
                    [outbox_document(event, self.traceparents.pop(event.event_id, None)) for event in events],
                    session=self.session,
                )
            await self._commit_transaction()
        except PyMongoError as error:
            if is_concurrent_change(error):
                raise ConcurrentChange() from error
            raise
        self._committed_events = len(events)

    async def _commit_transaction(self) -> None:
        assert self.session is not None
        if not self.session.in_transaction:  # type: ignore[truthy-function]  # a property
            return  # nothing was written
        try:
            for _ in range(3):
                try:
                    await self.session.commit_transaction()
                    return
                except PyMongoError as error:
                    if not error.has_error_label("UnknownTransactionCommitResult"):
                        raise
            await self.session.commit_transaction()
        finally:
            # Once it is done (or may be): what anyone read before is older than this.
            global _committed  # noqa: PLW0603 - one counter per process, by design
            _committed += 1

    async def claim(self, event: Envelope[Any]) -> bool:
        # Insert first: a redelivery meets the unique _id and changes nothing; two
        # copies handled at once conflict, and the loser finds the record on retry.
        in_transaction(self.session)
        try:
            await self.db[INBOX].insert_one(_processed(event), session=self.session)
        except DuplicateKeyError:
            return False
        return True

    async def claim_all(self, events: Sequence[Envelope[Any]]) -> list[bool]:
        # One read for all, one write at commit. A copy being handled elsewhere
        # meanwhile makes that write conflict: the commit fails and the group
        # commit applies each event alone (see `GroupCommit`).
        ids = list({event.event_id for event in events})
        found = self.db[INBOX].find({"_id": {"$in": ids}}, {"_id": 1}, session=self.session)
        done = {doc["_id"] async for doc in found}
        fresh = []
        for event in events:
            fresh.append(event.event_id not in done)
            if fresh[-1]:
                self._claims.append(_processed(event))
            done.add(event.event_id)
        return fresh


def _processed(event: Envelope[Any]) -> dict[str, Any]:
    return {"_id": event.event_id, "type": event.type, "processed_at": utcnow()}


async def prepare_database(db: AsyncIOMotorDatabase, repositories: Iterable[type[Repository[Any]]]) -> None:
    """Create the collections and indexes a service needs, before it serves."""
    existing = set(await db.list_collection_names())
    # Collections cannot be created inside a transaction on every server; make them first.
    for name in {OUTBOX, INBOX, *(r.collection_name for r in repositories)} - existing:
        with contextlib.suppress(OperationFailure):
            await db.create_collection(name)
    await create_outbox_indexes(db[OUTBOX])
    for repository in repositories:
        await repository.create_indexes(db)
