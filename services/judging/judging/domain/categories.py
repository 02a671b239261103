"""An edition's categories as judging keeps them: the registry defines each
(code, title, kind, awarded ranks, prizes); judging keeps what it decides of
them: a ranked category's rubric (its own weights over the edition's criteria:
judges fill one sheet per entry, a category weighs the same scores its own
way), a special award's winner and reason, each category's ties and its
results versions, frozen, verified and announced like the main ranking's.

`ranked`: the entries entered for it and still in competition, ranked with the
main ranking's machinery. `special`: the jury gives it to one entry in
competition, with a reason, once judging is complete. `favourite`: decided by
the public vote (voting's frozen tally), not frozen here."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from . import events
from .category_errors import (
    AwardReasonRequired,
    CategoryCriterionUnknown,
    CategoryDecidedByVote,
    CategoryNotFound,
    CategoryNotRanked,
    CategoryNotSpecial,
    CategoryRanksExceedEntries,
    CategoryWeightOutOfRange,
    SpecialAwardMissing,
)
from .entry import Entry, Region
from .errors import (
    AlreadyAnnounced,
    CorrectionReasonRequired,
    EntryNotEligible,
    EntryNotFound,
    NothingToCorrect,
    ResultsAlreadyFrozen,
    RubricFixed,
    RubricWeightsInvalid,
    SnapshotNotVerified,
    SnapshotSuperseded,
    TieAlreadyResolved,
    TieNoLongerStands,
    TieNotFound,
    TieOrderInvalid,
    TieUnresolved,
)
from .prizes import CategoryKind, CategoryRef, Prize, prize_for
from .results import Results, Standing, compile_results
from .rubric import Rubric
from .score_sheet import ScoreSheet
from .snapshot import Snapshot, Verification
from .ties import Tie, TieResolution

if TYPE_CHECKING:
    from .edition import Edition

DECIDED_BY = {
    "ranked": ("peringkat nilai juri", "the jury's ranking"),
    "favourite": ("suara publik", "the public vote"),
}
ENTRY_STATUS_TEXT = {
    "withdrawn": ("ditarik", "withdrawn"),
    "disqualified": ("didiskualifikasi", "disqualified"),
}


@dataclass(frozen=True, kw_only=True)
class SpecialAward:
    entry_id: UUID
    reason: str
    given_by: str
    given_at: datetime


@dataclass(kw_only=True)
class Category:
    """One category of an edition: the registry's definition and judging's state of it."""

    code: str
    title: str
    kind: CategoryKind
    awarded_ranks: int
    prizes: list[Prize] = field(default_factory=list)
    description: str = ""
    #: A ranked category's own weights over the edition's criteria; None: the edition's rubric.
    weights: dict[str, int] | None = None
    award: SpecialAward | None = None
    ties: list[Tie] = field(default_factory=list)
    #: How many results versions of this category were frozen.
    results_frozen: int = 0
    announced_version: int | None = None

    @property
    def ref(self) -> CategoryRef:
        return CategoryRef(code=self.code, title=self.title, kind=self.kind)

    def redefine(self, defined: Category) -> None:
        """Take the registry's newer definition; what judging decided stays."""
        self.title, self.kind, self.awarded_ranks = defined.title, defined.kind, defined.awarded_ranks
        self.prizes, self.description = list(defined.prizes), defined.description

    def rubric_over(self, rubric: Rubric) -> Rubric:
        """The category's rubric: its weights over `rubric`'s criteria, or `rubric` itself."""
        if self.weights is None:
            return rubric
        known = [c.criterion_id for c in rubric.criteria]
        for criterion_id in self.weights:
            if criterion_id not in known:
                raise CategoryCriterionUnknown(
                    criterion_id=criterion_id, category=self.title, expected=", ".join(known)
                )
        return Rubric(
            criteria=tuple(
                dataclasses.replace(c, weight=self.weights.get(c.criterion_id, 0)) for c in rubric.criteria
            )
        )

    def tie(self, tie_id: UUID) -> Tie | None:
        return next((tie for tie in self.ties if tie.tie_id == tie_id), None)


# What happened to a category; each names the edition (the aggregate) as it now stands.


@dataclass(frozen=True)
class CategoryRubricSet:
    edition: Edition
    category: Category
    by: str
    at: datetime


@dataclass(frozen=True)
class SpecialAwardGiven:
    edition: Edition
    category: Category
    entry: Entry


@dataclass(frozen=True)
class CategoryFrozen:
    edition: Edition
    category: Category
    snapshot: Snapshot


