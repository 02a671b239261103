"""The staff's judging pages with the services faked at the HTTP level: appointing a judge
opens the account and appoints them in one form, the rubric's rows and errors, the
tie-break chain translated, verify shows the hashes, the audit trail newest first with
its CSV served by the console, dead letters of every consuming service."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import httpx
import pytest
from console.config import Settings
from console.main import create_app

NOW = datetime(2024, 9, 1, 3, 0, tzinfo=UTC)
EDITION_ID = "0b6c9f0e-3f55-4a8e-9a55-0d8f5c2b1a11"
JUDGE_ID = "5d0c2a56-47f4-4d1e-9e8e-2f1f3c0b9a01"
KIM_ID = "7a1e3f55-1111-4a8e-9a55-0d8f5c2b1a22"
ENTRY_A, ENTRY_B = str(uuid4()), str(uuid4())
RUBRIC = [
    {"criterion_id": "tema", "name_id": "Kesesuaian tema", "name_en": "Theme", "weight": 60},
    {"criterion_id": "teknis", "name_id": "Teknis", "name_en": "Technique", "weight": 40},
]
JUDGING_EDITION: dict[str, Any] = {
    "edition_id": EDITION_ID,
    "title": "Lomba Video Pendek KIM 2024",
    "status": "completed",
    "awarded_ranks": 3,
    "submissions_closed_at": "2024-08-04T05:00:00+00:00",
    "completed_at": "2024-08-20T05:00:00+00:00",
    "rubric": RUBRIC,
    "options": {
        "assignment_mode": "all",
        "judges_per_entry": None,
        "blind": False,
        "normalise": False,
        "min_sheets_per_judge": 5,
        "tie_break": ["head_to_head", "earlier_submission"],
        "priority_criterion": "tema",
        "judging_deadline": "2024-08-30T10:00:00+00:00",
    },
    "assigned_at": None,
    "panel": [
        {
            "judge_id": JUDGE_ID,
            "name": "Ayu Lestari",
            "email": "ayu@juri.id",
            "affiliations": {"kelurahan_codes": ["bumiayu"], "kim_ids": []},
            "appointed_at": "2024-08-05T01:00:00+00:00",
            "removed_at": None,
        }
    ],
    "progress": {"required": 2, "recorded": 2, "missing": 0},
    "results_frozen": 1,
    "announced_version": None,
}
REGIONS = {
    "city": "Kota Malang",
    "province": "Jawa Timur",
    "kecamatan": [
        {
            "code": "kedungkandang",
            "name": "Kedungkandang",
            "kelurahan": [{"code": "bumiayu", "name": "Bumiayu"}],
        }
    ],
}
KIMS = [{"kim_id": KIM_ID, "name": "KIM Pasreh Jaya", "kelurahan": {"code": "bumiayu", "name": "Bumiayu"}}]
PROGRESS = {
    "required": 2,
    "recorded": 1,
    "missing": 1,
    "deadline": None,
    "judges": [{"judge_id": JUDGE_ID, "name": "Ayu Lestari", "assigned": 2, "done": 1, "missing": [ENTRY_B]}],
    "entries": [
        {
            "entry_id": ENTRY_B,
            "title": "Sambal Bu Tini",
            "kim_name": "KIM Pasreh Jaya",
            "judges": [JUDGE_ID],
            "done": [],
            "missing": [JUDGE_ID],
            "unassigned": 0,
            "abstentions": [],
        }
    ],
}
SNAPSHOT = {
    "version": 1,
    "content_hash": "ab" * 32,
    "frozen_at": "2024-08-21T01:00:00+00:00",
    "frozen_by": "staff:sari@malangkota.go.id",
    "supersedes": None,
    "reason": None,
    "verified_at": None,
    "verified_by": None,
    "announced_at": None,
    "announced_by": None,
}
LOGIN = {
    "access_token": "access",
    "expires_in": 900,
    "refresh_token": "refresh",
    "refresh_expires_in": 12 * 3600,
    "account": {
        "account_id": str(uuid4()),
        "email": "sari@malangkota.go.id",
        "name": "Sari",
        "role": "staff",
    },
}

Answer = httpx.Response | Callable[[httpx.Request], httpx.Response]


def refusal(status: int, code: str, message: str, field: str | None = None) -> httpx.Response:
    return httpx.Response(status, json={"error": {"code": code, "message": message, "field": field}})


class FakeServices:
    """Answers by (service, method, path); remembers every request."""

    def __init__(self, answers: dict[tuple[str, str, str], Answer]) -> None:
        base = {
            ("registry", "POST", "/auth/login"): httpx.Response(200, json=LOGIN),
            ("judging", "GET", f"/editions/{EDITION_ID}"): httpx.Response(200, json=JUDGING_EDITION),
            ("registry", "GET", "/regions"): httpx.Response(200, json=REGIONS),
            ("registry", "GET", "/kims"): httpx.Response(200, json=KIMS),
        }
        self.answers = {**base, **answers}
        self.seen: list[tuple[str, str, str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        key = (request.url.host, request.method, request.url.path)
        body = json.loads(request.content) if request.content else None
        self.seen.append((*key, body))
        answer = self.answers.get(key)
        if answer is None:
            return refusal(404, "not_found", f"no fake for {key}")
        return answer(request) if callable(answer) else answer

    def sent(self, service: str, method: str, path: str) -> list[Any]:
        return [body for s, m, p, body in self.seen if (s, m, p) == (service, method, path)]


@asynccontextmanager
async def signed_in(fake: FakeServices, language: str = "id") -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    settings = Settings(
        registry_url="http://registry",
        submissions_url="http://submissions",
        judging_url="http://judging",
        notifications_url="http://notifications",
    )
    app = create_app(settings, clock=lambda: NOW, http=httpx.AsyncClient(transport=httpx.MockTransport(fake)))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://console",
            cookies={"kim_lang": language},
        ) as browser,
    ):
        form = await browser.get("/masuk")
        token = csrf_of(form.text)
        answer = await browser.post(
            "/masuk", data={"email": "sari@malangkota.go.id", "password": "rahasia", "csrf_token": token}
        )
        assert answer.status_code == 303
        page = await browser.get("/masuk")  # any page: the sign-out form carries the session's token
        yield browser, csrf_of(page.text)


def csrf_of(page: str) -> str:
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


PANEL = f"/staf/lomba/{EDITION_ID}/juri"


async def test_appointing_a_judge_opens_the_account_and_appoints_in_one_form() -> None:
    fake = FakeServices(
        {
            ("registry", "POST", "/accounts"): httpx.Response(201, json={}),
            ("judging", "POST", f"/editions/{EDITION_ID}/judges"): httpx.Response(201, json={}),
        }
    )
    async with signed_in(fake) as (browser, token):
        page = await browser.get(PANEL)
        assert page.status_code == 200 and page.text.count("<h1>") == 1
        assert "Bumiayu" in page.text and "Angkat juri" in page.text  # the declared kelurahan, by name
        answer = await browser.post(
            PANEL,
            data={
                "name": "Budi Santoso",
                "email": "budi@juri.id",
                "password": "",
                "kelurahan_codes": ["bumiayu"],
                "kim_ids": [KIM_ID],
                "csrf_token": token,
            },
        )
    assert answer.status_code == 200
    (account,) = fake.sent("registry", "POST", "/accounts")
    assert account["role"] == "judge" and account["email"] == "budi@juri.id"
    assert len(account["password"]) >= 10 and account["password"] in answer.text  # generated, shown once
    (judge,) = fake.sent("judging", "POST", f"/editions/{EDITION_ID}/judges")
    assert judge == {
        "name": "Budi Santoso",
        "email": "budi@juri.id",
        "affiliations": {"kelurahan_codes": ["bumiayu"], "kim_ids": [KIM_ID]},
    }


async def test_an_existing_account_is_said_beside_the_email_and_can_be_appointed() -> None:
    taken = "Akun dengan email budi@juri.id sudah ada. Masuk dengannya, atau gunakan email lain."
    fake = FakeServices(
        {
            ("registry", "POST", "/accounts"): refusal(409, "account_email_taken", taken, "email"),
            ("judging", "POST", f"/editions/{EDITION_ID}/judges"): httpx.Response(201, json={}),
        }
    )
    form = {"name": "Budi Santoso", "email": "budi@juri.id", "password": "panjang-sekali-1"}
    async with signed_in(fake) as (browser, token):
        refused = await browser.post(PANEL, data={**form, "csrf_token": token})
        assert refused.status_code == 409 and 'id="email-error"' in refused.text and taken in refused.text
        assert "Angkat akun yang sudah ada" in refused.text
        assert fake.sent("judging", "POST", f"/editions/{EDITION_ID}/judges") == []
        appointed = await browser.post(PANEL, data={**form, "existing": "1", "csrf_token": token})
    assert appointed.status_code == 303 and appointed.headers["location"] == PANEL
    assert len(fake.sent("registry", "POST", "/accounts")) == 1  # not opened twice
    assert len(fake.sent("judging", "POST", f"/editions/{EDITION_ID}/judges")) == 1


async def test_a_short_password_is_refused_beside_it_before_any_call() -> None:
    fake = FakeServices({})
    async with signed_in(fake) as (browser, token):
        page = await browser.post(
            PANEL, data={"name": "", "email": "bukan-email", "password": "pendek", "csrf_token": token}
        )
    assert page.status_code == 400
    for name in ("name", "email", "password"):
        assert f'id="{name}-error"' in page.text and f'<a href="#{name}">' in page.text
    assert fake.sent("registry", "POST", "/accounts") == []


JUDGING = f"/staf/lomba/{EDITION_ID}/penilaian"


async def test_the_judging_page_translates_the_tie_break_chain_and_shows_progress() -> None:
    fake = FakeServices(
        {("judging", "GET", f"/editions/{EDITION_ID}/progress"): httpx.Response(200, json=PROGRESS)}
    )
    async with signed_in(fake) as (browser, _):
        page = await browser.get(JUDGING)
    async with signed_in(fake, "en") as (browser, _):
        english = await browser.get(JUDGING)
    assert page.status_code == 200
    assert "Adu langsung" in page.text and "Pengiriman lebih awal" in page.text
    assert "head_to_head" not in page.text.replace('value="head_to_head"', "")
    assert "Head to head" in english.text and "Penjurian selesai" not in english.text
    assert "1 dari 2 lembar nilai tercatat; 1 belum." in page.text
    assert "30 Agustus 2024 pukul 17.00 WIB" not in page.text  # the deadline is an input…
    assert 'value="2024-08-30T17:00"' in page.text  # …in WIB


async def test_rubric_rows_move_on_the_server_and_errors_stand_beside_their_row() -> None:
    fake = FakeServices(
        {("judging", "GET", f"/editions/{EDITION_ID}/progress"): httpx.Response(200, json=PROGRESS)}
    )
    rows = {
        "criterion_id": ["tema", "teknis"],
        "name_id": ["Tema", "Teknis"],
        "name_en": ["Theme", "Technique"],
        "weight": ["60", "30"],
    }
    async with signed_in(fake) as (browser, token):
        moved = await browser.post(f"{JUDGING}/rubrik", data={**rows, "aksi": "naik-1", "csrf_token": token})
        added = await browser.post(f"{JUDGING}/rubrik", data={**rows, "aksi": "tambah", "csrf_token": token})
        wrong = await browser.post(f"{JUDGING}/rubrik", data={**rows, "aksi": "simpan", "csrf_token": token})
    assert 'id="criterion_id-0" name="criterion_id" value="teknis"' in moved.text
    assert 'id="criterion_id-2"' in added.text
    assert wrong.status_code == 400 and "Jumlah bobot 90; jumlahnya harus 100." in wrong.text
    assert fake.sent("judging", "PUT", f"/editions/{EDITION_ID}/rubric") == []


async def test_a_rubric_the_service_refuses_names_the_row() -> None:
    fake = FakeServices(
        {
            ("judging", "GET", f"/editions/{EDITION_ID}/progress"): httpx.Response(200, json=PROGRESS),
            ("judging", "PUT", f"/editions/{EDITION_ID}/rubric"): refusal(
                422, "invalid_request", "Terlalu panjang.", "criteria.1.name_id"
            ),
        }
    )
    rows = {
        "criterion_id": ["tema", "teknis"],
        "name_id": ["Tema", "Teknis"],
        "name_en": ["Theme", "Technique"],
        "weight": ["60", "40"],
    }
    async with signed_in(fake) as (browser, token):
        page = await browser.post(f"{JUDGING}/rubrik", data={**rows, "aksi": "simpan", "csrf_token": token})
    assert page.status_code == 400 and 'id="name_id-1-error"' in page.text
    (sent,) = fake.sent("judging", "PUT", f"/editions/{EDITION_ID}/rubric")
    assert [c["weight"] for c in sent["criteria"]] == [60, 40]


async def test_options_are_sent_with_the_deadline_in_wib() -> None:
    fake = FakeServices(
        {("judging", "PUT", f"/editions/{EDITION_ID}/judging-options"): httpx.Response(200, json={})}
    )
    async with signed_in(fake) as (browser, token):
        answer = await browser.post(
            f"{JUDGING}/opsi",
            data={
                "assignment_mode": "k_per_entry",
                "judges_per_entry": "2",
                "blind": "ya",
                "min_sheets_per_judge": "5",
                "tie_break": ["earlier_submission", "", ""],
                "priority_criterion": "teknis",
                "judging_deadline": "2024-09-10T17:00",
                "csrf_token": token,
            },
        )
    assert answer.status_code == 303
    (sent,) = fake.sent("judging", "PUT", f"/editions/{EDITION_ID}/judging-options")
    assert sent["judges_per_entry"] == 2 and sent["blind"] is True and sent["normalise"] is False
    assert sent["tie_break"] == ["earlier_submission"]
    assert datetime.fromisoformat(sent["judging_deadline"]) == datetime(2024, 9, 10, 10, 0, tzinfo=UTC)


RESULTS = f"/staf/lomba/{EDITION_ID}/hasil"


def results_fake(**extra: Answer) -> FakeServices:
    tie = {
        "tie_id": str(uuid4()),
        "rank": 1,
        "entry_ids": [ENTRY_A, ENTRY_B],
        "resolution": None,
        "detected_at": "2024-08-20T05:00:00+00:00",
        "stands": True,
    }
    entries = [
        {"entry_id": ENTRY_A, "title": "Keripik Tempe", "kim_name": "KIM Ganjur"},
        {"entry_id": ENTRY_B, "title": "Sambal Bu Tini", "kim_name": "KIM Pasreh Jaya"},
    ]
    return FakeServices(
        {
            ("judging", "GET", f"/editions/{EDITION_ID}/ties"): httpx.Response(200, json=[tie]),
            ("judging", "GET", f"/editions/{EDITION_ID}/entries"): httpx.Response(200, json=entries),
            ("judging", "GET", f"/editions/{EDITION_ID}/snapshots"): httpx.Response(200, json=[SNAPSHOT]),
            **{key: value for key, value in extra.items()},  # type: ignore[dict-item]
        }
    )


async def test_verify_shows_the_hashes_and_a_tie_is_resolved_with_an_order_and_a_reason() -> None:
    verification = {
        "version": 1,
        "stored_hash": "ab" * 32,
        "content_hash": "ab" * 32,
        "recomputed_hash": "ab" * 32,
        "verified": True,
    }
    fake = results_fake()
    fake.answers[("judging", "POST", f"/editions/{EDITION_ID}/snapshots/1/verification")] = httpx.Response(
        200, json=verification
    )
    tie_id = fake.answers[("judging", "GET", f"/editions/{EDITION_ID}/ties")].json()[0]["tie_id"]  # type: ignore[union-attr]
    fake.answers[("judging", "POST", f"/editions/{EDITION_ID}/ties/{tie_id}/resolution")] = httpx.Response(
        200, json={}
    )
    async with signed_in(fake) as (browser, token):
        page = await browser.get(RESULTS)
        verified = await browser.post(f"{RESULTS}/versi/1/verifikasi", data={"csrf_token": token})
        resolved = await browser.post(
            f"{RESULTS}/seri/{tie_id}",
            data={
                f"posisi-{ENTRY_A}": "2",
                f"posisi-{ENTRY_B}": "1",
                "reason": "Musyawarah juri.",
                "csrf_token": token,
            },
        )
        no_reason = await browser.post(
            f"{RESULTS}/seri/{tie_id}",
            data={f"posisi-{ENTRY_A}": "1", f"posisi-{ENTRY_B}": "1", "reason": "", "csrf_token": token},
        )
    assert "Nilai seri di peringkat 1" in page.text and "Keripik Tempe (KIM Ganjur)" in page.text
    assert "ab" * 32 in page.text  # the version's hash in the list
    assert verified.status_code == 200 and "Versi 1 terverifikasi: hash-nya cocok" in verified.text
    assert resolved.status_code == 303
    (sent,) = fake.sent("judging", "POST", f"/editions/{EDITION_ID}/ties/{tie_id}/resolution")
    assert sent == {"order": [ENTRY_B, ENTRY_A], "reason": "Musyawarah juri."}
    assert no_reason.status_code == 400 and f'id="reason-{tie_id}-error"' in no_reason.text
    assert f'id="order-{tie_id}-error"' in no_reason.text


async def test_announcing_asks_first_and_a_refusal_is_shown() -> None:
    verified = {
        **SNAPSHOT,
        "verified_at": "2024-08-21T02:00:00+00:00",
        "verified_by": "staff:sari@malangkota.go.id",
    }
    fake = results_fake()
    fake.answers[("judging", "GET", f"/editions/{EDITION_ID}/snapshots")] = httpx.Response(
        200, json=[verified]
    )
    fake.answers[("judging", "POST", f"/editions/{EDITION_ID}/announcement")] = refusal(
        409, "snapshot_stale", "Nilai sudah berubah sejak hasil dibekukan: bekukan lagi.", "version"
    )
    async with signed_in(fake) as (browser, token):
        page = await browser.get(RESULTS)
        confirm = await browser.get(f"{RESULTS}/umumkan")
        refused = await browser.post(f"{RESULTS}/umumkan", data={"csrf_token": token})
    assert f'href="{RESULTS}/umumkan"' in page.text and "Ya, umumkan hasil" not in page.text
    assert "Umumkan versi 1?" in confirm.text and "Ya, umumkan hasil" in confirm.text
    assert refused.status_code == 409 and "bekukan lagi" in refused.text


async def test_the_audit_trail_is_newest_first_paged_in_wib_and_its_csv_comes_through_the_console() -> None:
    records = [
        {
            "at": f"2024-08-{day:02d}T01:00:00+00:00",
            "actor": "staff:sari@malangkota.go.id",
            "action": "judge_appointed",
            "subject": f"judge:{day}",
            "details": {"name": f"Juri {day}"},
        }
        for day in range(1, 31)
    ]
    csv_text = "at,actor,action,subject,details\n2024-08-01T01:00:00+00:00,staff:sari,judge_appointed,x,{}\n"

    def csv_answer(request: httpx.Request) -> httpx.Response:
        assert request.headers["authorization"] == "Bearer access"  # the person's token
        return httpx.Response(200, text=csv_text, headers={"content-type": "text/csv; charset=utf-8"})

    fake = FakeServices(
        {
            ("judging", "GET", f"/editions/{EDITION_ID}/audit"): httpx.Response(200, json=records),
            ("judging", "GET", f"/editions/{EDITION_ID}/audit.csv"): csv_answer,
        }
    )
    async with signed_in(fake) as (browser, _):
        first = await browser.get(f"/staf/lomba/{EDITION_ID}/audit")
        second = await browser.get(f"/staf/lomba/{EDITION_ID}/audit?halaman=2")
        csv = await browser.get(f"/staf/lomba/{EDITION_ID}/audit.csv")
    assert first.text.index("Juri 30") < first.text.index("Juri 29") and "Juri 5" not in first.text
    assert "30 Agustus 2024 pukul 08.00 WIB" in first.text and "Staf (sari@malangkota.go.id)" in first.text
    assert "Juri diangkat" in first.text and "judge_appointed" not in first.text
    assert "Halaman 1 dari 2" in first.text and "Juri 1<" in second.text
    assert csv.status_code == 200 and csv.text == csv_text
    assert csv.headers["content-disposition"].startswith("attachment")


async def test_dead_letters_of_every_consumer_newest_first_and_requeue_needs_a_confirmation() -> None:
    def letter(service: str, day: int) -> dict[str, Any]:
        return {
            "dead_letter_id": str(uuid4()),
            "queue": f"{service}.events",
            "event_type": "entry.submitted",
            "message_id": "m",
            "correlation_id": None,
            "reason": "rejected",
            "deliveries": 1,
            "dead_at": f"2024-08-{day:02d}T01:00:00+00:00",
            "requeued_at": [],
        }

    old, new = letter("judging", 1), letter("notifications", 2)
    detail = {
        **old,
        "content_type": "application/json",
        "headers": {},
        "body": '{"rusak": true}',
        "body_encoding": "json",
    }
    fake = FakeServices(
        {
            ("registry", "GET", "/dead-letters"): httpx.Response(200, json=[]),
            ("submissions", "GET", "/dead-letters"): httpx.Response(200, json=[]),
            ("judging", "GET", "/dead-letters"): httpx.Response(200, json=[old]),
            ("notifications", "GET", "/dead-letters"): httpx.Response(200, json=[new]),
            ("judging", "GET", f"/dead-letters/{old['dead_letter_id']}"): httpx.Response(200, json=detail),
            ("judging", "POST", f"/dead-letters/{old['dead_letter_id']}/requeue"): httpx.Response(
                200, json=old
            ),
        }
    )
    path = f"/staf/pesan-tersisih/judging/{old['dead_letter_id']}"
    async with signed_in(fake) as (browser, token):
        listing = await browser.get("/staf/pesan-tersisih")
        page = await browser.get(path)
        unconfirmed = await browser.post(f"{path}/kirim-ulang", data={"csrf_token": token})
        requeued_unconfirmed = len(
            fake.sent("judging", "POST", f"/dead-letters/{old['dead_letter_id']}/requeue")
        )
        confirmed = await browser.post(f"{path}/kirim-ulang", data={"yakin": "ya", "csrf_token": token})
        unknown = await browser.get(f"/staf/pesan-tersisih/registry/{old['dead_letter_id']}")
    assert listing.text.index(new["dead_letter_id"]) < listing.text.index(old["dead_letter_id"])
    assert "Penjurian" in listing.text and "Notifikasi" in listing.text
    assert "{&#34;rusak&#34;: true}" in page.text
    assert (
        unconfirmed.status_code == 400
        and 'id="yakin-error"' in unconfirmed.text
        and requeued_unconfirmed == 0
    )
    assert confirmed.status_code == 303 and confirmed.headers["location"] == "/staf/pesan-tersisih"
    assert len(fake.sent("judging", "POST", f"/dead-letters/{old['dead_letter_id']}/requeue")) == 1
    assert unknown.status_code == 404


@pytest.mark.parametrize(
    "path", [PANEL, JUDGING, RESULTS, f"/staf/lomba/{EDITION_ID}/audit", "/staf/pesan-tersisih"]
)
async def test_the_pages_are_staff_only(path: str) -> None:
    services = httpx.AsyncClient(transport=httpx.MockTransport(lambda r: httpx.Response(500)))
    app = create_app(Settings(), clock=lambda: NOW, http=services)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://console") as browser,
    ):
        answer = await browser.get(path)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/masuk?kembali=")


async def test_a_judge_is_removed_from_the_panel() -> None:
    path = f"/editions/{EDITION_ID}/judges/{JUDGE_ID}"
    fake = FakeServices({("judging", "DELETE", path): httpx.Response(200, json={})})
    async with signed_in(fake) as (browser, token):
        page = await browser.get(PANEL)
        answer = await browser.post(f"{PANEL}/{JUDGE_ID}/hapus", data={"csrf_token": token})
    assert "Keluarkan Ayu Lestari" in page.text
    assert answer.status_code == 303 and answer.headers["location"] == PANEL
    assert len([s for s in fake.seen if s[:3] == ("judging", "DELETE", path)]) == 1


async def test_a_correction_after_the_announcement_asks_for_its_reason_beside_the_field() -> None:
    announced = {**SNAPSHOT, "verified_at": SNAPSHOT["frozen_at"], "announced_at": SNAPSHOT["frozen_at"]}
    fake = results_fake()
    fake.answers[("judging", "GET", f"/editions/{EDITION_ID}")] = httpx.Response(
        200, json={**JUDGING_EDITION, "status": "announced", "announced_version": 1}
    )
    fake.answers[("judging", "GET", f"/editions/{EDITION_ID}/snapshots")] = httpx.Response(
        200, json=[announced]
    )
    fake.answers[("judging", "POST", f"/editions/{EDITION_ID}/snapshots")] = refusal(
        422, "correction_reason_required", "Koreksi setelah pengumuman perlu alasan.", None
    )
    async with signed_in(fake) as (browser, token):
        page = await browser.get(RESULTS)
        refused = await browser.post(f"{RESULTS}/bekukan", data={"reason": "", "csrf_token": token})
        await browser.post(
            f"{RESULTS}/bekukan", data={"reason": "Karya 2 didiskualifikasi.", "csrf_token": token}
        )
    assert "Koreksi hasil yang sudah diumumkan" in page.text and "Versi 1 sudah diumumkan." in page.text
    assert refused.status_code == 422 and 'id="reason-error"' in refused.text
    assert fake.sent("judging", "POST", f"/editions/{EDITION_ID}/snapshots") == [
        {},
        {"reason": "Karya 2 didiskualifikasi."},
    ]


async def test_progress_refreshes_itself_while_sheets_are_missing() -> None:
    fake = FakeServices(
        {("judging", "GET", f"/editions/{EDITION_ID}/progress"): httpx.Response(200, json=PROGRESS)}
    )
    async with signed_in(fake) as (browser, _):
        page = await browser.get(JUDGING)
        fragment = await browser.get(f"{JUDGING}/kemajuan", headers={"HX-Request": "true"})
        fake.answers[("judging", "GET", f"/editions/{EDITION_ID}/progress")] = httpx.Response(
            200, json={**PROGRESS, "recorded": 2, "missing": 0}
        )
        done = await browser.get(f"{JUDGING}/kemajuan", headers={"HX-Request": "true"})
    assert f'hx-get="{JUDGING}/kemajuan"' in page.text
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "1 dari 2 lembar nilai tercatat; 1 belum." in fragment.text and "hx-get" in fragment.text
    assert "2 dari 2 lembar nilai tercatat; 0 belum." in done.text and "hx-get" not in done.text
