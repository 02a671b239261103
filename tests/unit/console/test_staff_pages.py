"""The staff workspace's pages with the services faked at the HTTP level: the edition
form (typed in WIB, refusals beside their field), the dashboard's counts and next
action, enrolments (a rejection needs a reason), the KIM queue and the accounts."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import httpx
import pytest
from console.config import Settings
from console.main import create_app
from console.pages import staff, staff_people
from console.pages.staff import EditionForm, form_field_of, next_action, results_state

NOW = datetime(2024, 8, 1, 3, 0, tzinfo=UTC)
EDITION_ID = "0b6c9f0e-3f55-4a8e-9a55-0d8f5c2b1a11"
EDITION: dict[str, Any] = {
    "edition_id": EDITION_ID,
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
STAFF = {
    "access_token": "t",
    "expires_in": 900,
    "refresh_token": "r",
    "refresh_expires_in": 43200,
    "account": {
        "account_id": str(uuid4()),
        "email": "staf@malangkota.go.id",
        "name": "Sari",
        "role": "staff",
    },
}


def enrolment(status: str, kim: str = "KIM Pasreh Jaya") -> dict[str, Any]:
    return {
        "enrolment_id": str(uuid4()),
        "edition_id": EDITION_ID,
        "kim_id": str(uuid4()),
        "kim_name": kim,
        "kelurahan": {"code": "bumiayu", "name": "Bumiayu"},
        "status": status,
        "reason": "Berkas belum lengkap." if status == "rejected" else None,
        "requested_at": "2024-07-02T01:00:00+00:00",
        "decided_at": None,
    }


def not_found(request: httpx.Request) -> httpx.Response:
    return httpx.Response(404, json={"error": {"code": "not_found", "message": "Tidak ada.", "field": None}})


class Services:
    """The four services, faked: answers by (method, path); every request kept."""

    def __init__(self, answers: dict[tuple[str, str], Any]) -> None:
        self.answers = {("POST", "/auth/login"): STAFF, **answers}
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.get((request.method, request.url.path))
        if answer is None:
            return not_found(request)
        if callable(answer):
            result: httpx.Response = answer(request)
            return result
        return httpx.Response(200, json=answer)

    def sent(self, method: str, path: str) -> list[Any]:
        return [
            json.loads(r.content) if r.content else None
            for r in self.requests
            if r.method == method and r.url.path == path
        ]


@asynccontextmanager
async def signed_in(services: Services, language: str = "id") -> AsyncIterator[httpx.AsyncClient]:
    http = httpx.AsyncClient(transport=httpx.MockTransport(services))
    app = create_app(Settings(), clock=lambda: NOW, http=http)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://console",
            headers={"Accept-Language": language},
        ) as browser,
    ):
        form = await browser.get("/masuk")
        answer = await browser.post(
            "/masuk", data={"email": "staf@malangkota.go.id", "password": "x", "csrf_token": csrf_of(form)}
        )
        assert answer.status_code == 303, answer.text
        yield browser


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def no_english_leaks(page: str, *english: str) -> None:
    """None of these texts where a person reads (tags and their attributes left out)."""
    read = re.sub(r"<[^>]*>", " ", page)
    for text in english:
        assert text not in read, f"{text!r} on an Indonesian page"


async def test_the_edition_form_sends_moments_in_wib_and_prizes_in_rank_order() -> None:
    created = {**EDITION, "status": "draft"}
    services = Services({("POST", "/editions"): lambda r: httpx.Response(201, json=created)})
    async with signed_in(services) as browser:
        form = await browser.get("/staf/lomba/baru")
        assert form.status_code == 200 and form.text.count("<h1>") == 1
        assert "Buat lomba baru" in form.text and "Simpan sebagai draf" in form.text
        answer = await browser.post(
            "/staf/lomba/baru",
            data={
                "csrf_token": csrf_of(form),
                "title": "Lomba Video Pendek KIM 2025",
                "theme": "Wisata kampung",
                "description": "Film pendek.",
                "opens_date": "2025-07-01",
                "opens_time": "08:00",
                "closes_date": "2025-08-31",
                "closes_time": "23:59",
                "max_video_seconds": "240",
                "allowed_video_hosts": "YouTube.com, youtu.be",
                "entries_per_kim": "2",
                "awarded_ranks": "3",
                "prize_title_1": "Juara 1",
                "prize_reward_1": "Rp 5.000.000",
                "prize_title_3": "Juara 3",
            },
        )
    assert answer.status_code == 303 and answer.headers["location"] == f"/staf/lomba/{EDITION_ID}"
    (body,) = services.sent("POST", "/editions")
    assert body["submission_opens_at"] == "2025-07-01T08:00:00+07:00"
    assert body["submission_closes_at"] == "2025-08-31T23:59:00+07:00"
    assert body["rules"] == {
        "max_video_seconds": 240,
        "allowed_video_hosts": ["youtube.com", "youtu.be"],
        "entries_per_kim": 2,
    }
    assert body["prizes"] == [
        {"rank": 1, "title": "Juara 1", "reward": "Rp 5.000.000", "amount": None, "non_cash": None},
        {"rank": 3, "title": "Juara 3", "reward": None, "amount": None, "non_cash": None},
    ]
    assert body["categories"] == []


async def test_an_edition_form_with_mistakes_says_so_beside_each_field_and_keeps_what_was_typed() -> None:
    services = Services({})
    async with signed_in(services) as browser:
        form = await browser.get("/staf/lomba/baru")
        answer = await browser.post(
            "/staf/lomba/baru",
            data={
                "csrf_token": csrf_of(form),
                "title": "Lomba 2025",
                "opens_date": "2025-08-01",
                "closes_date": "2025-07-01",
                "max_video_seconds": "lima menit",
                "prize_reward_2": "Trofi",
            },
        )
    assert answer.status_code == 400
    assert not services.sent("POST", "/editions")  # nothing reached the registry
    for field in ("theme", "closes_date", "max_video_seconds", "prize_title_2"):
        assert f'<a href="#{field}">' in answer.text and f'id="{field}-error"' in answer.text
    assert "Pengiriman karya harus ditutup sesudah dibuka." in answer.text
    assert 'value="Lomba 2025"' in answer.text and 'value="lima menit"' in answer.text
    no_english_leaks(answer.text, "Enter the", "Submissions must")


async def test_a_refusal_of_the_registry_goes_beside_the_field_it_names() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        error = {
            "code": "invalid_request",
            "message": "Nilai terlalu kecil.",
            "field": "rules.max_video_seconds",
        }
        return httpx.Response(422, json={"error": error})

    services = Services(
        {("GET", f"/editions/{EDITION_ID}"): EDITION, ("PATCH", f"/editions/{EDITION_ID}"): refuse}
    )
    async with signed_in(services) as browser:
        form = await browser.get(f"/staf/lomba/{EDITION_ID}/ubah")
        assert form.status_code == 200 and 'value="Lomba Video Pendek KIM 2024"' in form.text
        assert 'value="2024-08-04"' in form.text and 'value="12:00"' in form.text  # 05:00 UTC is 12:00 WIB
        data = dict(re.findall(r'name="([a-z_0-9]+)" type="[a-z]+" value="([^"]*)"', form.text))
        answer = await browser.post(
            f"/staf/lomba/{EDITION_ID}/ubah", data={**data, "csrf_token": csrf_of(form)}
        )
    assert answer.status_code == 400
    assert 'id="max_video_seconds-error"' in answer.text and "Nilai terlalu kecil." in answer.text
    (body,) = services.sent("PATCH", f"/editions/{EDITION_ID}")
    assert body["submission_closes_at"] == "2024-08-04T12:00:00+07:00"


def test_service_fields_map_onto_the_form() -> None:
    assert form_field_of("rules.allowed_video_hosts.0") == "allowed_video_hosts"
    assert form_field_of("prizes.1.title") == "prize_title_2"
    assert form_field_of("submission_closes_at") == "closes_date"
    assert form_field_of(None) == "title" and form_field_of("something_else") == "title"
    assert EditionForm(opens_date="2025-02-30").to_body()[1]["opens_date"]


async def test_the_dashboard_counts_and_highlights_the_pending_enrolments() -> None:
    kims = [{"verified": True}, {"verified": True}, {"verified": False}]
    judging = {
        "status": "waiting_for_submissions",
        "panel": [{"judge_id": str(uuid4()), "removed_at": None}],
        "progress": {"required": 0, "recorded": 0, "missing": 0},
    }
    services = Services(
        {
            ("GET", f"/editions/{EDITION_ID}"): EDITION,  # registry and judging alike
            ("GET", "/kims"): kims,
            ("GET", f"/editions/{EDITION_ID}/enrolments"): [
                enrolment("requested"),
                enrolment("requested"),
                enrolment("approved"),
                enrolment("rejected"),
            ],
            ("GET", f"/editions/{EDITION_ID}/entries"): [{"status": "submitted"}, {"status": "withdrawn"}],
        }
    )
    services.answers[("GET", f"/editions/{EDITION_ID}")] = lambda r: httpx.Response(
        200, json=EDITION if r.url.port != 8003 else judging
    )
    async with signed_in(services) as browser:
        page = await browser.get(f"/staf/lomba/{EDITION_ID}")
        await browser.get("/bahasa/en")
        english = await browser.get(f"/staf/lomba/{EDITION_ID}")
    assert page.status_code == 200 and page.text.count("<h1>") == 1
    text = re.sub(r"\s+", " ", page.text)
    action = f'href="/staf/lomba/{EDITION_ID}/pendaftaran">2 pendaftaran menunggu persetujuan</a>'
    assert f'class="button button-link" {action}' in text
    assert "<dt>KIM terdaftar</dt><dd>3</dd>" in text and "<dt>KIM terverifikasi</dt><dd>2 (" in text
    assert "<dt>Karya yang masuk</dt><dd>1</dd>" in text and "<dt>Ditarik</dt><dd>1</dd>" in text
    assert "Menunggu karya masuk" in text and "Belum dibekukan" in text
    for path in ("juri", "penilaian", "hasil", "audit"):
        assert f'href="/staf/lomba/{EDITION_ID}/{path}"' in text
    no_english_leaks(page.text, "published", "waiting_for_submissions", "Next action")
    assert "2 enrolments waiting for approval" in english.text


def test_the_next_action_follows_the_edition_through_its_life() -> None:
    def action(edition: dict[str, Any], **kwargs: Any) -> str | None:
        given: dict[str, Any] = {
            "unverified_kims": 0,
            "pending": 0,
            "judging": None,
            "open_ties": 0,
            "results": "not_frozen",
        }
        found = next_action(edition, **{**given, **kwargs})
        return found.href.rsplit("/", 1)[-1] if found else None

    panel = {"panel": [{"removed_at": None}], "status": "scoring", "progress": {"missing": 4}}
    closed = {**EDITION, "status": "submissions_closed"}
    assert action({**EDITION, "status": "draft"}) == "terbitkan"
    assert action(EDITION, pending=2) == "pendaftaran"
    assert action(EDITION, unverified_kims=1) == "kim"
    assert action(EDITION, judging={"panel": [], "status": "waiting_for_submissions"}) == "juri"
    assert action(EDITION, judging={**panel, "status": "waiting_for_submissions"}) is None
    assert action(closed, judging=panel) == "penilaian"
    assert action(closed, judging={**panel, "status": "completed"}, open_ties=1) == "hasil"
    assert action(closed, judging={**panel, "status": "completed"}) == "hasil"
    assert action(closed, judging={**panel, "status": "announced"}, results="announced") is None
    assert results_state(None) == ("not_frozen", None)
    assert results_state([{"version": 1, "announced_at": "x"}, {"version": 2, "verified_at": "y"}]) == (
        "verified",
        2,
    )


async def test_a_rejection_without_a_reason_is_refused_beside_its_field() -> None:
    waiting = enrolment("requested")
    rejection = f"/enrolments/{waiting['enrolment_id']}/rejection"
    services = Services(
        {
            ("GET", f"/editions/{EDITION_ID}"): EDITION,
            ("GET", f"/editions/{EDITION_ID}/enrolments"): [waiting, enrolment("rejected", "KIM Lain")],
            ("POST", rejection): {**waiting, "status": "rejected"},
            ("POST", f"/enrolments/{waiting['enrolment_id']}/approval"): {**waiting, "status": "approved"},
        }
    )
    base = f"/staf/lomba/{EDITION_ID}/pendaftaran/{waiting['enrolment_id']}"
    async with signed_in(services) as browser:
        page = await browser.get(f"/staf/lomba/{EDITION_ID}/pendaftaran")
        assert "Setujui pendaftaran" in page.text and "Berkas belum lengkap." in page.text
        empty = await browser.post(
            f"{base}/tolak", data={"csrf_token": csrf_of(page), f"reason-{waiting['enrolment_id']}": "  "}
        )
        rejected = await browser.post(
            f"{base}/tolak",
            data={"csrf_token": csrf_of(page), f"reason-{waiting['enrolment_id']}": "Bukan KIM Malang."},
        )
        approved = await browser.post(f"{base}/setujui", data={"csrf_token": csrf_of(page)})
    field = f"reason-{waiting['enrolment_id']}"
    assert empty.status_code == 400 and f'<a href="#{field}">' in empty.text
    assert f'id="{field}-error"' in empty.text and "Isi alasan penolakan pendaftaran ini." in empty.text
    assert rejected.status_code == 303 and approved.status_code == 303
    assert services.sent("POST", rejection) == [{"reason": "Bukan KIM Malang."}]


async def test_the_kim_queue_lists_the_unverified_and_verifies_one() -> None:
    kim = {
        "kim_id": str(uuid4()),
        "name": "KIM Pasreh Jaya",
        "kelurahan": {"code": "bumiayu", "name": "Bumiayu"},
        "kecamatan": {"code": "kedungkandang", "name": "Kedungkandang"},
        "chair": "Bu Sri",
        "whatsapp": "081234567890",
        "email": "pasreh@example.id",
        "members": [],
        "verified": False,
        "registered_at": "2024-07-01T01:00:00+00:00",
        "verified_at": None,
    }
    services = Services({("GET", "/kims"): [kim], ("POST", f"/kims/{kim['kim_id']}/verification"): kim})
    async with signed_in(services) as browser:
        page = await browser.get("/staf/kim")
        verified = await browser.post(
            f"/staf/kim/{kim['kim_id']}/verifikasi", data={"csrf_token": csrf_of(page)}
        )
    assert page.status_code == 200 and "Bu Sri" in page.text and "Kecamatan Kedungkandang" in page.text
    assert "Verifikasi KIM" in page.text
    assert verified.status_code == 303 and verified.headers["location"] == "/staf/kim"
    assert services.requests[-1].url.path == f"/kims/{kim['kim_id']}/verification"
    assert [r.url.params.get("verified") for r in services.requests if r.url.path == "/kims"] == ["false"]


async def test_opening_an_account_needs_a_role_and_names_the_roles_in_indonesian() -> None:
    account = {
        "account_id": str(uuid4()),
        "email": "juri@example.id",
        "name": "Rina",
        "role": "judge",
        "kim_id": None,
        "active": True,
        "disabled": True,
        "created_at": "2024-07-01T01:00:00+00:00",
    }
    services = Services(
        {
            ("GET", "/accounts"): [account],
            ("POST", "/accounts"): lambda r: httpx.Response(201, json=account),
        }
    )
    async with signed_in(services) as browser:
        listing = await browser.get("/staf/akun")
        form = await browser.get("/staf/akun/baru")
        missing = await browser.post(
            "/staf/akun/baru",
            data={
                "csrf_token": csrf_of(form),
                "name": "Rina",
                "email": "juri@example.id",
                "password": "rahasia-panjang",
            },
        )
        opened = await browser.post(
            "/staf/akun/baru",
            data={
                "csrf_token": csrf_of(form),
                "idempotency_key": "form-key-1",
                "name": "Rina",
                "email": "juri@example.id",
                "role": "judge",
                "password": "rahasia-panjang",
            },
        )
    assert '<td data-label="Peran">Juri</td>' in listing.text and "Nonaktif" in listing.text
    assert "Aktifkan" in listing.text  # a disabled account is offered to be enabled
    assert 'type="radio" id="role-staff"' in form.text and ">Staf</label>" in form.text
    assert missing.status_code == 400 and '<a href="#role">' in missing.text
    assert opened.status_code == 303 and opened.headers["location"] == "/staf/akun"
    (opening,) = [r for r in services.requests if r.method == "POST" and r.url.path == "/accounts"]
    assert opening.headers["idempotency-key"] == "form-key-1"  # sent twice, opened once
    assert services.sent("POST", "/accounts") == [
        {"name": "Rina", "email": "juri@example.id", "role": "judge", "password": "rahasia-panjang"}
    ]


def staff_routes() -> list[tuple[str, str]]:
    """Every route of the staff workspace's modules, its path parameters filled in."""
    found = []
    for route in [*staff.router.routes, *staff_people.router.routes]:
        path = getattr(route, "path", "")
        assert path == "/staf" or path.startswith("/staf/"), path
        filled = re.sub(r"\{[a-z_]+\}", str(uuid4()), path)
        found += [(method, filled) for method in sorted(getattr(route, "methods", ())) if method != "HEAD"]
    return found


