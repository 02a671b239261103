"""The results as the sheets make them: every entry's standing with the
numbers behind it (each counted sheet, raw and normalised means, who abstained
and why), the ties, and a SHA-256 over all of it.

Ranks: entries the declared chain leaves equal share the rank of the first
of them. If that rank is an awarded one (the tie lies within or straddles the
awarded ranks), the tie is escalated: staff decide the order, and until they
do the results cannot be frozen. Below the awarded ranks a shared rank stands.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction
from typing import TYPE_CHECKING, Any
from uuid import UUID

from . import normalisation
from .entry import Entry, Region
from .options import JudgingOptions
from .panel import Abstention
from .prizes import CategoryRef, Prize, prize_for
from .ranking import BY_STAFF, Scored, order, tie_break, two_places
from .rubric import Rubric
from .score_sheet import ScoreSheet
from .ties import Tie, TieResolution, tie_id

if TYPE_CHECKING:
    from .edition import Edition


@dataclass(frozen=True, kw_only=True)
class SheetRecord:
    judge_id: UUID
    scores: dict[str, int]
    total: float
    normalised: float | None
    #: Normalising, this judge had too few sheets, so the raw total counts.
    raw_fallback: bool = False


@dataclass(frozen=True, kw_only=True)
class Standing:
    rank: int
    #: Another entry has the same rank (a tie the chain could not separate).
    shared: bool
    entry_id: UUID
    entry_title: str
    kim_id: UUID
    kim_name: str
    kelurahan: Region
    submitted_at: datetime
    #: What ranked it: `normalised_score` when the edition normalises, else `raw_score`.
    score: float
    raw_score: float
    normalised_score: float | None
    priority_score: float
    judges: int
    #: What put it above the next entry: "score", a tie-break rule, "staff_resolution"; None when
    #: it is last or shares its rank with the next.
    separated_by: str | None
    sheets: tuple[SheetRecord, ...]
    abstentions: tuple[Abstention, ...]
    #: What the place wins (the edition's prizes, or the category's); None: no prize.
    prize: Prize | None = None
    #: A special award: the jury's written reason.
    reason: str | None = None
    #: The favourite category: the public's votes.
    votes: int | None = None


@dataclass(frozen=True, kw_only=True)
class TieRecord:
    tie_id: UUID
    rank: int
    entry_ids: tuple[UUID, ...]
    resolution: TieResolution | None


@dataclass(frozen=True, kw_only=True)
class Results:
    edition_id: UUID
    awarded_ranks: int
    rubric: Rubric
    options: JudgingOptions
    tie_break: tuple[str, ...]
    standings: tuple[Standing, ...]
    #: Escalated ties: within or across the awarded ranks.
    ties: tuple[TieRecord, ...]
    #: The category these results are of; None: the edition's main ranking.
    category: CategoryRef | None = None

    @property
    def winners(self) -> tuple[Standing, ...]:
        return tuple(s for s in self.standings if s.rank <= self.awarded_ranks)

    @property
    def unresolved(self) -> list[TieRecord]:
        return [tie for tie in self.ties if tie.resolution is None]

    def canonical_json(self) -> bytes:
        """Keys sorted, no spaces, UTF-8; ids as text, times in UTC to the millisecond
        (what MongoDB keeps), so the stored copy serialises exactly as the original."""
        return json.dumps(
            _without_empty(dataclasses.asdict(self)),
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
            default=_plain,
        ).encode()

    def digest(self) -> str:
        return hashlib.sha256(self.canonical_json()).hexdigest()


#: Fields added with categories and prizes: left out of the canonical JSON while
#: empty, so results frozen before them still hash as they did.
_LEFT_OUT_EMPTY = ("prize", "reason", "votes")


def _without_empty(content: dict[str, Any]) -> dict[str, Any]:
    if content.get("category") is None:
        content.pop("category", None)
    for standing in content["standings"]:
        for name in _LEFT_OUT_EMPTY:
            if standing.get(name) is None:
                standing.pop(name, None)
    return content


def _plain(value: Any) -> str:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="milliseconds")
    raise TypeError(f"not part of canonical results: {value!r}")


def compile_results(
    edition: Edition,
    entries: Iterable[Entry],
    sheets: Iterable[ScoreSheet],
    *,
    category: CategoryRef | None = None,
    rubric: Rubric | None = None,
    awarded_ranks: int | None = None,
    prizes: Iterable[Prize] | None = None,
    recorded_ties: Iterable[Tie] | None = None,
) -> Results:
    """The results of the entries still in competition that at least one counted sheet scores.

    Without `category`, the edition's main ranking; with it, a ranked category's:
    the entries given, on the category's `rubric` (the same sheets weighed its
    own way), its `awarded_ranks`, `prizes` and `recorded_ties`."""
    rubric, options = rubric or edition.rubric, edition.options
    awarded = edition.awarded_ranks if awarded_ranks is None else awarded_ranks
    prized = tuple(edition.prizes if prizes is None else prizes)
    priority = rubric.priority_or(options.priority_criterion).criterion_id
    competing = [entry for entry in entries if entry.in_competition]
    required = {entry.entry_id: edition.requirement(entry).judges for entry in competing}
    counted: dict[UUID, list[ScoreSheet]] = defaultdict(list)
    sheets = list(sheets)
    judge_text = {judge_id: str(judge_id) for judge_id in {s.judge_id for s in sheets}}  # each once
    for sheet in sorted(sheets, key=lambda s: judge_text[s.judge_id]):
        if sheet.judge_id in required.get(sheet.entry_id, ()):
            counted[sheet.entry_id].append(sheet)

    totals = {s.sheet_id: rubric.weighted_total(s.scores) for kept in counted.values() for s in kept}
    normalised = (
        normalisation.normalise(
            (
                normalisation.Total(sheet_id=s.sheet_id, judge_id=s.judge_id, value=totals[s.sheet_id])
                for kept in counted.values()
                for s in kept
            ),
            options.min_sheets_per_judge,
        )
        if options.normalise
        else {}
    )

    scored = []
    for entry in competing:
        kept = counted.get(entry.entry_id)
        if not kept:
            continue
        scored.append(
            Scored(
                entry=entry,
                totals={s.judge_id: totals[s.sheet_id] for s in kept},
                raw=normalisation.exact_mean([totals[s.sheet_id] for s in kept]),
                normalised=normalisation.mean([normalised[s.sheet_id].value for s in kept])
                if options.normalise
                else None,
                priority=Fraction(sum(s.scores[priority] for s in kept), len(kept)),
            )
        )

    def sheet_record(sheet: ScoreSheet) -> SheetRecord:
        found = normalised.get(sheet.sheet_id)
        return SheetRecord(
            judge_id=sheet.judge_id,
            scores=dict(sheet.scores),
            total=two_places(totals[sheet.sheet_id]),
            normalised=two_places(found.value) if found else None,
            raw_fallback=bool(found and found.raw),
        )

    def standing(member: Scored, rank: int, shared: bool, separated_by: str | None) -> Standing:
        entry = member.entry
        return Standing(
            rank=rank,
            shared=shared,
            entry_id=entry.entry_id,
            entry_title=entry.title,
            kim_id=entry.kim_id,
            kim_name=entry.kim_name,
            kelurahan=entry.kelurahan,
            submitted_at=entry.submitted_at,
            score=two_places(member.score),
            raw_score=two_places(member.raw),
            normalised_score=None if member.normalised is None else two_places(member.normalised),
            priority_score=two_places(member.priority),
            judges=len(member.totals),
            separated_by=separated_by,
            sheets=tuple(sheet_record(s) for s in counted[entry.entry_id]),
            abstentions=tuple(edition.abstentions(entry)),
            prize=prize_for(prized, rank),
        )

    recorded = {tie.tie_id: tie for tie in (edition.ties if recorded_ties is None else recorded_ties)}
    standings: list[Standing] = []
    ties: list[TieRecord] = []
    position = 1
    for block in order(scored, options.tie_break):
        members = block.entries
        count = len(members)
        labels: list[str | None] = [*([None] * (count - 1)), block.separated_by]
        ranks, shared = [position] * count, count > 1
        if shared and position <= awarded:
            ids = tuple(sorted((m.entry.entry_id for m in members), key=str))
            found = tie_id(edition.edition_id, position, ids, category.code if category else None)
            resolution = recorded[found].resolution if found in recorded else None
            ties.append(TieRecord(tie_id=found, rank=position, entry_ids=ids, resolution=resolution))
            if resolution is not None:
                decided = resolution.order
                members = sorted(members, key=lambda m: decided.index(m.entry.entry_id))
                ranks, shared = list(range(position, position + count)), False
                labels = [*([BY_STAFF] * (count - 1)), block.separated_by]
        for member, rank, label in zip(members, ranks, labels, strict=True):
            standings.append(standing(member, rank, shared, label))
        position += count

    return Results(
        edition_id=edition.edition_id,
        awarded_ranks=awarded,
        rubric=rubric,
        options=options,
        tie_break=tuple(tie_break(rubric, options)),
        standings=tuple(standings),
        ties=tuple(ties),
        category=category,
    )
