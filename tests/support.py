"""Helpers for tests that run against the real broker and MongoDB wire server."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import aio_pika
import httpx
from fastapi import FastAPI
from faststream.rabbit import RabbitBroker

from shared import contracts as c
from shared.kernel.principal import Principal
from shared.platform.auth import issue_token
from shared.platform.config import DEVELOPMENT_TOKEN_SECRET
from shared.platform.messaging import CONSUMER_QUEUES, DEAD_LETTERS, EVENTS, REPLAY, declare_topology
from shared.platform.messaging.publishers import OWNERS


@dataclass
class SeenEvent:
    type: str
    body: dict[str, Any]
    message_id: str | None
    correlation_id: str | None
    headers: dict[str, Any]

    @property
    def data(self) -> dict[str, Any]:
        return self.body["data"]


class EventTap:
    """Listens to every event on kim.events through a private queue."""

    def __init__(self, amqp_url: str) -> None:
        self._url = amqp_url
        self.events: list[SeenEvent] = []
        self._arrived = asyncio.Condition()

    async def __aenter__(self) -> EventTap:
        self._connection = await aio_pika.connect(self._url)
        channel = await self._connection.channel()
        exchange = await channel.declare_exchange(EVENTS.name, aio_pika.ExchangeType.TOPIC, durable=True)
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        await queue.bind(exchange, routing_key="#")
        await queue.consume(self._on_message, no_ack=True)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._connection.close()

    async def _on_message(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        seen = SeenEvent(
            type=message.routing_key or "",
            body=json.loads(message.body),
            message_id=message.message_id,
            correlation_id=message.correlation_id,
            headers=dict(message.headers),
        )
        async with self._arrived:
            self.events.append(seen)
            self._arrived.notify_all()

    def of_type(self, event_type: str) -> list[SeenEvent]:
        return [e for e in self.events if e.type == event_type]

    async def wait_for(
        self,
        event_type: str,
        where: Callable[[SeenEvent], bool] = lambda e: True,
        *,
        count: int = 1,
        timeout: float = 15.0,
    ) -> list[SeenEvent]:
        def matching() -> list[SeenEvent]:
            return [e for e in self.of_type(event_type) if where(e)]

        async with self._arrived:
            try:
                await asyncio.wait_for(self._arrived.wait_for(lambda: len(matching()) >= count), timeout)
            except TimeoutError:
                raise AssertionError(
                    f"waited {timeout}s for {count} {event_type}; saw {[e.type for e in self.events]}"
                ) from None
        return matching()


async def reset_broker(amqp_url: str) -> None:
    """Remove our exchanges and queues and declare them again, empty, as the
    administrator (`amqp_url`): the services' own users may not declare them."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        for consumer in CONSUMER_QUEUES:
            for name in (consumer.name, consumer.dead_letter_name):
                await channel.queue_delete(name)
            await channel.exchange_delete(consumer.requeue_exchange().name)
        for exchange in (EVENTS, DEAD_LETTERS, REPLAY):
            await channel.exchange_delete(exchange.name)
    broker = RabbitBroker(amqp_url, log_level=logging.DEBUG)
    await broker.connect()
    try:
        await declare_topology(broker)
    finally:
        await broker.stop()


class OwnerPublisher:
    """Publishes contract events onto kim.events the way `EventPublisher` does:
    each as the broker user of its owner (the AMQP `user_id` its connection's),
    or as `user` when a test forges one. `url_for(user)` gives each user's URL."""

    def __init__(self, url_for: Callable[[str], str]) -> None:
        self._url_for = url_for
        self._connections: dict[str, aio_pika.abc.AbstractConnection] = {}
        self._channels: dict[str, aio_pika.abc.AbstractChannel] = {}

    async def __aenter__(self) -> OwnerPublisher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        for connection in self._connections.values():
            await connection.close()

    async def channel(self, user: str) -> aio_pika.abc.AbstractChannel:
        if user not in self._channels:
            self._connections[user] = await aio_pika.connect(self._url_for(user))
            self._channels[user] = await self._connections[user].channel()
        return self._channels[user]

    async def publish(
        self,
        event: c.Envelope[Any],
        body: bytes | None = None,
        *,
        user: str | None = None,
        user_id: str | None | bool = True,
        exchange: str = EVENTS.name,
        routing_key: str | None = None,
        headers: dict[str, Any] | None = None,
        message_type: str | None = None,
    ) -> None:
        """`user_id`: True for the connection's user, None for none, or a name (the
        broker refuses a name that is not the connection's); `message_type`: the
        AMQP type, when a test makes it differ from the event's."""
        user = user or owner_of(event.type)
        message = aio_pika.Message(
            body if body is not None else event.model_dump_json().encode(),
            message_id=str(event.event_id),
            correlation_id=event.correlation_id,
            content_type="application/json",
            type=message_type or event.type,
            headers={"version": event.version} if headers is None else headers,
            timestamp=event.occurred_at,
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            user_id=user if user_id is True else (user_id or None),
        )
        channel = await self.channel(user)
        target = (
            channel.default_exchange if exchange == "" else await channel.get_exchange(exchange, ensure=False)
        )
        await target.publish(message, routing_key=routing_key or event.type)


def owner_of(event_type: str) -> str:
    """The broker user (the service's name, as the local broker names them) that publishes `event_type`."""
    return sorted(OWNERS[event_type])[0]


#: The staff member the tests act as, unless a test says otherwise.
STAFF = Principal(account_id=uuid4(), role="staff", email="staf.uji@malangkota.go.id", name="Staf Uji")


def bearer(secret: str, caller: Principal = STAFF) -> dict[str, str]:
    """The Authorization header of `caller`, signed with the deployment's token secret."""
    token = issue_token(secret, caller, now=datetime.now(UTC), lifetime=timedelta(hours=2))
    return {"Authorization": f"Bearer {token}"}


def judge_bearer(email: str) -> dict[str, str]:
    """The Authorization header of a judge whose account has `email`, signed with
    the development secret the tests' services use."""
    return bearer(DEVELOPMENT_TOKEN_SECRET, Principal(account_id=uuid4(), role="judge", email=email))


def bearer_for(app: FastAPI, caller: Principal = STAFF) -> dict[str, str]:
    return bearer(app.state.runtime.settings.auth_token_secret.get_secret_value(), caller)


@asynccontextmanager
async def serving(
    app: FastAPI, name: str, *, caller: Principal | None = STAFF
) -> AsyncIterator[httpx.AsyncClient]:
    """Run a service app in this process (lifespan included) and talk HTTP to it,
    as `caller` (staff by default; None: anonymously)."""
    headers = bearer_for(app, caller) if caller is not None else {}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url=f"http://{name}", headers=headers
        ) as client:
            yield client


async def eventually(check: Callable[[], Any], *, timeout: float = 15.0, interval: float = 0.1) -> Any:
    """Wait until an async or sync `check` returns something truthy; return it."""
    deadline = asyncio.get_running_loop().time() + timeout
    last: Any = None
    while asyncio.get_running_loop().time() < deadline:
        last = check()
        if asyncio.iscoroutine(last):
            last = await last
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s (last: {last!r})")