async def test_every_staff_route_asks_to_sign_in_and_refuses_judges() -> None:
    routes = staff_routes()
    assert len(routes) >= 15 and ("POST", "/staf/lomba/baru") in routes
    judge = {**STAFF, "account": {**STAFF["account"], "role": "judge"}}
    services = Services({("POST", "/auth/login"): judge})
    async with signed_in(services) as browser:
        token = csrf_of(await browser.get("/masuk"))
        answers = {
            (method, path): (await browser.request(method, path, data={"csrf_token": token})).status_code
            for method, path in routes
        }
    assert set(answers.values()) == {403}, answers
    assert [r.url.path for r in services.requests] == ["/auth/login"]  # nothing reached a service

    http = httpx.AsyncClient(transport=httpx.MockTransport(services))
    app = create_app(Settings(), clock=lambda: NOW, http=http)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://console") as anonymous,
    ):
        for path in [p for m, p in routes if m == "GET"]:
            answer = await anonymous.get(path)
            assert answer.status_code == 303 and answer.headers["location"] == f"/masuk?kembali={path}"


async def test_a_refused_publication_is_said_on_the_dashboard_beside_the_window() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        message = "Masa pengiriman karya sudah lewat (2024-07-30T00:00:00+00:00)."
        error = {"code": "window_already_over", "message": message, "field": "submission_closes_at"}
        return httpx.Response(409, json={"error": error})

    draft = {**EDITION, "status": "draft"}
    services = Services(
        {
            # judging does not know a draft yet: 404 there
            ("GET", f"/editions/{EDITION_ID}"): lambda r: (
                httpx.Response(200, json=draft) if r.url.port != 8003 else not_found(r)
            ),
            ("GET", "/kims"): [],
            ("GET", f"/editions/{EDITION_ID}/enrolments"): [],
            ("GET", f"/editions/{EDITION_ID}/entries"): [],
            ("POST", f"/editions/{EDITION_ID}/publication"): refuse,
        }
    )
    async with signed_in(services) as browser:
        page = await browser.get(f"/staf/lomba/{EDITION_ID}")
        assert "Terbitkan lomba" in page.text
        refused = await browser.post(
            f"/staf/lomba/{EDITION_ID}/terbitkan", data={"csrf_token": csrf_of(page)}
        )
    assert refused.status_code == 400 and refused.text.count("<h1>") == 1
    assert '<a href="#window">Masa pengiriman karya sudah lewat' in refused.text
    assert '<dd id="window" class="field-error">' in refused.text


