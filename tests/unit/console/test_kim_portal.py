"""The KIM portal's pages with the services faked at the HTTP level: the home, every
state of an edition's status page, the film link's check as the KIM types, the
entry form's refusals beside their fields, and that the pages act only for the
signed-in KIM."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import httpx
import pytest
from console.config import Settings
from console.main import create_app
from console.session import COOKIE, SignedIn

NOW = datetime(2024, 8, 1, 3, 0, tzinfo=UTC)
EDITION_ID = "0b6c9f0e-3f55-4a8e-9a55-0d8f5c2b1a11"
KIM = str(uuid4())
OTHER_KIM = str(uuid4())
EDITION: dict[str, Any] = {
    "edition_id": EDITION_ID,
    "title": "Lomba Video Pendek KIM 2024",
    "theme": "Promosi UMKM Kota Malang",
    "description": "",
    "submission_opens_at": "2024-07-01T00:00:00+00:00",
    "submission_closes_at": "2024-08-04T05:00:00+00:00",
    "rules": {
        "max_video_seconds": 300,
        "allowed_video_hosts": ["youtube.com", "youtu.be"],
        "entries_per_kim": 1,
    },
    "awarded_ranks": 3,
    "prizes": [],
    "status": "published",
    "published_at": "2024-07-01T00:00:00+00:00",
    "closed_at": None,
    "closed_by": None,
}
KIM_PROFILE = {
    "kim_id": KIM,
    "name": "KIM Pasreh Jaya",
    "kelurahan": {"code": "35.73.01.1001", "name": "Arjowinangun"},
    "kecamatan": {"code": "35.73.01", "name": "Kedungkandang"},
    "verified": True,
}
REGION = {"code": "35.73.01.1001", "name": "Arjowinangun"}


def enrolment(status: str, kim: str = KIM, reason: str | None = None) -> dict[str, Any]:
    return {
        "enrolment_id": str(uuid4()),
        "edition_id": EDITION_ID,
        "kim_id": kim,
        "kim_name": "KIM Pasreh Jaya",
        "kelurahan": REGION,
        "status": status,
        "reason": reason,
        "requested_at": "2024-07-02T01:00:00+00:00",
        "decided_at": None,
    }


def entry(status: str = "submitted", revision: int = 1, kim: str = KIM, **more: Any) -> dict[str, Any]:
    return {
        "entry_id": str(uuid4()),
        "edition_id": EDITION_ID,
        "kim_id": kim,
        "kim_name": "KIM Pasreh Jaya",
        "kelurahan": REGION,
        "title": "Topeng Malangan",
        "synopsis": "Kisah perajin topeng Malangan di kampung kami.",
        "video_url": "https://youtu.be/abc123XYZ",
        "duration_seconds": None,
        "umkm_featured": ["Sanggar Topeng Asmorobangun", "Keripik Tempe Sanan"],
        "status": status,
        "revision": revision,
        "submitted_at": "2024-07-03T01:00:00+00:00",
        "updated_at": "2024-07-04T01:00:00+00:00",
        "disqualification_reason": None,
        **more,
    }


def refusal(status: int, code: str, message: str, field: str | None = None) -> httpx.Response:
    return httpx.Response(status, json={"error": {"code": code, "message": message, "field": field}})


@dataclass
class World:
    """What the four services hold, and every call made to them."""

    kim: dict[str, Any] = field(default_factory=lambda: dict(KIM_PROFILE))
    edition: dict[str, Any] = field(default_factory=lambda: copy.deepcopy(EDITION))
    enrolments: list[dict[str, Any]] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)
    results: dict[str, Any] | None = None
    #: An answer to the next entry POST/PATCH instead of accepting it.
    refuse_entry: httpx.Response | None = None
    calls: list[tuple[str, str, str, Any]] = field(default_factory=list)
    #: The Idempotency-Key header of every write, by path.
    keys: list[tuple[str, str | None]] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        path, method = request.url.path, request.method
        body: Any = json.loads(request.content) if request.content else None
        service = {"registry": "registry", 8002: "submissions", 8003: "judging"}.get(
            request.url.host if request.url.host == "registry" else request.url.port, "notifications"
        )
        self.calls.append((service, method, path, body))
        if method != "GET":
            self.keys.append((path, request.headers.get("idempotency-key")))
        if service == "registry":
            if path == f"/kims/{KIM}":
                return httpx.Response(200, json=self.kim)
            if path == "/editions":
                return httpx.Response(200, json=[self.edition])
            if path == f"/editions/{EDITION_ID}":
                return httpx.Response(200, json=self.edition)
            if path == f"/editions/{EDITION_ID}/enrolments" and method == "GET":
                return httpx.Response(200, json=self.enrolments)
            if path == f"/editions/{EDITION_ID}/enrolments" and method == "POST":
                self.enrolments.append(enrolment("requested", kim=body["kim_id"]))
                return httpx.Response(201, json=self.enrolments[-1])
        if service == "submissions":
            if path == f"/editions/{EDITION_ID}/submission-window":
                return httpx.Response(
                    200,
                    json={"allowed_video_hosts": EDITION["rules"]["allowed_video_hosts"], "closed_at": None},
                )
            if path == f"/editions/{EDITION_ID}/entries" and method == "GET":
                return httpx.Response(200, json=self.entries)
            if method in ("POST", "PATCH") and self.refuse_entry is not None:
                return self.refuse_entry
            if path == f"/editions/{EDITION_ID}/entries" and method == "POST":
                self.entries.append({**entry(), **body, "kim_id": body["kim_id"]})
                return httpx.Response(201, json=self.entries[-1])
            for found in self.entries:
                if path == f"/entries/{found['entry_id']}" and method == "PATCH":
                    found.update(body, revision=found["revision"] + 1)
                    return httpx.Response(200, json=found)
                if path == f"/entries/{found['entry_id']}/withdrawal":
                    found["status"] = "withdrawn"
                    return httpx.Response(200, json=found)
        if service == "judging" and path == f"/editions/{EDITION_ID}/results":
            if self.results is None:
                return refusal(404, "results_not_announced", "Hasil belum diumumkan.")
            return httpx.Response(200, json=self.results)
        raise AssertionError(f"unexpected {method} {request.url}")

    def writes(self) -> list[tuple[str, str, str, Any]]:
        return [call for call in self.calls if call[1] != "GET"]


@asynccontextmanager
async def kim_browser(world: World, kim: str = KIM) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        Settings(registry_url="http://registry", live_updates=False),
        clock=lambda: NOW,
        http=httpx.AsyncClient(transport=httpx.MockTransport(world.handle)),
    )
    async with app.router.lifespan_context(app):
        account = {"account_id": str(uuid4()), "email": "pasreh@x.id", "name": "Wakil", "role": "kim_rep"}
        answer = {"access_token": "t", "expires_in": 10**9, "refresh_token": "r", "refresh_expires_in": 10**9}
        cookie = app.state.sessions.add(
            SignedIn.from_login({**answer, "account": {**account, "kim_id": kim}}, app.state.sessions.clock())
        )
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://console", cookies={COOKIE: cookie}
        ) as browser:
            yield browser


async def post(browser: httpx.AsyncClient, path: str, **data: str) -> httpx.Response:
    page = await browser.get("/kim")
    token = re.search(r'"X-CSRF-Token": "([^"]+)"', page.text)
    assert token is not None
    return await browser.post(path, data={**data, "csrf_token": token.group(1)})


async def status_page(world: World) -> httpx.Response:
    async with kim_browser(world) as browser:
        page = await browser.get(f"/kim/lomba/{EDITION_ID}")
    assert page.status_code == 200 and page.text.count("<h1>") == 1
    return page


# --- the home --------------------------------------------------------------------------------


async def test_a_kim_not_verified_yet_is_told_it_waits_for_staff_and_sees_no_edition() -> None:
    world = World(kim={**KIM_PROFILE, "verified": False})
    async with kim_browser(world) as browser:
        home = await browser.get("/kim")
    assert home.status_code == 200 and "Menunggu verifikasi staf" in home.text
    assert "KIM Pasreh Jaya" in home.text and "Arjowinangun" in home.text
    assert EDITION_ID not in home.text
    assert not any(path == "/editions" for _, _, path, _ in world.calls)
    assert 'href="/kim/profil"' in home.text and 'href="/kim/nilai"' in home.text


async def test_a_verified_kim_sees_each_published_edition_with_its_state_in_it() -> None:
    world = World(enrolments=[enrolment("approved")], entries=[entry(revision=2)])
    async with kim_browser(world) as browser:
        home = await browser.get("/kim")
    assert home.status_code == 200 and f'href="/kim/lomba/{EDITION_ID}"' in home.text
    assert "Karya diterima (revisi 2)" in home.text


# --- every state of the status page -----------------------------------------------------------


async def test_not_enrolled_offers_to_enrol_and_enrolling_sends_the_sessions_kim() -> None:
    world = World()
    page = await status_page(world)
    assert "Belum mendaftar" in page.text and "Daftar ikut lomba" in page.text
    async with kim_browser(world) as browser:
        answer = await post(browser, f"/kim/lomba/{EDITION_ID}/daftar", kim_id=OTHER_KIM)
    assert answer.status_code == 303 and answer.headers["location"] == f"/kim/lomba/{EDITION_ID}"
    assert world.writes() == [
        ("registry", "POST", f"/editions/{EDITION_ID}/enrolments", {"kim_id": KIM}),
    ]


async def test_an_enrolment_waiting_says_so_with_what_comes_next() -> None:
    page = await status_page(World(enrolments=[enrolment("requested")]))
    assert "Pendaftaran menunggu persetujuan staf" in page.text
    assert "Anda dapat mengirim karya setelah disetujui" in page.text
    assert "Daftar ikut lomba" not in page.text and f"/kim/lomba/{EDITION_ID}/karya" not in page.text


async def test_a_rejected_enrolment_shows_the_reason() -> None:
    page = await status_page(World(enrolments=[enrolment("rejected", reason="Berkas tidak lengkap.")]))
    assert "Pendaftaran ditolak" in page.text and "Berkas tidak lengkap." in page.text
    assert f"/kim/lomba/{EDITION_ID}/karya" not in page.text


async def test_an_approved_enrolment_leads_to_the_entry_form() -> None:
    page = await status_page(World(enrolments=[enrolment("approved")]))
    assert "disetujui" in page.text and f'href="/kim/lomba/{EDITION_ID}/karya"' in page.text


def film_check(status: str, seconds: int | None = None, reason: str | None = None) -> dict[str, Any]:
    """As submissions answers it (`FilmCheckPublic`)."""
    return {
        "status": status,
        "duration_seconds": seconds,
        "host_title": "Topeng Malangan (film pendek)" if seconds else None,
        "checked_at": None if status == "pending" else "2024-07-04T01:01:00+00:00",
        "reason": reason,
    }


async def test_an_entry_received_shows_its_revision_film_and_the_film_check() -> None:
    check = film_check("ok", 253)
    page = await status_page(
        World(enrolments=[enrolment("approved")], entries=[entry(revision=2, film_check=check)])
    )
    assert "Karya diterima (revisi 2)" in page.text and "Topeng Malangan" in page.text
    assert "https://www.youtube-nocookie.com/embed/abc123XYZ" in page.text
    assert "Durasi terbaca: 4 menit 13 detik" in page.text
    assert "Topeng Malangan (film pendek)" in page.text
    assert "Ubah karya" in page.text and "Tarik karya" in page.text


@pytest.mark.parametrize(
    ("check", "said"),
    [
        (film_check("needs_review", reason="unreachable"), "Tautan tidak dapat dibuka; staf akan memeriksa"),
        (film_check("needs_review", reason="link_refused"), "Tautan tidak dapat dibuka; staf akan memeriksa"),
        (
            film_check("needs_review", 400, reason="too_long"),
            "Durasi terbaca: 6 menit 40 detik. Film lebih panjang dari batas lomba; staf akan memeriksa",
        ),
        (
            film_check("needs_review", reason="duration_unknown"),
            "Durasi film tidak dapat dibaca dari tautannya",
        ),
        (film_check("pending"), "Durasi film sedang dibaca dari tautannya"),
    ],
)
async def test_a_film_check_that_needs_staff_or_is_pending_says_so(check: dict[str, Any], said: str) -> None:
    page = await status_page(World(enrolments=[enrolment("approved")], entries=[entry(film_check=check)]))
    assert said in page.text


async def test_without_a_film_check_the_entry_shows_without_one() -> None:
    without = await status_page(World(enrolments=[enrolment("approved")], entries=[entry()]))
    assert "Pemeriksaan film" not in without.text and "Karya diterima (revisi 1)" in without.text


async def test_a_disqualified_entry_shows_the_reason_and_offers_no_change() -> None:
    disqualified = entry("disqualified", disqualification_reason="Film memuat iklan rokok.")
    page = await status_page(World(enrolments=[enrolment("approved")], entries=[disqualified]))
    assert "Karya didiskualifikasi" in page.text and "Film memuat iklan rokok." in page.text
    assert "Ubah karya" not in page.text and "Tarik karya" not in page.text


async def test_the_status_page_in_english_has_no_indonesian_of_its_own() -> None:
    world = World(enrolments=[enrolment("requested")])
    async with kim_browser(world) as browser:
        await browser.get("/bahasa/en?kembali=/kim")
        page = await browser.get(f"/kim/lomba/{EDITION_ID}")
    main = page.text.split("<main", 1)[1]
    assert 'lang="en"' in page.text and "Enrolment waiting for staff approval" in main
    assert "Pendaftaran" not in main and "Kembali" not in main


async def test_a_withdrawn_entry_may_be_followed_by_a_new_one() -> None:
    page = await status_page(World(enrolments=[enrolment("approved")], entries=[entry("withdrawn")]))
    assert "Karya ditarik" in page.text and f'href="/kim/lomba/{EDITION_ID}/karya"' in page.text
    assert "Ubah karya" not in page.text


async def test_closed_submissions_offer_no_change() -> None:
    world = World(enrolments=[enrolment("approved")], entries=[entry()])
    world.edition["status"] = "submissions_closed"
    page = await status_page(world)
    assert "Pengiriman ditutup" in page.text and "juri sedang menilai" in page.text
    assert "Ubah karya" not in page.text and "Tarik karya" not in page.text


async def test_announced_shows_the_rank_and_the_feedback_link() -> None:
    mine = entry()
    world = World(enrolments=[enrolment("approved")], entries=[mine])
    world.edition["status"] = "submissions_closed"
    placing = {"rank": 1, "kim_id": KIM, "entry_id": mine["entry_id"], "score": 88.5}
    other = {"rank": 2, "kim_id": OTHER_KIM, "entry_id": str(uuid4()), "score": 80.0}
    world.results = {"ranking": [placing, other], "winners": [placing, other]}
    page = await status_page(world)
    assert "Peringkat 1" in page.text and "88,50" in page.text
    assert f'href="/kim/nilai/{EDITION_ID}"' in page.text
    async with kim_browser(world) as browser:
        home = await browser.get("/kim")
    assert "Hasil diumumkan: peringkat 1" in home.text


# --- the film link, checked as the KIM types --------------------------------------------------


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("http://youtu.be/abc123XYZ", "Tautan harus diawali https://"),
        (
            "https://example.com/film.mp4",
            "Film di example.com tidak diterima; gunakan salah satu: youtube.com, youtu.be",
        ),
        ("https://youtu.be/abc123XYZ", 'src="https://www.youtube-nocookie.com/embed/abc123XYZ"'),
        ("https://www.youtube.com/watch?v=abc123XYZ", "Tautan diterima."),
    ],
)
async def test_the_link_check_fragment(link: str, expected: str) -> None:
    world = World(enrolments=[enrolment("approved")])
    async with kim_browser(world) as browser:
        fragment = await browser.get(
            f"/kim/lomba/{EDITION_ID}/karya/periksa-tautan",
            params={"video_url": link},
            headers={"HX-Request": "true"},
        )
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert expected in fragment.text.replace("&#39;", "'")
    assert ("iframe" in fragment.text) == ("nocookie" in expected or "diterima." in expected)


async def test_the_form_offers_no_file_upload_and_checks_the_link_with_htmx() -> None:
    async with kim_browser(World(enrolments=[enrolment("approved")])) as browser:
        form = await browser.get(f"/kim/lomba/{EDITION_ID}/karya")
    assert form.status_code == 200 and 'type="file"' not in form.text and "duration" not in form.text
    assert f'hx-get="/kim/lomba/{EDITION_ID}/karya/periksa-tautan"' in form.text


# --- refusals beside their fields ---------------------------------------------------------------


ENTRY_FORM = {
    "video_url": "https://youtu.be/abc123XYZ",
    "title": "Topeng Malangan",
    "synopsis": "Kisah perajin topeng Malangan di kampung kami.",
    "umkm": "Sanggar Topeng Asmorobangun\n\nKeripik Tempe Sanan\n",
}


async def test_what_the_page_can_check_is_shown_beside_each_field_without_calling_the_service() -> None:
    world = World(enrolments=[enrolment("approved")])
    async with kim_browser(world) as browser:
        answer = await post(
            browser,
            f"/kim/lomba/{EDITION_ID}/karya",
            video_url="http://x.id/v",
            title="T",
            synopsis="pendek",
            umkm="",
        )
    assert answer.status_code == 400
    for name, text in [
        ("video_url", "Tautan harus diawali https://"),
        ("title", "Isi judul film."),
        ("synopsis", "paling sedikit 20 karakter"),
        ("umkm", "paling sedikit satu UMKM"),
    ]:
        assert re.search(f'id="{name}-error">.*?{re.escape(text)}', answer.text, re.S), name
    assert world.writes() == []


@pytest.mark.parametrize(
    ("code", "field", "beside"),
    [
        ("video_too_long", "duration_seconds", "video_url"),
        ("video_host_not_allowed", "video_url", "video_url"),
        ("enrolment_not_approved", "kim_id", "entry"),
    ],
)
async def test_a_refusal_of_submissions_is_shown_beside_its_field(code: str, field: str, beside: str) -> None:
    world = World(enrolments=[enrolment("approved")])
    world.refuse_entry = refusal(422, code, f"Ditolak: {code}.", field)
    async with kim_browser(world) as browser:
        answer = await post(browser, f"/kim/lomba/{EDITION_ID}/karya", **ENTRY_FORM)
    assert answer.status_code == 400 and f"Ditolak: {code}." in answer.text
    assert f'id="{beside}' in answer.text and f'<a href="#{beside}">' in answer.text
    # What was typed is kept.
    assert "Sanggar Topeng Asmorobangun" in answer.text


async def test_submitting_sends_the_umkm_one_per_line_and_the_sessions_kim() -> None:
    world = World(enrolments=[enrolment("approved")])
    async with kim_browser(world) as browser:
        answer = await post(browser, f"/kim/lomba/{EDITION_ID}/karya", **ENTRY_FORM)
    assert answer.status_code == 303
    ((service, method, path, body),) = world.writes()
    assert (service, method, path) == ("submissions", "POST", f"/editions/{EDITION_ID}/entries")
    assert body == {
        "kim_id": KIM,
        "title": "Topeng Malangan",
        "synopsis": ENTRY_FORM["synopsis"],
        "video_url": "https://youtu.be/abc123XYZ",
        "umkm_featured": ["Sanggar Topeng Asmorobangun", "Keripik Tempe Sanan"],
    }


FORM_KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')


async def test_enrolling_and_submitting_send_the_forms_idempotency_key_so_sending_twice_counts_once() -> None:
    world = World()
    async with kim_browser(world) as browser:
        status = await browser.get(f"/kim/lomba/{EDITION_ID}")
        (enrol_key,) = FORM_KEY.findall(status.text)
        for _ in range(2):  # a double tap on a phone, or a retry after a lost answer
            await post(browser, f"/kim/lomba/{EDITION_ID}/daftar", idempotency_key=enrol_key)
        world.enrolments[:] = [enrolment("approved")]
        form = await browser.get(f"/kim/lomba/{EDITION_ID}/karya")
        (entry_key,) = FORM_KEY.findall(form.text)
        assert entry_key != enrol_key  # a new key per form rendered
        for _ in range(2):
            await post(browser, f"/kim/lomba/{EDITION_ID}/karya", idempotency_key=entry_key, **ENTRY_FORM)
    assert world.keys == [
        (f"/editions/{EDITION_ID}/enrolments", enrol_key),
        (f"/editions/{EDITION_ID}/enrolments", enrol_key),
        (f"/editions/{EDITION_ID}/entries", entry_key),
        (f"/editions/{EDITION_ID}/entries", entry_key),
    ]


async def test_revising_and_withdrawing_act_on_the_kims_own_entry() -> None:
    mine = entry()
    world = World(enrolments=[enrolment("approved")], entries=[mine])
    async with kim_browser(world) as browser:
        form = await browser.get(f"/kim/lomba/{EDITION_ID}/karya/ubah")
        assert "Keripik Tempe Sanan" in form.text and "Revisi 1" in form.text
        answer = await post(
            browser, f"/kim/lomba/{EDITION_ID}/karya/ubah", **{**ENTRY_FORM, "title": "Topeng Baru"}
        )
        assert answer.status_code == 303 and mine["revision"] == 2 and mine["title"] == "Topeng Baru"
        confirm = await browser.get(f"/kim/lomba/{EDITION_ID}/karya/tarik")
        assert "Tarik Topeng Baru?" in confirm.text
        answer = await post(browser, f"/kim/lomba/{EDITION_ID}/karya/tarik")
    assert answer.status_code == 303 and mine["status"] == "withdrawn"
    assert [(m, p) for _, m, p, _ in world.writes()] == [
        ("PATCH", f"/entries/{mine['entry_id']}"),
        ("POST", f"/entries/{mine['entry_id']}/withdrawal"),
    ]


async def test_after_the_deadline_the_form_is_replaced_by_submissions_closed() -> None:
    world = World(enrolments=[enrolment("approved")], entries=[entry()])
    world.edition["submission_closes_at"] = "2024-07-31T00:00:00+00:00"
    async with kim_browser(world) as browser:
        form = await browser.get(f"/kim/lomba/{EDITION_ID}/karya/ubah")
        answer = await post(browser, f"/kim/lomba/{EDITION_ID}/karya/ubah", **ENTRY_FORM)
    assert "Pengiriman sudah ditutup" in form.text and '<form method="post" novalidate' not in form.text
    assert "Pengiriman sudah ditutup" in answer.text and world.writes() == []


# --- another KIM's -------------------------------------------------------------------------------------


async def test_another_kims_entry_is_never_shown_changed_or_withdrawn() -> None:
    """Even if a service answered with another KIM's entry, the page keeps to the session's KIM."""
    theirs = entry(kim=OTHER_KIM)
    world = World(enrolments=[enrolment("approved", kim=OTHER_KIM)], entries=[theirs])
    page = await status_page(world)
    assert "Topeng Malangan" not in page.text and "Belum mendaftar" in page.text
    async with kim_browser(world) as browser:
        form = await browser.get(f"/kim/lomba/{EDITION_ID}/karya/ubah")
        revise = await post(browser, f"/kim/lomba/{EDITION_ID}/karya/ubah", **ENTRY_FORM)
        withdraw = await post(browser, f"/kim/lomba/{EDITION_ID}/karya/tarik")
    assert (form.status_code, revise.status_code, withdraw.status_code) == (404, 404, 404)
    assert world.writes() == [] and theirs["revision"] == 1 and theirs["status"] == "submitted"


CATEGORIES = [
    {
        "code": "sinematografi",
        "title": "Sinematografi Terbaik",
        "kind": "ranked",
        "awarded_ranks": 1,
        "prizes": [],
    },
    {
        "code": "promosi-umkm",
        "title": "Promosi UMKM Terbaik",
        "kind": "ranked",
        "awarded_ranks": 1,
        "prizes": [],
    },
    {
        "code": "juara-favorit",
        "title": "Juara Favorit",
        "kind": "favourite",
        "awarded_ranks": 1,
        "prizes": [],
    },
]


async def test_the_entry_form_offers_the_ranked_categories_and_sends_those_ticked() -> None:
    world = World(enrolments=[enrolment("approved")])
    world.edition["categories"] = CATEGORIES
    async with kim_browser(world) as browser:
        form = await browser.get(f"/kim/lomba/{EDITION_ID}/karya")
        assert (
            'type="checkbox" id="category-sinematografi" name="categories" value="sinematografi"' in form.text
        )
        assert "Promosi UMKM Terbaik" in form.text and "Juara Favorit" not in form.text  # not entered for
        token = re.search(r'"X-CSRF-Token": "([^"]+)"', form.text)
        assert token is not None
        data = {**ENTRY_FORM, "csrf_token": token.group(1), "categories": ["sinematografi", "promosi-umkm"]}
        answer = await browser.post(f"/kim/lomba/{EDITION_ID}/karya", data=data)
    assert answer.status_code == 303
    ((_, _, _, body),) = world.writes()
    assert body["categories"] == ["sinematografi", "promosi-umkm"]


async def test_a_category_refusal_is_said_beside_the_checkboxes_and_keeps_them_ticked() -> None:
    world = World(enrolments=[enrolment("approved")])
    world.edition["categories"] = CATEGORIES
    error = {"code": "category_unknown", "message": "Kategori 'animasi' tidak ada.", "field": "categories.0"}
    world.refuse_entry = httpx.Response(422, json={"error": error})
    async with kim_browser(world) as browser:
        form = await browser.get(f"/kim/lomba/{EDITION_ID}/karya")
        token = re.search(r'"X-CSRF-Token": "([^"]+)"', form.text)
        assert token is not None
        data = {**ENTRY_FORM, "csrf_token": token.group(1), "categories": ["promosi-umkm"]}
        answer = await browser.post(f"/kim/lomba/{EDITION_ID}/karya", data=data)
    assert answer.status_code == 400
    assert 'id="categories-error"' in answer.text and "Kategori &#39;animasi&#39; tidak ada." in answer.text
    assert 'value="promosi-umkm" checked' in answer.text and 'value="sinematografi">' in answer.text


async def test_the_status_page_names_the_categories_the_entry_is_entered_for() -> None:
    world = World(enrolments=[enrolment("approved")], entries=[{**entry(), "categories": ["promosi-umkm"]}])
    world.edition["categories"] = CATEGORIES
    page = await status_page(world)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))
    assert "Kategori Promosi UMKM Terbaik" in text and "Sinematografi Terbaik" not in text
    world.entries[0]["categories"] = []
    assert "Hanya peringkat utama" in (await status_page(world)).text
