"""Two rounds: a shortlist round ("Babak penyisihan", the edition's own panel,
rubric and sheets) then a final round ("Babak final") with its own panel,
rubric, sheets, ties, snapshots and announcement.

The final round is a second judging `Edition` with its own id, derived from the
edition's (`final_round_id`), and `round_of` naming the edition; its entries are
the shortlisted ones. Everything judging does for an edition it does for the
final unchanged; what the public sees, and what `winner.announced` carries
(with the real edition id), is the final's result. Round 1's ranking stays
staff's.

The cut: the top `size` of round 1's ranking, with the entries equal with the
last one at the cut (sharing its rank) going on together; or every entry whose
score (normalised when the edition normalises) is at least `min_score`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID, uuid5

from .entry import Region
from .errors import (
    RoundOneNotComplete,
    RoundsFixed,
    RoundsNotSet,
    RoundsRuleInvalid,
    ShortlistAlreadyClosed,
    ShortlistEmpty,
    ShortlistLargerThanField,
)

if TYPE_CHECKING:
    from .edition import Edition
    from .entry import Entry
    from .results import Results

#: The final round's id is uuid5(FINAL_ROUND, str(edition_id)): always the same for an edition.
FINAL_ROUND = UUID("8f3c2a61-5b7e-4d0a-9c1e-2f6b4d8a7e13")


def final_round_id(edition_id: UUID) -> UUID:
    return uuid5(FINAL_ROUND, str(edition_id))


@dataclass(frozen=True, kw_only=True)
class ShortlistRule:
    """Exactly one of `size` (the top n go on) and `min_score` (a score at least this goes on)."""

    size: int | None = None
    min_score: float | None = None
    #: Publish the shortlist (`shortlist.announced`) when it is closed; else it stays staff's.
    public: bool = False

    def __post_init__(self) -> None:
        if (self.size is None) == (self.min_score is None):
            raise RoundsRuleInvalid()

    @property
    def text(self) -> str:
        """How the entries were chosen, as `shortlist.announced` says it."""
        if self.size is not None:
            return f"top {self.size}"
        return f"score >= {shown(_decimal(self.min_score))}"


@dataclass(frozen=True, kw_only=True)
class Shortlisted:
    """An entry that went on, as round 1 ranked it."""

    entry_id: UUID
    rank: int
    score: float
    raw_score: float
    normalised_score: float | None
    entry_title: str
    kim_id: UUID
    kim_name: str
    kelurahan: Region


@dataclass(frozen=True, kw_only=True)
class Shortlist:
    entries: tuple[Shortlisted, ...]
    #: How many entries round 1 ranked.
    field_size: int
    #: Entries beyond `size` that went on because they were equal with the last one at the cut.
    tied_at_cut: tuple[UUID, ...]
    closed_at: datetime
    closed_by: str
    final_edition_id: UUID


@dataclass(kw_only=True)
class Rounds:
    """On an edition judged in two rounds: the rule of the cut and, once round 1
    is closed, the shortlist."""

    rule: ShortlistRule
    shortlist: Shortlist | None = None


# Domain events (the audit trail keeps each; `ShortlistClosed` crosses the bus
# as `shortlist.announced` when the rule is public).


@dataclass(frozen=True)
class RoundsSet:
    edition: Edition
    by: str
    at: datetime


@dataclass(frozen=True)
class RoundsCleared:
    edition: Edition
    by: str
    at: datetime


@dataclass(frozen=True)
class ShortlistClosed:
    edition: Edition
    rounds: Rounds
    shortlist: Shortlist


def set_rounds(edition: Edition, rule: ShortlistRule | None, *, by: str, now: datetime) -> None:
    """Turn two rounds on (a rule) or off (None), before scoring starts."""
    if edition.round_of is not None or edition.scoring_started or edition.completed_at is not None:
        raise RoundsFixed(title=edition.title)
    if rule is None:
        if edition.rounds is None:
            return
        edition.rounds = None
        edition.events.append(RoundsCleared(edition, by, now))
        return
    edition.rounds = Rounds(rule=rule)
    edition.events.append(RoundsSet(edition, by, now))


def cut(rule: ShortlistRule, results: Results) -> tuple[list[int], tuple[UUID, ...]]:
    """The positions in `results.standings` that go on, and the entries beyond
    `size` that go on because they share the rank of the last one at the cut."""
    standings = results.standings
    if rule.size is not None:
        if rule.size > len(standings):
            raise ShortlistLargerThanField(size=rule.size, field_size=len(standings))
        # Shared ranks are the rank of the first of the equal entries: every entry
        # ranked at most `size` is in, so those equal with the last one come along.
        kept = [i for i, standing in enumerate(standings) if standing.rank <= rule.size]
        return kept, tuple(standings[i].entry_id for i in kept[rule.size :])
    least = _decimal(rule.min_score)
    kept = [i for i, standing in enumerate(standings) if _decimal(standing.score) >= least]
    if not kept:
        best = max((_decimal(s.score) for s in standings), default=Decimal(0))
        raise ShortlistEmpty(min_score=shown(least), best=shown(best))
    return kept, ()


def close_shortlist(
    edition: Edition, results: Results, *, missing_sheets: int, by: str, now: datetime
) -> Shortlist:
    """Close round 1: take the shortlist from its complete ranking."""
    rounds = edition.rounds
    if rounds is None:
        raise RoundsNotSet(title=edition.title)
    if rounds.shortlist is not None:
        raise ShortlistAlreadyClosed(
            title=edition.title,
            closed_at=rounds.shortlist.closed_at.isoformat(),
            count=len(rounds.shortlist.entries),
        )
    if edition.completed_at is None:
        raise RoundOneNotComplete(title=edition.title, missing=missing_sheets)
    kept, tied = cut(rounds.rule, results)
    shortlist = Shortlist(
        entries=tuple(
            Shortlisted(
                entry_id=s.entry_id,
                rank=s.rank,
                score=s.score,
                raw_score=s.raw_score,
                normalised_score=s.normalised_score,
                entry_title=s.entry_title,
                kim_id=s.kim_id,
                kim_name=s.kim_name,
                kelurahan=s.kelurahan,
            )
            for s in (results.standings[i] for i in kept)
        ),
        field_size=len(results.standings),
        tied_at_cut=tied,
        closed_at=now,
        closed_by=by,
        final_edition_id=final_round_id(edition.edition_id),
    )
    rounds.shortlist = shortlist
    edition.events.append(ShortlistClosed(edition, rounds, shortlist))
    return shortlist


def open_final(
    edition: Edition, shortlist: Shortlist, entries: list[Entry], *, now: datetime
) -> tuple[Edition, list[Entry]]:
    """The final round as an edition of its own, open for its panel (submissions
    closed), with a copy of each shortlisted entry that no judge has scored yet."""
    from .edition import Edition

    final = Edition(
        edition_id=shortlist.final_edition_id,
        title=edition.title,
        awarded_ranks=edition.awarded_ranks,
        revision=edition.revision,
        submissions_closed_at=now,
        round_of=edition.edition_id,
    )
    going_on = {s.entry_id for s in shortlist.entries}
    copies = [
        replace(entry, edition_id=final.edition_id, scored_by=[], complete=False, version=0, events=[])
        for entry in entries
        if entry.entry_id in going_on
    ]
    for copy in copies:
        copy.reassess(final.requirement(copy))
    return final, copies


def _decimal(value: float | None) -> Decimal:
    """A score as written (two decimals at most), compared exactly."""
    return Decimal(str(value)) if value is not None else Decimal(0)


def shown(value: Decimal) -> str:
    """A score as people write it: 75, 82.5."""
    return format(value.normalize(), "f")