@dataclass(frozen=True)
class CategoryVerified:
    edition: Edition
    category: Category
    verification: Verification
    by: str
    at: datetime


@dataclass(frozen=True)
class ResultsAnnouncedV2:
    """Results made public, with prizes: the main ranking (`category` None, next to
    `WinnersAnnounced`, the v1 event) or a category."""

    edition: Edition
    snapshot: Snapshot
    category: Category | None


# The rules.


def category(edition: Edition, code: str) -> Category:
    for found in edition.categories:
        if found.code == code:
            return found
    raise CategoryNotFound(code=code, title=edition.title)


def merge_definitions(kept: Sequence[Category], defined: Iterable[Category]) -> list[Category]:
    """The registry's categories in its order, each keeping what judging decided of it;
    one dropped by the registry stays only if results of it were frozen."""
    known = {c.code: c for c in kept}
    merged = []
    for new in defined:
        old = known.pop(new.code, None)
        if old is None:
            merged.append(new)
        else:
            old.redefine(new)
            merged.append(old)
    return merged + [c for c in known.values() if c.results_frozen > 0]


def set_rubric(edition: Edition, code: str, weights: dict[str, int], *, by: str, now: datetime) -> Category:
    """A ranked category's weights over the edition's criteria, before scoring starts."""
    found = category(edition, code)
    if found.kind != "ranked":
        raise CategoryNotRanked(category=found.title)
    if edition.scoring_started or edition.completed_at is not None:
        raise RubricFixed()
    for criterion_id, weight in weights.items():
        if not 0 <= weight <= 100:
            raise CategoryWeightOutOfRange(criterion_id=criterion_id, category=found.title, weight=weight)
    known = [c.criterion_id for c in edition.rubric.criteria]
    for criterion_id in weights:
        if criterion_id not in known:
            raise CategoryCriterionUnknown(
                criterion_id=criterion_id, category=found.title, expected=", ".join(known)
            )
    total = sum(weights.values())
    if total != 100:
        raise RubricWeightsInvalid(total=total)
    found.weights = dict(weights)
    edition.events.append(CategoryRubricSet(edition, found, by, now))
    return found


def give_award(
    edition: Edition, code: str, entry: Entry, *, reason: str, missing_sheets: int, by: str, now: datetime
) -> Category:
    """The jury's special award to an entry in competition, with its reason, once judging is complete."""
    found = category(edition, code)
    if found.kind != "special":
        decided_id, decided_en = DECIDED_BY[found.kind]
        raise CategoryNotSpecial(category=found.title, decided_id=decided_id, decided_en=decided_en)
    if not reason.strip():
        raise AwardReasonRequired(category=found.title)
    edition.check_complete(missing_sheets)
    if entry.edition_id != edition.edition_id:
        raise EntryNotFound(entry_id=entry.entry_id)
    if not entry.in_competition:
        status_id, status_en = ENTRY_STATUS_TEXT[entry.status]
        raise EntryNotEligible(entry_title=entry.title, status_id=status_id, status_en=status_en)
    found.award = SpecialAward(entry_id=entry.entry_id, reason=reason.strip(), given_by=by, given_at=now)
    edition.events.append(SpecialAwardGiven(edition, found, entry))
    return found


def entered(found: Category, entries: Iterable[Entry]) -> list[Entry]:
    """The entries entered for the category and still in competition."""
    return [e for e in entries if e.in_competition and found.code in e.categories]


def results_of(
    edition: Edition, found: Category, entries: Sequence[Entry], sheets: Sequence[ScoreSheet], main: Results
) -> Results:
    """The category's results as the sheets stand (`main`: the main ranking's)."""
    if found.kind == "special":
        return _special(edition, found, main)
    if found.kind == "favourite":
        raise CategoryDecidedByVote(category=found.title)
    return compile_results(
        edition,
        entered(found, entries),
        sheets,
        category=found.ref,
        rubric=found.rubric_over(edition.rubric),
        awarded_ranks=found.awarded_ranks,
        prizes=found.prizes,
        recorded_ties=found.ties,
    )


def _special(edition: Edition, found: Category, main: Results) -> Results:
    """The award's winner alone, with the numbers of its main standing and the reason."""
    award = found.award
    standing = next((s for s in main.standings if award and s.entry_id == award.entry_id), None)
    placed: tuple[Standing, ...] = ()
    if award is not None and standing is not None:
        placed = (
            dataclasses.replace(
                standing,
                rank=1,
                shared=False,
                separated_by=None,
                prize=prize_for(found.prizes, 1),
                reason=award.reason,
            ),
        )
    return Results(
        edition_id=edition.edition_id,
        awarded_ranks=1,
        rubric=main.rubric,
        options=main.options,
        tie_break=(),
        standings=placed,
        ties=(),
        category=found.ref,
    )


