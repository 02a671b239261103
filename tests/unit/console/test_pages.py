"""The console's pages with the services faked at the HTTP level: a service that is
down gives a clear page in the reader's language, a refusal names its field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import httpx
from console.config import Settings
from console.main import create_app

NOW = datetime(2024, 8, 1, 3, 0, tzinfo=UTC)
EDITION = {
    "edition_id": "0b6c9f0e-3f55-4a8e-9a55-0d8f5c2b1a11",
    "title": "Lomba Video Pendek KIM 2024",
    "theme": "Promosi UMKM Kota Malang",
    "description": "",
    "submission_opens_at": "2024-07-01T00:00:00+00:00",
    "submission_closes_at": "2024-08-04T05:00:00+00:00",
    "rules": {"max_video_seconds": 300, "allowed_video_hosts": ["youtube.com"], "entries_per_kim": 1},
    "awarded_ranks": 3,
    "prizes": [{"rank": 1, "title": "Juara 1", "reward": "Rp 5.000.000"}],
    "status": "published",
    "published_at": "2024-07-01T00:00:00+00:00",
    "closed_at": None,
    "closed_by": None,
}


async def browse(
    handler: Callable[[httpx.Request], httpx.Response], *paths: str, **headers: str
) -> list[httpx.Response]:
    services = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    app = create_app(Settings(registry_url="http://registry"), clock=lambda: NOW, http=services)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://console", headers=headers
        ) as browser,
    ):
        return [await browser.get(path, follow_redirects=False) for path in paths]


def down(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


async def test_a_service_that_is_down_gives_a_clear_page_not_a_trace() -> None:
    (indonesian,) = await browse(down, "/")
    assert indonesian.status_code == 503 and indonesian.headers["retry-after"] == "30"
    assert "Layanan sedang tidak tersedia" in indonesian.text and "Traceback" not in indonesian.text
    (english,) = await browse(down, "/", **{"Accept-Language": "en"})
    assert "The service is temporarily unavailable" in english.text
    (broken,) = await browse(lambda r: httpx.Response(500, text="Internal Server Error"), "/")
    assert broken.status_code == 503


async def test_the_public_edition_page_counts_down_in_words_and_dates_in_wib() -> None:
    def registry(request: httpx.Request) -> httpx.Response:
        assert "authorization" not in request.headers and request.headers["accept-language"] == "id"
        return httpx.Response(200, json=[EDITION] if request.url.path == "/editions" else EDITION)

    home, page = await browse(registry, "/", f"/lomba/{EDITION['edition_id']}")
    assert home.status_code == 200 and f'href="/lomba/{EDITION["edition_id"]}"' in home.text
    assert page.status_code == 200 and page.text.count("<h1>") == 1
    assert "3 hari lagi" in page.text
    assert "4 Agustus 2024 pukul 12.00 WIB" in page.text
    assert 'property="og:title" content="Lomba Video Pendek KIM 2024"' in page.text


async def test_an_unknown_edition_is_a_page_not_found() -> None:
    def registry(request: httpx.Request) -> httpx.Response:
        error = {"code": "edition_not_found", "message": "Edisi tidak ditemukan.", "field": None}
        return httpx.Response(404, json={"error": error})

    (page,) = await browse(registry, f"/lomba/{EDITION['edition_id']}")
    assert page.status_code == 404 and "Halaman tidak ditemukan" in page.text
    (nonsense,) = await browse(registry, "/tidak-ada")
    assert nonsense.status_code == 404 and "Halaman tidak ditemukan" in nonsense.text


async def test_the_sections_ask_to_sign_in_first() -> None:
    answers = await browse(down, "/staf", "/juri", "/kim")
    assert [(a.status_code, a.headers["location"]) for a in answers] == [
        (303, "/masuk?kembali=/staf"),
        (303, "/masuk?kembali=/juri"),
        (303, "/masuk?kembali=/kim"),
    ]


async def test_ready_only_when_the_four_services_answer() -> None:
    (ready,) = await browse(lambda r: httpx.Response(200, json={"status": "ok"}), "/ready")
    assert ready.status_code == 200
    (not_ready,) = await browse(down, "/ready")
    assert not_ready.status_code == 503 and not_ready.json()["registry"] == "unavailable"


async def test_a_throttled_sign_in_says_so_beside_the_email() -> None:
    def registry(request: httpx.Request) -> httpx.Response:
        message = "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 60 detik."
        return httpx.Response(
            429, json={"error": {"code": "too_many_logins", "message": message, "field": None}}
        )

    services = httpx.AsyncClient(transport=httpx.MockTransport(registry))
    app = create_app(Settings(registry_url="http://registry"), clock=lambda: NOW, http=services)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://console") as browser,
    ):
        form = await browser.get("/masuk")
        token = form.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        answer = await browser.post("/masuk", data={"email": "a@b.id", "password": "x", "csrf_token": token})
    assert answer.status_code == 429
    assert 'id="email-error"' in answer.text and "Coba lagi dalam 60 detik" in answer.text
    assert '<a href="#email">' in answer.text  # the error summary links to the field


async def test_a_malformed_address_is_a_page_not_json() -> None:
    (page,) = await browse(down, "/lomba/bukan-nomor")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")


async def test_metrics_count_the_consoles_requests_by_route_template_and_status() -> None:
    from prometheus_client.parser import text_string_to_metric_families

    *_, scraped = await browse(down, "/", "/bahasa/en", "/bahasa/id", "/tidak-ada", "/metrics")
    assert scraped.status_code == 200 and scraped.headers["content-type"].startswith("text/plain")
    counted = {
        (s.labels["method"], s.labels["route"], s.labels["status"]): s.value
        for family in text_string_to_metric_families(scraped.text)
        for s in family.samples
        if s.name == "kim_http_requests_total"
    }
    assert counted == {
        ("GET", "/", "503"): 1.0,
        ("GET", "/bahasa/{language}", "303"): 2.0,
        ("GET", "unmatched", "404"): 1.0,
    }


async def test_a_pages_calls_to_the_services_carry_its_correlation_id() -> None:
    sent: list[str | None] = []

    def registry(request: httpx.Request) -> httpx.Response:
        sent.append(request.headers.get("X-Correlation-ID"))
        raise httpx.ConnectError("connection refused", request=request)

    await browse(registry, "/", **{"X-Correlation-ID": "visit-7"})
    assert sent and set(sent) == {"visit-7"}
    sent.clear()
    await browse(registry, "/")
    assert sent and all(given and len(given) == 32 for given in sent), "a new one per page otherwise"
