"""What the fault suite needs besides the stack: a TCP proxy to cut a producer off
the broker, a duplicator that delivers every message twice, a load that keeps
going through outages, and a ledger that counts what each consumer did."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aio_pika
import httpx
from motor.motor_asyncio import AsyncIOMotorClient

from devstack.processes import free_port
from shared.platform.messaging import CONSUMER_QUEUES, EVENTS, REPLAY

from ..support import OwnerPublisher, owner_of

CONSUMERS = ("submissions", "judging", "notifications")


class TcpProxy:
    """Forwards loopback TCP connections to a target port; `cut` drops them all
    and refuses new ones until `restore`: a network partition, on loopback."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = free_port()
        self._cut = False
        self._writers: set[asyncio.StreamWriter] = set()
        self._server: asyncio.base_events.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._connect, "127.0.0.1", self.port)

    async def _connect(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        if self._cut:
            client_writer.close()
            return
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            client_writer.close()
            return
        self._writers |= {client_writer, upstream_writer}
        await asyncio.gather(
            self._pipe(client_reader, upstream_writer), self._pipe(upstream_reader, client_writer)
        )

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()
            self._writers.discard(writer)

    def cut(self) -> None:
        self._cut = True
        for writer in list(self._writers):
            writer.close()
        self._writers.clear()

    def restore(self) -> None:
        self._cut = False

    async def stop(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()


class Duplicator:
    """Delivers every event a second time to each consumer queue that reads it,
    with the same message id and properties: what a redelivery looks like. Each
    copy goes as its owner's broker user (its `user_id`) through `kim.replay`,
    the one path to a single queue a service's user has."""

    def __init__(self, amqp_url: str, url_for: Callable[[str], str]) -> None:
        self._url = amqp_url
        self._url_for = url_for
        self.copies = 0

    async def __aenter__(self) -> Duplicator:
        self._connection = await aio_pika.connect(self._url)
        self._owners = OwnerPublisher(self._url_for)
        channel = await self._connection.channel()
        exchange = await channel.get_exchange(EVENTS.name)
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        readers: dict[str, list[str]] = {}
        for consumer in CONSUMER_QUEUES:
            for key in consumer.routing_keys:
                readers.setdefault(key, []).append(consumer.name)
        for key in readers:
            await queue.bind(exchange, routing_key=key)

        async def copy(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            async with message.process():
                key = message.routing_key or ""
                for target in readers.get(key, []):
                    owner = message.user_id or owner_of(key)
                    replay = await (await self._owners.channel(owner)).get_exchange(REPLAY.name, ensure=False)
                    await replay.publish(
                        aio_pika.Message(
                            message.body,
                            message_id=message.message_id,
                            type=message.type,
                            correlation_id=message.correlation_id,
                            content_type=message.content_type,
                            headers=dict(message.headers or {}),
                            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                            user_id=owner,
                        ),
                        routing_key=f"{target}.{key}",
                    )
                    self.copies += 1

        await queue.consume(copy)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._connection.close()
        await self._owners.__aexit__()


async def publish_poison(url_for: Callable[[str], str], count: int) -> list[str]:
    """Messages with a known routing key whose bodies break the contract, from
    the broker user of that key's owner (the registry), so only the body is wrong."""
    ids = [f"poison-{uuid.uuid4().hex[:8]}" for _ in range(count)]
    connection = await aio_pika.connect(url_for("registry"))
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(EVENTS.name)
        for message_id in ids:
            await exchange.publish(
                aio_pika.Message(
                    b'{"event_id": "not-an-id", "type": "edition.updated", "data": {"title": 7}}',
                    message_id=message_id,
                    type="edition.updated",
                    content_type="application/json",
                    headers={"version": 1},
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                    user_id="registry",
                ),
                routing_key="edition.updated",
            )
    return ids


@dataclass
class Load:
    """Revises one published edition `count` times through the registry's HTTP API,
    one request at a time (no faster than `per_second`, if given), trying again while
    the registry or its database is away."""

    registry_url: str
    edition_id: str
    count: int
    staff: dict[str, str]
    #: At most this many revisions a second (None: one after another, as fast as answered).
    per_second: float | None = None
    done: int = 0
    refused: int = 0
    started_at: float = field(default_factory=time.monotonic)

    async def run(self, checkpoints: dict[int, asyncio.Event] | None = None) -> None:
        checkpoints = checkpoints or {}
        began = time.monotonic()
        async with httpx.AsyncClient(base_url=self.registry_url, timeout=10, headers=self.staff) as http:
            while self.done < self.count:
                if self.per_second:
                    await asyncio.sleep(max(0.0, began + self.done / self.per_second - time.monotonic()))
                try:
                    response = await http.patch(
                        f"/editions/{self.edition_id}", json={"description": f"Revisi {self.done + 1}"}
                    )
                except httpx.HTTPError:
                    response = None
                if response is not None and response.status_code == 200:
                    self.done += 1
                    if self.done in checkpoints:
                        checkpoints[self.done].set()
                    continue
                self.refused += 1
                await asyncio.sleep(0.2)


class Ledger:
    """Counts, from the services' own databases, what was sent and what each consumer did.

    Cheap reads while the pipeline runs (one lookup by id); exact counts once,
    at the end, by reading the ids and comparing sets here: a large `$in`
    costs the database seconds, which would slow the very pipeline measured.
    """

    def __init__(self, mongodb_url: str, database_suffix: str) -> None:
        self._client = AsyncIOMotorClient(
            mongodb_url, uuidRepresentation="standard", tz_aware=True, serverSelectionTimeoutMS=2000
        )
        self._suffix = database_suffix

    def db(self, service: str) -> Any:
        return self._client[service + self._suffix]

    async def edition_updates(self) -> dict[uuid.UUID, Any]:
        """Every edition.updated the registry stored (what is sent, sooner or later), with when."""
        cursor = self.db("registry")["outbox"].find({"type": "edition.updated"}, {"occurred_at": 1})
        return {doc["_id"]: doc["occurred_at"] async for doc in cursor}

    async def pending_in_registry(self) -> int:
        return await self.db("registry")["outbox"].count_documents({"state": "pending"})

    async def applied_everywhere(self, event_id: uuid.UUID) -> bool:
        """Whether every consumer has recorded `event_id` as processed."""
        with contextlib.suppress(Exception):  # the database may be on its way back
            for consumer in CONSUMERS:
                if await self.db(consumer)["inbox"].find_one({"_id": event_id}, {"_id": 1}) is None:
                    return False
            return True
        return False

    async def processed(self, consumer: str) -> set[uuid.UUID]:
        return {doc["_id"] async for doc in self.db(consumer)["inbox"].find({}, {"_id": 1})}

    async def effected(self, consumer: str, sent: set[uuid.UUID]) -> int:
        """Events of `sent` the consumer applied: each is recorded with its effect."""
        return len(sent & await self.processed(consumer))

    async def inbox_deliveries(self, sent: set[uuid.UUID]) -> tuple[int, int]:
        """(deliveries, distinct events) in staff inboxes for `sent`."""
        cursor = self.db("notifications")["deliveries"].find({"channel": "inbox"}, {"event_id": 1})
        delivered = [doc["event_id"] async for doc in cursor if doc["event_id"] in sent]
        return len(delivered), len(set(delivered))

    async def whatsapp_deliveries(self, sent: set[uuid.UUID]) -> list[dict[str, Any]]:
        """The WhatsApp deliveries of `sent`: event, status and the gateway's message id."""
        cursor = self.db("notifications")["deliveries"].find(
            {"channel": "whatsapp"}, {"event_id": 1, "status": 1, "provider_message_id": 1}
        )
        return [doc async for doc in cursor if doc["event_id"] in sent]

    async def whatsapp_settled(self, sent: set[uuid.UUID]) -> bool:
        """Whether every WhatsApp delivery of `sent` has left `pending`."""
        with contextlib.suppress(Exception):
            found = await self.whatsapp_deliveries(sent)
            return len(found) >= len(sent) and all(doc["status"] != "pending" for doc in found)
        return False

    async def dead_letters(self, message_ids: list[str] | None = None) -> int:
        query: dict[str, Any] = {} if message_ids is None else {"message_id": {"$in": message_ids}}
        counts = [await self.db(consumer)["dead_letters"].count_documents(query) for consumer in CONSUMERS]
        return sum(counts)

    async def drained(self, sent: set[uuid.UUID]) -> bool:
        with contextlib.suppress(Exception):
            for consumer in CONSUMERS:
                if not sent <= await self.processed(consumer):
                    return False
            return True
        return False

    async def progress(self, sent: set[uuid.UUID]) -> str:
        """Where each consumer stands, for a failure message."""
        parts = [f"sent {len(sent)}"]
        for consumer in CONSUMERS:
            parts.append(f"{consumer} {await self.effected(consumer, sent)}")
        deliveries, distinct = await self.inbox_deliveries(sent)
        parts.append(f"inbox deliveries {deliveries} ({distinct} events)")
        with contextlib.suppress(Exception):
            chats = await self.whatsapp_deliveries(sent)
            states: dict[str, int] = {}
            for doc in chats:
                states[doc["status"]] = states.get(doc["status"], 0) + 1
            parts.append(f"whatsapp deliveries {len(chats)} {states}")
        parts.append(f"dead letters {await self.dead_letters()}")
        return ", ".join(parts)

    def close(self) -> None:
        self._client.close()


@dataclass
class Outcome:
    case: str
    sent: int
    effected: int
    expected: int
    duplicated: int
    dead_lettered: int
    recovery_seconds: float
    note: str = ""
    #: WhatsApp: deliveries (one per event), messages the gateway took, of them sent twice.
    whatsapp_deliveries: int = 0
    whatsapp_messages: int = 0
    whatsapp_sent_twice: int = 0

    @property
    def lost(self) -> int:
        return self.expected - self.effected

    def row(self) -> str:
        return (
            f"| {self.case} | {self.sent} | {self.effected} / {self.expected} | {self.lost} | "
            f"{self.duplicated} | {self.dead_lettered} | {self.recovery_seconds:.1f} | "
            f"{self.whatsapp_deliveries} / {self.whatsapp_messages} / {self.whatsapp_sent_twice} | "
            f"{self.note} |"
        )


HEADER = (
    "| case | events sent | effects (3 consumers) | lost | duplicated | dead-lettered "
    "| seconds to recover | WhatsApp deliveries / messages / sent twice | notes |\n"
    "|---|---|---|---|---|---|---|---|---|"
)


class PublishCounter:
    """Counts what the broker routed to `routing_key` on kim.events by message id
    (the event id), through a queue of its own: a publish made twice shows as an id
    seen twice, whether or not the consumers' inboxes then ignore the copy."""

    def __init__(self, amqp_url: str, routing_key: str) -> None:
        self._url = amqp_url
        self._key = routing_key
        self.seen: dict[str, int] = {}

    @property
    def twice(self) -> int:
        """Deliveries beyond the first of each event id."""
        return sum(self.seen.values()) - len(self.seen)

    async def __aenter__(self) -> PublishCounter:
        self._connection = await aio_pika.connect(self._url)
        channel = await self._connection.channel()
        await channel.set_qos(prefetch_count=500)
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        await queue.bind(await channel.get_exchange(EVENTS.name), routing_key=self._key)

        async def count(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            async with message.process():
                key = message.message_id or ""
                self.seen[key] = self.seen.get(key, 0) + 1

        await queue.consume(count)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._connection.close()


@dataclass
class VoteFaultOutcome:
    case: str
    voters: int
    acknowledged: int
    stored: int
    stored_twice: int
    #: Acknowledged (201) but not stored.
    lost: int
    #: Stored but never acknowledged to the voter.
    unacknowledged_stored: int
    refused: dict[str, int]
    retried: int
    recovery_seconds: float
    note: str = ""

    def row(self) -> str:
        return (
            f"| {self.case} | {self.voters} | {self.acknowledged} | {self.stored} | {self.lost} | "
            f"{self.unacknowledged_stored} | {self.stored_twice} | "
            f"{self.retried} | {self.refused or 0} | {self.recovery_seconds:.1f} | {self.note} |"
        )


VOTE_HEADER = (
    "| case | voters | acknowledged (201) | stored | lost | stored, not acknowledged | stored twice "
    "| requests sent again | other answers | seconds to recover | notes |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|"
)