async def test_signing_in_tells_the_registry_the_visitors_address() -> None:
    """The registry's login throttle counts the visitor, not the console (which the
    registry trusts for X-Forwarded-For through REGISTRY_TRUSTED_PROXIES)."""
    services = Services({})
    async with signed_in(services):
        pass
    (login,) = [r for r in services.requests if r.url.path == "/auth/login"]
    assert login.headers["x-forwarded-for"] == "127.0.0.1"  # the ASGI test client's address


@pytest.mark.parametrize(
    ("peer", "forwarded", "told"),
    [
        # Anyone else: their X-Forwarded-For is not believed (invented addresses dodge no throttle).
        ("203.0.113.7", "198.51.100.1", "203.0.113.7"),
        # The reverse proxy: the address it appended, not what the visitor put before it.
        ("172.28.0.1", "198.51.100.1, 192.0.2.44", "192.0.2.44"),
    ],
)
async def test_the_visitors_address_comes_from_forwarded_for_only_through_the_configured_proxy(
    peer: str, forwarded: str, told: str
) -> None:
    services = Services({})
    app = create_app(
        Settings(trusted_proxies="172.28.0.1"),
        clock=lambda: NOW,
        http=httpx.AsyncClient(transport=httpx.MockTransport(services)),
    )
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=(peer, 50000)),
            base_url="http://console",
            headers={"X-Forwarded-For": forwarded},
        ) as browser,
    ):
        form = await browser.get("/masuk")
        await browser.post(
            "/masuk", data={"email": "staf@malangkota.go.id", "password": "x", "csrf_token": csrf_of(form)}
        )
    (login,) = [r for r in services.requests if r.url.path == "/auth/login"]
    assert login.headers["x-forwarded-for"] == told


