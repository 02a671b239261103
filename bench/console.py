"""The web console under people: signed-in users, each with a session cookie of their
own, reading the staff pages and the demo edition's public pages at once.

Closed loop: each user asks for the next page as soon as the last one came back,
turning through the pages, for a fixed time. The time measured is from sending the
request to the whole response, on loopback: the console's own work plus the service
calls it makes for the page (no network between). The load generator shares the
machine's cores with the console and the services.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import httpx

from devstack.stack import Credentials

from .figures import latency_ms, rate

USERS = 20
SECONDS = 20.0
#: The pages read, by name: the staff's and the public's. `{edition_id}` is the demo's
#: announced edition. Add the staff dashboard and the public results here as they come.
PAGES = (
    ("staff landing", "/staf"),
    ("public edition", "/lomba/{edition_id}"),
)


class HiddenFields(HTMLParser):
    """The hidden inputs of a page's forms (the CSRF token among them)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("type") == "hidden" and found.get("name"):
            self.fields[found["name"] or ""] = found.get("value") or ""


def hidden_fields(html: str) -> dict[str, str]:
    parser = HiddenFields()
    parser.feed(html)
    return parser.fields


async def sign_in(http: httpx.AsyncClient, who: Credentials) -> None:
    """Through the sign-in form, as a browser does: its cookie lands in `http`'s jar."""
    form = await http.get("/masuk")
    form.raise_for_status()
    answer = await http.post(
        "/masuk", data={**hidden_fields(form.text), "email": who.email, "password": who.password}
    )
    if answer.status_code not in (302, 303) or re.search(r"/masuk(\?|$)", answer.headers.get("location", "")):
        raise RuntimeError(f"signing in to the console failed: HTTP {answer.status_code}")


@dataclass
class Reading:
    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))


async def _user(
    http: httpx.AsyncClient, paths: list[tuple[str, str]], until: float, reading: Reading
) -> None:
    turn = 0
    while time.monotonic() < until:
        name, path = paths[turn % len(paths)]
        turn += 1
        started = time.perf_counter()
        try:
            response = await http.get(path)
            ok = response.status_code == 200
        except httpx.HTTPError:
            ok = False
        elapsed = time.perf_counter() - started
        if ok:
            reading.seconds[name].append(elapsed)
        else:
            reading.errors[name] += 1


async def measure(
    console_url: str,
    who: Credentials,
    edition_id: str,
    *,
    users: int = USERS,
    seconds: float = SECONDS,
) -> dict[str, Any]:
    """`users` people signed in as `who`, each with their own session, reading PAGES for
    `seconds`: per page and overall, requests/s and p50/p95/p99 in ms."""
    paths = [(name, path.format(edition_id=edition_id)) for name, path in PAGES]
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    clients = [httpx.AsyncClient(base_url=console_url, timeout=30, limits=limits) for _ in range(users)]
    reading = Reading()
    try:
        for http in clients:  # one at a time: signing in is the registry's Argon2 work
            await sign_in(http, who)
        for http in clients:  # each page once before the clock starts (connections, caches)
            for _, path in paths:
                (await http.get(path)).raise_for_status()
        started = time.monotonic()
        await asyncio.gather(*(_user(http, paths, started + seconds, reading) for http in clients))
        elapsed = time.monotonic() - started
    finally:
        for http in clients:
            await http.aclose()
    every = [s for name, _ in paths for s in reading.seconds[name]]
    return {
        "users": users,
        "seconds": round(elapsed, 1),
        "pages": {
            name: {
                "path": path,
                "requests": len(reading.seconds[name]),
                "errors": reading.errors[name],
                "requests_per_second": rate(len(reading.seconds[name]), elapsed),
                "latency_ms": latency_ms(reading.seconds[name]),
            }
            for name, path in paths
        },
        "total": {
            "requests": len(every),
            "errors": sum(reading.errors.values()),
            "requests_per_second": rate(len(every), elapsed),
            "latency_ms": latency_ms(every),
        },
    }


def summary(results: dict[str, Any]) -> str:
    """One line per page and the total: requests/s, p50/p95/p99."""
    lines = [f"console: {results['users']} signed-in users for {results['seconds']} s"]
    for name, page in [*results["pages"].items(), ("all pages", results["total"])]:
        latency = page["latency_ms"]
        lines.append(
            f"  {name:<16} {page['requests_per_second']:>7.1f} requests/s  p50 {latency['p50']} ms  "
            f"p95 {latency['p95']} ms  p99 {latency['p99']} ms  errors {page['errors']}"
        )
    return "\n".join(lines)
