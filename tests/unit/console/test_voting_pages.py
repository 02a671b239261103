"""The gallery, the public vote and the staff's Juara Favorit page with the services faked
at the HTTP level: filters passed on, the number normalised before the voting service
sees it, refusals by name beside their field in the reader's language, the code never
required of staff, voiding and dismissing need a reason, and the frozen hash shown."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from console.config import Settings
from console.main import create_app
from console.pages.voting import masked, whatsapp_or_email

from .test_staff_pages import EDITION, EDITION_ID, NOW, Services, csrf_of, no_english_leaks, signed_in

ENTRY_ID = "6bd3d3e4-7a8b-4c9d-a4f5-a6b7c8d9eafb"
REQUEST_ID = "9e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b"
VOTE_ID = "7ce4e4f5-8b9c-4dae-b5a6-b7c8d9eafb0c"
FLAG_ID = "8df5f5a6-9cad-4ebf-86b7-c8d9eafb0c1d"
FILM = {
    "edition_id": EDITION_ID,
    "edition_title": "Lomba Video Pendek KIM 2024",
    "entry_id": ENTRY_ID,
    "title": "Tempe Sanan, Rasa dari Gang Sempit",
    "synopsis": "Perajin tempe Sanan bercerita.",
    "kim_name": "KIM Pasreh Jaya",
    "kelurahan": {
        "code": "purwantoro",
        "name": "Purwantoro",
        "kecamatan": {"code": "blimbing", "name": "Blimbing"},
    },
    "umkm_featured": ["Tempe Bu Sri", "Keripik Tempe Sanan"],
    "video_url": "https://youtu.be/abcdefghijk",
}
WINDOW = {
    "edition_id": EDITION_ID,
    "edition_title": "Lomba Video Pendek KIM 2024",
    "opens_at": "2024-08-01T00:00:00+00:00",
    "closes_at": "2024-08-01T12:00:00+00:00",
    "public_counts": False,
    "status": "open",
    "category_code": "juara-favorit",
}
DRAFT_ID = "d1a2f3e4-0000-4000-8000-000000000001"
DRAFT = {**EDITION, "edition_id": DRAFT_ID, "title": "Draf 2025", "status": "draft"}
REGIONS = {
    "kecamatan": [
        {"code": "blimbing", "name": "Blimbing", "kelurahan": [{"code": "purwantoro", "name": "Purwantoro"}]}
    ]
}


def refusal(status: int, code: str, message: str, field: str | None = None) -> Any:
    return lambda request: httpx.Response(
        status, json={"error": {"code": code, "message": message, "field": field}}
    )


def voting() -> Services:
    return Services(
        {
            ("GET", "/regions"): REGIONS,
            ("GET", "/editions"): [EDITION, DRAFT],
            ("GET", f"/editions/{EDITION_ID}"): EDITION,
            ("GET", "/gallery"): [FILM],
            ("GET", f"/editions/{EDITION_ID}/gallery"): [FILM],
            ("GET", f"/editions/{EDITION_ID}/vote-window"): WINDOW,
            ("GET", "/challenge"): {"parameters": {"algorithm": "PBKDF2/SHA-256"}, "signature": "s"},
            ("POST", f"/editions/{EDITION_ID}/voter-codes"): lambda r: httpx.Response(
                202,
                json={
                    "request_id": REQUEST_ID,
                    "channel": "whatsapp",
                    "expires_at": "2024-08-01T03:10:00+00:00",
                },
            ),
            ("POST", f"/editions/{EDITION_ID}/votes"): lambda r: httpx.Response(
                201, json={"vote_id": VOTE_ID, "entry_id": ENTRY_ID, "edition_id": EDITION_ID}
            ),
        }
    )


@asynccontextmanager
async def public(services: Services, language: str = "id") -> AsyncIterator[httpx.AsyncClient]:
    http = httpx.AsyncClient(transport=httpx.MockTransport(services))
    app = create_app(Settings(live_updates=False), clock=lambda: NOW, http=http)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=("203.0.113.7", 50000)),
            base_url="http://console",
            headers={"Accept-Language": language},
        ) as browser,
    ):
        yield browser


def key_of(page: httpx.Response) -> str:
    found = re.search(r'name="idempotency_key" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("0812-3456-7890", ("whatsapp", "+6281234567890")),
        ("+62 812 3456 7890", ("whatsapp", "+6281234567890")),
        ("6281234567890", ("whatsapp", "+6281234567890")),
        (" warga@example.id ", ("email", "warga@example.id")),
        ("0341-551234", None),  # a landline: no WhatsApp
        ("+1 202 555 0100", None),
        ("warga@", None),
        ("halo", None),
    ],
)
def test_the_number_is_normalised_and_anything_else_refused(typed: str, found: Any) -> None:
    assert whatsapp_or_email(typed) == found


def test_the_address_is_repeated_masked() -> None:
    assert masked("+6281234567890") == "+62812••••7890"
    assert masked("warga@example.id") == "w••••@example.id"


async def test_the_gallery_passes_the_filters_on_and_embeds_each_film() -> None:
    services = voting()
    async with public(services) as browser:
        page = await browser.get(
            "/galeri", params={"kecamatan": "blimbing", "umkm": " tempe ", "lomba": EDITION_ID}
        )
    assert page.status_code == 200
    (asked,) = [r for r in services.requests if r.url.path == "/gallery"]
    assert dict(asked.url.params) == {"kecamatan": "blimbing", "umkm": "tempe", "edition_id": EDITION_ID}
    assert f'<option value="{EDITION_ID}" selected>' in page.text and "Draf 2025" not in page.text
    assert "Galeri film" in page.text and "Tempe Sanan, Rasa dari Gang Sempit" in page.text
    assert "Tempe Bu Sri, Keripik Tempe Sanan" in page.text and "[" not in page.text.split("<main")[1]
    assert "Purwantoro" in page.text and "Blimbing" in page.text
    assert 'src="https://www.youtube-nocookie.com/embed/abcdefghijk"' in page.text
    assert '<option value="blimbing" selected>' in page.text
    no_english_leaks(page.text, "Film gallery", "UMKM featured", "Show films")


async def test_a_person_asks_for_a_code_with_a_local_number_and_votes_with_it() -> None:
    services = voting()
    async with public(services) as browser:
        start = await browser.get(f"/pilih/{EDITION_ID}")
        assert start.status_code == 200
        assert '<altcha-widget challengeurl="/pilih/tantangan"' in start.text and "<noscript>" in start.text
        assert "/static/altcha.min.js" in start.text
        challenge = await browser.get("/pilih/tantangan")
        assert challenge.json()["signature"] == "s" and challenge.headers["cache-control"] == "no-store"

        code_page = await browser.post(
            f"/pilih/{EDITION_ID}",
            data={
                "csrf_token": csrf_of(start),
                "idempotency_key": key_of(start),
                "address": "0812-3456-7890",
                "altcha": "eyJwYXlsb2FkIjoxfQ==",
            },
        )
        assert code_page.status_code == 200, code_page.text
        (asked,) = services.sent("POST", f"/editions/{EDITION_ID}/voter-codes")
        keyed = [r for r in services.requests if r.url.path.endswith("/voter-codes")][0]
        assert keyed.headers["idempotency-key"] == key_of(start)  # a double tap asks once
        assert asked == {"address": "+6281234567890", "channel": "whatsapp", "altcha": "eyJwYXlsb2FkIjoxfQ=="}
        forwarded = [r for r in services.requests if r.url.path.endswith("/voter-codes")][0]
        assert forwarded.headers["x-forwarded-for"] == "203.0.113.7"
        assert "+62812••••7890" in code_page.text and "+6281234567890" not in code_page.text
        assert "Kami mengirim kode 6 angka lewat WhatsApp" in code_page.text

        voted = await browser.post(
            f"/pilih/{EDITION_ID}/suara",
            data={
                "csrf_token": csrf_of(code_page),
                "request_id": REQUEST_ID,
                "channel": "whatsapp",
                "address": "+62812••••7890",
                "code": "482 913",
                "entry_id": ENTRY_ID,
            },
        )
        assert voted.status_code == 303
        assert services.sent("POST", f"/editions/{EDITION_ID}/votes") == [
            {"request_id": REQUEST_ID, "code": "482913", "entry_id": ENTRY_ID}
        ]
        thanks = await browser.get(voted.headers["location"])
    assert "Terima kasih sudah memilih" in thanks.text and "Tempe Sanan, Rasa dari Gang Sempit" in thanks.text


async def test_a_bad_number_is_refused_in_the_readers_language_before_the_voting_service_is_asked() -> None:
    for language, words in (
        ("id", "Masukkan nomor ponsel Indonesia"),
        ("en", "Enter an Indonesian mobile number"),
    ):
        services = voting()
        async with public(services, language) as browser:
            start = await browser.get(f"/pilih/{EDITION_ID}")
            answer = await browser.post(
                f"/pilih/{EDITION_ID}",
                data={"csrf_token": csrf_of(start), "address": "0341-551234", "altcha": "x"},
            )
        assert answer.status_code == 400 and words in answer.text
        assert (
            'href="#address"' in answer.text
            and services.sent("POST", f"/editions/{EDITION_ID}/voter-codes") == []
        )


async def test_the_voting_services_refusals_are_shown_beside_their_field() -> None:
    services = voting()
    services.answers[("POST", f"/editions/{EDITION_ID}/voter-codes")] = refusal(
        422, "challenge_invalid", "Pemeriksaan anti-robot tidak sah.", "altcha"
    )
    services.answers[("POST", f"/editions/{EDITION_ID}/votes")] = refusal(
        422, "code_wrong", "Kode salah. Periksa pesan WhatsApp Anda.", None
    )
    async with public(services) as browser:
        start = await browser.get(f"/pilih/{EDITION_ID}")
        refused = await browser.post(
            f"/pilih/{EDITION_ID}",
            data={"csrf_token": csrf_of(start), "address": "081234567890", "altcha": "x"},
        )
        assert refused.status_code == 400 and 'id="altcha-error"' in refused.text
        assert "Pemeriksaan anti-robot tidak sah." in refused.text
        wrong = await browser.post(
            f"/pilih/{EDITION_ID}/suara",
            data={
                "csrf_token": csrf_of(start),
                "request_id": REQUEST_ID,
                "code": "000000",
                "entry_id": ENTRY_ID,
            },
        )
    assert wrong.status_code == 400 and 'id="code-error"' in wrong.text
    assert "Kode salah. Periksa pesan WhatsApp Anda." in wrong.text
    assert f'value="{ENTRY_ID}" checked' in wrong.text  # the film chosen stays chosen


async def test_staff_set_the_window_in_wib_void_a_flagged_vote_with_a_reason_and_see_the_frozen_hash() -> (
    None
):
    tally = {
        "counted": 3,
        "voided": 0,
        "flagged": 2,
        "standings": [
            {
                "entry_id": ENTRY_ID,
                "title": FILM["title"],
                "kim_name": "KIM Pasreh Jaya",
                "votes": 3,
                "flagged": 2,
            }
        ],
    }
    flag = {
        "flag_id": FLAG_ID,
        "kind": "address_block_burst",
        "vote_ids": [VOTE_ID],
        "detail": "2 votes from 203.0.113.0/24 within 60 s",
        "detail_id": "2 suara dari 203.0.113.0/24 dalam 60 detik",
        "raised_at": "2024-08-01T02:00:00+00:00",
        "status": "open",
    }
    closed = {**WINDOW, "status": "closed"}
    frozen = {"version": 1, "content_hash": "ab" * 32, "standings": []}
    services = voting()
    services.answers.update(
        {
            ("GET", f"/editions/{EDITION_ID}/vote-window"): closed,
            ("GET", f"/editions/{EDITION_ID}/tally"): tally,
            ("GET", f"/editions/{EDITION_ID}/flags"): [flag],
            ("PUT", f"/editions/{EDITION_ID}/vote-window"): closed,
            ("POST", f"/editions/{EDITION_ID}/votes/{VOTE_ID}/voiding"): {"vote_id": VOTE_ID},
            ("POST", f"/editions/{EDITION_ID}/tally/freeze"): frozen,
            ("POST", f"/editions/{EDITION_ID}/flags/{FLAG_ID}/dismissal"): {"flag_id": FLAG_ID},
            ("POST", f"/editions/{EDITION_ID}/vote-window/closing"): closed,
        }
    )
    path = f"/staf/lomba/{EDITION_ID}/juara-favorit"
    async with signed_in(services) as browser:
        page = await browser.get(path)
        assert page.status_code == 200
        assert "Hitungan langsung" in page.text and "Banyak suara dari satu blok alamat jaringan" in page.text
        assert "Batalkan suara" in page.text and "Abaikan tanda" in page.text and "Bekukan hasil" in page.text
        no_english_leaks(
            page.text, "Live tally", "Void the vote", "Dismiss the flag", "Freeze the result", "votes from"
        )
        assert "2 suara dari 203.0.113.0/24 dalam 60 detik" in page.text

        window = await browser.post(
            f"{path}/jendela",
            data={
                "csrf_token": csrf_of(page),
                "opens_date": "2024-08-17",
                "opens_time": "19:00",
                "closes_date": "2024-08-17",
                "closes_time": "21:00",
                "public_counts": "yes",
            },
        )
        assert window.status_code == 303
        assert services.sent("PUT", f"/editions/{EDITION_ID}/vote-window") == [
            {
                "opens_at": "2024-08-17T19:00:00+07:00",
                "closes_at": "2024-08-17T21:00:00+07:00",
                "public_counts": True,
            }
        ]

        no_reason = await browser.post(f"{path}/suara/{VOTE_ID}/batalkan", data={"csrf_token": csrf_of(page)})
        assert no_reason.status_code == 400 and f'id="void-{VOTE_ID}-error"' in no_reason.text
        assert services.sent("POST", f"/editions/{EDITION_ID}/votes/{VOTE_ID}/voiding") == []
        voided = await browser.post(
            f"{path}/suara/{VOTE_ID}/batalkan",
            data={"csrf_token": csrf_of(page), "reason": "Nomor berurutan dari satu blok"},
        )
        assert voided.status_code == 303
        assert services.sent("POST", f"/editions/{EDITION_ID}/votes/{VOTE_ID}/voiding") == [
            {"reason": "Nomor berurutan dari satu blok"}
        ]

        no_reason = await browser.post(f"{path}/tanda/{FLAG_ID}/abaikan", data={"csrf_token": csrf_of(page)})
        assert no_reason.status_code == 400 and f'id="dismiss-{FLAG_ID}-error"' in no_reason.text
        dismissed = await browser.post(
            f"{path}/tanda/{FLAG_ID}/abaikan",
            data={"csrf_token": csrf_of(page), "reason": "Satu keluarga memilih dari satu wifi"},
        )
        assert dismissed.status_code == 303
        assert services.sent("POST", f"/editions/{EDITION_ID}/flags/{FLAG_ID}/dismissal") == [
            {"reason": "Satu keluarga memilih dari satu wifi"}
        ]
        closing = await browser.post(f"{path}/tutup", data={"csrf_token": csrf_of(page)})
        assert closing.status_code == 303
        assert services.sent("POST", f"/editions/{EDITION_ID}/vote-window/closing") == [None]

        freeze = await browser.post(f"{path}/bekukan", data={"csrf_token": csrf_of(page)})
    assert freeze.status_code == 200 and "ab" * 32 in freeze.text and "versi 1" in freeze.text


async def test_the_public_results_page_shows_the_public_tally_only_when_the_voting_service_gives_it() -> None:
    shown = {
        "counted": 5,
        "standings": [
            {"entry_id": ENTRY_ID, "entry_title": FILM["title"], "kim_name": "KIM Pasreh Jaya", "votes": 5}
        ],
    }
    not_public = refusal(404, "tally_not_public", "Hitungan belum dibuka untuk publik.")
    for answer, seen in ((shown, True), (not_public, False)):
        services = voting()
        services.answers[("GET", f"/editions/{EDITION_ID}/public-tally")] = answer
        services.answers[("GET", f"/editions/{EDITION_ID}/results")] = refusal(
            404, "results_not_announced", "Hasil belum diumumkan."
        )
        async with public(services) as browser:
            page = await browser.get(f"/lomba/{EDITION_ID}/hasil")
        assert page.status_code == 200
        assert ("Juara Favorit: pilihan warga" in page.text) is seen
        assert (FILM["title"] in page.text) is seen


async def test_an_edition_without_a_vote_says_so_and_a_closed_vote_shows_no_form() -> None:
    services = voting()
    services.answers[("GET", f"/editions/{EDITION_ID}/vote-window")] = refusal(
        404, "vote_window_not_set", "Jendela pemungutan suara belum diatur."
    )
    async with public(services) as browser:
        none = await browser.get(f"/pilih/{EDITION_ID}")
    assert none.status_code == 404 and "Tidak ada pemungutan suara" in none.text

    services = voting()
    services.answers[("GET", f"/editions/{EDITION_ID}/vote-window")] = {**WINDOW, "status": "closed"}
    async with public(services) as browser:
        closed = await browser.get(f"/pilih/{EDITION_ID}")
    assert closed.status_code == 200 and "Pemungutan suara sudah ditutup." in closed.text
    assert "<altcha-widget" not in closed.text and "Kirim kode ke saya" not in closed.text


SECOND_ID = "5ac2c2d3-6a7b-4b8c-93e4-f5a6b7c8d9ea"
FICTION = {**FILM, "entry_id": SECOND_ID, "title": "Topeng Malangan", "categories": ["fiksi"]}
DOCUMENTARY = {**FILM, "categories": ["dokumenter"]}
TWO_FAVOURITES = {
    **WINDOW,
    "category_code": "favorit-dokumenter",
    "favourites": [
        {"code": "favorit-dokumenter", "title": "Favorit Dokumenter", "favourite_of": "dokumenter"},
        {"code": "favorit-fiksi", "title": "Favorit Fiksi", "favourite_of": "fiksi"},
    ],
}


def two_favourites() -> Services:
    services = voting()
    services.answers.update(
        {
            ("GET", f"/editions/{EDITION_ID}/gallery"): [DOCUMENTARY, FICTION],
            ("GET", f"/editions/{EDITION_ID}/vote-window"): TWO_FAVOURITES,
            ("POST", f"/editions/{EDITION_ID}/votes"): lambda r: httpx.Response(
                201,
                json={
                    "vote_id": VOTE_ID,
                    "entry_id": SECOND_ID,
                    "edition_id": EDITION_ID,
                    "votes": [{"vote_id": VOTE_ID, "category": "favorit-fiksi", "entry_id": SECOND_ID}],
                    "already_voted": ["favorit-dokumenter"],
                },
            ),
        }
    )
    return services


def fieldsets(page: str) -> list[tuple[str, list[str]]]:
    """Each fieldset's legend and the names of its radio buttons."""
    found = []
    for block in re.findall(r"<fieldset.*?</fieldset>", page, re.S):
        legend = re.search(r"<legend>(.*?)</legend>", block, re.S)
        names = re.findall(r'type="radio" id="[^"]+" name="([^"]+)" value="([^"]+)"', block)
        found.append((legend.group(1).strip() if legend else "", [f"{n}={v}" for n, v in names]))
    return found