def note_ties(edition: Edition, found: Category, results: Results, now: datetime) -> list[Tie]:
    """Record the category's escalated ties not seen before; each is published once."""
    known = {tie.tie_id for tie in found.ties}
    noted = []
    for record in results.unresolved:
        if record.tie_id in known:
            continue
        tie = Tie(tie_id=record.tie_id, rank=record.rank, entry_ids=record.entry_ids, detected_at=now)
        found.ties.append(tie)
        edition.events.append(events.TieDetected(edition, tie, tuple(results.tie_break)))
        noted.append(tie)
    return noted


def resolve_tie(
    edition: Edition,
    found: Category,
    tie_id: UUID,
    *,
    order: Sequence[UUID],
    reason: str,
    results: Results,
    by: str,
    now: datetime,
) -> Tie:
    """Staff decide the order of a category's tie that still stands, with a reason."""
    note_ties(edition, found, results, now)
    tie = found.tie(tie_id)
    if tie is None:
        raise TieNotFound(tie_id=tie_id)
    if tie.resolution is not None:
        raise TieAlreadyResolved(
            rank=tie.rank,
            resolved_by=tie.resolution.resolved_by,
            resolved_at=tie.resolution.resolved_at.isoformat(),
        )
    if tie_id not in {record.tie_id for record in results.ties}:
        raise TieNoLongerStands(rank=tie.rank)
    if len(order) != len(tie.entry_ids) or set(order) != set(tie.entry_ids):
        raise TieOrderInvalid(expected=", ".join(str(e) for e in tie.entry_ids))
    tie.resolution = TieResolution(order=tuple(order), reason=reason, resolved_by=by, resolved_at=now)
    edition.events.append(events.TieResolved(edition, tie))
    return tie


def freeze(
    edition: Edition,
    found: Category,
    results: Results,
    *,
    latest: Snapshot | None,
    announced: Snapshot | None,
    reason: str | None,
    missing_sheets: int,
    by: str,
    now: datetime,
) -> Snapshot:
    """Freeze the category's results as its next version, refused by name while
    they cannot stand: judging incomplete, fewer entries than awarded ranks, no
    award given, an escalated tie open; after an announcement a correction."""
    edition.check_complete(missing_sheets)
    if found.kind == "favourite":
        raise CategoryDecidedByVote(category=found.title)
    if found.kind == "special" and not results.standings:
        raise SpecialAwardMissing(category=found.title)
    if found.kind == "ranked" and len(results.standings) < found.awarded_ranks:
        raise CategoryRanksExceedEntries(
            category=found.title, awarded_ranks=found.awarded_ranks, entries=len(results.standings)
        )
    if results.unresolved:
        tie = results.unresolved[0]
        raise TieUnresolved(rank=tie.rank, count=len(tie.entry_ids), tie_id=tie.tie_id)
    digest = results.digest()
    if latest is not None and latest.announced_at is None and latest.content_hash == digest:
        raise ResultsAlreadyFrozen(version=latest.number)
    if announced is not None:
        if not reason:
            raise CorrectionReasonRequired(version=announced.number)
        if announced.content_hash == digest:
            raise NothingToCorrect(version=announced.number)
    found.results_frozen += 1
    snapshot = Snapshot.freeze(
        edition_id=edition.edition_id,
        edition_title=edition.title,
        number=found.results_frozen,
        results=results,
        supersedes=found.announced_version,
        reason=reason,
        by=by,
        now=now,
    )
    snapshot.category = found.code
    edition.events.append(CategoryFrozen(edition, found, snapshot))
    return snapshot


def _check_latest(found: Category, snapshot: Snapshot) -> None:
    if snapshot.number != found.results_frozen:
        raise SnapshotSuperseded(version=snapshot.number, latest=found.results_frozen)


def verify(
    edition: Edition, found: Category, snapshot: Snapshot, *, recomputed: Results, by: str, now: datetime
) -> Verification:
    """Check the category's latest snapshot against what the sheets give now; a failed check is kept too."""
    _check_latest(found, snapshot)
    verification = snapshot.verify(recomputed, by=by, now=now)
    edition.events.append(CategoryVerified(edition, found, verification, by, now))
    return verification


