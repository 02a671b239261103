"""The ranking: each entry's score is the mean of its judges' weighted totals.

Equal means are separated by a declared, deterministic chain of rules, so the
same sheets always give the same order:
1. the higher mean weighted total;
2. the higher mean score on the rubric's priority criterion (the heaviest);
3. the earlier first submission;
4. the entry id, so that no two entries ever share a rank.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from uuid import UUID

from .entry import Entry, Region
from .rubric import Rubric
from .score_sheet import ScoreSheet


def tie_break(rubric: Rubric) -> list[str]:
    return [
        "mean weighted total, higher first",
        f"mean score on '{rubric.priority.criterion_id}' ({rubric.priority.name_en}), higher first",
        "earlier first submission",
        "entry id",
    ]


@dataclass(frozen=True, kw_only=True)
class Placing:
    rank: int
    entry_id: UUID
    entry_title: str
    kim_id: UUID
    kim_name: str
    kelurahan: Region
    score: float
    priority_score: float
    judges: int
    submitted_at: datetime


def two_places(value: Fraction) -> float:
    """Round half up to two decimals, for display; the order was decided on exact values."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def rank(
    entries: Iterable[Entry], sheets: Iterable[ScoreSheet], rubric: Rubric, judges: set[UUID]
) -> list[Placing]:
    """Rank the entries still in competition that at least one judge scored."""
    by_entry: dict[UUID, list[ScoreSheet]] = defaultdict(list)
    for sheet in sheets:
        if sheet.judge_id in judges:
            by_entry[sheet.entry_id].append(sheet)
    priority = rubric.priority.criterion_id

    scored = []
    for entry in entries:
        entry_sheets = by_entry.get(entry.entry_id)
        if not entry.in_competition or not entry_sheets:
            continue
        count = len(entry_sheets)
        mean_total = sum((rubric.weighted_total(s.scores) for s in entry_sheets), Fraction(0)) / count
        mean_priority = Fraction(sum(s.scores[priority] for s in entry_sheets), count)
        scored.append((entry, mean_total, mean_priority, count))

    scored.sort(key=lambda e: (-e[1], -e[2], e[0].submitted_at, str(e[0].entry_id)))
    return [
        Placing(
            rank=position,
            entry_id=entry.entry_id,
            entry_title=entry.title,
            kim_id=entry.kim_id,
            kim_name=entry.kim_name,
            kelurahan=entry.kelurahan,
            score=two_places(mean_total),
            priority_score=two_places(mean_priority),
            judges=count,
            submitted_at=entry.submitted_at,
        )
        for position, (entry, mean_total, mean_priority, count) in enumerate(scored, start=1)
    ]
