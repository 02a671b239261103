"""The order of the entries: each entry's score is the mean of its judges'
weighted totals (or of their normalised totals, when the edition normalises).

Equal scores go through the edition's declared tie-break chain, rule by rule;
each rule splits a group of equal entries into smaller groups, and only the
entries a rule leaves equal go on to the next rule:
- `priority_criterion`: the higher mean score on the priority criterion;
- `head_to_head`: among the equal entries, the one that more judges who scored
  both preferred (a higher weighted total) beats the other; entries are
  ordered by how many of the others they beat;
- `earlier_submission`: the earlier first submission.

Entries still equal after the whole chain are a tie; `results` decides what
happens to it. Orders are decided on exact values (fractions; normalised
totals at 12 decimal places); scores are shown to two decimals, half up.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import combinations, groupby
from typing import Any
from uuid import UUID

from .entry import Entry
from .options import TIE_BREAK_RULES, JudgingOptions, TieBreakRule
from .rubric import Rubric

#: What separated an entry from the next one, besides the chain's rules.
BY_SCORE = "score"
BY_STAFF = "staff_resolution"


def tie_break(rubric: Rubric, options: JudgingOptions) -> list[str]:
    """The declared order, in words: what ranks first, then each rule of the chain."""
    first = (
        "mean normalised total (per-judge z-score rescaled to 0-100), higher first"
        if options.normalise
        else "mean weighted total, higher first"
    )
    priority = rubric.priority_or(options.priority_criterion)
    rules = {
        **TIE_BREAK_RULES,
        "priority_criterion": f"mean score on '{priority.criterion_id}' ({priority.name_en}), higher first",
    }
    return [first, *(rules[rule] for rule in options.tie_break)]


@dataclass(frozen=True, kw_only=True)
class Scored:
    """An entry with the numbers that rank it."""

    entry: Entry
    #: Each counted judge's weighted total for this entry.
    totals: dict[UUID, Fraction]
    raw: Fraction
    normalised: Decimal | None
    priority: Fraction

    @property
    def score(self) -> Fraction | Decimal:
        return self.raw if self.normalised is None else self.normalised


@dataclass(frozen=True)
class Block:
    """Entries the chain could not separate (most often one), and what put
    them above the next block (None for the last)."""

    entries: list[Scored]
    separated_by: str | None


Key = Callable[[Scored], Any]


def order(scored: Sequence[Scored], chain: Sequence[TieBreakRule]) -> list[Block]:
    """The entries best first, in blocks of entries still equal after the chain."""
    # Entries sharing a rank are listed by KIM name: stable, and no hint of an order.
    listed = sorted(scored, key=lambda s: (s.entry.kim_name, str(s.entry.entry_id)))
    return _blocks(_split(listed, _higher_first(listed, lambda s: s.score)), BY_SCORE, chain)


def _split(group: Sequence[Scored], key: Key) -> list[list[Scored]]:
    keyed = sorted(((key(s), s) for s in group), key=_first)  # stable: equal keys keep their order
    return [[s for _, s in equal] for _, equal in groupby(keyed, key=_first)]


def _first(pair: tuple[Any, Scored]) -> Any:
    return pair[0]


def _higher_first(group: Sequence[Scored], value: Callable[[Scored], Fraction | Decimal]) -> Key:
    """A key putting higher values first, exactly. Fractions are compared as
    integers over their common denominator: the same order, far cheaper."""
    values = [value(s) for s in group]
    if not all(isinstance(v, Fraction) for v in values):
        return lambda s: -value(s)
    common = math.lcm(*(v.denominator for v in values))  # type: ignore[union-attr]

    def key(s: Scored) -> int:
        exact = value(s)
        assert isinstance(exact, Fraction)
        return -exact.numerator * (common // exact.denominator)

    return key


def _blocks(groups: list[list[Scored]], rule: str, chain: Sequence[TieBreakRule]) -> list[Block]:
    blocks: list[Block] = []
    for position, group in enumerate(groups):
        inner = _separate(group, chain)
        last = inner[-1]
        inner[-1] = Block(last.entries, rule if position < len(groups) - 1 else None)
        blocks.extend(inner)
    return blocks


def _separate(group: list[Scored], chain: Sequence[TieBreakRule]) -> list[Block]:
    if len(group) == 1 or not chain:
        return [Block(group, None)]
    rule, rest = chain[0], chain[1:]
    return _blocks(_split(group, KEYS[rule](group)), rule, rest)


def _priority(group: Sequence[Scored]) -> Key:
    return _higher_first(group, lambda s: s.priority)


def _earlier_submission(group: Sequence[Scored]) -> Key:
    return lambda s: s.entry.submitted_at


def _head_to_head(group: Sequence[Scored]) -> Key:
    wins = {s.entry.entry_id: 0 for s in group}
    for a, b in combinations(group, 2):
        both = a.totals.keys() & b.totals.keys()
        prefer_a = sum(1 for judge in both if a.totals[judge] > b.totals[judge])
        prefer_b = sum(1 for judge in both if b.totals[judge] > a.totals[judge])
        if prefer_a != prefer_b:
            wins[(a if prefer_a > prefer_b else b).entry.entry_id] += 1
    return lambda s: -wins[s.entry.entry_id]


KEYS: dict[TieBreakRule, Callable[[Sequence[Scored]], Key]] = {
    "priority_criterion": _priority,
    "head_to_head": _head_to_head,
    "earlier_submission": _earlier_submission,
}


def two_places(value: Fraction | Decimal) -> float:
    """Round half up to two decimals, for display; the order was decided on exact values."""
    if isinstance(value, Fraction):
        return _fraction_two_places(value.numerator, value.denominator)
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@functools.lru_cache(maxsize=65536)  # scores repeat, so do their totals and means
def _fraction_two_places(numerator: int, denominator: int) -> float:
    exact = Decimal(numerator) / Decimal(denominator)
    return float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
