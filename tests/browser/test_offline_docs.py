"""The documentation pages work without internet: Swagger UI (`/docs`) and the
event catalog (`/asyncapi`) load in Chromium with every request to another host
blocked, and show the operations and events.

The service runs here in a thread (uvicorn, its lifespan off: the pages need
neither broker nor database), on a free loopback port.
"""

from __future__ import annotations

import importlib
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import uvicorn
from playwright.async_api import Page, Route, expect

from shared.contracts import CATALOG

LOOPBACK = {"127.0.0.1", "localhost"}


@pytest.fixture(scope="module")
def registry_docs() -> Iterator[tuple[str, int]]:
    """The registry's app on a free loopback port: its URL and its number of operations."""
    settings = importlib.import_module("registry.config").Settings(
        amqp_url="amqp://127.0.0.1:1/", mongodb_url="mongodb://127.0.0.1:1/", mongodb_database="unused"
    )
    app = importlib.import_module("registry.main").create_app(settings)
    operations = sum(len(item) for item in app.openapi()["paths"].values())
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the registry did not start"
    try:
        yield f"http://127.0.0.1:{port}", operations
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listening.close()


async def offline(page: Page) -> list[str]:
    """Block every request to a host other than this machine; the list fills with them."""
    blocked: list[str] = []

    async def only_loopback(route: Route) -> None:
        if urlsplit(route.request.url).hostname in LOOPBACK:
            await route.continue_()
        else:
            blocked.append(route.request.url)
            await route.abort("internetdisconnected")

    await page.context.route("**/*", only_loopback)
    return blocked


async def test_the_docs_and_the_event_catalog_load_with_other_hosts_blocked(
    page: Page, registry_docs: tuple[str, int]
) -> None:
    url, operations = registry_docs
    blocked = await offline(page)
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))

    await page.goto(f"{url}/docs")
    await expect(page.locator(".opblock").first).to_be_visible(timeout=20_000)
    assert await page.locator(".opblock").count() == operations
    await expect(page.get_by_text("Register a KIM").first).to_be_visible()

    await page.goto(f"{url}/asyncapi")
    await expect(page.get_by_role("heading", name="KIM Contest: event catalog")).to_be_visible()
    assert await page.locator("#events tbody tr").count() == len(CATALOG)
    await expect(page.get_by_role("heading", name="entry.submitted v1")).to_be_attached()

    assert blocked == [], f"asked other hosts: {blocked}"
    assert failed == [], f"requests that failed: {failed}"
