"""The console's routes x roles, walked against its declared table (`console.access`):
every route the app has, for an anonymous visitor, staff, a judge and a KIM
representative. A route added without a row fails here."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest
from console.access import ROUTES
from console.config import Settings
from console.main import create_app
from console.session import COOKIE, SignedIn
from fastapi import FastAPI
from fastapi.routing import APIRoute

from shared.platform.access import ALLOW

from .test_pages import EDITION, NOW

ROLES = (None, "staff", "judge", "kim_rep")
#: A value for each path parameter a console route takes.
SAMPLES = {
    "edition_id": EDITION["edition_id"],
    "version": "1",
    "delivery_id": "5d1e7c1a-8f0b-4b4e-9a1e-2c6f5b7d9e01",
    "language": "en",
    "account_id": "0b7f7d8e-1a2b-4c3d-8e9f-a0b1c2d3e4f5",
    "kim_id": "1c8e8e9f-2b3c-4d4e-9fa0-b1c2d3e4f5a6",
    "enrolment_id": "2d9f9fa0-3c4d-4e5f-a0b1-c2d3e4f5a6b7",
    "judge_id": "3ea0a0b1-4d5e-4f6a-b1c2-d3e4f5a6b7c8",
    "tie_id": "4fb1b1c2-5e6f-4a7b-82d3-e4f5a6b7c8d9",
    "dead_letter_id": "5ac2c2d3-6f7a-4b8c-93e4-f5a6b7c8d9ea",
    "service": "judging",
    "entry_id": "6bd3d3e4-7a8b-4c9d-a4f5-a6b7c8d9eafb",
    "file_format": "csv",
    "code": "sinematografi",
    "vote_id": "7ce4e4f5-8b9c-4dae-b5a6-b7c8d9eafb0c",
    "flag_id": "8df5f5a6-9cad-4ebf-86b7-c8d9eafb0c1d",
}


#: The registry's port in the console's default settings: the editions are its.
REGISTRY_PORT = 8001


def console_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path) the app serves, routers included (static files apart)."""
    found: set[tuple[str, str]] = set()
    for route in app.routes:
        contexts: Any = (
            [route] if isinstance(route, APIRoute) else getattr(route, "effective_route_contexts", list)()
        )
        for context in contexts:
            found |= {(method, context.path) for method in context.methods if method != "HEAD"}
    return found


def services(request: httpx.Request) -> httpx.Response:
    """Plausible answers: a published edition, results not announced, no recipients."""
    path = request.url.path
    if request.url.port == REGISTRY_PORT and path == "/editions":
        return httpx.Response(200, json=[EDITION])
    if request.url.port == REGISTRY_PORT and re.fullmatch(r"/editions/[^/]+", path):
        return httpx.Response(200, json=EDITION)
    if path.startswith("/editions/") and "/results" in path:
        error = {"code": "results_not_announced", "message": "Hasil belum diumumkan.", "field": None}
        return httpx.Response(404, json={"error": error})
    if path == "/recipients":
        return httpx.Response(
            200 if request.method == "GET" else 201, json=[] if request.method == "GET" else {}
        )
    if path in ("/health", "/ready") or request.method != "GET":
        return httpx.Response(200, json={"status": "ok"})
    # Anything else a page reads: the service is away. The page answers with the
    # 503 page, which shows that the guard let the request through to the service.
    return httpx.Response(503, json={"error": {"code": "unavailable", "message": "-", "field": None}})


def signed_in(role: str) -> SignedIn:
    return SignedIn.from_login(
        {
            "account": {
                "account_id": str(uuid.uuid4()),
                "email": f"{role}@example.id",
                "name": role,
                "role": role,
                "kim_id": str(uuid.uuid4()) if role == "kim_rep" else None,
            },
            "access_token": "token",
            "expires_in": 900,
            "refresh_token": "refresh",
            "refresh_expires_in": 86400,
        },
        now=0.0,
    )


def outcome(response: httpx.Response) -> str:
    if response.status_code in (302, 303) and response.headers["location"].startswith("/masuk"):
        return "sign-in"
    if response.status_code == 403:
        assert re.search("Anda tidak dapat membuka halaman ini|You cannot open this page", response.text)
        return "forbidden"
    # A form sent empty is answered by the page itself (its errors beside the fields), and a
    # page whose service is away by the 503 page: either way the route ran.
    assert (
        response.status_code < 400
        or response.status_code == 503
        or response.status_code == 400
        and "error-summary" in response.text
    ), f"{response.status_code}: {response.text[:300]}"
    return "allowed"


def expected(rule: Any, role: str | None) -> str:
    if rule.of(role) == ALLOW:
        return "allowed"
    return "sign-in" if role is None else "forbidden"


def test_every_console_route_has_a_row_and_every_row_a_route() -> None:
    routes = console_routes(create_app(Settings(live_updates=False)))
    assert routes - set(ROUTES) == set(), "routes without a row in console.access.ROUTES"
    assert set(ROUTES) - routes == set(), "rows in console.access.ROUTES for no route"


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
async def test_every_route_answers_each_role_as_the_table_says(role: str | None) -> None:
    app = create_app(
        Settings(live_updates=False),
        clock=lambda: NOW,
        http=httpx.AsyncClient(transport=httpx.MockTransport(services)),
    )
    app.state.sessions.clock = lambda: 0.0
    cookies = {COOKIE: app.state.sessions.add(signed_in(role))} if role else {}
    found: dict[tuple[str, str], str] = {}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://console", cookies=cookies
        ) as browser,
    ):
        page = await browser.get("/masuk")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        # Signing out last: it ends the session the other routes are walked with.
        for method, path in sorted(console_routes(app), key=lambda route: (route[1] == "/keluar", route)):
            url = path.format(**{name: SAMPLES[name] for name in re.findall(r"{(\w+)}", path)})
            response = await browser.request(
                method, url, headers={"X-CSRF-Token": token.group(1)}, follow_redirects=False
            )
            found[(method, path)] = outcome(response)
    assert found == {route: expected(ROUTES[route], role) for route in found}