async def test_several_favourite_categories_one_fieldset_each_and_one_ballot_names_each_film() -> None:
    services = two_favourites()
    for language, hint in (
        ("id", "Kategori boleh dibiarkan tanpa pilihan"),
        ("en", "You may leave a category without a choice"),
    ):
        async with public(services, language) as browser:
            page = await browser.get(f"/pilih/{EDITION_ID}/suara?permintaan={REQUEST_ID}&kode=482913")
        assert page.status_code == 200 and hint in page.text
        assert fieldsets(page.text) == [
            ("Favorit Dokumenter", [f"choice-favorit-dokumenter={ENTRY_ID}"]),
            ("Favorit Fiksi", [f"choice-favorit-fiksi={SECOND_ID}"]),
        ]
    async with public(services) as browser:
        page = await browser.get(f"/pilih/{EDITION_ID}/suara?permintaan={REQUEST_ID}&kode=482913")
        form = {"csrf_token": csrf_of(page), "request_id": REQUEST_ID, "channel": "email", "code": "482913"}
        none = await browser.post(f"/pilih/{EDITION_ID}/suara", data=form)
        assert none.status_code == 400 and "Pilih karya di sedikitnya satu kategori" in none.text
        assert services.sent("POST", f"/editions/{EDITION_ID}/votes") == []
        voted = await browser.post(
            f"/pilih/{EDITION_ID}/suara",
            data={**form, "choice-favorit-dokumenter": ENTRY_ID, "choice-favorit-fiksi": SECOND_ID},
        )
        assert voted.status_code == 303, voted.text
        assert services.sent("POST", f"/editions/{EDITION_ID}/votes") == [
            {
                "request_id": REQUEST_ID,
                "code": "482913",
                "choices": [
                    {"category": "favorit-dokumenter", "entry_id": ENTRY_ID},
                    {"category": "favorit-fiksi", "entry_id": SECOND_ID},
                ],
            }
        ]
        thanks = await browser.get(voted.headers["location"])
    assert "Topeng Malangan" in thanks.text and "Tempe Sanan" not in thanks.text  # only the stored vote
    assert "Anda sudah memilih di: Favorit Dokumenter" in thanks.text
    async with public(services) as browser:
        both = await browser.get(f"/pilih/{EDITION_ID}/terima-kasih?karya={ENTRY_ID}&karya={SECOND_ID}")
    assert "Topeng Malangan" in both.text and "Tempe Sanan, Rasa dari Gang Sempit" in both.text


