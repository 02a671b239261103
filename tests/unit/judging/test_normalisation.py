"""Normalisation, with the z-scores worked out by hand.

A harsh judge (J1) and a lenient one (J2) each score four different entries
(as with one judge per entry). Every sheet gives the same score on every
criterion, so a sheet's weighted total is that score.

    J1: A 66, B 58, C 58, D 58     μ = 60, σ = √((36 + 4 + 4 + 4) / 4) = √12 = 3.4641
    J2: E 90, F 80, G 70, H 80     μ = 80, σ = √((100 + 0 + 100 + 0) / 4) = √50 = 7.0711

    z: A +6/√12 = +1.7321   B, C, D −2/√12 = −0.5774   E +10/√50 = +1.4142   F, H 0   G −1.4142

All eight totals: mean M = 560 / 8 = 70; squared deviations 16 + 3·144 + 400 +
100 + 0 + 100 = 1048, S = √(1048 / 8) = √131 = 11.4455. Normalised n = M + S·z:

    A 70 + 11.4455·1.7321 = 89.82   E 70 + 11.4455·1.4142 = 86.19   F, H 70.00
    B, C, D 70 − 11.4455·0.5774 = 63.39                             G 70 − 16.19 = 53.81
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from uuid import UUID

from judging.domain.entry import Entry
from judging.domain.normalisation import Total, normalise
from judging.domain.options import JudgingOptions
from judging.domain.score_sheet import ScoreSheet

from .standings import J1, J2, entry, flat_sheet, rank

RAW_ORDER = ["E", "F", "H", "G", "A", "B", "C", "D"]


def edition() -> tuple[list[Entry], list[ScoreSheet]]:
    entries = [entry(name, minutes) for minutes, name in enumerate("ABCDEFGHI")]
    by_name = {e.kim_name: e for e in entries}
    sheets = [flat_sheet(by_name[n], J1, total) for n, total in zip("ABCD", (66, 58, 58, 58), strict=True)]
    sheets += [flat_sheet(by_name[n], J2, total) for n, total in zip("EFGH", (90, 80, 70, 80), strict=True)]
    return entries[:8], sheets


def test_normalising_puts_the_harsh_judges_best_entry_first() -> None:
    entries, sheets = edition()
    raw = rank(entries, sheets, {J1, J2})
    assert [s.kim_name for s in raw] == RAW_ORDER  # F before H, B C D: the earlier submission
    assert raw[0].normalised_score is None

    normalised = rank(entries, sheets, {J1, J2}, JudgingOptions(normalise=True, min_sheets_per_judge=4))
    # A (66 raw, 5th) is J1's clear best and moves to 1st; E is 2nd. F and H tie at 70
    # on the normalised score and on the priority criterion (80): F was submitted first.
    assert [(s.kim_name, s.score, s.raw_score, s.normalised_score) for s in normalised] == [
        ("A", 89.82, 66.0, 89.82),
        ("E", 86.19, 90.0, 86.19),
        ("F", 70.0, 80.0, 70.0),
        ("H", 70.0, 80.0, 70.0),
        ("B", 63.39, 58.0, 63.39),
        ("C", 63.39, 58.0, 63.39),
        ("D", 63.39, 58.0, 63.39),
        ("G", 53.81, 70.0, 53.81),
    ]
    assert [s.separated_by for s in normalised[:4]] == ["score", "score", "earlier_submission", "score"]
    (a_sheet,) = normalised[0].sheets
    assert (a_sheet.total, a_sheet.normalised, a_sheet.raw_fallback) == (66.0, 89.82, False)


def test_with_too_few_sheets_every_judge_counts_raw() -> None:
    entries, sheets = edition()
    # Both judges have 4 sheets, fewer than 5: each sheet counts with its raw total.
    standings = rank(entries, sheets, {J1, J2}, JudgingOptions(normalise=True, min_sheets_per_judge=5))
    assert [s.kim_name for s in standings] == RAW_ORDER
    assert all(s.normalised_score == s.raw_score for s in standings)
    assert all(record.raw_fallback for s in standings for record in s.sheets)


def test_only_the_judge_with_too_few_sheets_falls_back_to_raw() -> None:
    entries, sheets = edition()
    i = entry("I", 8)
    sheets.append(flat_sheet(i, J2, 80))
    # J1 keeps 4 sheets (< 5): raw. J2 has 5: 90 80 70 80 80, μ = 80, σ = √(200 / 5) = √40 = 6.3246,
    # z(E) = 10/√40 = 1.5811. All nine totals: M = 640 / 9 = 71.1111, squared deviations sum
    # 1136.8889, S = √(1136.8889 / 9) = 11.2393. E: 71.1111 + 11.2393·1.5811 = 88.88;
    # F, H, I: z 0 -> 71.11; G: 71.1111 − 17.7708 = 53.34; A, B, C, D stay 66 and 58.
    standings = rank([*entries, i], sheets, {J1, J2}, JudgingOptions(normalise=True, min_sheets_per_judge=5))
    assert [(s.kim_name, s.score) for s in standings] == [
        ("E", 88.88),
        ("F", 71.11),
        ("H", 71.11),
        ("I", 71.11),
        ("A", 66.0),
        ("B", 58.0),
        ("C", 58.0),
        ("D", 58.0),
        ("G", 53.34),
    ]
    fallback = {s.kim_name: s.sheets[0].raw_fallback for s in standings}
    assert fallback == dict.fromkeys("ABCD", True) | dict.fromkeys("EFGHI", False)


def test_a_judge_who_gives_everyone_the_same_counts_at_the_mean() -> None:
    # σ = 0: z is 0 for every sheet, so each normalised total is the pooled mean M.
    totals = [Total(sheet_id=UUID(int=n), judge_id=J1, value=Fraction(75)) for n in range(3)]
    totals += [
        Total(sheet_id=UUID(int=10 + n), judge_id=J2, value=Fraction(v)) for n, v in enumerate((60, 90, 75))
    ]
    found = normalise(totals, min_sheets=3)
    # M = (3·75 + 60 + 90 + 75) / 6 = 75
    assert {found[UUID(int=n)].value for n in range(3)} == {Decimal(75)}
