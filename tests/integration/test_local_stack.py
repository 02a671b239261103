"""The local stack cleans up after itself when a part of it cannot start."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest

from devstack.mongodb import SecantusServer
from devstack.rabbitmq import RabbitMQServer
from devstack.stack import LocalStack


async def test_a_service_that_cannot_start_leaves_nothing_running(
    rabbitmq: RabbitMQServer, mongodb: SecantusServer, tmp_path: Path
) -> None:
    stack = LocalStack(
        tmp_path,
        rabbitmq=rabbitmq,
        mongodb=mongodb,
        database_suffix="_refused",
        # Production refuses the placeholder password in the broker URL.
        service_env={"registry": {"REGISTRY_ENVIRONMENT": "production"}},
    )
    with pytest.raises(RuntimeError) as failed:
        await asyncio.to_thread(stack.start)
    assert "registry exited" in str(failed.value) and "placeholder secret" in str(failed.value)
    assert [name for name, service in stack.services.items() if service.process.running()] == []
    # The servers it was given are not its to stop.
    for port in (rabbitmq.port, mongodb.port):
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            pass