async def test_a_creating_form_carries_a_new_idempotency_key_each_render_sent_as_the_header() -> None:
    created = {**EDITION, "status": "draft"}
    services = Services({("POST", "/editions"): lambda r: httpx.Response(201, json=created)})
    key_of = re.compile(r'name="idempotency_key" value="([^"]+)"')
    async with signed_in(services) as browser:
        form = await browser.get("/staf/lomba/baru")
        again = await browser.get("/staf/lomba/baru")
        (key,) = key_of.findall(form.text)
        assert key_of.findall(again.text) != [key]  # a new key per form rendered
        body = {
            "csrf_token": csrf_of(form),
            "idempotency_key": key,
            "title": "Lomba Video Pendek KIM 2025",
            "theme": "Wisata kampung",
            "opens_date": "2025-07-01",
            "opens_time": "08:00",
            "closes_date": "2025-08-31",
            "closes_time": "23:59",
            "max_video_seconds": "240",
            "allowed_video_hosts": "youtube.com",
            "entries_per_kim": "1",
            "awarded_ranks": "1",
        }
        for _ in range(2):  # sent twice (a double click, a retry): the same key both times
            assert (await browser.post("/staf/lomba/baru", data=body)).status_code == 303
    sent = [r for r in services.requests if r.method == "POST" and r.url.path == "/editions"]
    assert [r.headers.get("idempotency-key") for r in sent] == [key, key]


