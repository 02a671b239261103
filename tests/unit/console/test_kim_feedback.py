"""A KIM's feedback page with the services faked: its sheets' scores per
criterion and the comments, judges unnamed; before the announcement, a plain
word that it comes later."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from uuid import uuid4

import httpx
from console.config import Settings
from console.main import create_app
from console.session import COOKIE, SignedIn

EDITION = "0b6c9f0e-3f55-4a8e-9a55-0d8f5c2b1a11"
KIM = str(uuid4())
FEEDBACK = {
    "title": "Lomba Video Pendek KIM 2024",
    "rubric": [
        {"criterion_id": "tema", "name_id": "Kesesuaian dengan tema", "name_en": "Relevance", "weight": 60},
        {
            "criterion_id": "teknis",
            "name_id": "Kualitas teknis",
            "name_en": "Technical quality",
            "weight": 40,
        },
    ],
    "entries": [
        {
            "entry_id": str(uuid4()),
            "title": "Topeng Malangan",
            "sheets": [
                {"scores": {"tema": 90, "teknis": 80}, "total": 86.0, "comment": "Ceritanya menyentuh."},
                {"scores": {"tema": 70, "teknis": 75}, "total": 72.0, "comment": ""},
            ],
        }
    ],
}


async def as_kim(handler: Callable[[httpx.Request], httpx.Response], *paths: str) -> list[httpx.Response]:
    services = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    app = create_app(
        Settings(registry_url="http://registry"),
        clock=lambda: datetime(2024, 12, 1, tzinfo=UTC),
        http=services,
    )
    async with app.router.lifespan_context(app):
        account = {
            "account_id": str(uuid4()),
            "email": "kim1@x.id",
            "name": "Wakil",
            "role": "kim_rep",
            "kim_id": KIM,
        }
        answer = {"access_token": "t", "expires_in": 10**9, "refresh_token": "r", "refresh_expires_in": 10**9}
        cookie = app.state.sessions.add(
            SignedIn.from_login({**answer, "account": account}, app.state.sessions.clock())
        )
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://console", cookies={COOKIE: cookie}
        ) as browser:
            return [await browser.get(path) for path in paths]


def services(announced: bool) -> Callable[[httpx.Request], httpx.Response]:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/editions":
            return httpx.Response(200, json=[{"edition_id": EDITION, "title": FEEDBACK["title"]}])
        if request.url.path == f"/editions/{EDITION}/kims/{KIM}/feedback":
            if announced:
                return httpx.Response(200, json=FEEDBACK)
            error = {"code": "results_not_announced", "message": "Belum diumumkan.", "field": None}
            return httpx.Response(404, json={"error": error})
        raise AssertionError(f"unexpected {request.url}")

    return handle


async def test_a_kim_reads_each_sheets_scores_and_the_comments_after_the_announcement() -> None:
    listed, page = await as_kim(services(True), "/kim/nilai", f"/kim/nilai/{EDITION}")
    assert listed.status_code == 200 and f'href="/kim/nilai/{EDITION}"' in listed.text
    assert page.status_code == 200 and page.text.count("<h1>") == 1
    assert "Kesesuaian dengan tema (60%)" in page.text and "86,00" in page.text and "72,00" in page.text
    assert "Juri 1" in page.text and "Juri 2" in page.text and "Ceritanya menyentuh." in page.text


async def test_before_the_announcement_there_is_nothing_to_read_yet() -> None:
    listed, page = await as_kim(services(False), "/kim/nilai", f"/kim/nilai/{EDITION}")
    assert listed.status_code == 200 and "setelah hasil diumumkan" in listed.text
    assert page.status_code == 404 and "setelah hasil diumumkan" in page.text
