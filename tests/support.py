"""Helpers for tests that run against the real broker and MongoDB wire server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import aio_pika
import httpx
from fastapi import FastAPI

from shared.kernel.principal import Principal
from shared.platform.auth import issue_token
from shared.platform.config import DEVELOPMENT_TOKEN_SECRET
from shared.platform.messaging import CONSUMER_QUEUES, DEAD_LETTERS, EVENTS


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
    """Remove our exchanges and queues so a test starts from an empty broker."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        for consumer in CONSUMER_QUEUES:
            for name in (consumer.name, consumer.dead_letter_name):
                await channel.queue_delete(name)
        await channel.exchange_delete(EVENTS.name)
        await channel.exchange_delete(DEAD_LETTERS.name)


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
