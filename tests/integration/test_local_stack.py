"""The local stack: the console after the four services, wired to them; and it cleans up
after itself when a part of it cannot start."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from pathlib import Path

import httpx
import pytest

from devstack import stack as stack_module
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
        # Production refuses the placeholder password in the broker URL (guest's).
        service_env={"registry": {"REGISTRY_ENVIRONMENT": "production", "REGISTRY_AMQP_URL": rabbitmq.url}},
    )
    with pytest.raises(RuntimeError) as failed:
        await asyncio.to_thread(stack.start)
    assert "registry exited" in str(failed.value) and "placeholder secret" in str(failed.value)
    assert [name for name, service in stack.services.items() if service.process.running()] == []
    # The servers it was given are not its to stop.
    for port in (rabbitmq.port, mongodb.port):
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            pass


#: A stand-in for the console package (its own branch until merged): an ASGI app that
#: answers /ready once the registry's /health does, and shows the environment it got.
STAND_IN_CONSOLE = """
import json
import os
import urllib.request


def create_app():
    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        if scope["path"] == "/ready":
            with urllib.request.urlopen(os.environ["CONSOLE_REGISTRY_URL"] + "/health", timeout=2) as r:
                status = 200 if r.status == 200 else 503
            body = b"ready"
        else:
            status = 200
            names = sorted(k for k in os.environ if k.startswith("CONSOLE_"))
            body = json.dumps({k: os.environ[k] for k in names}).encode()
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": body})

    return app
"""


def stand_in_console(directory: Path) -> dict[str, str]:
    """Write the stand-in package; the environment that puts it first on the console's path."""
    package = directory / "console"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "main.py").write_text(STAND_IN_CONSOLE)
    return {"PYTHONPATH": os.pathsep.join([str(directory), os.environ.get("PYTHONPATH", "")])}


async def test_the_console_starts_after_the_four_services_wired_to_them_and_stops_with_them(
    rabbitmq: RabbitMQServer, mongodb: SecantusServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stack_module, "console_installed", lambda: True)
    stack = LocalStack(
        tmp_path / "stack",
        rabbitmq=rabbitmq,
        mongodb=mongodb,
        database_suffix="_console_" + uuid.uuid4().hex[:8],
        service_env={"console": stand_in_console(tmp_path / "stand-in")},
    )
    await asyncio.to_thread(stack.start)
    try:
        assert stack.console is not None and stack.console.process.running()
        assert stack.console_url == stack.console.url
        assert stack.console.port not in {service.port for service in stack.services.values()}
        assert stack.describe()["console"] == stack.console_url
        async with httpx.AsyncClient(timeout=10) as http:
            assert (await http.get(f"{stack.console_url}/ready")).status_code == 200
            seen = (await http.get(f"{stack.console_url}/env")).json()
    finally:
        await asyncio.to_thread(stack.stop)

    assert seen["CONSOLE_ENVIRONMENT"] == "development"
    assert (seen["CONSOLE_HOST"], seen["CONSOLE_PORT"]) == ("127.0.0.1", str(stack.console.port))
    assert seen["CONSOLE_PUBLIC_URL"] == stack.console_url
    for name, service in stack.services.items():
        assert seen[f"CONSOLE_{name.upper()}_URL"] == service.url
    # Its own broker user, as compose gives it, not the administrator.
    assert seen["CONSOLE_AMQP_URL"] == rabbitmq.url_for("console") != rabbitmq.url
    # A session secret of its own, per stack: not the token secret, not another stack's.
    assert len(seen["CONSOLE_SESSION_SECRET"]) >= 32
    another = LocalStack(tmp_path).console_session_secret
    assert seen["CONSOLE_SESSION_SECRET"] not in (stack.token_secret, another)
    assert not stack.console.process.running()
    assert [name for name, service in stack.services.items() if service.process.running()] == []


async def test_a_console_that_cannot_start_stops_the_four_services(
    rabbitmq: RabbitMQServer, mongodb: SecantusServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stack_module, "console_installed", lambda: True)
    stand_in = stand_in_console(tmp_path / "stand-in")
    (tmp_path / "stand-in" / "console" / "main.py").write_text("raise SystemExit('no console today')\n")
    stack = LocalStack(
        tmp_path / "stack",
        rabbitmq=rabbitmq,
        mongodb=mongodb,
        database_suffix="_console_" + uuid.uuid4().hex[:8],
        service_env={"console": stand_in},
    )
    with pytest.raises(RuntimeError, match="console exited"):
        await asyncio.to_thread(stack.start)
    assert [name for name, service in stack.services.items() if service.process.running()] == []
    assert stack.console is not None and not stack.console.process.running()
