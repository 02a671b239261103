"""The real parts: one RabbitMQ and one SecantusDB for the test session, on free
loopback ports, started here and stopped here by their pids."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from devstack.mongodb import SecantusServer
from devstack.rabbitmq import RabbitMQServer

from .support import EventTap, reset_broker


@pytest.fixture(scope="session")
def rabbitmq(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RabbitMQServer]:
    server = RabbitMQServer(tmp_path_factory.mktemp("rabbitmq"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def mongodb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecantusServer]:
    server = SecantusServer(tmp_path_factory.mktemp("secantusdb"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def amqp_url(rabbitmq: RabbitMQServer) -> str:
    """The broker URL, with our exchanges and queues removed so the test starts clean."""
    await reset_broker(rabbitmq.url)
    return rabbitmq.url


@pytest.fixture
def amqp_url_for(amqp_url: str, rabbitmq: RabbitMQServer) -> Callable[[str], str]:
    """The URL of a service's own broker user (registry, ..., console), with the
    permissions of deploy/rabbitmq/definitions.template.json."""
    return rabbitmq.url_for


@pytest.fixture
def mongodb_url(mongodb: SecantusServer) -> str:
    return mongodb.url


@pytest.fixture
def database_name(request: pytest.FixtureRequest) -> str:
    """A fresh database per test, so tests never see each other's data."""
    return f"t_{re.sub(r'[^A-Za-z0-9_]', '_', request.node.name)[:40]}_{uuid.uuid4().hex[:8]}"


@pytest.fixture
async def tap(amqp_url: str) -> AsyncIterator[EventTap]:
    async with EventTap(amqp_url) as listening:
        yield listening


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(str(item.fspath))
        for tier in ("integration", "e2e", "browser", "faults"):
            if tier in path.parts:
                item.add_marker(getattr(pytest.mark, tier))
        # The slow tiers, to run apart: `-m slow`, or everything else with `-m "not slow"`.
        if {"browser", "faults"} & set(path.parts) or path.name == "test_fuzz_openapi.py":
            item.add_marker(pytest.mark.slow)
