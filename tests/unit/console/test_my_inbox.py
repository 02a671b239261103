"""A judge's or a KIM representative's own inbox: what the notifications service holds
for the caller's recipient (`/recipients/me/inbox`), marking one read; staff are sent
to theirs, and the header links both roles to it and to their notification settings."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from uuid import uuid4

import httpx
from console.config import Settings
from console.main import create_app
from console.session import COOKIE, SignedIn

ITEM = {
    "delivery_id": "5d1e7c1a-8f0b-4b4e-9a1e-2c6f5b7d9e01",
    "event_type": "enrolment.approved",
    "subject": "Pendaftaran disetujui: Lomba Video Pendek KIM 2025",
    "text": "Pendaftaran KIM Anda disetujui.",
    "received_at": "2025-03-01T02:00:00+00:00",
    "occurred_at": "2025-03-01T02:00:00+00:00",
    "read_at": None,
}


@asynccontextmanager
async def signed_in_as(
    role: str, handler: Callable[[httpx.Request], httpx.Response]
) -> AsyncIterator[httpx.AsyncClient]:
    services = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    app = create_app(
        Settings(registry_url="http://registry", notifications_url="http://notifications"),
        clock=lambda: datetime(2025, 3, 2, tzinfo=UTC),
        http=services,
    )
    async with app.router.lifespan_context(app):
        account = {
            "account_id": str(uuid4()),
            "email": f"{role}@x.id",
            "name": "Bu Ayu",
            "role": role,
            "kim_id": str(uuid4()) if role == "kim_rep" else None,
        }
        answer = {"access_token": "t", "expires_in": 10**9, "refresh_token": "r", "refresh_expires_in": 10**9}
        cookie = app.state.sessions.add(
            SignedIn.from_login({**answer, "account": account}, app.state.sessions.clock())
        )
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://console", cookies={COOKIE: cookie}
        ) as browser:
            yield browser


async def test_a_kim_representative_reads_their_own_inbox_and_marks_an_item_read() -> None:
    asked: list[tuple[str, str]] = []

    def notifications(request: httpx.Request) -> httpx.Response:
        asked.append((request.method, request.url.path))
        assert request.headers["authorization"] == "Bearer t"
        if request.url.path == "/recipients/me/inbox":
            return httpx.Response(200, json={"unread": 1, "items": [ITEM]})
        if request.url.path == f"/recipients/me/inbox/{ITEM['delivery_id']}/read":
            return httpx.Response(200, json={**ITEM, "read_at": "2025-03-02T00:00:00+00:00"})
        raise AssertionError(f"unexpected {request.method} {request.url}")

    async with signed_in_as("kim_rep", notifications) as browser:
        page = await browser.get("/kotak-masuk")
        assert page.status_code == 200, page.text
        assert "Pendaftaran disetujui: Lomba Video Pendek KIM 2025" in page.text
        assert "1 pemberitahuan belum dibaca" in page.text
        assert f'action="/kotak-masuk/{ITEM["delivery_id"]}/dibaca"' in page.text
        assert 'href="/pengaturan/pemberitahuan"' in page.text and 'href="/kotak-masuk"' in page.text
        token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        marked = await browser.post(
            f"/kotak-masuk/{ITEM['delivery_id']}/dibaca", data={"csrf_token": token}, follow_redirects=False
        )
        assert marked.status_code == 303 and marked.headers["location"].startswith("/kotak-masuk")
    assert ("POST", f"/recipients/me/inbox/{ITEM['delivery_id']}/read") in asked


async def test_a_judge_with_nothing_yet_sees_an_empty_inbox_and_staff_are_refused() -> None:
    def empty(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"unread": 0, "items": []})

    async with signed_in_as("judge", empty) as browser:
        page = await browser.get("/kotak-masuk", headers={"Accept-Language": "en"})
        assert page.status_code == 200 and "Your inbox is empty." in page.text

    def unexpected(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=json.loads('{"unread": 0, "items": []}'))

    async with signed_in_as("staff", unexpected) as browser:
        refused = await browser.get("/kotak-masuk", follow_redirects=False)
        assert refused.status_code == 403