def an_edition_form(**fields: str) -> dict[str, str]:
    return {
        "title": "Lomba Video Pendek KIM 2025",
        "theme": "Wisata kampung",
        "opens_date": "2025-07-01",
        "opens_time": "08:00",
        "closes_date": "2025-08-31",
        "closes_time": "23:59",
        "max_video_seconds": "300",
        "allowed_video_hosts": "youtube.com",
        "entries_per_kim": "1",
        "awarded_ranks": "3",
        **fields,
    }


async def test_the_edition_form_sends_prizes_in_rupiah_and_the_categories_typed() -> None:
    created = {**EDITION, "status": "draft"}
    services = Services({("POST", "/editions"): lambda r: httpx.Response(201, json=created)})
    async with signed_in(services) as browser:
        form = await browser.get("/staf/lomba/baru")
        assert 'id="category_1_kind"' in form.text and "Kategori dan penghargaan khusus" in form.text
        answer = await browser.post(
            "/staf/lomba/baru",
            data=an_edition_form(
                csrf_token=csrf_of(form),
                prize_title_1="Juara 1 Film Terbaik",
                prize_amount_1="Rp 7.500.000",
                prize_non_cash_1="Trofi dan sertifikat",
                category_1_code="sinematografi",
                category_1_title="Sinematografi Terbaik",
                category_1_kind="ranked",
                category_1_awarded_ranks="1",
                category_1_prize_title_1="Sinematografi Terbaik",
                category_1_prize_amount_1="2000000",
                # the second fieldset left empty; the third a special award
                category_3_code="penghargaan-juri",
                category_3_title="Penghargaan Khusus Juri",
                category_3_kind="special",
                category_3_awarded_ranks="1",
            ),
        )
    assert answer.status_code == 303, answer.text
    (body,) = services.sent("POST", "/editions")
    assert body["prizes"] == [
        {
            "rank": 1,
            "title": "Juara 1 Film Terbaik",
            "reward": None,
            "amount": 7_500_000,
            "non_cash": "Trofi dan sertifikat",
        }
    ]
    assert [(c["code"], c["kind"], c["awarded_ranks"]) for c in body["categories"]] == [
        ("sinematografi", "ranked", 1),
        ("penghargaan-juri", "special", 1),
    ]
    assert body["categories"][0]["prizes"] == [
        {"rank": 1, "title": "Sinematografi Terbaik", "reward": None, "amount": 2_000_000, "non_cash": None}
    ]


