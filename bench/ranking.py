"""Ranking 10,000 entries scored by 5 judges, in process, through judging's own
domain: `compile_results`, raw and normalised, with the declared tie-break chains.

Scores are drawn (seeded) from a narrow band, as juries give them, so many
totals are equal and the tie-break rules do real work.
"""

from __future__ import annotations

import random
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from judging.domain.edition import Edition, Judge
from judging.domain.entry import Entry, Region
from judging.domain.options import DEFAULT_OPTIONS
from judging.domain.results import compile_results
from judging.domain.rubric import DEFAULT_RUBRIC
from judging.domain.score_sheet import ScoreSheet

T0 = datetime(2024, 9, 1, 8, 0, tzinfo=UTC)
EDITION = UUID(int=1)
JUDGES = 5

#: What is timed: the default options, then normalising with every tie-break rule.
CASES = {
    "raw": DEFAULT_OPTIONS,
    "normalised, head_to_head": replace(
        DEFAULT_OPTIONS,
        normalise=True,
        tie_break=("priority_criterion", "head_to_head", "earlier_submission"),
    ),
}


def competition(entries: int, judges: int, seed: int = 2024) -> tuple[Edition, list[Entry], list[ScoreSheet]]:
    draw = random.Random(seed)
    edition = Edition(edition_id=EDITION, title="Lomba", awarded_ranks=3, revision=1)
    edition.judges = [
        Judge(judge_id=UUID(int=1000 + j), name=f"Juri {j + 1}", appointed_at=T0) for j in range(judges)
    ]
    competing = [
        Entry(
            entry_id=UUID(int=10**6 + e),
            edition_id=EDITION,
            kim_id=UUID(int=2 * 10**6 + e),
            kim_name=f"KIM {e:05d}",
            kelurahan=Region(code=f"35.73.{e % 57:02d}", name=f"Kelurahan {e % 57}"),
            title=f"Film {e}",
            status="submitted",
            submitted_at=T0 + timedelta(seconds=e),
            revision=1,
        )
        for e in range(entries)
    ]
    sheets = [
        ScoreSheet.fill(
            edition_id=EDITION,
            entry_id=entry.entry_id,
            judge_id=judge.judge_id,
            scores={criterion.criterion_id: draw.randint(70, 90) for criterion in DEFAULT_RUBRIC.criteria},
            rubric=DEFAULT_RUBRIC,
            now=T0,
        )
        for entry in competing
        for judge in edition.judges
    ]
    return edition, competing, sheets


def measure(entries: int = 10_000, judges: int = JUDGES) -> dict[str, Any]:
    edition, competing, sheets = competition(entries, judges)
    timings = {}
    for name, options in CASES.items():
        edition.options = options
        started = time.perf_counter()
        results = compile_results(edition, competing, sheets)
        timings[name] = round(time.perf_counter() - started, 3)
        assert len(results.standings) == entries
    return {"entries": entries, "judges": judges, "seconds": timings}
