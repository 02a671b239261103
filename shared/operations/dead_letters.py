"""Dead letters: messages a consumer could not process, kept for staff.

Each consuming service reads its own dead-letter queue (see topology): every
message that arrives there is stored in the service's database, with the
`message.dead_lettered` event that tells staff, in one unit of work, and only
then acknowledged. Staff list and inspect them over HTTP and requeue one once
its cause is fixed: it goes back to the consumer queue with its original
message id and type, so a consumer that had in fact processed it skips it.

Every dead letter is kept, whatever its body: bytes that are not UTF-8 are shown
as base64, and a body over `MAX_KEPT_BYTES` is kept truncated, with its full
size and SHA-256 (the broker refuses messages over its `max_message_size`).
Why it was set aside: `publisher_not_allowed` (not published by its event type's
owner, see `messaging.publishers`), `unsupported_version` (a version of its
type no handler reads), `rejected` (it did not match its contract) or
`delivery_limit` (handling it kept failing).

A requeue goes through the service's own `kim.requeue.<service>` exchange,
naming the original publisher, so it is checked again as it first was.
"""

# No `from __future__ import annotations`: the HTTP routes below are defined in a
# function, and FastAPI resolves their annotations at run time.

import base64
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal
from uuid import UUID, uuid4

import aio_pika
from fastapi import APIRouter, Depends, Query, Request
from faststream.message import StreamMessage
from faststream.rabbit import RabbitBroker, RabbitRouter
from faststream.rabbit.annotations import RabbitMessage
from pydantic import BaseModel
from pymongo import DESCENDING

from shared import contracts as c
from shared.kernel.aggregate import Aggregate
from shared.kernel.clock import utcnow
from shared.kernel.errors import Conflict, NotFound
from shared.platform.messaging.consuming import event_type_of_raw
from shared.platform.messaging.publishers import (
    PUBLISHED_BY,
    PUBLISHER_NOT_ALLOWED,
    Publishers,
    checked_exchange,
)
from shared.platform.messaging.topology import DELIVERY_LIMIT, ConsumerQueue
from shared.platform.persistence.mongo import MongoUnitOfWork, Repository
from shared.platform.persistence.outages import patiently
from shared.platform.persistence.unit_of_work import Cause, retry_on_conflict

#: AMQP headers the broker adds when dead-lettering; not carried back on a requeue.
BROKER_HEADERS = (
    "x-death",
    "x-delivery-count",
    "x-first-death-exchange",
    "x-first-death-queue",
    "x-first-death-reason",
    PUBLISHED_BY,
)

#: A longer body is kept truncated to this many bytes, with its size and SHA-256.
MAX_KEPT_BYTES = 256 * 1024

UNSUPPORTED_VERSION = "unsupported_version"


def reason_of(
    message: aio_pika.abc.AbstractIncomingMessage, consumer: ConsumerQueue, publishers: Publishers
) -> str:
    """Why a message was set aside. The broker says `rejected` for every message a
    consumer refused at once; the same checks the consumer made say which one."""
    headers = dict(message.headers or {})
    reason = str(headers.get("x-first-death-reason") or "unknown")
    if reason != "rejected":
        return reason
    exchange = str(headers.get("x-first-death-exchange") or "")
    event_type, version = event_type_of_raw(message, _first_routing_key(headers))
    if checked_exchange(exchange) and not publishers.allowed(event_type, message.user_id, headers, exchange):
        return PUBLISHER_NOT_ALLOWED
    read = {(event.event_type, event.event_version) for event in consumer.handles}
    if event_type in consumer.routing_keys and (event_type, version) not in read:
        return UNSUPPORTED_VERSION
    return reason


def _first_routing_key(headers: dict[str, Any]) -> str | None:
    """The routing key the message was first published with (the broker replaces
    it with the queue's name when dead-lettering)."""
    deaths = headers.get("x-death")
    if isinstance(deaths, list) and deaths and isinstance(deaths[-1], dict):
        keys = deaths[-1].get("routing-keys")
        if isinstance(keys, list) and keys:
            return str(keys[0])
    return None


