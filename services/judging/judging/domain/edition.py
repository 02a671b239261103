"""An edition as judging sees it: the panel, the rubric and the judging
options, who scores what, and the way from submissions closed to scoring
complete to results frozen, verified and announced (and corrected)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal
from uuid import UUID, uuid4

from shared.kernel.aggregate import Aggregate

from . import events
from .assignment import Assignment, Eligible, EntryAssignment, assign
from .categories import Category, ResultsAnnouncedV2, merge_definitions
from .entry import Entry, Requirement
from .errors import (
    AlreadyAnnounced,
    AssignmentNotOpen,
    CorrectionBeforeCompletion,
    CorrectionReasonRequired,
    EntryNotAssigned,
    EntryNotEligible,
    EntryNotFound,
    JudgeConflicted,
    JudgeNotOnPanel,
    JudgingAlreadyCompleted,
    JudgingNotComplete,
    JudgingNotOpen,
    JudgingOptionsFixed,
    NothingToAssign,
    NothingToCorrect,
    ResultsAlreadyFrozen,
    RoundOneStaysInternal,
    RubricFixed,
    SheetNotFound,
    SheetStale,
    SnapshotNotVerified,
    SnapshotSuperseded,
    TieAlreadyResolved,
    TieNoLongerStands,
    TieNotFound,
    TieOrderInvalid,
    TieUnresolved,
)
from .options import DEFAULT_OPTIONS, JudgingOptions
from .panel import Abstention, Affiliations, Judge
from .prizes import Prize
from .results import Results
from .rounds import Rounds
from .rubric import DEFAULT_RUBRIC, Rubric
from .score_sheet import ScoreSheet
from .snapshot import Snapshot, Verification
from .ties import Tie, TieResolution

__all__ = ["Abstention", "Affiliations", "Edition", "Judge", "Reminder"]

JudgingStatus = Literal["waiting_for_submissions", "scoring", "completed", "announced"]
ENTRY_STATUS_TEXT = {
    "withdrawn": ("ditarik", "withdrawn"),
    "disqualified": ("didiskualifikasi", "disqualified"),
}


@dataclass(frozen=True, kw_only=True)
class Reminder:
    """A judge was reminded of missing sheets before `deadline`; once per deadline."""

    judge_id: UUID
    deadline: datetime
    sent_at: datetime


@dataclass(kw_only=True)
class Edition(Aggregate):
    edition_id: UUID
    title: str
    awarded_ranks: int
    #: The registry's revision last applied; older ones are ignored.
    revision: int
    #: The prizes of the main ranking, by rank (on the certificates).
    prizes: list[Prize] = field(default_factory=list)
    submissions_closed_at: datetime | None = None
    rubric: Rubric = DEFAULT_RUBRIC
    options: JudgingOptions = DEFAULT_OPTIONS
    judges: list[Judge] = field(default_factory=list)
    assignment: Assignment | None = None
    scoring_started: bool = False
    #: Bumped by every change that may complete judging, so two such changes made
    #: at once conflict instead of each missing the other (write skew).
    completion_checks: int = 0
    completed_at: datetime | None = None
    ties: list[Tie] = field(default_factory=list)
    #: How many results versions were frozen; the next freeze is version one more.
    results_frozen: int = 0
    announced_version: int | None = None
    reminders: list[Reminder] = field(default_factory=list)
    #: Entries noted as having left the competition: noted once, even when a
    #: rebuild of the entry projection replays their events.
    entries_left: list[UUID] = field(default_factory=list)
    #: Judged in two rounds (`rounds.py`): the shortlist rule and, once closed, the shortlist.
    rounds: Rounds | None = None
    #: On a final round: the edition it is the final round of.
    round_of: UUID | None = None
    #: The categories beside the main ranking (`categories.py`).
    categories: list[Category] = field(default_factory=list)
    #: The edition whose judging setup was copied into this one (`copying.py`), once.
    copied_from: UUID | None = None

    @property
    def status(self) -> JudgingStatus:
        if self.announced_version is not None:
            return "announced"
        if self.completed_at is not None:
            return "completed"
        if self.submissions_closed_at is not None:
            return "scoring"
        return "waiting_for_submissions"

    @property
    def panel(self) -> list[Judge]:
        return [judge for judge in self.judges if judge.on_panel]

    def apply_registry(
        self,
        *,
        title: str,
        awarded_ranks: int,
        revision: int,
        prizes: Sequence[Prize] = (),
        categories: Sequence[Category] = (),
    ) -> None:
        if revision <= self.revision:
            return
        self.title, self.awarded_ranks, self.revision = title, awarded_ranks, revision
        self.prizes = list(prizes)
        self.categories = merge_definitions(self.categories, categories)

    def close_submissions(self, *, at: datetime, revision: int) -> None:
        if self.submissions_closed_at is None:
            self.submissions_closed_at = at
        self.revision = max(self.revision, revision)

    def set_rubric(self, rubric: Rubric, *, by: str, now: datetime) -> None:
        if self.scoring_started or self.completed_at is not None:
            raise RubricFixed()
        rubric.priority_or(self.options.priority_criterion)
        self.rubric = rubric
        self.events.append(events.RubricSet(self, by, now))

    def set_options(self, options: JudgingOptions, *, by: str, now: datetime) -> None:
        """Fixed once scoring starts, like the rubric. An assignment made under
        other options no longer holds: staff assign again."""
        if self.scoring_started or self.completed_at is not None:
            raise JudgingOptionsFixed()
        self.rubric.priority_or(options.priority_criterion)
        self.options = options
        self.assignment = None
        self.events.append(events.OptionsSet(self, by, now))

    # The panel.

    def appoint(
        self, *, name: str, email: str | None, affiliations: Affiliations, by: str, now: datetime
    ) -> Judge:
        self._check_not_completed()
        judge = Judge(judge_id=uuid4(), name=name, email=email, affiliations=affiliations, appointed_at=now)
        self.judges.append(judge)
        self.events.append(events.JudgeAppointed(self, judge, by))
        return judge

    def remove(self, judge_id: UUID, *, by: str, now: datetime) -> Judge:
        self._check_not_completed()
        judge = self.judge(judge_id)
        judge.removed_at = now
        self.events.append(events.JudgeRemoved(self, judge, by))
        return judge

    def judge(self, judge_id: UUID) -> Judge:
        for judge in self.panel:
            if judge.judge_id == judge_id:
                return judge
        raise JudgeNotOnPanel(judge_id=judge_id)

    def abstentions(self, entry: Entry) -> list[Abstention]:
        """Who on the panel does not score `entry`, and why."""
        return [found for judge in self.panel if (found := judge.abstention(entry)) is not None]

    def eligible(self, entry: Entry) -> list[UUID]:
        """The judges free of conflict with `entry`, in appointment order."""
        return [judge.judge_id for judge in self.panel if not judge.conflicted_with(entry)]

    # Who scores what.

    def requirement(self, entry: Entry) -> Requirement:
        """The sheets `entry` needs. "all": one from each judge on the panel free of
        conflict (with none, a judge is still to be appointed). "k_per_entry": one
        from each assigned judge still on the panel, and k less those judges still
        to be assigned (all k before the assignment; one per removed judge after)."""
        if self.options.assignment_mode == "all":
            eligible = frozenset(self.eligible(entry))
            # Nobody on the panel may score it: one judge is still to be appointed.
            return Requirement(judges=eligible, unassigned=0 if eligible else 1)
        k = self.options.judges_per_entry or 0
        on_panel = {judge.judge_id for judge in self.panel}
        assigned = set(self.assignment.judges_of(entry.entry_id)) if self.assignment else set()
        return Requirement(judges=frozenset(assigned & on_panel), unassigned=k - len(assigned & on_panel))

    def judges_for(self, entry: Entry) -> frozenset[UUID]:
        """The judges who must score `entry`."""
        return self.requirement(entry).judges

    def assign(self, entries: Sequence[Entry], *, by: str, now: datetime) -> Assignment:
        """Assign the entries in competition and tell each judge whose entries changed.

        "all": every judge their entries free of conflict. "k_per_entry": k judges
        per entry (see `assignment`), made afresh until scoring starts; after that
        what was assigned stays and only gaps are filled (an entry that arrived
        late, or whose judge was removed).
        """
        if self.submissions_closed_at is None:
            raise AssignmentNotOpen(title=self.title)
        self._check_not_completed()
        if not self.panel or not entries:
            raise NothingToAssign(judges=len(self.panel), entries=len(entries))
        entries = sorted(entries, key=lambda e: (e.submitted_at, str(e.entry_id)))
        eligible = Eligible(entries, {entry.entry_id: self.eligible(entry) for entry in entries})
        k = self.options.judges_per_entry
        if k is None:
            chosen = {entry_id: list(judges) for entry_id, judges in eligible.judges.items()}
        else:
            kept = (
                {a.entry_id: a.judge_ids for a in self.assignment.entries}
                if self.assignment is not None and self.scoring_started
                else {}
            )
            chosen = assign(eligible, [judge.judge_id for judge in self.panel], k, kept)
        before = self.assignment
        self.assignment = Assignment(
            mode=self.options.assignment_mode,
            judges_per_entry=k,
            made_at=now,
            made_by=by,
            entries=tuple(
                EntryAssignment(entry_id=entry.entry_id, judge_ids=tuple(chosen[entry.entry_id]))
                for entry in entries
            ),
        )
        for judge in self.panel:
            theirs = self.assignment.entries_of(judge.judge_id)
            if theirs and (before is None or before.entries_of(judge.judge_id) != theirs):
                listed = tuple(entry for entry in entries if entry.entry_id in theirs)
                self.events.append(events.JudgeAssigned(self, judge, listed))
        self.events.append(events.EntriesAssigned(self, self.assignment))
        return self.assignment

    # Scoring.

    def record_score(
        self,
        *,
        judge_id: UUID,
        entry: Entry,
        sheet: ScoreSheet | None,
        scores: dict[str, int],
        by: str,
        now: datetime,
        comment: str | None = None,
        note: str | None = None,
        revision: int | None = None,
    ) -> ScoreSheet:
        """Fill or revise a judge's sheet for an entry assigned to them; the entry
        notes the judge. Given the `revision` the caller read, a sheet changed
        since is refused."""
        judge = self.judge(judge_id)
        if self.submissions_closed_at is None:
            raise JudgingNotOpen(title=self.title)
        self._check_not_completed()
        self._check_in_competition(entry)
        abstention = judge.abstention(entry)
        # Judging blind, a refusal must not name the KIM either.
        if abstention is not None and not self.options.blind:
            raise JudgeConflicted(
                judge_name=judge.name, kim_name=entry.kim_name, kelurahan=entry.kelurahan.name
            )
        if judge_id not in self.judges_for(entry):
            raise EntryNotAssigned(
                judge_name=judge.name, entry_title=entry.seen_by_judges(self.options.blind).title
            )
        self.rubric.check(scores)
        if revision is not None and revision != (sheet.version if sheet else 0):
            raise SheetStale(entry_title=entry.seen_by_judges(self.options.blind).title)
        self.scoring_started = True
        if sheet is None:
            sheet = ScoreSheet.fill(
                edition_id=self.edition_id,
                entry_id=entry.entry_id,
                judge_id=judge_id,
                scores=scores,
                rubric=self.rubric,
                now=now,
                comment=comment,
                note=note,
            )
            self.events.append(events.SheetFilled(self, sheet, by))
        else:
            before = dict(sheet.scores)
            if sheet.revise(scores, self.rubric, now, comment, note):
                self.events.append(events.SheetRevised(self, sheet, before, by))
        entry.scored(judge_id, self.requirement(entry))
        return sheet

    def correct_sheet(
        self,
        *,
        judge_id: UUID,
        entry: Entry,
        sheet: ScoreSheet | None,
        scores: dict[str, int],
        reason: str,
        by: str,
        now: datetime,
    ) -> ScoreSheet:
        """Staff correct a final sheet (after completion; until then judges revise their own)."""
        judge = self.judge(judge_id)
        if self.completed_at is None:
            raise CorrectionBeforeCompletion(title=self.title)
        self._check_in_competition(entry)
        if sheet is None or sheet.entry_id != entry.entry_id:
            raise SheetNotFound(judge_name=judge.name, entry_title=entry.title)
        self.rubric.check(scores)
        before = dict(sheet.scores)
        if sheet.revise(scores, self.rubric, now):
            self.events.append(events.SheetCorrected(self, sheet, before, reason, by))
        return sheet

    def note_left(self, entry: Entry, *, reason: str | None, by: str, now: datetime) -> None:
        """An entry left the competition, as `by` (the service that decided it) says."""
        if entry.entry_id in self.entries_left:
            return
        self.entries_left.append(entry.entry_id)
        self.events.append(events.EntryLeftCompetition(self, entry, reason, by, now))

    def complete_if_done(
        self, *, incomplete_entries: int, entries_in_competition: int, sheets: int, now: datetime
    ) -> bool:
        """Complete judging when every entry in competition has all its sheets."""
        self.completion_checks += 1
        if (
            self.completed_at is not None
            or self.submissions_closed_at is None
            or not self.panel
            or entries_in_competition == 0
            or incomplete_entries > 0
        ):
            return False
        self.completed_at = now
        self.events.append(events.JudgingCompleted(self, entries=entries_in_competition, sheets=sheets))
        return True

    def check_complete(self, missing_sheets: int) -> None:
        if self.completed_at is None:
            raise JudgingNotComplete(title=self.title, missing=missing_sheets)

    # Ties.

    def note_ties(self, results: Results, now: datetime) -> list[Tie]:
        """Record the escalated ties of `results` not seen before; each is published once."""
        known = {tie.tie_id for tie in self.ties}
        found = []
        for record in results.unresolved:
            if record.tie_id in known:
                continue
            tie = Tie(tie_id=record.tie_id, rank=record.rank, entry_ids=record.entry_ids, detected_at=now)
            self.ties.append(tie)
            self.events.append(events.TieDetected(self, tie, tuple(results.tie_break)))
            found.append(tie)
        return found

    def tie(self, tie_id: UUID) -> Tie:
        for tie in self.ties:
            if tie.tie_id == tie_id:
                return tie
        raise TieNotFound(tie_id=tie_id)

    def resolve_tie(
        self, tie_id: UUID, *, order: Sequence[UUID], reason: str, results: Results, by: str, now: datetime
    ) -> Tie:
        """Staff decide the order of a tie that still stands in `results`, with a reason."""
        tie = self.tie(tie_id)
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
        self.events.append(events.TieResolved(self, tie))
        return tie

    # Freeze, verify, announce.

    def freeze(
        self,
        results: Results,
        *,
        latest: Snapshot | None,
        announced: Snapshot | None,
        reason: str | None,
        missing_sheets: int,
        by: str,
        now: datetime,
    ) -> Snapshot:
        """Freeze `results` as the next version. After an announcement this is a
        correction: it needs a reason and must change something."""
        self.check_complete(missing_sheets)
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
        self.results_frozen += 1
        snapshot = Snapshot.freeze(
            edition_id=self.edition_id,
            edition_title=self.title,
            number=self.results_frozen,
            results=results,
            supersedes=self.announced_version,
            reason=reason,
            by=by,
            now=now,
        )
        self.events.append(events.ResultsFrozen(self, snapshot))
        return snapshot

    def verify(self, snapshot: Snapshot, *, recomputed: Results, by: str, now: datetime) -> Verification:
        """Check the latest snapshot against the results the sheets give now; a
        failed verification is recorded too."""
        self.check_latest(snapshot)
        verification = snapshot.verify(recomputed, by=by, now=now)
        self.events.append(events.ResultsVerified(self, verification, by, now))
        return verification

    def check_latest(self, snapshot: Snapshot) -> None:
        if snapshot.number != self.results_frozen:
            raise SnapshotSuperseded(version=snapshot.number, latest=self.results_frozen)

    def announce(self, snapshot: Snapshot, *, recomputed: Results, by: str, now: datetime) -> None:
        """Announce the latest snapshot, verified, and still what the sheets give."""
        if self.rounds is not None:
            raise RoundOneStaysInternal(title=self.title)
        self.check_latest(snapshot)
        if snapshot.announced_at is not None:
            raise AlreadyAnnounced(
                title=self.title, version=snapshot.number, announced_at=snapshot.announced_at.isoformat()
            )
        if snapshot.verified_at is None:
            raise SnapshotNotVerified(version=snapshot.number)
        snapshot.check(recomputed).require_ok()
        snapshot.announce(by=by, now=now)
        self.announced_version = snapshot.number
        self.events.append(events.WinnersAnnounced(self, snapshot))
        self.events.append(ResultsAnnouncedV2(self, snapshot, None))

    # Reminders.

    def reminding(self, now: datetime, window: timedelta) -> bool:
        """Whether the judging deadline is near enough to remind judges, and not past."""
        deadline = self.options.judging_deadline
        return (
            deadline is not None
            and self.completed_at is None
            and self.submissions_closed_at is not None
            and deadline - window <= now < deadline
        )

    def remind(
        self, behind: Iterable[tuple[Judge, Sequence[Entry], int]], *, now: datetime, window: timedelta
    ) -> list[Reminder]:
        """Remind each judge with missing sheets (judge, entries missing, entries
        assigned) once per deadline, while the deadline is near."""
        deadline = self.options.judging_deadline
        if deadline is None or not self.reminding(now, window):
            return []
        reminded = {r.judge_id for r in self.reminders if r.deadline == deadline}
        sent = []
        for judge, missing, assigned in behind:
            if judge.judge_id in reminded or not missing:
                continue
            reminder = Reminder(judge_id=judge.judge_id, deadline=deadline, sent_at=now)
            self.reminders.append(reminder)
            self.events.append(events.JudgeReminded(self, judge, tuple(missing), assigned, reminder))
            sent.append(reminder)
        return sent

    def _check_not_completed(self) -> None:
        if self.completed_at is not None:
            raise JudgingAlreadyCompleted(title=self.title)

    def _check_in_competition(self, entry: Entry) -> None:
        if entry.edition_id != self.edition_id:
            raise EntryNotFound(entry_id=entry.entry_id)
        if not entry.in_competition:
            status_id, status_en = ENTRY_STATUS_TEXT[entry.status]
            raise EntryNotEligible(entry_title=entry.title, status_id=status_id, status_en=status_en)
