"""Nobody forges an event, and no poison is lost (issue 15, items 1 and 2).

Each service connects as its own broker user, with exactly the permissions of
deploy/rabbitmq/definitions.template.json (see tests/conftest.py). A forged
event is tried on every consumer queue through every path a service's user
has; what the broker lets through is dead-lettered by the consumer, whose
effect stays absent; a genuine event is still applied.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any
from uuid import uuid4

import aio_pika
import httpx
from judging.main import create_app as create_judging
from motor.motor_asyncio import AsyncIOMotorClient
from notifications.main import create_app as create_notifications
from submissions.main import create_app as create_submissions
from voting.main import create_app as create_voting

from devstack.rabbitmq import MAX_MESSAGE_SIZE
from shared import contracts as c
from shared.operations.dead_letters import MAX_KEPT_BYTES
from shared.platform.messaging import CONSUMER_QUEUES, EVENTS, REPLAY, ConsumerQueue
from shared.platform.messaging.publishers import OWNERS, PUBLISHED_BY
from shared.platform.persistence.mongo import INBOX

from ..support import OwnerPublisher, eventually, serving
from ..unit.notifications.samples import samples
from .flows import ok

CONSUMERS: dict[str, Callable[[Any], Any]] = {
    "submissions": create_submissions,
    "judging": create_judging,
    "notifications": create_notifications,
    "voting": create_voting,
}


async def attempt(
    url: str, exchange: str, routing_key: str, *, user_id: str | None, message_type: str, body: bytes = b"{}"
) -> str | None:
    """Publish one message with broker confirms: None if the broker took it, else why not."""
    connection = await aio_pika.connect(url)
    try:
        channel = await connection.channel(publisher_confirms=True)
        target = (
            channel.default_exchange if exchange == "" else await channel.get_exchange(exchange, ensure=False)
        )
        message = aio_pika.Message(
            body, type=message_type, user_id=user_id, content_type="application/json", headers={"version": 1}
        )
        await target.publish(message, routing_key=routing_key, timeout=10)
    except aio_pika.exceptions.AMQPError as error:
        return repr(error)
    finally:
        await connection.close()
    return None


class Consumers:
    """The three consuming services, in this process, each as its own broker user."""

    def __init__(self, apis: dict[str, httpx.AsyncClient], databases: dict[str, Any]) -> None:
        self.apis = apis
        self.databases = databases

    async def processed(self, service: str, event: c.Envelope[Any]) -> bool:
        return await self.databases[service][INBOX].find_one({"_id": event.event_id}) is not None

    async def dead_letters(self, service: str, message_id: str, count: int = 1) -> list[dict[str, Any]]:
        async def found() -> list[dict[str, Any]] | None:
            listed = (await self.apis[service].get("/dead-letters")).json()
            mine = [d for d in listed if d["message_id"] == message_id]
            return mine if len(mine) >= count else None

        return await eventually(found)


@asynccontextmanager
async def consumers(settings_for: Any, mongodb_url: str, names: tuple[str, ...]) -> AsyncIterator[Consumers]:
    mongo: AsyncIOMotorClient[Any] = AsyncIOMotorClient(mongodb_url, uuidRepresentation="standard")
    async with AsyncExitStack() as stack:
        apis, databases = {}, {}
        for name in names:
            settings = settings_for(name)
            apis[name] = await stack.enter_async_context(serving(CONSUMERS[name](settings), name))
            databases[name] = mongo[settings.mongodb_database]
        try:
            yield Consumers(apis, databases)
        finally:
            mongo.close()


def reads(queue: ConsumerQueue, event_type: str) -> bool:
    return event_type in queue.routing_keys


async def test_no_service_user_gets_a_forged_event_onto_any_consumer_queue(
    settings_for: Any, amqp_url: str, amqp_url_for: Callable[[str], str], mongodb_url: str
) -> None:
    every = samples()
    async with consumers(settings_for, mongodb_url, tuple(CONSUMERS)) as running:
        for queue in CONSUMER_QUEUES:
            for forger in ("registry", "submissions", "judging", "notifications", "voting"):
                url = amqp_url_for(forger)
                foreign = sorted(t for t in queue.routing_keys if forger not in owners(t))
                for event_type in foreign[:2]:
                    # Another user's name in user_id, even on its own routing key: the
                    # broker refuses it (it checks user_id against the connection's user).
                    refused = await attempt(
                        url, EVENTS.name, own_key(forger), user_id=owner(event_type), message_type=event_type
                    )
                    assert refused and "PRECONDITION_FAILED" in refused, (forger, event_type, refused)
                    # Its own name, another's event type on kim.events: not its routing key.
                    refused = await attempt(
                        url, EVENTS.name, event_type, user_id=forger, message_type=event_type
                    )
                    assert refused and "ACCESS_REFUSED" in refused, (forger, event_type, refused)
                    # Through kim.replay: only `<queue>.<its own types>`.
                    key = queue.replay_key(event_type)
                    refused = await attempt(url, REPLAY.name, key, user_id=forger, message_type=event_type)
                    assert refused and "ACCESS_REFUSED" in refused, (forger, key, refused)
                # Straight onto the queue through the default exchange: not for any service.
                refused = await attempt(
                    url, "", queue.name, user_id=forger, message_type=queue.routing_keys[0]
                )
                assert refused and "ACCESS_REFUSED" in refused, (forger, queue.name, refused)
                # Another service's requeue exchange: only that service may write it.
                if queue.service != forger:
                    requeue = queue.requeue_exchange().name
                    refused = await attempt(
                        url, requeue, queue.name, user_id=forger, message_type=queue.routing_keys[0]
                    )
                    assert refused and "ACCESS_REFUSED" in refused, (forger, requeue, refused)

        async with OwnerPublisher(amqp_url_for) as bus:
            # What a service's user can still send: its own routing key, carrying another
            # service's event type. Submissions' entry.submitted key reaches judging and
            # notifications, labelled as the registry's edition.published and as judging's
            # winner.announced: dead-lettered as "publisher not allowed", never applied.
            forged_edition = every["edition.published"]
            forged_winner = every["winner.announced"]
            for forged in (forged_edition, forged_winner):
                await bus.publish(
                    forged, user="submissions", routing_key="entry.submitted", message_type=forged.type
                )
            # And what the broker's administrator could put on the submissions queue
            # (the only queue no other service's key reaches): not from the owner either.
            smuggled = every["enrolment.requested"]
            await bus.publish(smuggled, user="registry", user_id=True)  # the genuine path, for contrast below
            forged_enrolment = every["enrolment.approved"]
            connection = await aio_pika.connect(amqp_url)
            async with connection:
                channel = await connection.channel()
                await channel.default_exchange.publish(
                    aio_pika.Message(
                        forged_enrolment.model_dump_json().encode(),
                        type=forged_enrolment.type,
                        message_id=str(forged_enrolment.event_id),
                        content_type="application/json",
                        headers={"version": 1},
                    ),
                    routing_key="submissions.events",
                )

            for service in ("judging", "notifications"):
                dead = await running.dead_letters(service, str(forged_edition.event_id))
                assert [(d["reason"], d["event_type"]) for d in dead] == [
                    ("publisher_not_allowed", "edition.published")
                ]
                assert not await running.processed(service, forged_edition)
            dead = await running.dead_letters("notifications", str(forged_winner.event_id))
            assert dead[0]["reason"] == "publisher_not_allowed"
            assert not await running.processed("notifications", forged_winner)
            dead = await running.dead_letters("submissions", str(forged_enrolment.event_id))
            assert dead[0]["reason"] == "publisher_not_allowed"
            assert not await running.processed("submissions", forged_enrolment)
            shown = await ok(
                await running.apis["submissions"].get(f"/dead-letters/{dead[0]['dead_letter_id']}")
            )
            assert shown["reason"] == "publisher_not_allowed"

            # Requeued by staff, a forged event is still the forger's: set aside again.
            judged = (await running.dead_letters("judging", str(forged_edition.event_id)))[0]
            shown = await ok(await running.apis["judging"].get(f"/dead-letters/{judged['dead_letter_id']}"))
            assert shown["published_by"] == "submissions" and PUBLISHED_BY not in shown["headers"]
            await ok(await running.apis["judging"].post(f"/dead-letters/{judged['dead_letter_id']}/requeue"))
            again = await running.dead_letters("judging", str(forged_edition.event_id), count=2)
            assert {d["reason"] for d in again} == {"publisher_not_allowed"}
            assert not await running.processed("judging", forged_edition)

            # The genuine event, from its owner, is applied by every consumer that reads it.
            genuine = every["edition.published"].model_copy(update={"event_id": uuid4()})
            await bus.publish(genuine)
            for service in ("submissions", "judging", "notifications"):
                await eventually(functools.partial(running.processed, service, genuine))
            await eventually(lambda: running.processed("submissions", smuggled))


def owners(event_type: str) -> set[str]:
    return set(OWNERS[event_type])


def own_key(service: str) -> str:
    """A routing key `service` may publish on kim.events: one of its own event types."""
    return sorted(t for t, services in OWNERS.items() if service in services)[0]


def owner(event_type: str) -> str:
    return sorted(owners(event_type))[0]


async def test_a_version_no_consumer_reads_is_dead_lettered_and_the_next_event_applied(
    settings_for: Any, amqp_url_for: Callable[[str], str], mongodb_url: str
) -> None:
    every = samples()
    async with (
        consumers(settings_for, mongodb_url, ("notifications",)) as running,
        OwnerPublisher(amqp_url_for) as bus,
    ):
        future = every["kim.registered"]
        await bus.publish(future, headers={"version": 99})
        fresh = every["kim.registered"].model_copy(update={"event_id": uuid4()})
        await bus.publish(fresh)
        dead = await running.dead_letters("notifications", str(future.event_id))
        assert [(d["reason"], d["event_type"]) for d in dead] == [("unsupported_version", "kim.registered")]
        await eventually(lambda: running.processed("notifications", fresh))
        assert not await running.processed("notifications", future)


async def test_every_poison_is_kept_and_the_next_event_applied(
    settings_for: Any, amqp_url_for: Callable[[str], str], mongodb_url: str
) -> None:
    every = samples()
    url = amqp_url_for("registry")
    near_the_cap = b"x" * (MAX_MESSAGE_SIZE - 4096)
    poisons = {
        "not-json": b"this is not JSON {",
        "not-utf-8": b"\xff\xfe\x00binary\x80",
        "huge": near_the_cap,
    }
    async with (
        consumers(settings_for, mongodb_url, ("notifications",)) as running,
        OwnerPublisher(amqp_url_for) as bus,
    ):
        # Above the broker's cap: refused by the broker itself, before any queue.
        refused = await attempt(
            url,
            EVENTS.name,
            "kim.registered",
            user_id="registry",
            message_type="kim.registered",
            body=b"x" * (MAX_MESSAGE_SIZE + 1),
        )
        assert refused and "PRECONDITION_FAILED" in refused, refused

        sent = {}
        for name, body in poisons.items():
            event = every["kim.registered"].model_copy(update={"event_id": uuid4()})
            await bus.publish(event, body)
            sent[name] = event
        fresh = every["kim.registered"].model_copy(update={"event_id": uuid4()})
        await bus.publish(fresh)
        await eventually(lambda: running.processed("notifications", fresh))

        api = running.apis["notifications"]
        kept = {}
        for name, event in sent.items():
            (dead,) = await running.dead_letters("notifications", str(event.event_id))
            kept[name] = await ok(await api.get(f"/dead-letters/{dead['dead_letter_id']}"))
            assert kept[name]["reason"] == "rejected"
        assert (kept["not-json"]["body"], kept["not-json"]["body_encoding"]) == (
            "this is not JSON {",
            "utf-8",
        )
        assert kept["not-utf-8"]["body_encoding"] == "base64"
        assert base64.b64decode(kept["not-utf-8"]["body"]) == poisons["not-utf-8"]
        huge = kept["huge"]
        assert huge["truncated"] and huge["size"] == len(near_the_cap)
        assert huge["sha256"] == hashlib.sha256(near_the_cap).hexdigest()
        assert len(huge["body"].encode()) == MAX_KEPT_BYTES
        # A part of a message cannot be sent again.
        refused_requeue = await api.post(f"/dead-letters/{huge['dead_letter_id']}/requeue")
        assert (refused_requeue.status_code, refused_requeue.json()["error"]["code"]) == (
            409,
            "dead_letter_truncated",
        )
        assert kept["not-json"]["headers"] == {"version": 1}
