"""The judge's desk with judging faked at the HTTP level: the panels and the
progress, the entries with their status, the sheet page with the film embedded,
the rubric with weights, and a sheet sent, refused beside its field, or stale."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import httpx
from console.config import Settings
from console.main import create_app
from console.session import COOKIE, SignedIn

NOW = datetime(2024, 10, 1, 3, 0, tzinfo=UTC)
EDITION = "0b6c9f0e-3f55-4a8e-9a55-0d8f5c2b1a11"
JUDGE = "6a0f7d0e-1111-4a8e-9a55-0d8f5c2b1a22"
FIRST, SECOND = str(uuid4()), str(uuid4())
RUBRIC = [
    {
        "criterion_id": "tema",
        "name_id": "Kesesuaian dengan tema",
        "name_en": "Relevance to the theme",
        "weight": 30,
    },
    {"criterion_id": "kreativitas", "name_id": "Kreativitas", "name_en": "Creativity", "weight": 25},
    {"criterion_id": "teknis", "name_id": "Kualitas teknis", "name_en": "Technical quality", "weight": 20},
    {"criterion_id": "promosi_umkm", "name_id": "Promosi UMKM", "name_en": "UMKM promotion", "weight": 25},
]
SEAT = {
    "edition_id": EDITION,
    "title": "Lomba Video Pendek KIM 2024",
    "status": "scoring",
    "judge_id": JUDGE,
    "judge_name": "Ayu",
    "blind": True,
    "deadline": "2024-10-03T05:00:00+00:00",
    "assigned": 2,
    "scored": 1,
    "rubric": RUBRIC,
}


def film(entry_id: str, title: str, url: str) -> dict[str, Any]:
    return {
        "entry_id": entry_id,
        "title": title,
        "kim_name": None,
        "kelurahan": None,
        "video_url": url,
        "synopsis": "Perajin topeng Malangan penyandang disabilitas.",
        "duration_seconds": 290,
        "umkm_featured": ["Sanggar Topeng"],
    }


SHEET = {
    "sheet_id": str(uuid4()),
    "edition_id": EDITION,
    "entry_id": SECOND,
    "judge_id": JUDGE,
    "scores": {"tema": 90, "kreativitas": 80, "teknis": 70, "promosi_umkm": 60},
    "total": 76.0,
    "comment": "Kuat.",
    "note": "Audio pecah.",
    "revision": 3,
    "recorded_at": "2024-09-30T00:00:00+00:00",
    "updated_at": "2024-09-30T00:00:00+00:00",
}
DESK = {
    "seat": SEAT,
    "entries": [
        {"entry": film(FIRST, "Topeng Malangan", "https://youtu.be/dQw4w9WgXcQ"), "sheet": None},
        {"entry": film(SECOND, "Kopi Lereng", "https://www.tiktok.com/@kim/video/1"), "sheet": SHEET},
    ],
}


def judging(
    sent: list[httpx.Request], refuse: dict[str, Any] | None = None
) -> Callable[[httpx.Request], httpx.Response]:
    def handle(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        assert request.headers["authorization"] == "Bearer judge-token"
        if request.url.path == "/me/editions":
            return httpx.Response(200, json=[SEAT])
        if request.url.path == f"/me/editions/{EDITION}/entries":
            return httpx.Response(200, json=DESK)
        if request.method == "PUT" and request.url.path.endswith(f"/sheets/{JUDGE}"):
            if refuse:
                return httpx.Response(refuse["status"], json={"error": refuse["error"]})
            return httpx.Response(200, json=SHEET)
        return httpx.Response(404, json={"error": {"code": "not_found", "message": "-", "field": None}})

    return handle


async def as_judge(
    handler: Callable[[httpx.Request], httpx.Response], steps: Callable[[httpx.AsyncClient], Any]
) -> Any:
    services = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    app = create_app(Settings(registry_url="http://registry"), clock=lambda: NOW, http=services)
    async with app.router.lifespan_context(app):
        answer = {
            "access_token": "judge-token",
            "expires_in": 10**9,
            "refresh_token": "r",
            "refresh_expires_in": 10**9,
            "account": {"account_id": str(uuid4()), "email": "ayu@juri.id", "name": "Ayu", "role": "judge"},
        }
        cookie = app.state.sessions.add(SignedIn.from_login(answer, app.state.sessions.clock()))
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://console", cookies={COOKIE: cookie}
        ) as browser:
            return await steps(browser)


async def test_the_desk_lists_my_panels_with_progress_and_my_entries_with_their_status() -> None:
    sent: list[httpx.Request] = []

    async def steps(browser: httpx.AsyncClient) -> Any:
        return await browser.get("/juri"), await browser.get(f"/juri/{EDITION}")

    home, entries = await as_judge(judging(sent), steps)
    assert home.status_code == 200 and "1 dari 2 sudah dinilai" in home.text
    assert "batas waktu 3 Oktober 2024 (2 hari lagi)" in home.text
    assert f'href="/juri/{EDITION}"' in home.text
    assert entries.status_code == 200 and entries.text.count("<h1>") == 1
    assert "Belum dinilai" in entries.text and "Terkirim" in entries.text and "76,00" in entries.text
    assert not any(JUDGE in str(r.url) for r in sent), "a judge's pages never need their id to be known"


async def test_the_sheet_page_embeds_the_film_beside_the_weighted_rubric() -> None:
    async def steps(browser: httpx.AsyncClient) -> Any:
        return await browser.get(f"/juri/{EDITION}/karya/{FIRST}"), await browser.get(
            f"/juri/{EDITION}/karya/{SECOND}", headers={"Accept-Language": "en"}
        )

    first, second = await as_judge(judging([]), steps)
    assert first.status_code == 200
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in first.text
    assert "Bobot 30%" in first.text and 'data-weight="25"' in first.text
    assert "Kirim lembar nilai" in first.text and f'href="/juri/{EDITION}/karya/{SECOND}"' in first.text
    assert "Karya 1 dari 2" in first.text and "4 menit 50 detik" in first.text
    # Another host: a link that opens in a new tab, no iframe; the sheet so far is in the form.
    assert "<iframe" not in second.text and 'target="_blank"' in second.text
    assert (
        'value="90"' in second.text
        and "Audio pecah." in second.text
        and 'name="revision" value="3"' in second.text
    )
    assert "Save my changes to the sheet" in second.text


async def test_an_entry_not_on_my_desk_is_not_found() -> None:
    async def steps(browser: httpx.AsyncClient) -> Any:
        return await browser.get(f"/juri/{EDITION}/karya/{uuid4()}")

    missing = await as_judge(judging([]), steps)
    assert missing.status_code == 404


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


async def test_a_sheet_is_sent_with_its_comment_note_and_revision() -> None:
    sent: list[httpx.Request] = []

    async def steps(browser: httpx.AsyncClient) -> Any:
        page = await browser.get(f"/juri/{EDITION}/karya/{SECOND}")
        form = {
            "csrf_token": csrf_of(page),
            "revision": "3",
            "score-tema": "91",
            "score-kreativitas": "80",
            "score-teknis": "70",
            "score-promosi_umkm": "60",
            "comment": "Sangat kuat.",
            "note": "Audio pecah.",
        }
        return await browser.post(f"/juri/{EDITION}/karya/{SECOND}", data=form)

    done = await as_judge(judging(sent), steps)
    assert done.status_code == 303 and done.headers["location"] == f"/juri/{EDITION}/karya/{SECOND}"
    (put,) = [r for r in sent if r.method == "PUT"]
    assert put.url.path == f"/editions/{EDITION}/entries/{SECOND}/sheets/{JUDGE}"
    assert json.loads(put.content) == {
        "scores": {"tema": 91, "kreativitas": 80, "teknis": 70, "promosi_umkm": 60},
        "comment": "Sangat kuat.",
        "note": "Audio pecah.",
        "revision": 3,
    }


async def test_a_score_out_of_range_or_missing_is_refused_beside_its_field_and_nothing_is_sent() -> None:
    sent: list[httpx.Request] = []

    async def steps(browser: httpx.AsyncClient) -> Any:
        page = await browser.get(f"/juri/{EDITION}/karya/{FIRST}")
        form = {"csrf_token": csrf_of(page), "revision": "0", "score-tema": "101", "score-teknis": "70"}
        form |= {"score-promosi_umkm": "60"}
        return await browser.post(f"/juri/{EDITION}/karya/{FIRST}", data=form)

    page = await as_judge(judging(sent), steps)
    assert page.status_code == 400 and not [r for r in sent if r.method == "PUT"]
    assert 'href="#score-tema"' in page.text and 'href="#score-kreativitas"' in page.text
    assert "Nilai untuk Kesesuaian dengan tema harus bilangan bulat dari 0 sampai 100" in page.text
    assert "Isi nilai untuk Kreativitas" in page.text and 'value="101"' in page.text


async def test_a_stale_sheet_is_refused_with_judgings_message() -> None:
    message = "Lembar nilai untuk karya 'Kopi Lereng' sudah diubah di tempat lain (mungkin di tab lain)."
    refuse = {"status": 409, "error": {"code": "sheet_stale", "message": message, "field": "revision"}}

    async def steps(browser: httpx.AsyncClient) -> Any:
        page = await browser.get(f"/juri/{EDITION}/karya/{SECOND}")
        form = {"csrf_token": csrf_of(page), "revision": "2"}
        form |= {f"score-{c['criterion_id']}": "50" for c in RUBRIC}
        return await browser.post(f"/juri/{EDITION}/karya/{SECOND}", data=form)

    page = await as_judge(judging([], refuse), steps)
    assert page.status_code == 400 and "di tab lain" in page.text and 'href="#sheet"' in page.text
