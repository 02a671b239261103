"""Entries, sheets and standings for the ranking tests: entries submitted
minutes after T0, judges J1, J2, ... appointed in that order, the default
rubric (tema 30, kreativitas 25, teknis 20, promosi_umkm 25)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from judging.domain.edition import Edition, Judge
from judging.domain.entry import Entry, Region
from judging.domain.options import DEFAULT_OPTIONS, JudgingOptions
from judging.domain.results import Results, Standing, compile_results
from judging.domain.rubric import DEFAULT_RUBRIC
from judging.domain.score_sheet import ScoreSheet

T0 = datetime(2024, 9, 1, 8, 0, tzinfo=UTC)
EDITION = uuid4()
J1, J2, J3 = UUID(int=1), UUID(int=2), UUID(int=3)


def entry(name: str, minutes: int, status: str = "submitted") -> Entry:
    return Entry(
        entry_id=uuid4(),
        edition_id=EDITION,
        kim_id=uuid4(),
        kim_name=name,
        kelurahan=Region(code=name.lower(), name=name),
        title=f"Film {name}",
        status=status,  # type: ignore[arg-type]
        submitted_at=T0 + timedelta(minutes=minutes),
        revision=1,
    )


def sheet(e: Entry, judge: UUID, tema: int, kreativitas: int, teknis: int, promosi: int) -> ScoreSheet:
    return ScoreSheet.fill(
        edition_id=EDITION,
        entry_id=e.entry_id,
        judge_id=judge,
        scores={"tema": tema, "kreativitas": kreativitas, "teknis": teknis, "promosi_umkm": promosi},
        rubric=DEFAULT_RUBRIC,
        now=T0,
    )


def flat_sheet(e: Entry, judge: UUID, total: int) -> ScoreSheet:
    """The same score on every criterion: the weighted total, and the mean on any criterion, is `total`."""
    return sheet(e, judge, total, total, total, total)


def results(
    entries: list[Entry],
    sheets: list[ScoreSheet],
    panel: set[UUID],
    options: JudgingOptions = DEFAULT_OPTIONS,
    awarded_ranks: int = 3,
) -> Results:
    """The results of `entries` with `panel` (judge ids, appointed in id order) judging."""
    edition = Edition(
        edition_id=EDITION, title="Lomba", awarded_ranks=awarded_ranks, revision=1, options=options
    )
    edition.judges = [
        Judge(judge_id=judge_id, name=f"Juri {judge_id.int}", appointed_at=T0) for judge_id in sorted(panel)
    ]
    return compile_results(edition, entries, sheets)


def rank(
    entries: list[Entry],
    sheets: list[ScoreSheet],
    panel: set[UUID],
    options: JudgingOptions = DEFAULT_OPTIONS,
    awarded_ranks: int = 3,
) -> list[Standing]:
    return list(results(entries, sheets, panel, options, awarded_ranks).standings)
