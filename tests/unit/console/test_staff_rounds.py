"""The staff's "Babak" page with judging faked at the HTTP level: the rule set by size
or by a score typed the Indonesian way, refusals beside their field, round 1 closed into
the shortlist shown with its rule and the tie at the cut, and the final round's pages
reached by its own id, named as the final round."""

from __future__ import annotations

from typing import Any

import httpx

from .test_staff_judging import EDITION_ID, JUDGING_EDITION, FakeServices, refusal, signed_in

FINAL_ID = "5b1b2d5e-8c1e-5a3f-9d2a-6f0e1c2b3a44"
ROUNDS = f"/staf/lomba/{EDITION_ID}/babak"
ONE_ROUND = {
    "edition_id": EDITION_ID,
    "title": "Lomba Video Pendek KIM 2024",
    "rounds": 1,
    "rule": None,
    "shortlist": None,
}
WAITING = {
    **JUDGING_EDITION,
    "status": "waiting_for_submissions",
    "progress": {"required": 0, "recorded": 0, "missing": 0},
}
RULE = {"size": 2, "min_score": None, "public": False, "text": "top 2"}
SHORTLIST: dict[str, Any] = {
    "edition_id": EDITION_ID,
    "final_edition_id": FINAL_ID,
    "rule": RULE,
    "field_size": 4,
    "entries": [
        {
            "rank": 1,
            "entry_id": "e1",
            "entry_title": "Topeng Malangan",
            "kim_id": "k1",
            "kim_name": "KIM Pasreh Jaya",
            "score": 90.0,
        },
        {
            "rank": 2,
            "entry_id": "e2",
            "entry_title": "Keripik Tempe",
            "kim_id": "k2",
            "kim_name": "KIM Ganjur",
            "score": 80.5,
        },
        {
            "rank": 2,
            "entry_id": "e3",
            "entry_title": "Kopi Mojolangu",
            "kim_id": "k3",
            "kim_name": "KIM Mojolangu",
            "score": 80.5,
        },
    ],
    "tied_at_cut": ["e3"],
    "note": "3 karya lolos, bukan 2",
    "closed_at": "2024-08-21T01:00:00+00:00",
    "closed_by": "staff:sari@malangkota.go.id",
}
FINAL_EDITION = {**JUDGING_EDITION, "edition_id": FINAL_ID, "status": "scoring", "round_of": EDITION_ID}


async def test_two_rounds_are_set_by_a_score_typed_with_a_comma_and_refusals_show_beside_the_field() -> None:
    fake = FakeServices(
        {
            ("judging", "GET", f"/editions/{EDITION_ID}"): httpx.Response(200, json=WAITING),
            ("judging", "GET", f"/editions/{EDITION_ID}/rounds"): httpx.Response(200, json=ONE_ROUND),
            ("judging", "PUT", f"/editions/{EDITION_ID}/rounds"): httpx.Response(200, json=ONE_ROUND),
        }
    )
    async with signed_in(fake) as (browser, token):
        page = await browser.get(ROUNDS)
        assert page.status_code == 200 and "Edisi ini dinilai dalam satu babak" in page.text
        assert "Simpan babak penilaian" in page.text and f'href="{ROUNDS}" aria-current="page"' in page.text
        wrong = await browser.post(
            ROUNDS, data={"by": "min_score", "min_score": "75,555", "csrf_token": token}
        )
        assert wrong.status_code == 400 and 'id="min_score-error"' in wrong.text
        assert "Isi nilai 0 sampai 100, misalnya 75 atau 82,5." in wrong.text
        saved = await browser.post(
            ROUNDS, data={"by": "min_score", "min_score": "82,5", "public": "ya", "csrf_token": token}
        )
        assert saved.status_code == 303
    assert fake.sent("judging", "PUT", f"/editions/{EDITION_ID}/rounds") == [
        {"shortlist": {"min_score": 82.5, "public": True}}
    ]


async def test_closing_round_one_refused_by_name_then_the_shortlist_and_the_final_round() -> None:
    two_rounds = {**ONE_ROUND, "rounds": 2, "rule": RULE}
    missing = "Babak penyisihan Lomba Video Pendek KIM 2024 belum selesai: 2 lembar nilai belum masuk."
    fake = FakeServices(
        {
            ("judging", "GET", f"/editions/{EDITION_ID}/rounds"): httpx.Response(200, json=two_rounds),
            ("judging", "POST", f"/editions/{EDITION_ID}/shortlist"): refusal(
                409, "round_one_not_complete", missing
            ),
        }
    )
    async with signed_in(fake) as (browser, token):
        page = await browser.get(ROUNDS)
        assert "2 karya teratas babak penyisihan lolos ke babak final" in page.text
        assert "Tutup babak penyisihan" in page.text
        refused = await browser.post(f"{ROUNDS}/tutup", data={"csrf_token": token})
        assert refused.status_code == 409 and missing in refused.text

    closed = {**two_rounds, "shortlist": SHORTLIST}
    fake = FakeServices(
        {
            ("judging", "GET", f"/editions/{EDITION_ID}/rounds"): httpx.Response(200, json=closed),
            ("judging", "GET", f"/editions/{FINAL_ID}"): httpx.Response(200, json=FINAL_EDITION),
            ("judging", "GET", f"/editions/{FINAL_ID}/audit"): httpx.Response(200, json=[]),
        }
    )
    async with signed_in(fake, language="en") as (browser, _):
        page = await browser.get(ROUNDS)
        assert "Keripik Tempe" in page.text and "80.50" in page.text
        assert "by Staff (sari@malangkota.go.id)" in page.text
        assert (
            "1 more entries go on than the top 2: they are equal with the last one at the cut." in page.text
        )
        assert f'href="/staf/lomba/{FINAL_ID}/hasil"' in page.text and "Set the rounds" not in page.text
        # The final round's pages name it and lead back to the rounds; no "Rounds" tab of their own.
        audit = await browser.get(f"/staf/lomba/{FINAL_ID}/audit")
        assert audit.status_code == 200 and "<strong>Final round</strong>" in audit.text
        assert f'href="{ROUNDS}"' in audit.text and f"/staf/lomba/{FINAL_ID}/babak" not in audit.text
        final_page = await browser.get(f"/staf/lomba/{FINAL_ID}/babak")
        assert final_page.status_code == 303 and final_page.headers["location"] == ROUNDS
