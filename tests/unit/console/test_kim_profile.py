"""The KIM's profile pages with the services faked: the representative's editor
(rows added and removed on the server, refusals beside their field, competition
achievements read-only, only its own KIM) and the public page (Open Graph, cacheable)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import httpx
from console.config import Settings
from console.main import create_app
from console.session import COOKIE, SignedIn

KIM = str(uuid4())
EDITION = str(uuid4())
REGION = {"code": "bumiayu", "name": "Bumiayu"}
COMPETITION = {
    "title": "Juara 1, Lomba Video Pendek KIM 2024",
    "level": "kota",
    "year": 2024,
    "reward": "Rp 5.000.000",
    "source": "competition",
    "edition_id": EDITION,
    "rank": 1,
}
DECLARED = {
    "title": "Kampung Smart City",
    "level": "kota",
    "year": 2023,
    "reward": "Rp40.000.000",
    "source": "declared",
    "edition_id": None,
    "rank": None,
}
THE_KIM = {
    "kim_id": KIM,
    "name": "KIM Pasreh Jaya",
    "kelurahan": REGION,
    "kecamatan": {"code": "kedungkandang", "name": "Kedungkandang"},
    "chair": "Siti",
    "whatsapp": "+6281234567890",
    "email": "pasreh@example.id",
    "members": [{"name": "Siti Aminah", "role": "Ketua", "expertise": "Kader lingkungan"}],
    "innovations": [],
    "achievements": [COMPETITION, DECLARED],
    "sponsors": [],
    "verified": True,
    "registered_at": "2024-08-01T09:00:00Z",
    "verified_at": "2024-08-02T09:00:00Z",
}
PROFILE = {
    key: THE_KIM[key]
    for key in (
        "kim_id",
        "name",
        "kelurahan",
        "kecamatan",
        "members",
        "innovations",
        "achievements",
        "sponsors",
    )
}


class Registry:
    """The registry, faked: what the console asks and what it sends."""

    def __init__(self, refuse: dict[str, Any] | None = None) -> None:
        self.patches: list[tuple[str, dict[str, Any]]] = []
        self.refuse = refuse

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if request.method == "GET" and path == f"/kims/{KIM}":
            return httpx.Response(200, json=THE_KIM)
        if request.method == "GET" and path == f"/kims/{KIM}/profile":
            assert "authorization" not in request.headers, "the public page calls anonymously"
            return httpx.Response(200, json=PROFILE)
        if request.method == "PATCH" and path.startswith("/kims/"):
            self.patches.append((path, json.loads(request.content)))
            if self.refuse:
                return httpx.Response(422, json={"error": self.refuse})
            return httpx.Response(200, json=THE_KIM)
        raise AssertionError(f"unexpected {request.method} {request.url}")


@asynccontextmanager
async def browsing(
    handler: Callable[[httpx.Request], httpx.Response], signed_in: bool = True
) -> AsyncIterator[httpx.AsyncClient]:
    services = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    app = create_app(
        Settings(registry_url="http://registry", public_url="https://kim.malangkota.go.id"),
        clock=lambda: datetime(2024, 12, 1, tzinfo=UTC),
        http=services,
    )
    async with app.router.lifespan_context(app):
        cookies = {}
        if signed_in:
            account = {
                "account_id": str(uuid4()),
                "email": "kim1@x.id",
                "name": "Wakil",
                "role": "kim_rep",
                "kim_id": KIM,
            }
            answer = {
                "access_token": "t",
                "expires_in": 10**9,
                "refresh_token": "r",
                "refresh_expires_in": 10**9,
            }
            cookies[COOKIE] = app.state.sessions.add(
                SignedIn.from_login({**answer, "account": account}, app.state.sessions.clock())
            )
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://console", cookies=cookies
        ) as browser:
            yield browser


def csrf_of(page: str) -> str:
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def the_form(**changes: list[str]) -> dict[str, list[str]]:
    """The editor's form as the page sends it: the KIM's rows, then `changes`."""
    form = {
        "members-name": ["Siti Aminah"],
        "members-role": ["Ketua"],
        "members-expertise": ["Kader lingkungan"],
        "innovations-title": [],
        "innovations-description": [],
        "innovations-since": [],
        "achievements-title": ["Kampung Smart City"],
        "achievements-level": ["kota"],
        "achievements-year": ["2023"],
        "achievements-reward": ["Rp40.000.000"],
        "sponsors-name": [],
        "sponsors-kind": [],
    }
    return {**form, **changes}


async def test_the_editor_shows_the_rows_and_the_competition_achievement_read_only() -> None:
    async with browsing(Registry()) as browser:
        page = await browser.get("/kim/profil")
    assert page.status_code == 200
    assert 'value="Kader lingkungan"' in page.text and 'value="Kampung Smart City"' in page.text
    assert "Juara 1, Lomba Video Pendek KIM 2024" in page.text
    assert 'value="Juara 1, Lomba Video Pendek KIM 2024"' not in page.text  # not an input
    assert "<h1>Profil KIM Anda</h1>" in page.text and f'href="/profil-kim/{KIM}"' in page.text


async def test_rows_are_added_and_removed_on_the_server_without_saving() -> None:
    registry = Registry()
    async with browsing(registry) as browser:
        token = csrf_of((await browser.get("/kim/profil")).text)
        added = await browser.post(
            "/kim/profil", data={**the_form(), "aksi": "tambah-sponsors", "csrf_token": token}
        )
        assert 'id="sponsors-name-0"' in added.text and "Sponsor 1" in added.text
        removed = await browser.post(
            "/kim/profil", data={**the_form(), "aksi": "hapus-members-0", "csrf_token": token}
        )
        assert 'id="members-name-0"' not in removed.text
    assert registry.patches == []


async def test_saving_sends_the_lists_of_its_own_kim_and_never_the_competition_achievements() -> None:
    registry = Registry()
    form = the_form(
        **{
            "innovations-title": ["Klinik Internet Sehat"],
            "innovations-description": ["Tiap Sabtu"],
            "innovations-since": ["2021"],
            "sponsors-name": ["Toko Bu Min", ""],
            "sponsors-kind": ["sponsor", ""],  # a row left empty is dropped
        }
    )
    async with browsing(registry) as browser:
        token = csrf_of((await browser.get("/kim/profil")).text)
        saved = await browser.post("/kim/profil", data={**form, "aksi": "simpan", "csrf_token": token})
    assert (saved.status_code, saved.headers["location"]) == (303, "/kim/profil")
    ((path, body),) = registry.patches
    assert path == f"/kims/{KIM}"
    assert body["members"] == [{"name": "Siti Aminah", "role": "Ketua", "expertise": "Kader lingkungan"}]
    assert body["innovations"] == [
        {"title": "Klinik Internet Sehat", "description": "Tiap Sabtu", "since": 2021}
    ]
    assert body["achievements"] == [
        {"title": "Kampung Smart City", "level": "kota", "year": 2023, "reward": "Rp40.000.000"}
    ]
    assert body["sponsors"] == [{"name": "Toko Bu Min", "kind": "sponsor"}]


async def test_what_the_page_can_tell_is_refused_beside_the_field() -> None:
    registry = Registry()
    form = the_form(**{"achievements-year": ["2031"], "achievements-level": [""]})
    async with browsing(registry) as browser:
        token = csrf_of((await browser.get("/kim/profil")).text)
        refused = await browser.post("/kim/profil", data={**form, "aksi": "simpan", "csrf_token": token})
    assert refused.status_code == 400 and registry.patches == []
    assert 'id="achievements-year-0-error"' in refused.text and "antara 1945 dan 2024" in refused.text
    assert 'id="achievements-level-0-error"' in refused.text and "Pilih tingkatnya." in refused.text


async def test_the_registrys_refusal_shows_beside_the_row_it_names() -> None:
    error = {
        "code": "duplicate_member",
        "message": "Anggota bernama 'Siti' sudah ada.",
        "field": "members.1.name",
    }
    registry = Registry(refuse=error)
    form = the_form(
        **{"members-name": ["Siti", "siti"], "members-role": ["", ""], "members-expertise": ["", ""]}
    )
    async with browsing(registry) as browser:
        token = csrf_of((await browser.get("/kim/profil")).text)
        refused = await browser.post("/kim/profil", data={**form, "aksi": "simpan", "csrf_token": token})
    assert refused.status_code == 400
    assert 'id="members-name-1-error"' in refused.text and "sudah ada" in refused.text


async def test_the_public_page_has_open_graph_tags_and_is_cacheable() -> None:
    async with browsing(Registry(), signed_in=False) as browser:
        page = await browser.get(f"/profil-kim/{KIM}")
        assert page.status_code == 200
        assert '<meta property="og:title" content="KIM Pasreh Jaya">' in page.text
        assert (
            f'<meta property="og:url" content="https://kim.malangkota.go.id/profil-kim/{KIM}">' in page.text
        )
        assert "Juara 1, Lomba Video Pendek KIM 2024" in page.text and "Kader lingkungan" in page.text
        assert "+6281234567890" not in page.text and "pasreh@example.id" not in page.text
        # Newest first, as the registry sends them; the competition one links to its results.
        assert page.text.index("Juara 1, Lomba") < page.text.index("Kampung Smart City")
        assert f'href="/lomba/{EDITION}/hasil"' in page.text
        assert page.headers["Cache-Control"].startswith("public") and page.headers["ETag"]
        again = await browser.get(f"/profil-kim/{KIM}", headers={"If-None-Match": page.headers["ETag"]})
        assert again.status_code == 304
