"""Dead letters: messages a consumer could not process, kept for staff.

Each consuming service reads its own dead-letter queue (see topology): every
message that arrives there is stored in the service's database, with the
`message.dead_lettered` event that tells staff, in one unit of work, and only
then acknowledged. Staff list and inspect them over HTTP and requeue one once
its cause is fixed: it goes back to the consumer queue with its original
message id and type, so a consumer that had in fact processed it skips it.
"""

# No `from __future__ import annotations`: the HTTP routes below are defined in a
# function, and FastAPI resolves their annotations at run time.

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal
from uuid import UUID, uuid4

import aio_pika
from fastapi import APIRouter, Depends, Query, Request
from faststream.rabbit import RabbitBroker, RabbitRouter
from faststream.rabbit.annotations import RabbitMessage
from pydantic import BaseModel
from pymongo import DESCENDING

from shared import contracts as c
from shared.kernel.aggregate import Aggregate
from shared.kernel.clock import utcnow
from shared.kernel.errors import NotFound
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
)


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
    body: bytes
    reason: str
    deliveries: int
    dead_at: datetime
    requeued_at: list[datetime]

    @classmethod
    def of(cls, message: aio_pika.abc.AbstractIncomingMessage, queue: str, now: datetime) -> "DeadLetter":
        headers = dict(message.headers or {})
        reason = str(headers.get("x-first-death-reason") or "unknown")
        dead = cls(
            dead_letter_id=uuid4(),
            queue=queue,
            message_id=message.message_id,
            event_type=message.type,
            correlation_id=message.correlation_id,
            content_type=message.content_type,
            headers={k: v for k, v in headers.items() if k not in BROKER_HEADERS and _plain(v)},
            body=message.body,
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
    uow: DeadLetterUnitOfWork, message: aio_pika.abc.AbstractIncomingMessage, queue: str
) -> DeadLetter:
    async with uow:
        dead = DeadLetter.of(message, queue, utcnow())
        uow.dead_letters.add(dead)
        await uow.commit()
    return dead


UnitOfWorkFor = Callable[[Cause], DeadLetterUnitOfWork]


def dead_letter_consumer(consumer: ConsumerQueue, uow_for: UnitOfWorkFor) -> RabbitRouter:
    """Reads `consumer`'s dead-letter queue into the service's database."""
    router = RabbitRouter()

    @router.subscriber(consumer.dead_letter_queue(), title=consumer.dead_letter_name)
    async def keep_dead_letter(message: RabbitMessage) -> None:
        raw = message.raw_message
        await patiently(
            lambda: keep(uow_for(Cause.new(raw.correlation_id)), raw, consumer.name),
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
    body: str
    body_encoding: Literal["utf-8", "json", "hex"]

    @classmethod
    def of(cls, dead: DeadLetter) -> "DeadLetterPublic":
        try:
            text = dead.body.decode("utf-8")
            encoding: Literal["utf-8", "json", "hex"] = "utf-8"
            json.loads(text)
            encoding = "json"
        except UnicodeDecodeError:
            text, encoding = dead.body.hex(), "hex"
        except ValueError:
            pass
        summary = DeadLetterSummary.of(dead).model_dump()
        return cls(
            **summary, content_type=dead.content_type, headers=dead.headers, body=text, body_encoding=encoding
        )


async def requeue(uow: DeadLetterUnitOfWork, broker: RabbitBroker, dead_letter_id: UUID) -> DeadLetter:
    """Send a dead letter back to its queue as it was first sent, and note when."""
    async with uow:
        dead = await uow.dead_letters.require(dead_letter_id)
        await broker.publish(
            dead.body,
            routing_key=dead.queue,
            message_id=dead.message_id,
            message_type=dead.event_type,
            correlation_id=dead.correlation_id,
            content_type=dead.content_type,
            headers=dead.headers,
            persist=True,
            mandatory=True,
            timeout=10,
        )
        dead.requeued(utcnow())
        await uow.commit()
    return dead


def dead_letter_router(broker: RabbitBroker, uow_for: UnitOfWorkFor) -> APIRouter:
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
        return DeadLetterSummary.of(await requeue(uow, broker, dead_letter_id))

    return router
