"""A consumer from outside the project (a city portal, a public gallery), written
only from the event catalog a service serves at `/asyncapi.json`: nothing from
`shared/` or the services' code.

From the catalog it takes the exchange and routing key of each event it wants,
binds a queue of its own, and checks every message it receives against the
catalog: the body against the message's JSON Schema, and the AMQP properties the
catalog promises (`message_id` = `event_id`, `correlation_id`, `content_type`,
`type`, the `version` header, persistent delivery).
"""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import aio_pika
import httpx
import jsonschema


@dataclass
class Received:
    routing_key: str
    body: dict[str, Any]
    properties: dict[str, Any]


@dataclass
class OutsideConsumer:
    catalog_url: str
    amqp_url: str
    wanted: tuple[str, ...]
    received: list[Received] = field(default_factory=list)
    catalog: dict[str, Any] = field(default_factory=dict)

    async def __aenter__(self) -> OutsideConsumer:
        async with httpx.AsyncClient() as http:
            self.catalog = (await http.get(self.catalog_url)).json()
        self._connection = await aio_pika.connect_robust(self.amqp_url)
        channel = await self._connection.channel()
        queue = await channel.declare_queue(
            f"outsider.{uuid.uuid4().hex[:8]}", exclusive=True, auto_delete=True
        )
        for routing_key in self.wanted:
            binding = self.catalog["channels"][routing_key]["bindings"]["amqp"]
            assert binding["is"] == "routingKey" and binding["exchange"]["type"] == "topic"
            exchange = await channel.get_exchange(binding["exchange"]["name"], ensure=True)
            await queue.bind(exchange, routing_key=self.catalog["channels"][routing_key]["address"])
        await queue.consume(self._on_message)
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self._connection.close()

    async def _on_message(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        async with message.process():
            self.received.append(
                Received(
                    routing_key=message.routing_key or "",
                    body=json.loads(message.body),
                    properties={
                        "message_id": message.message_id,
                        "correlation_id": message.correlation_id,
                        "content_type": message.content_type,
                        "type": message.type,
                        "headers": dict(message.headers or {}),
                        "delivery_mode": int(message.delivery_mode or 0),
                    },
                )
            )

    async def wait_for(self, routing_key: str, count: int, timeout: float = 30) -> list[Received]:
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            found = [r for r in self.received if r.routing_key == routing_key]
            if len(found) >= count:
                return found
            await asyncio.sleep(0.1)
        raise AssertionError(f"only {len(self.received)} messages, not {count} {routing_key}")

    def problems_with(self, received: Received) -> list[str]:
        """What in a message the catalog does not describe."""
        channel = self.catalog["channels"][received.routing_key]
        (ref,) = [
            m["$ref"]
            for k, m in channel["messages"].items()
            if k.endswith(f".v{received.body.get('version')}")
        ]
        message = self.catalog["components"]["messages"][ref.rsplit("/", 1)[-1]]
        schemas = self.catalog["components"]["schemas"]
        payload = {
            **schemas[message["payload"]["$ref"].rsplit("/", 1)[-1]],
            "components": {"schemas": schemas},
        }
        problems = [
            f"body: {error.message}"
            for error in jsonschema.Draft202012Validator(payload).iter_errors(received.body)
        ]
        problems += [
            f"headers: {error.message}"
            for error in jsonschema.Draft202012Validator(message["headers"]).iter_errors(
                received.properties["headers"]
            )
        ]
        properties, promised = received.properties, message["x-amqp-properties"]
        expected = {
            "message_id": received.body["event_id"],
            "correlation_id": received.body["correlation_id"],
            "content_type": promised["content_type"],
            "type": promised["type"],
            "delivery_mode": promised["delivery_mode"],
        }
        problems += [
            f"AMQP {name}: {properties[name]!r}, the catalog says {value!r}"
            for name, value in expected.items()
            if properties[name] != value
        ]
        if properties["headers"].get("version") != received.body["version"]:
            problems.append("the version header is not the body's version")
        return problems
