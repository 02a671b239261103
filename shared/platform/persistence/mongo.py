"""MongoDB (via motor) behind each service's repositories and units of work."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, ClassVar, Generic, Self, TypeVar

from motor.motor_asyncio import (
    AsyncIOMotorClient,
    AsyncIOMotorClientSession,
    AsyncIOMotorCollection,
    AsyncIOMotorDatabase,
)
from pydantic import TypeAdapter
from pymongo import InsertOne, ReplaceOne, monitoring
from pymongo.errors import (
    ClientBulkWriteException,
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


def connect(
    url: str, app_name: str, listeners: Sequence[monitoring.CommandListener] = ()
) -> AsyncIOMotorClient:
    return AsyncIOMotorClient(
        url,
        appname=app_name,
        tz_aware=True,
        uuidRepresentation="standard",
        serverSelectionTimeoutMS=5000,
        event_listeners=list(listeners),
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

    @property
    def namespace(self) -> str:
        return f"{self._collection.database.name}.{self.collection_name}"

    def changes(self) -> list[Change]:
        """What committing would write: each new aggregate inserted and each changed
        one replaced, expecting the version it read, in the order they were met."""
        found = []
        for key, (aggregate, original) in self._loaded.items():
            current = self.to_document(aggregate)
            if current != original:
                found.append(Change(self, key, aggregate, current, new=original is None))
        return found

    def stored(self, change: Change) -> None:
        """The change is written: what was written is what the aggregate was loaded as."""
        self._loaded[change.key] = (change.aggregate, change.document)


@dataclass
class Change:
    """One aggregate's write at commit: an insert, or a replace that expects the
    version the unit of work read (optimistic locking)."""

    repository: Repository[Any]
    key: Any
    aggregate: Any
    document: dict[str, Any]
    new: bool

    def __post_init__(self) -> None:
        self.read_version = 0 if self.new else self.aggregate.version
        self.document["version"] = self.read_version + 1

    @property
    def write(self) -> InsertOne[Any] | ReplaceOne[Any]:
        namespace = self.repository.namespace
        if self.new:
            return InsertOne(namespace=namespace, document=self.document)
        expected = {"_id": self.document["_id"], "version": self.read_version}
        return ReplaceOne(namespace=namespace, filter=expected, replacement=self.document)

    def refusal(self, failed: Mapping[str, Any]) -> Exception | None:
        """What a duplicate key on this change means: the repository's refusal, or a
        concurrent change (created by another writer since this one found it absent)."""
        refusal = self.repository.duplicate(self.aggregate)
        if refusal is not None:
            return refusal
        if self.new and _on_id(failed):
            return ConcurrentChange()
        return None


def _write_refusal(error: ClientBulkWriteException, changes: Sequence[Change]) -> Exception:
    """The error a unit of work's write raises for a failed `bulkWrite`."""
    if isinstance(error.error, PyMongoError):  # the command failed as a whole
        return ConcurrentChange() if is_concurrent_change(error.error) else error.error
    # Each write error is a document (the server's), though typed as `WriteError`.
    errors: list[Any] = list(error.write_errors or ())
    failed: Mapping[str, Any] = errors[0] if errors else {}
    if failed.get("code") == WRITE_CONFLICT:
        return ConcurrentChange()
    if failed.get("code") == DUPLICATE_KEY:
        index = failed.get("idx")
        change = changes[index] if isinstance(index, int) and index < len(changes) else None
        refusal = change.refusal(failed) if change is not None else None
        if refusal is not None:
            return refusal
        return DuplicateKeyError(failed.get("errmsg", "duplicate key"), DUPLICATE_KEY, failed)
    return error


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
    (the outbox) and, for a consumer, the events it processed (the inbox), written
    at commit in one `bulkWrite` (MongoDB 8.0+) before the commit itself.

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
        # Not causally consistent: every read and write goes to the primary, which
        # already reads its own writes; a causal session would send the transaction's
        # first command a `readConcern`, which `bulkWrite` does not take.
        self.session = await self._client.start_session(causal_consistency=False)
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
        """Write what the aggregates changed so far (in the transaction, not yet committed)."""
        await self._write(self._changes())

    async def commit(self) -> None:
        """One write and the commit: every aggregate's change, the processed records
        and the outbox records go to the server in one `bulkWrite` (MongoDB 8.0's
        write across collections; a round trip is most of a write's cost)."""
        assert self.session is not None
        self.store_alongside()  # before the changes are gathered: it may add aggregates
        changes = self._changes()
        events = self.events_to_store(alongside=False)  # after: they carry the new versions
        claims, self._claims = self._claims, []
        inbox, outbox = f"{self.db.name}.{INBOX}", f"{self.db.name}.{OUTBOX}"
        await self._write(
            changes,
            [InsertOne(namespace=inbox, document=claim) for claim in claims]
            + [
                InsertOne(
                    namespace=outbox,
                    document=outbox_document(event, self.traceparents.pop(event.event_id, None)),
                )
                for event in events
            ],
        )
        try:
            await self._commit_transaction()
        except PyMongoError as error:
            if is_concurrent_change(error):
                raise ConcurrentChange() from error
            raise
        self._committed_events = len(events)

    def _changes(self) -> list[Change]:
        """What the aggregates changed; each changed aggregate takes the version it is
        written with (the events collected next carry it; a write that fails
        abandons the unit of work)."""
        changes = [change for repository in self.repositories for change in repository.changes()]
        for change in changes:
            change.aggregate.version = change.document["version"]
        return changes

    async def _write(self, changes: Sequence[Change], records: Sequence[InsertOne[Any]] = ()) -> None:
        """The aggregates' changes, then `records`, in one ordered `bulkWrite` in the
        transaction. A replace that finds another version than it read fails it all."""
        writes = [change.write for change in changes] + list(records)
        if not writes:
            return
        in_transaction(self.session)
        try:
            result = await self._client.bulk_write(
                writes,
                ordered=True,
                session=self.session,  # type: ignore[arg-type]  # motor's session; the hint names pymongo's
            )
        except ClientBulkWriteException as error:
            raise _write_refusal(error, changes) from error
        except PyMongoError as error:
            if is_concurrent_change(error):
                raise ConcurrentChange() from error
            raise
        if result.matched_count != sum(not change.new for change in changes):
            raise ConcurrentChange()
        for change in changes:
            change.repository.stored(change)

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