@dataclass(kw_only=True)
class DeadLetter(Aggregate):
    dead_letter_id: UUID
    queue: str
    message_id: str | None
    event_type: str | None
    correlation_id: str | None
    content_type: str | None
    #: Our headers (e.g. the contract version), without the broker's death records.
    headers: dict[str, Any]
    #: At most MAX_KEPT_BYTES of it; `size` and `sha256` are of the whole body.
    body: bytes
    reason: str
    deliveries: int
    dead_at: datetime
    requeued_at: list[datetime]
    size: int = 0
    sha256: str = ""
    #: The broker user that published it (its validated `user_id`), if known.
    published_by: str | None = None

    @property
    def truncated(self) -> bool:
        return self.size > len(self.body)

    @classmethod
    def of(
        cls,
        message: aio_pika.abc.AbstractIncomingMessage,
        consumer: ConsumerQueue,
        publishers: Publishers,
        now: datetime,
    ) -> "DeadLetter":
        headers = dict(message.headers or {})
        reason = reason_of(message, consumer, publishers)
        exchange = str(headers.get("x-first-death-exchange") or "")
        dead = cls(
            dead_letter_id=uuid4(),
            queue=consumer.name,
            message_id=message.message_id,
            event_type=message.type,
            correlation_id=message.correlation_id,
            content_type=message.content_type,
            headers={k: v for k, v in headers.items() if k not in BROKER_HEADERS and _plain(v)},
            body=message.body[:MAX_KEPT_BYTES],
            size=len(message.body),
            sha256=hashlib.sha256(message.body).hexdigest(),
            published_by=publishers.publisher_of(message.user_id, headers, exchange),
            reason=reason,
            # Rejected at the first delivery, or after the queue's delivery limit.
            deliveries=DELIVERY_LIMIT + 1 if reason == "delivery_limit" else 1,
            dead_at=now,
            requeued_at=[],
        )
        dead.events.append(SetAside(dead))
        return dead

    def requeued(self, now: datetime) -> None:
        self.requeued_at.append(now)


def _plain(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) or value is None


@dataclass(frozen=True)
class SetAside:
    dead_letter: DeadLetter


class DeadLetterNotFound(NotFound):
    code = "dead_letter_not_found"
    field = "dead_letter_id"
    messages: ClassVar[dict[str, str]] = {
        "id": "Pesan tersisih {dead_letter_id} tidak ditemukan.",
        "en": "Dead letter {dead_letter_id} was not found.",
    }


class DeadLetterTruncated(Conflict):
    code = "dead_letter_truncated"
    field = "dead_letter_id"
    messages: ClassVar[dict[str, str]] = {
        "id": (
            "Pesan tersisih {dead_letter_id} terlalu besar dan hanya disimpan sebagian; "
            "tidak bisa dikirim ulang."
        ),
        "en": "Dead letter {dead_letter_id} was too large and is kept only in part; it cannot be sent again.",
    }


class DeadLetterRepository(Repository[DeadLetter]):
    collection_name = "dead_letters"
    aggregate = DeadLetter
    id_field = "dead_letter_id"
    indexes: ClassVar = [{"keys": [("dead_at", DESCENDING)]}]
    not_found = DeadLetterNotFound

    async def newest(self, limit: int) -> list[DeadLetter]:
        return await self._find({}, sort=[("dead_at", DESCENDING)], limit=limit)


class DeadLetterUnitOfWork(MongoUnitOfWork):
    dead_letters: DeadLetterRepository


def to_integration(event: object, *, service: str) -> tuple[c.EventClass, c.Payload]:
    assert isinstance(event, SetAside)
    dead = event.dead_letter
    return c.MessageDeadLettered, c.DeadLetter(
        dead_letter_id=dead.dead_letter_id,
        service=service,
        queue=dead.queue,
        message_id=dead.message_id,
        event_type=dead.event_type,
        reason=dead.reason,
        deliveries=dead.deliveries,
        at=dead.dead_at,
    )


@retry_on_conflict
async def keep(
    uow: DeadLetterUnitOfWork,
    message: aio_pika.abc.AbstractIncomingMessage,
    consumer: ConsumerQueue,
    publishers: Publishers,
) -> DeadLetter:
    async with uow:
        dead = DeadLetter.of(message, consumer, publishers, utcnow())
        uow.dead_letters.add(dead)
        await uow.commit()
    return dead


UnitOfWorkFor = Callable[[Cause], DeadLetterUnitOfWork]


async def _undecoded(message: StreamMessage[Any]) -> None:
    """The dead-letter consumer reads the raw message, never its body as JSON:
    a body that is not JSON (whatever its content type) is kept all the same."""
    return None


