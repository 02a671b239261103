"""The ranking, with hand-computed expectations.

Weights of the default rubric: tema 30, kreativitas 25, teknis 20, promosi_umkm 25.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from judging.domain.errors import (
    RubricCriteriaDuplicated,
    RubricWeightsInvalid,
    ScoreOutOfRange,
    ScoresDoNotMatchRubric,
)
from judging.domain.options import DEFAULT_OPTIONS, JudgingOptions
from judging.domain.ranking import tie_break, two_places
from judging.domain.rubric import DEFAULT_RUBRIC, Criterion, Rubric

from .standings import J1, J2, J3, entry, rank, sheet


def test_weighted_total_is_exact() -> None:
    # 27 + 21.25 + 18 + 22 = 88.25
    assert DEFAULT_RUBRIC.weighted_total(
        {"tema": 90, "kreativitas": 85, "teknis": 90, "promosi_umkm": 88}
    ) == Fraction(8825, 100)


def test_the_mean_of_weighted_totals_orders_the_entries() -> None:
    a, b, c = entry("A", 1), entry("B", 2), entry("C", 3)
    sheets = [
        sheet(a, J1, 80, 80, 80, 80),
        sheet(a, J2, 70, 70, 70, 70),  # mean 75
        sheet(b, J1, 90, 90, 90, 90),
        sheet(b, J2, 60, 60, 60, 60),  # mean 75, as A
        sheet(c, J1, 50, 50, 50, 50),
        sheet(c, J2, 100, 100, 100, 100),  # mean 75 too
    ]
    placings = rank([a, b, c], sheets, {J1, J2})
    # All three tie on the total and on 'tema' (75 each): the earlier submission wins.
    assert [p.kim_name for p in placings] == ["A", "B", "C"]
    assert [p.score for p in placings] == [75.0, 75.0, 75.0]
    assert [(p.rank, p.shared, p.separated_by) for p in placings] == [
        (1, False, "earlier_submission"),
        (2, False, "earlier_submission"),
        (3, False, None),
    ]


def test_a_tie_on_the_total_is_broken_by_the_priority_criterion() -> None:
    early, late = entry("Early", 1), entry("Late", 2)
    sheets = [
        # Early: 30*80 + 25*90 + 20*80 + 25*80 = 2400+2250+1600+2000 = 8250 -> 82.5, tema 80
        sheet(early, J1, 80, 90, 80, 80),
        # Late: 30*85 + 25*84 + 20*80 + 25*78 = 2550+2100+1600+1950 = 8200 -> 82.0, tema 85
        sheet(late, J1, 85, 84, 80, 78),
    ]
    placings = rank([early, late], sheets, {J1})
    assert [(p.kim_name, p.score) for p in placings] == [("Early", 82.5), ("Late", 82.0)]

    # Now make the totals equal: Late 30*85 + 25*86 + 20*80 + 25*78 = 2550+2150+1600+1950 = 8250 -> 82.5
    sheets[1] = sheet(late, J1, 85, 86, 80, 78)
    placings = rank([early, late], sheets, {J1})
    assert [(p.kim_name, p.score, p.priority_score) for p in placings] == [
        ("Late", 82.5, 85.0),
        ("Early", 82.5, 80.0),
    ]


def test_only_entries_in_competition_and_judges_on_the_panel_count() -> None:
    kept, withdrawn = entry("Kept", 1), entry("Gone", 2, status="withdrawn")
    sheets = [
        sheet(kept, J1, 80, 80, 80, 80),
        sheet(kept, J3, 0, 0, 0, 0),
        sheet(withdrawn, J1, 100, 100, 100, 100),
    ]
    placings = rank([kept, withdrawn], sheets, {J1, J2})
    assert [(p.kim_name, p.score, p.judges) for p in placings] == [("Kept", 80.0, 1)]


def test_a_conflicted_judges_absence_uses_the_other_judges() -> None:
    # Two judges score X; only J1 scores Y (J2 declared a conflict with Y).
    x, y = entry("X", 1), entry("Y", 2)
    sheets = [sheet(x, J1, 90, 90, 90, 90), sheet(x, J2, 70, 70, 70, 70), sheet(y, J1, 85, 85, 85, 85)]
    placings = rank([x, y], sheets, {J1, J2})
    assert [(p.kim_name, p.score) for p in placings] == [("Y", 85.0), ("X", 80.0)]


def test_scores_are_shown_rounded_half_up() -> None:
    assert two_places(Fraction(88425, 1000)) == 88.43
    assert two_places(Fraction(266750, 3000)) == 88.92


def test_the_declared_tie_break_names_the_priority_criterion() -> None:
    assert "tema" in tie_break(DEFAULT_RUBRIC, DEFAULT_OPTIONS)[1]
    assert "kreativitas" in tie_break(DEFAULT_RUBRIC, JudgingOptions(priority_criterion="kreativitas"))[1]


def test_a_rubric_must_weigh_100_with_distinct_criteria() -> None:
    with pytest.raises(RubricWeightsInvalid):
        Rubric(
            criteria=(
                Criterion(criterion_id="a", name_id="A", name_en="A", weight=60),
                Criterion(criterion_id="b", name_id="B", name_en="B", weight=30),
            )
        )
    with pytest.raises(RubricCriteriaDuplicated):
        Rubric(
            criteria=(
                Criterion(criterion_id="a", name_id="A", name_en="A", weight=50),
                Criterion(criterion_id="a", name_id="B", name_en="B", weight=50),
            )
        )


def test_a_sheet_gives_one_score_in_range_per_criterion() -> None:
    with pytest.raises(ScoresDoNotMatchRubric) as refused:
        DEFAULT_RUBRIC.check({"tema": 80, "kreativitas": 80, "teknis": 80, "humor": 80})
    assert refused.value.params["missing"] == "promosi_umkm" and refused.value.params["unknown"] == "humor"
    with pytest.raises(ScoreOutOfRange):
        DEFAULT_RUBRIC.check({"tema": 101, "kreativitas": 80, "teknis": 80, "promosi_umkm": 80})