async def test_category_mistakes_and_the_registrys_category_refusals_go_beside_their_fieldset() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        error = {
            "code": "special_award_one_place",
            "message": "Harus 1.",
            "field": "categories.1.awarded_ranks",
        }
        return httpx.Response(422, json={"error": error})

    services = Services({("POST", "/editions"): refuse})
    async with signed_in(services) as browser:
        form = await browser.get("/staf/lomba/baru")
        mistakes = await browser.post(
            "/staf/lomba/baru",
            data=an_edition_form(
                csrf_token=csrf_of(form),
                prize_title_1="Juara 1",
                prize_amount_1="tujuh juta",
                category_1_code="Sinematografi Terbaik",
                category_1_title="Sinematografi Terbaik",
            ),
        )
        assert mistakes.status_code == 400 and not services.sent("POST", "/editions")
        for field in ("prize_amount_1", "category_1_code"):
            assert f'id="{field}-error"' in mistakes.text
        assert 'value="tujuh juta"' in mistakes.text
        refused = await browser.post(
            "/staf/lomba/baru",
            data=an_edition_form(
                csrf_token=csrf_of(form),
                category_1_code="sinematografi",
                category_1_title="Sinematografi",
                category_3_code="penghargaan-juri",
                category_3_title="Penghargaan Khusus Juri",
                category_3_kind="special",
                category_3_awarded_ranks="2",
            ),
        )
    assert refused.status_code == 400
    # the registry's second category is the form's third fieldset
    assert 'id="category_3_awarded_ranks-error"' in refused.text and "Harus 1." in refused.text


