"""Staff downloads (pages/staff_exports.py) with the services faked at the HTTP level:
the results of the latest frozen version with a column per judge and every score sheet,
headed in the page's language; a category passed on to judging; entries, enrolments and
the delivery log; nothing frozen yet said on the page; only staff."""

from __future__ import annotations

import csv
import io
from typing import Any
from uuid import uuid4

import httpx
from openpyxl import load_workbook

from .test_pages import EDITION
from .test_staff_judging import (
    EDITION_ID,
    JUDGE_ID,
    JUDGING_EDITION,
    RUBRIC,
    SNAPSHOT,
    FakeServices,
    refusal,
    signed_in,
)

OTHER_JUDGE = str(uuid4())
ENTRY_A, ENTRY_B = str(uuid4()), str(uuid4())
REGISTRY_EDITION = {
    **EDITION,
    "edition_id": EDITION_ID,
    "prizes": [
        {"rank": 1, "title": "Juara 1", "reward": "Rp5.000.000"},
        {"rank": 2, "title": "Juara 2", "reward": None},
    ],
}
PANEL = [
    *JUDGING_EDITION["panel"],
    {**JUDGING_EDITION["panel"][0], "judge_id": OTHER_JUDGE, "name": "Budi, S.Sn."},
]


def placing(
    rank: int, entry_id: str, title: str, kim: str, sheets: list[dict[str, Any]], **extra: Any
) -> Any:
    return {
        "rank": rank,
        "shared": False,
        "entry_id": entry_id,
        "entry_title": title,
        "kim_id": str(uuid4()),
        "kim_name": kim,
        "kelurahan": {"code": "x", "name": "Tlogomas"},
        "score": sum(s["total"] for s in sheets) / len(sheets),
        "raw_score": sum(s["total"] for s in sheets) / len(sheets),
        "normalised_score": None,
        "priority_score": 0,
        "judges": len(sheets),
        "separated_by": "score",
        "sheets": sheets,
        "abstentions": [],
        **extra,
    }


def sheet(judge_id: str, tema: int, teknis: int) -> dict[str, Any]:
    return {
        "judge_id": judge_id,
        "scores": {"tema": tema, "teknis": teknis},
        "total": round(tema * 0.6 + teknis * 0.4, 2),
        "normalised": None,
        "raw_fallback": False,
    }


FULL_SNAPSHOT = {
    **SNAPSHOT,
    "version": 2,
    "options": JUDGING_EDITION["options"],
    "rubric": RUBRIC,
    "tie_break": ["head_to_head"],
    "ties": [],
    "ranking": [
        placing(
            1,
            ENTRY_A,
            "Topeng Malangan",
            "KIM Pasreh Jaya",
            [sheet(JUDGE_ID, 90, 80), sheet(OTHER_JUDGE, 85, 85)],
        ),
        placing(2, ENTRY_B, '=cmd|"/c calc"', "KIM Ganjur, Polowijen", [sheet(OTHER_JUDGE, 70, 75)]),
    ],
}
SNAPSHOTS = f"/editions/{EDITION_ID}/snapshots"


def fake(**answers: Any) -> FakeServices:
    return FakeServices(
        {
            ("registry", "GET", f"/editions/{EDITION_ID}"): httpx.Response(200, json=REGISTRY_EDITION),
            ("judging", "GET", f"/editions/{EDITION_ID}"): httpx.Response(
                200, json={**JUDGING_EDITION, "panel": PANEL}
            ),
            ("judging", "GET", SNAPSHOTS): httpx.Response(200, json=[SNAPSHOT, {**SNAPSHOT, "version": 2}]),
            ("judging", "GET", f"{SNAPSHOTS}/2"): httpx.Response(200, json=FULL_SNAPSHOT),
            **answers,
        }
    )


def rows_of(book: Any, name: str) -> list[list[Any]]:
    return [list(row) for row in book[name].iter_rows(values_only=True)]


