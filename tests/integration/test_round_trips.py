"""Fewer round trips per event, against the real MongoDB wire server: aggregates
read together for the effects to come, changed aggregates saved in one write,
each still expecting the version it read."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import pytest
from motor.motor_asyncio import AsyncIOMotorClient
from pymongo import monitoring

from shared.kernel.aggregate import Aggregate
from shared.kernel.errors import ConcurrentChange, NotFound
from shared.platform.persistence.mongo import MongoUnitOfWork, Repository, prepare_database
from shared.platform.persistence.unit_of_work import Cause


@dataclass(kw_only=True)
class Note(Aggregate):
    note_id: UUID
    text: str


class Notes(Repository[Note]):
    collection_name = "notes"
    aggregate = Note
    id_field = "note_id"
    not_found = NotFound


class NotesUnitOfWork(MongoUnitOfWork):
    notes: Notes


class Commands(monitoring.CommandListener):
    """The commands a client sends, by name (what the server counts)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        self.sent.append((event.command_name, dict(event.command)))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        return None

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        return None

    def names(self) -> list[str]:
        return [name for name, _ in self.sent]


@pytest.fixture
async def store(mongodb_url: str, database_name: str) -> AsyncIterator[tuple[AsyncIOMotorClient, Commands]]:
    commands = Commands()
    client: AsyncIOMotorClient = AsyncIOMotorClient(
        mongodb_url, uuidRepresentation="standard", tz_aware=True, event_listeners=[commands]
    )
    await prepare_database(client[database_name], [Notes])
    commands.sent.clear()
    yield client, commands
    client.close()


def unit(client: AsyncIOMotorClient, database_name: str) -> NotesUnitOfWork:
    return NotesUnitOfWork(
        client, database_name, producer="test", to_integration=lambda _: None, cause=Cause.new()
    )


async def stored(client: AsyncIOMotorClient, database_name: str, *texts: str) -> list[UUID]:
    ids = [uuid4() for _ in texts]
    await client[database_name]["notes"].insert_many(
        [{"_id": i, "text": t, "version": 1} for i, t in zip(ids, texts, strict=True)]
    )
    return ids


async def test_loaded_together_the_gets_that_follow_ask_nothing(store: Any, database_name: str) -> None:
    client, commands = store
    first, second = await stored(client, database_name, "a", "b")
    missing = uuid4()
    commands.sent.clear()
    async with unit(client, database_name) as uow:
        await uow.notes.load([first, second, missing])
        assert commands.names() == ["find"]
        found = [await uow.notes.get(i) for i in (first, second, missing)]
        assert [n.text if n else None for n in found] == ["a", "b", None]
        assert commands.names() == ["find"], "no round trip for what was loaded, nor for what is absent"
        uow.notes.add(Note(note_id=missing, text="c"))
        added = await uow.notes.get(missing)
        assert added is not None and added.text == "c"


async def test_changed_aggregates_are_saved_in_one_write_each_expecting_its_version(
    store: Any, database_name: str
) -> None:
    client, commands = store
    ids = await stored(client, database_name, "a", "b", "c")
    added = uuid4()
    async with unit(client, database_name) as uow:
        await uow.notes.load(ids)
        for number, i in enumerate(ids):
            note = await uow.notes.require(i)
            note.text = f"changed {number}"
        uow.notes.add(Note(note_id=added, text="new"))
        commands.sent.clear()
        await uow.commit()
    assert commands.names() == ["bulkWrite", "commitTransaction"], "one write and the commit"
    (write,) = [command for name, command in commands.sent if name == "bulkWrite"]
    assert [next(iter(op)) for op in write["ops"]] == ["update", "update", "update", "insert"]
    expected = [op["filter"]["version"] for op in write["ops"][:3]]
    assert expected == [1, 1, 1], "each expects the version it read"
    docs = {d["_id"]: d async for d in client[database_name]["notes"].find({"_id": {"$in": [*ids, added]}})}
    assert [(docs[i]["text"], docs[i]["version"]) for i in ids] == [(f"changed {n}", 2) for n in range(3)]
    assert (docs[added]["text"], docs[added]["version"]) == ("new", 1)


async def test_one_changed_meanwhile_fails_the_whole_write(store: Any, database_name: str) -> None:
    client, _ = store
    ids = await stored(client, database_name, "a", "b")
    with pytest.raises(ConcurrentChange):
        async with unit(client, database_name) as uow:
            await uow.notes.load(ids)
            for i in ids:
                (await uow.notes.require(i)).text = "mine"
            # Someone else saves the second one first.
            await client[database_name]["notes"].update_one(
                {"_id": ids[1]}, {"$set": {"text": "theirs", "version": 2}}
            )
            await uow.commit()
    docs = {d["_id"]: d async for d in client[database_name]["notes"].find({"_id": {"$in": ids}})}
    assert [docs[i]["text"] for i in ids] == ["a", "theirs"], "nothing of the failed unit of work stays"


async def test_an_aggregate_created_meanwhile_by_another_writer_is_a_concurrent_change(
    store: Any, database_name: str
) -> None:
    """Found absent, then created by someone else before this commit: read again
    (`retry_on_conflict`), not a 500 for a duplicate key (fuzzing found one)."""
    client, _ = store
    note_id = uuid4()
    with pytest.raises(ConcurrentChange):
        async with unit(client, database_name) as uow:
            assert await uow.notes.get(note_id) is None
            await client[database_name]["notes"].insert_one({"_id": note_id, "text": "first", "version": 1})
            uow.notes.add(Note(note_id=note_id, text="second"))
            await uow.commit()
    assert (await client[database_name]["notes"].find_one({"_id": note_id}))["text"] == "first"