def test_category_refusals_map_onto_the_fieldsets_sent() -> None:
    assert form_field_of("categories.0.code", [2]) == "category_2_code"
    assert form_field_of("categories.1.prizes", [1, 4]) == "category_4_prize_title_1"
    assert form_field_of("categories.0.prizes.1.title", [1]) == "category_1_prize_title_2"
    assert form_field_of("categories.0.kind") == "category_1_kind"
    assert form_field_of("categories.1.favourite_of", [1, 3]) == "category_3_favourite_of"
    assert form_field_of("categories") == "category_1_title"


async def test_a_favourite_category_names_the_ranked_category_it_is_for_and_keeps_it_when_edited() -> None:
    created = {**EDITION, "status": "draft"}
    services = Services({("POST", "/editions"): lambda r: httpx.Response(201, json=created)})
    async with signed_in(services) as browser:
        form = await browser.get("/staf/lomba/baru")
        assert 'id="category_1_favourite_of"' in form.text
        assert "kategori berperingkat yang dipilih karyanya" in form.text
        no_english_leaks(form.text, "the ranked category it is for", "Only for a favourite category")
        bad = await browser.post(
            "/staf/lomba/baru",
            data=an_edition_form(
                csrf_token=csrf_of(form),
                category_1_code="favorit-fiksi",
                category_1_title="Favorit Fiksi",
                category_1_kind="favourite",
                category_1_favourite_of="Fiksi Pendek",
            ),
        )
        assert bad.status_code == 400 and 'id="category_1_favourite_of-error"' in bad.text
        answer = await browser.post(
            "/staf/lomba/baru",
            data=an_edition_form(
                csrf_token=csrf_of(form),
                category_1_code="fiksi",
                category_1_title="Fiksi",
                category_2_code="favorit-fiksi",
                category_2_title="Favorit Fiksi",
                category_2_kind="favourite",
                category_2_favourite_of="fiksi",
            ),
        )
    assert answer.status_code == 303, answer.text
    (body,) = services.sent("POST", "/editions")
    assert [(c["code"], c["favourite_of"]) for c in body["categories"]] == [
        ("fiksi", None),
        ("favorit-fiksi", "fiksi"),
    ]
    kept = EditionForm.of_edition({**EDITION, "categories": [{**FAVOURITE_OF_FIKSI, "prizes": []}]})
    assert kept.category_rows()[0].favourite_of == "fiksi"