async def test_the_results_workbook_has_a_column_per_judge_and_every_score_sheet_in_indonesian() -> None:
    services = fake()
    async with signed_in(services) as (browser, _):
        answer = await browser.get(f"/staf/lomba/{EDITION_ID}/ekspor/hasil.xlsx")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert answer.headers["content-disposition"] == (
        'attachment; filename="hasil-lomba-video-pendek-kim-2024-v2.xlsx"'
    )
    book = load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["Hasil", "Lembar nilai"]
    ranking = rows_of(book, "Hasil")
    assert ranking[0] == [
        "Peringkat",
        "Karya",
        "KIM",
        "Kelurahan",
        "Nilai",
        "Nilai mentah",
        "Nilai ternormalisasi",
        "Hadiah",
        "Nilai hadiah (Rp)",
        "Juri: Ayu Lestari",
        "Juri: Budi, S.Sn.",
    ]
    # Ayu: 90 * 0.6 + 80 * 0.4 = 86; Budi: 85; mean 85.5. Budi alone on the second: 72.
    assert ranking[1] == [
        1,
        "Topeng Malangan",
        "KIM Pasreh Jaya",
        "Tlogomas",
        85.5,
        85.5,
        None,
        "Juara 1 — Rp5.000.000",
        None,
        86,
        85,
    ]
    assert ranking[2] == [
        2,
        '=cmd|"/c calc"',
        "KIM Ganjur, Polowijen",
        "Tlogomas",
        72,
        72,
        None,
        "Juara 2",
        None,
        None,
        72,
    ]
    assert book["Hasil"]["B3"].data_type == "s", "a title like a formula stays text"
    sheets = rows_of(book, "Lembar nilai")
    assert sheets[0] == [
        "Peringkat",
        "Karya",
        "KIM",
        "Juri",
        "Kesesuaian tema (60%)",
        "Teknis (40%)",
        "Total tertimbang",
        "Total ternormalisasi",
    ]
    assert sheets[1:] == [
        [1, "Topeng Malangan", "KIM Pasreh Jaya", "Ayu Lestari", 90, 80, 86, None],
        [1, "Topeng Malangan", "KIM Pasreh Jaya", "Budi, S.Sn.", 85, 85, 85, None],
        [2, '=cmd|"/c calc"', "KIM Ganjur, Polowijen", "Budi, S.Sn.", 70, 75, 72, None],
    ]
    # The latest version was read, not the first.
    assert [p for s, m, p, _ in services.seen if s == "judging"].count(f"{SNAPSHOTS}/2") == 1


async def test_a_category_is_passed_on_and_its_own_prizes_used_headed_in_english() -> None:
    asked: list[dict[str, str]] = []
    prize = {
        "rank": 1,
        "title": "Sinematografi Terbaik",
        "reward": "Rp2.000.000",
        "amount": 2000000,
        "non_cash": "Trofi",
    }

    def snapshots(request: httpx.Request) -> httpx.Response:
        asked.append(dict(request.url.params))
        return httpx.Response(200, json=[{**SNAPSHOT, "version": 1}])

    def one(request: httpx.Request) -> httpx.Response:
        asked.append(dict(request.url.params))
        ranking = [
            {**FULL_SNAPSHOT["ranking"][0], "prize": prize},
            {**FULL_SNAPSHOT["ranking"][1], "prize": None},
        ]
        category = {"code": "sinematografi", "title": "Sinematografi", "kind": "ranked"}
        return httpx.Response(
            200, json={**FULL_SNAPSHOT, "version": 1, "ranking": ranking, "category": category}
        )

    services = fake()
    services.answers[("judging", "GET", SNAPSHOTS)] = snapshots
    services.answers[("judging", "GET", f"{SNAPSHOTS}/1")] = one
    async with signed_in(services, language="en") as (browser, _):
        answer = await browser.get(f"/staf/lomba/{EDITION_ID}/ekspor/hasil.csv?category=sinematografi")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == (
        'attachment; filename="hasil-lomba-video-pendek-kim-2024-sinematografi-v1.csv"'
    )
    assert asked == [{"category": "sinematografi"}, {"category": "sinematografi"}]
    assert answer.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"), newline="")))
    assert rows[0][:9] == [
        "Rank",
        "Entry",
        "KIM",
        "Kelurahan",
        "Score",
        "Raw score",
        "Normalised score",
        "Prize",
        "Prize amount (Rp)",
    ]
    assert rows[0][9:] == ["Judge: Ayu Lestari", "Judge: Budi, S.Sn."]
    assert rows[1][7:] == ["Sinematografi Terbaik — Rp2.000.000 — Trofi", "2000000", "86.0", "85.0"]
    # The category's own prizes: the second place has none (not the edition's "Juara 2").
    assert rows[2][1] == '\'=cmd|"/c calc"' and rows[2][7:9] == ["", ""]