async def test_a_refusal_of_a_film_not_in_its_category_is_shown_beside_the_choices() -> None:
    services = two_favourites()
    services.answers[("POST", f"/editions/{EDITION_ID}/votes")] = refusal(
        422, "entry_not_in_category", "Karya tidak ikut kategori 'Favorit Fiksi'.", "choices"
    )
    async with public(services) as browser:
        page = await browser.get(f"/pilih/{EDITION_ID}/suara?permintaan={REQUEST_ID}&kode=482913")
        refused = await browser.post(
            f"/pilih/{EDITION_ID}/suara",
            data={
                "csrf_token": csrf_of(page),
                "request_id": REQUEST_ID,
                "code": "482913",
                "choice-favorit-fiksi": ENTRY_ID,
            },
        )
    assert refused.status_code == 400 and 'id="entry_id-error"' in refused.text
    assert "Karya tidak ikut kategori" in refused.text
    assert f'id="choice-favorit-fiksi-{ENTRY_ID}"' not in refused.text  # the documentary is not offered there


async def test_staff_see_one_tally_table_per_favourite_category() -> None:
    def tally(request: httpx.Request) -> httpx.Response:
        category = request.url.params.get("category")
        film = FICTION if category == "favorit-fiksi" else DOCUMENTARY
        votes = 4 if category == "favorit-fiksi" else 7
        return httpx.Response(
            200,
            json={
                "category_code": category,
                "counted": votes,
                "voided": 0,
                "flagged": 0,
                "standings": [
                    {
                        "entry_id": film["entry_id"],
                        "title": film["title"],
                        "kim_name": "KIM",
                        "votes": votes,
                        "flagged": 0,
                    }
                ],
            },
        )

    services = two_favourites()
    services.answers.update(
        {
            ("GET", f"/editions/{EDITION_ID}/tally"): tally,
            ("GET", f"/editions/{EDITION_ID}/flags"): [],
        }
    )
    async with signed_in(services) as browser:
        page = await browser.get(f"/staf/lomba/{EDITION_ID}/juara-favorit")
    assert page.status_code == 200
    tables = re.findall(
        r'<h3 id="tally-heading-([a-z-]+)">(.*?)</h3>.*?<tbody>(.*?)</tbody>', page.text, re.S
    )
    assert [(code, title) for code, title, _ in tables] == [
        ("favorit-dokumenter", "Favorit Dokumenter"),
        ("favorit-fiksi", "Favorit Fiksi"),
    ]
    assert "Tempe Sanan" in tables[0][2] and "Topeng Malangan" in tables[1][2]
    assert "Suara per karya di Favorit Fiksi" in page.text
    asked = [r.url.params.get("category") for r in services.requests if r.url.path.endswith("/tally")]
    assert {category for category in asked if category} == {"favorit-dokumenter", "favorit-fiksi"}