FAVOURITE_OF_FIKSI = {
    "code": "favorit-fiksi",
    "title": "Favorit Fiksi",
    "kind": "favourite",
    "awarded_ranks": 1,
    "favourite_of": "fiksi",
}


async def test_the_dashboard_copies_the_edition_for_next_year_and_goes_to_the_copy() -> None:
    copy_id = str(uuid4())
    edition = {
        **EDITION,
        "prizes": [{"rank": 1, "title": "Juara 1", "reward": None, "amount": 7_500_000, "non_cash": "Trofi"}],
        "categories": [
            {
                "code": "juara-favorit",
                "title": "Juara Favorit",
                "kind": "favourite",
                "awarded_ranks": 1,
                "prizes": [],
                "description": "",
            }
        ],
        "copied_from": None,
    }

    def copies(request: httpx.Request) -> httpx.Response:
        sent = json.loads(request.content)
        if sent["submission_opens_at"].startswith("2023"):
            error = {"code": "window_in_past", "message": "Sudah lewat.", "field": "submission_opens_at"}
            return httpx.Response(422, json={"error": error})
        return httpx.Response(201, json={**edition, "edition_id": copy_id, "status": "draft"})

    services = Services(
        {
            ("GET", f"/editions/{EDITION_ID}"): edition,
            ("GET", "/kims"): [],
            ("GET", f"/editions/{EDITION_ID}/enrolments"): [],
            ("GET", f"/editions/{EDITION_ID}/entries"): [],
            ("POST", f"/editions/{EDITION_ID}/copies"): copies,
        }
    )
    services.answers[("GET", f"/editions/{EDITION_ID}")] = lambda r: (
        httpx.Response(200, json=edition) if r.url.port != 8003 else not_found(r)  # judging: not yet
    )
    async with signed_in(services) as browser:
        page = await browser.get(f"/staf/lomba/{EDITION_ID}")
        text = re.sub(r"\s+", " ", page.text)
        assert "Salin untuk edisi berikutnya" in text and "Rp7.500.000 · Trofi" in text
        assert "Juara Favorit (pilihan publik)" in text
        assert 'name="copy_opens_date" type="date" value="2025-07-01"' in text  # a year on, in WIB
        no_english_leaks(page.text, "Next year", "Copy for")
        refused = await browser.post(
            f"/staf/lomba/{EDITION_ID}/salin",
            data={"csrf_token": csrf_of(page), "copy_opens_date": "2023-07-01", "copy_opens_time": "08:00"},
        )
        assert refused.status_code == 400
        assert 'id="copy_opens_date-error"' in refused.text and "Sudah lewat." in refused.text
        answer = await browser.post(
            f"/staf/lomba/{EDITION_ID}/salin",
            data={
                "csrf_token": csrf_of(page),
                "copy_opens_date": "2025-07-01",
                "copy_opens_time": "08:00",
                "copy_closes_date": "",
                "copy_title": "",
            },
        )
    assert answer.status_code == 303 and answer.headers["location"] == f"/staf/lomba/{copy_id}"
    assert services.sent("POST", f"/editions/{EDITION_ID}/copies")[-1] == {
        "submission_opens_at": "2025-07-01T08:00:00+07:00"
    }