async def test_the_score_sheets_alone_and_a_bad_category_or_format_refused() -> None:
    async with signed_in(fake()) as (browser, _):
        sheets = await browser.get(f"/staf/lomba/{EDITION_ID}/ekspor/nilai.csv")
        bad_category = await browser.get(f"/staf/lomba/{EDITION_ID}/ekspor/hasil.csv?category=../x")
        bad_format = await browser.get(f"/staf/lomba/{EDITION_ID}/ekspor/hasil.pdf")
    assert sheets.headers["content-disposition"].endswith(
        'filename="nilai-lomba-video-pendek-kim-2024-v2.csv"'
    )
    rows = list(csv.reader(io.StringIO(sheets.content.decode("utf-8-sig"), newline="")))
    assert rows[0][3:] == [
        "Juri",
        "Kesesuaian tema (60%)",
        "Teknis (40%)",
        "Total tertimbang",
        "Total ternormalisasi",
    ]
    assert len(rows) == 4
    assert bad_category.status_code in (400, 422) and "text/html" in bad_category.headers["content-type"]
    assert bad_format.status_code in (404, 422) and "text/html" in bad_format.headers["content-type"]


async def test_nothing_frozen_yet_is_said_on_the_downloads_page() -> None:
    services = fake()
    services.answers[("judging", "GET", SNAPSHOTS)] = httpx.Response(200, json=[])
    async with signed_in(services) as (browser, _):
        page = await browser.get(f"/staf/lomba/{EDITION_ID}/ekspor")
        answer = await browser.get(f"/staf/lomba/{EDITION_ID}/ekspor/hasil.xlsx")
    assert page.status_code == 200 and page.text.count("<h1>") == 1 and "<h1>Unduhan</h1>" in page.text
    assert "hasil.xlsx" not in page.text and "Belum ada yang dapat diunduh" in page.text
    assert f'href="/staf/lomba/{EDITION_ID}/ekspor/karya.csv"' in page.text
    assert answer.status_code == 404 and "Belum ada versi hasil yang dibekukan" in answer.text


async def test_the_downloads_page_links_every_export_and_each_category_with_a_frozen_version() -> None:
    categories = [
        {"code": "sinematografi", "title": "Sinematografi Terbaik", "kind": "ranked", "latest_version": 1},
        {"code": "favorit", "title": "Juara Favorit", "kind": "favourite", "latest_version": None},
    ]
    services = fake()
    services.answers[("judging", "GET", f"/editions/{EDITION_ID}/categories")] = httpx.Response(
        200, json=categories
    )
    services.answers[("judging", "GET", f"/editions/{EDITION_ID}/audit")] = httpx.Response(200, json=[])
    async with signed_in(services) as (browser, _):
        page = await browser.get(f"/staf/lomba/{EDITION_ID}/ekspor")
        dashboard_link = await browser.get(f"/staf/lomba/{EDITION_ID}/audit")
        await browser.get("/bahasa/en?kembali=/staf")
        english = await browser.get(f"/staf/lomba/{EDITION_ID}/ekspor")
    base = f"/staf/lomba/{EDITION_ID}/ekspor"
    for stem in ("hasil", "nilai", "karya", "pendaftaran"):
        for suffix in ("csv", "xlsx"):
            assert f'href="{base}/{stem}.{suffix}"' in page.text
    assert 'href="/staf/ekspor/log-pengiriman.xlsx"' in page.text
    assert f'href="{base}/hasil.xlsx?category=sinematografi"' in page.text
    assert "category=favorit" not in page.text
    assert "Unduh hasil versi 2 sebagai Excel (XLSX)" in page.text
    assert "Download the results, version 2 as Excel (XLSX)" in english.text and "Unduh" not in english.text
    assert f'href="{base}"' in dashboard_link.text, "the judging pages link the downloads"


