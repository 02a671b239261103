"""What the demo prints of the 2024 edition's categories and prizes."""

from __future__ import annotations

from devstack.demo_categories import CATEGORY_WEIGHTS, category_lines, prize_text
from devstack.malang_2024 import CATEGORIES, RUBRIC


def test_a_prize_reads_as_rupiah_with_what_comes_besides_or_as_the_edition_words_it() -> None:
    assert prize_text({"amount": 7_500_000, "non_cash": "Trofi"}) == "Rp7.500.000 + Trofi"
    assert prize_text({"amount": 3_000_000}) == "Rp3.000.000"
    assert prize_text({"amount": None, "reward": "Piagam dan bingkisan"}) == "Piagam dan bingkisan"
    assert prize_text(None) == ""


def test_each_category_prints_its_winners_prize_and_the_jurys_reason_or_the_votes() -> None:
    kelurahan = {"code": "x", "name": "Bumiayu"}
    announced = [
        {
            "category": {"code": "penghargaan-juri", "title": "Penghargaan Khusus Juri", "kind": "special"},
            "version": 1,
            "winners": [
                {
                    "rank": 1,
                    "kim_name": "KIM Lestari Tunjungsekar",
                    "entry_title": "Anyaman Harapan",
                    "kelurahan": kelurahan,
                    "prize": {"amount": 1_500_000, "non_cash": "Piagam"},
                    "reason": "Pesan lingkungannya paling kuat.",
                }
            ],
        },
        {
            "category": {"code": "juara-favorit", "title": "Juara Favorit", "kind": "favourite"},
            "version": 2,
            "winners": [
                {
                    "rank": 1,
                    "kim_name": "KIM Ganjur",
                    "entry_title": "Ganjur",
                    "kelurahan": kelurahan,
                    "prize": None,
                    "votes": 7,
                }
            ],
        },
    ]
    lines = category_lines(announced)
    assert lines[:2] == ["", "Kategori dan penghargaan:"]
    assert lines[2:] == [
        "  Penghargaan Khusus Juri (versi 1):",
        "    1. KIM Lestari Tunjungsekar — Anyaman Harapan; hadiah: Rp1.500.000 + Piagam",
        "       alasan juri: Pesan lingkungannya paling kuat.",
        "  Juara Favorit (versi 2):",
        "    1. KIM Ganjur — Ganjur, 7 suara; hadiah: -",
    ]
    assert category_lines([]) == []


def test_the_demo_weighs_only_its_ranked_categories_over_the_rubric_to_100() -> None:
    ranked = {c["code"] for c in CATEGORIES if c["kind"] == "ranked"}
    assert set(CATEGORY_WEIGHTS) == ranked
    for weights in CATEGORY_WEIGHTS.values():
        assert set(weights) <= set(RUBRIC) and sum(weights.values()) == 100