def dead_letter_consumer(
    consumer: ConsumerQueue, uow_for: UnitOfWorkFor, publishers: Publishers
) -> RabbitRouter:
    """Reads `consumer`'s dead-letter queue into the service's database."""
    router = RabbitRouter()

    @router.subscriber(consumer.dead_letter_queue(), title=consumer.dead_letter_name, decoder=_undecoded)
    async def keep_dead_letter(message: RabbitMessage) -> None:
        raw = message.raw_message
        await patiently(
            lambda: keep(uow_for(Cause.new(raw.correlation_id)), raw, consumer, publishers),
            what=f"keeping a dead letter of {consumer.name}",
        )

    return router


class DeadLetterSummary(BaseModel):
    dead_letter_id: UUID
    queue: str
    event_type: str | None
    message_id: str | None
    correlation_id: str | None
    reason: str
    deliveries: int
    dead_at: datetime
    requeued_at: list[datetime]

    @classmethod
    def of(cls, dead: DeadLetter) -> "DeadLetterSummary":
        return cls(**{name: getattr(dead, name) for name in cls.model_fields})


class DeadLetterPublic(DeadLetterSummary):
    content_type: str | None
    headers: dict[str, Any]
    published_by: str | None
    body: str
    body_encoding: Literal["utf-8", "json", "base64"]
    #: The whole body's size and SHA-256; `body` holds at most its first 256 KiB.
    size: int
    sha256: str
    truncated: bool

    @classmethod
    def of(cls, dead: DeadLetter) -> "DeadLetterPublic":
        try:
            text = dead.body.decode("utf-8")
            encoding: Literal["utf-8", "json", "base64"] = "utf-8"
            json.loads(text)
            encoding = "json"
        except UnicodeDecodeError:
            text, encoding = base64.b64encode(dead.body).decode("ascii"), "base64"
        except ValueError:
            pass
        summary = DeadLetterSummary.of(dead).model_dump()
        return cls(
            **summary,
            content_type=dead.content_type,
            headers=dead.headers,
            published_by=dead.published_by,
            body=text,
            body_encoding=encoding,
            size=dead.size,
            sha256=dead.sha256,
            truncated=dead.truncated,
        )


async def requeue(
    uow: DeadLetterUnitOfWork,
    broker: RabbitBroker,
    dead_letter_id: UUID,
    consumer: ConsumerQueue,
    publishers: Publishers,
) -> DeadLetter:
    """Send a dead letter back to its queue as it was first sent, naming who first
    sent it, through this service's own requeue exchange; note when."""
    async with uow:
        dead = await uow.dead_letters.require(dead_letter_id)
        if dead.truncated:
            raise DeadLetterTruncated(dead_letter_id=dead_letter_id)
        headers = dict(dead.headers)
        if dead.published_by is not None:
            headers[PUBLISHED_BY] = dead.published_by
        await broker.publish(
            dead.body,
            exchange=consumer.requeue_exchange(),
            routing_key=consumer.name,
            message_id=dead.message_id,
            message_type=dead.event_type,
            correlation_id=dead.correlation_id,
            content_type=dead.content_type,
            headers=headers,
            user_id=publishers.own_user,
            persist=True,
            mandatory=True,
            timeout=10,
        )
        dead.requeued(utcnow())
        await uow.commit()
    return dead


def dead_letter_router(
    broker: RabbitBroker, uow_for: UnitOfWorkFor, consumer: ConsumerQueue, publishers: Publishers
) -> APIRouter:
    router = APIRouter(tags=["dead letters"])

    def uow(request: Request) -> DeadLetterUnitOfWork:
        return uow_for(Cause.new())

    UoW = Annotated[DeadLetterUnitOfWork, Depends(uow)]

    @router.get("/dead-letters", summary="Operators: messages set aside, newest first")
    async def list_dead_letters(
        uow: UoW, limit: Annotated[int, Query(ge=1, le=500)] = 100
    ) -> list[DeadLetterSummary]:
        async with uow:
            return [DeadLetterSummary.of(d) for d in await uow.dead_letters.newest(limit)]

    @router.get("/dead-letters/{dead_letter_id}", summary="Operators: one dead letter, with its body")
    async def show_dead_letter(dead_letter_id: UUID, uow: UoW) -> DeadLetterPublic:
        async with uow:
            return DeadLetterPublic.of(await uow.dead_letters.require(dead_letter_id))

    @router.post(
        "/dead-letters/{dead_letter_id}/requeue",
        summary="Operators: send a dead letter back to its queue, once its cause is fixed",
    )
    async def requeue_dead_letter(dead_letter_id: UUID, uow: UoW) -> DeadLetterSummary:
        return DeadLetterSummary.of(await requeue(uow, broker, dead_letter_id, consumer, publishers))

    return router