async def test_entries_enrolments_and_the_delivery_log() -> None:
    entry = {
        "entry_id": ENTRY_A,
        "edition_id": EDITION_ID,
        "kim_id": str(uuid4()),
        "kim_name": "KIM Pasreh Jaya",
        "kelurahan": {"code": "bumiayu", "name": "Bumiayu"},
        "title": "Topeng Malangan",
        "synopsis": "…",
        "video_url": "https://youtu.be/pasreh2024",
        "duration_seconds": 240,
        "umkm_featured": ["Sanggar Topeng Pasreh", "Keripik Tempe Sanan"],
        "status": "disqualified",
        "revision": 2,
        "submitted_at": "2024-08-01T02:00:00+00:00",
        "updated_at": "2024-08-02T02:00:00+00:00",
        "disqualification_reason": "Melanggar hak cipta musik.",
        "film_check": {
            "status": "ok",
            "duration_seconds": 240,
            "host_title": None,
            "checked_at": None,
            "reason": None,
        },
        "undone_after_close_at": None,
    }
    enrolment = {
        "enrolment_id": str(uuid4()),
        "edition_id": EDITION_ID,
        "kim_id": str(uuid4()),
        "kim_name": "KIM Ganjur",
        "kelurahan": {"code": "polowijen", "name": "Polowijen"},
        "status": "rejected",
        "reason": "Belum terverifikasi, coba lagi",
        "requested_at": "2024-07-02T01:00:00+00:00",
        "decided_at": "2024-07-03T01:00:00+00:00",
    }
    delivery = {
        "delivery_id": str(uuid4()),
        "event_id": str(uuid4()),
        "event_type": "entry.submitted",
        "recipient_id": str(uuid4()),
        "address": None,
        "channel": "whatsapp",
        "status": "failed",
        "attempts": 3,
        "last_error": "nomor tidak terdaftar",
        "subject": "Karya diterima: Topeng Malangan",
        "created_at": "2024-08-01T02:00:01+00:00",
        "next_attempt_at": None,
        "delivered_at": None,
        "failed_at": "2024-08-01T02:10:00+00:00",
        "read_at": None,
        "provider_message_id": None,
        "receipts": [],
    }
    limits: list[str | None] = []

    def log(request: httpx.Request) -> httpx.Response:
        limits.append(request.url.params.get("limit"))
        return httpx.Response(200, json=[delivery])

    services = fake()
    services.answers.update(
        {
            ("submissions", "GET", f"/editions/{EDITION_ID}/entries"): httpx.Response(200, json=[entry]),
            ("registry", "GET", f"/editions/{EDITION_ID}/enrolments"): httpx.Response(200, json=[enrolment]),
            ("notifications", "GET", "/deliveries"): log,
        }
    )
    async with signed_in(services) as (browser, _):
        entries = await browser.get(f"/staf/lomba/{EDITION_ID}/ekspor/karya.xlsx")
        enrolments = await browser.get(f"/staf/lomba/{EDITION_ID}/ekspor/pendaftaran.csv")
        deliveries = await browser.get("/staf/ekspor/log-pengiriman.xlsx")
    assert entries.headers["content-disposition"].endswith(
        'filename="karya-lomba-video-pendek-kim-2024.xlsx"'
    )
    (header, row) = rows_of(load_workbook(io.BytesIO(entries.content)), "Karya")
    assert header[:5] == ["Judul", "KIM", "Kelurahan", "Status", "Revisi"]
    assert row[:5] == ["Topeng Malangan", "KIM Pasreh Jaya", "Bumiayu", "Didiskualifikasi", 2]
    assert row[5].isoformat() == "2024-08-01T09:00:00"  # WIB
    assert row[7:] == [
        "https://youtu.be/pasreh2024",
        240,
        "Sanggar Topeng Pasreh; Keripik Tempe Sanan",
        "Sudah diperiksa",
        "Melanggar hak cipta musik.",
        ENTRY_A,
    ]
    assert enrolments.headers["content-disposition"].endswith(
        'filename="pendaftaran-lomba-video-pendek-kim-2024.csv"'
    )
    rows = list(csv.reader(io.StringIO(enrolments.content.decode("utf-8-sig"), newline="")))
    assert rows[1][:6] == [
        "KIM Ganjur",
        "Polowijen",
        "Ditolak",
        "Belum terverifikasi, coba lagi",
        "2024-07-02 08:00:00",
        "2024-07-03 08:00:00",
    ]
    assert deliveries.headers["content-disposition"].endswith('filename="log-pengiriman-2024-09-01.xlsx"')
    (header, row) = rows_of(load_workbook(io.BytesIO(deliveries.content)), "Log pengiriman")
    assert header[:4] == ["Dibuat pada (WIB)", "Peristiwa", "Saluran", "Status"]
    assert row[1:8] == [
        "entry.submitted",
        "WhatsApp",
        "Gagal",
        "Karya diterima: Topeng Malangan",
        delivery["recipient_id"],
        None,
        3,
    ]
    assert limits == ["200"]


async def test_a_category_judging_does_not_know_is_its_refusal_not_nothing_frozen() -> None:
    def snapshots(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("category") == "tidak-ada":
            return refusal(404, "category_not_found", "Kategori tidak-ada tidak ada di lomba ini.")
        return httpx.Response(200, json=[{**SNAPSHOT, "version": 2}])

    services = fake()
    services.answers[("judging", "GET", SNAPSHOTS)] = snapshots
    async with signed_in(services) as (browser, _):
        unknown = await browser.get(f"/staf/lomba/{EDITION_ID}/ekspor/hasil.xlsx?category=tidak-ada")
    assert unknown.status_code == 404 and "text/html" in unknown.headers["content-type"]
    assert "Belum ada versi hasil yang dibekukan" not in unknown.text