def announce(
    edition: Edition, found: Category, snapshot: Snapshot, *, recomputed: Results, by: str, now: datetime
) -> None:
    """Announce the category's latest snapshot, verified and still what the sheets give."""
    _check_latest(found, snapshot)
    if snapshot.announced_at is not None:
        raise AlreadyAnnounced(
            title=f"{edition.title} — {found.title}",
            version=snapshot.number,
            announced_at=snapshot.announced_at.isoformat(),
        )
    if snapshot.verified_at is None:
        raise SnapshotNotVerified(version=snapshot.number)
    snapshot.check(recomputed).require_ok()
    snapshot.announce(by=by, now=now)
    found.announced_version = snapshot.number
    edition.events.append(ResultsAnnouncedV2(edition, snapshot, found))


def note_all_ties(
    edition: Edition, entries: Sequence[Entry], sheets: Sequence[ScoreSheet], main: Results, now: datetime
) -> None:
    """Look for every ranked category's escalated ties (judging complete, or its final sheets changed)."""
    for found in edition.categories:
        if found.kind != "ranked":
            continue
        try:
            results = results_of(edition, found, entries, sheets, main)
        except CategoryCriterionUnknown:
            continue  # refused by name when staff read or freeze it
        note_ties(edition, found, results, now)


# The favourite category: the public vote's frozen tally, announced with the main ranking.

#: Who froze a favourite category's results: the vote, in the voting service.
VOTING = "voting"


@dataclass(frozen=True, kw_only=True)
class VoteLine:
    """One entry's place in a frozen tally."""

    rank: int
    entry_id: UUID
    entry_title: str
    kim_id: UUID
    kim_name: str
    kelurahan: Region
    votes: int
    submitted_at: datetime


def record_tally(
    edition: Edition,
    found: Category,
    *,
    version: int,
    content_hash: str,
    lines: Sequence[VoteLine],
    tie_break: Sequence[str],
    frozen_at: datetime,
    now: datetime,
) -> Snapshot | None:
    """Keep a frozen tally as the favourite category's results, version for
    version (the tally's hash is their hash); an older or known version changes
    nothing. Announced at once if the main ranking is, else with it."""
    if version <= found.results_frozen:
        return None
    ranks = [line.rank for line in lines]
    standings = tuple(
        Standing(
            rank=line.rank,
            shared=ranks.count(line.rank) > 1,
            entry_id=line.entry_id,
            entry_title=line.entry_title,
            kim_id=line.kim_id,
            kim_name=line.kim_name,
            kelurahan=line.kelurahan,
            submitted_at=line.submitted_at,
            score=float(line.votes),
            raw_score=float(line.votes),
            normalised_score=None,
            priority_score=0.0,
            judges=0,
            separated_by=None,
            sheets=(),
            abstentions=(),
            prize=prize_for(found.prizes, line.rank),
            votes=line.votes,
        )
        for line in lines
    )
    results = Results(
        edition_id=edition.edition_id,
        awarded_ranks=found.awarded_ranks,
        rubric=edition.rubric,
        options=edition.options,
        tie_break=tuple(tie_break),
        standings=standings,
        ties=(),
        category=found.ref,
    )
    snapshot = Snapshot(
        snapshot_id=uuid4(),
        edition_id=edition.edition_id,
        number=version,
        edition_title=edition.title,
        results=results,
        content_hash=content_hash,
        frozen_at=frozen_at,
        frozen_by=VOTING,
        supersedes=found.announced_version,
        verified_at=frozen_at,
        verified_by=VOTING,
        category=found.code,
    )
    found.results_frozen = version
    edition.events.append(CategoryFrozen(edition, found, snapshot))
    if edition.announced_version is not None:
        announce_tally(edition, found, snapshot, now=now)
    return snapshot


def announce_tally(edition: Edition, found: Category, snapshot: Snapshot, *, now: datetime) -> None:
    """Announce the favourite category's tally (checked by the vote's own hash, not by judging)."""
    if snapshot.announced_at is not None:
        return
    snapshot.announce(by="system", now=now)
    found.announced_version = snapshot.number
    edition.events.append(ResultsAnnouncedV2(edition, snapshot, found))


def tallies_to_announce(edition: Edition) -> list[Category]:
    """Favourite categories whose latest tally waits for the main ranking's announcement."""
    return [
        c
        for c in edition.categories
        if c.kind == "favourite" and c.results_frozen > (c.announced_version or 0)
    ]
