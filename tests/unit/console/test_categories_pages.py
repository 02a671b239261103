"""Categories in the console, with the services faked at the HTTP level: the public
results show each place's prize and every announced category (a special award
with the jury's reason, the favourite with its votes); staff see each category
with its rubric form, the award form and freeze/verify/announce, and what they
send reaches judging with `?category=`."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import httpx
from console.session import COOKIE

from .test_access import signed_in
from .test_results_and_inbox import CLOSED, EDITION_ID, RANKING, browser, console, placing, results

SPECIAL = {
    **results(1, [1]),
    "category": {"code": "apresiasi-juri", "title": "Apresiasi Dewan Juri", "kind": "special"},
    "content_hash": "a" * 64,
    "ranking": [
        {
            **placing(1, "KIM Mojolangu", "Mojolangu", "Kopi Mojolangu", 80.5),
            "prize": {
                "rank": 1,
                "title": "Piagam Apresiasi",
                "reward": None,
                "amount": None,
                "non_cash": "Piagam",
            },
            "reason": "Film paling jujur memotret kehidupan pelaku UMKM kampung.",
        }
    ],
}
FAVOURITE = {
    **results(2, [1, 2]),
    "category": {"code": "juara-favorit", "title": "Juara Favorit", "kind": "favourite"},
    "content_hash": "f" * 64,
    "ranking": [
        {
            **placing(1, "KIM Ganjur", "Sawojajar", "Keripik Tempe", 321.0),
            "votes": 321,
            "prize": {
                "rank": 1,
                "title": "Juara Favorit",
                "reward": None,
                "amount": 2_500_000,
                "non_cash": None,
            },
        }
    ],
}
CATEGORIES = [
    {
        "code": "sinematografi",
        "title": "Sinematografi Terbaik",
        "kind": "ranked",
        "description": "",
        "awarded_ranks": 2,
        "prizes": [
            {
                "rank": 1,
                "title": "Sinematografi Terbaik",
                "reward": None,
                "amount": 5_000_000,
                "non_cash": None,
            }
        ],
        "rubric": None,
        "entries": 3,
        "latest_version": None,
        "announced_version": None,
        "award": None,
    },
    {
        "code": "apresiasi-juri",
        "title": "Apresiasi Dewan Juri",
        "kind": "special",
        "description": "",
        "awarded_ranks": 1,
        "prizes": [],
        "rubric": None,
        "entries": 3,
        "latest_version": 1,
        "announced_version": 1,
        "award": None,
    },
    {
        "code": "juara-favorit",
        "title": "Juara Favorit",
        "kind": "favourite",
        "description": "",
        "awarded_ranks": 1,
        "prizes": [],
        "rubric": None,
        "entries": 3,
        "latest_version": 2,
        "announced_version": 2,
        "award": None,
    },
]
RUBRIC = [
    {"criterion_id": "tema", "name_id": "Kesesuaian dengan tema", "name_en": "Theme", "weight": 30},
    {"criterion_id": "kreativitas", "name_id": "Kreativitas", "name_en": "Creativity", "weight": 25},
    {"criterion_id": "teknis", "name_id": "Kualitas teknis", "name_en": "Technical quality", "weight": 20},
    {
        "criterion_id": "promosi_umkm",
        "name_id": "Daya promosi UMKM",
        "name_en": "UMKM promotion",
        "weight": 25,
    },
]
JUDGING_EDITION = {
    "edition_id": EDITION_ID,
    "title": CLOSED["title"],
    "status": "completed",
    "awarded_ranks": 2,
    "submissions_closed_at": "2024-10-01T00:00:00+00:00",
    "completed_at": "2024-10-20T00:00:00+00:00",
    "rubric": RUBRIC,
    "options": {"judging_deadline": None},
    "assigned_at": None,
    "panel": [],
    "progress": {},
    "results_frozen": 1,
    "announced_version": None,
}
SENT: list[tuple[str, str, str, Any]] = []


def with_categories(request: httpx.Request) -> httpx.Response:
    path, category = request.url.path, request.url.params.get("category")
    if request.method != "GET":
        SENT.append((request.method, path, category or "", json.loads(request.content or b"null")))
        return httpx.Response(200, json={})
    if path == f"/editions/{EDITION_ID}" and request.url.port == 8003:
        return httpx.Response(200, json=JUDGING_EDITION)
    if path == f"/editions/{EDITION_ID}":
        return httpx.Response(200, json=CLOSED)
    if path == f"/editions/{EDITION_ID}/categories":
        return httpx.Response(200, json=CATEGORIES if "authorization" in request.headers else CATEGORIES[1:])
    if path == f"/editions/{EDITION_ID}/results" and category == "apresiasi-juri":
        return httpx.Response(200, json=SPECIAL)
    if path == f"/editions/{EDITION_ID}/results" and category == "juara-favorit":
        return httpx.Response(200, json=FAVOURITE)
    if path == f"/editions/{EDITION_ID}/results":
        main = copy.deepcopy(results(1, [1]))
        main["ranking"][0]["prize"] = {"rank": 1, "title": "Juara 1", "reward": None, "amount": 10_000_000}
        return httpx.Response(200, json=main)
    if path == f"/editions/{EDITION_ID}/entries":
        entries = [
            {
                "entry_id": p["entry_id"],
                "title": p["entry_title"],
                "kim_name": p["kim_name"],
                "status": "submitted",
            }
            for p in RANKING
        ]
        return httpx.Response(200, json=entries)
    if path in (f"/editions/{EDITION_ID}/snapshots", f"/editions/{EDITION_ID}/ties"):
        return httpx.Response(200, json=[])
    return httpx.Response(404, json={"error": {"code": "not_found", "message": "x", "field": None}})


async def test_the_public_results_show_prizes_and_every_announced_category() -> None:
    app = console(with_categories)
    async with app.router.lifespan_context(app), browser(app) as visitor:
        page = await visitor.get(f"/lomba/{EDITION_ID}/hasil")
        english = await visitor.get(f"/lomba/{EDITION_ID}/hasil", headers={"Accept-Language": "en"})
    assert page.status_code == 200, page.text[:500]
    text = page.text
    assert "Rp10.000.000" in text  # the main ranking's first place, from its own prize
    assert 'id="kategori-apresiasi-juri"' in text and 'id="kategori-juara-favorit"' in text
    assert "Penghargaan khusus dewan juri" in text and "Ditentukan oleh suara publik" in text
    assert "Alasan dewan juri: Film paling jujur memotret kehidupan pelaku UMKM kampung." in text
    assert "Piagam" in text and "Rp2.500.000" in text and ">321<" in text
    assert "a" * 64 in text and "f" * 64 in text
    assert "Sinematografi Terbaik" not in text  # not announced: not shown
    assert "Special award of the jury" in english.text and "Votes" in english.text


async def test_staff_set_a_category_rubric_give_an_award_and_freeze_it() -> None:
    SENT.clear()
    app = console(with_categories)  # judging at its default address, port 8003
    app.state.sessions.clock = lambda: 0.0
    cookies = {COOKIE: app.state.sessions.add(signed_in("staff"))}
    async with app.router.lifespan_context(app), browser(app, cookies=cookies) as staff:
        page = await staff.get(f"/staf/lomba/{EDITION_ID}/kategori")
        assert page.status_code == 200, page.text[:500]
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        form = {"csrf_token": token.group(1)}
        assert 'action="/staf/lomba/' + EDITION_ID + '/kategori/sinematografi/rubrik"' in page.text
        assert "Bobot (persen)" in page.text and "Berikan penghargaan" in page.text
        assert "Rp5.000.000" in page.text
        weights = {
            "bobot-tema": "0",
            "bobot-kreativitas": "30",
            "bobot-teknis": "70",
            "bobot-promosi_umkm": "0",
        }
        saved = await staff.post(
            f"/staf/lomba/{EDITION_ID}/kategori/sinematografi/rubrik", data={**form, **weights}
        )
        wrong = await staff.post(
            f"/staf/lomba/{EDITION_ID}/kategori/sinematografi/rubrik", data={**form, "bobot-teknis": "tujuh"}
        )
        no_reason = await staff.post(
            f"/staf/lomba/{EDITION_ID}/kategori/apresiasi-juri/penghargaan",
            data={**form, "entry_id": RANKING[0]["entry_id"], "reason": " "},
        )
        given = await staff.post(
            f"/staf/lomba/{EDITION_ID}/kategori/apresiasi-juri/penghargaan",
            data={**form, "entry_id": RANKING[0]["entry_id"], "reason": "Paling jujur."},
        )
        frozen = await staff.post(f"/staf/lomba/{EDITION_ID}/kategori/sinematografi/bekukan", data=form)
    assert saved.status_code == 303 and given.status_code == 303 and frozen.status_code == 303
    assert wrong.status_code == 400 and "bilangan bulat 0 sampai 100" in wrong.text
    assert no_reason.status_code == 400 and "Tuliskan alasan dewan juri" in no_reason.text
    assert [
        (
            "PUT",
            f"/editions/{EDITION_ID}/categories/sinematografi/rubric",
            "",
            {"weights": {"kreativitas": 30, "teknis": 70}},
        ),
        (
            "POST",
            f"/editions/{EDITION_ID}/categories/apresiasi-juri/award",
            "",
            {"entry_id": RANKING[0]["entry_id"], "reason": "Paling jujur."},
        ),
        ("POST", f"/editions/{EDITION_ID}/snapshots", "sinematografi", {}),
    ] == SENT
