"""An edition as judging sees it: the panel, the rubric, and the way from
submissions closed to scoring complete to winners announced."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from uuid import UUID, uuid4

from shared.domain import Aggregate

from . import events
from .entry import Entry
from .errors import (
    AlreadyAnnounced,
    EntryNotEligible,
    EntryNotFound,
    JudgeConflicted,
    JudgeNotOnPanel,
    JudgingAlreadyCompleted,
    JudgingNotComplete,
    JudgingNotOpen,
    RubricFixed,
)
from .ranking import Placing
from .rubric import DEFAULT_RUBRIC, Rubric
from .score_sheet import ScoreSheet

JudgingStatus = Literal["waiting_for_submissions", "scoring", "completed", "announced"]
ENTRY_STATUS_TEXT = {
    "withdrawn": ("ditarik", "withdrawn"),
    "disqualified": ("didiskualifikasi", "disqualified"),
}


@dataclass(kw_only=True)
class Affiliations:
    kelurahan_codes: list[str] = field(default_factory=list)
    kim_ids: list[UUID] = field(default_factory=list)


@dataclass(kw_only=True)
class Judge:
    judge_id: UUID
    name: str
    email: str | None = None
    affiliations: Affiliations = field(default_factory=Affiliations)
    appointed_at: datetime
    removed_at: datetime | None = None

    @property
    def on_panel(self) -> bool:
        return self.removed_at is None

    def conflicted_with(self, entry: Entry) -> bool:
        return (
            entry.kim_id in self.affiliations.kim_ids
            or entry.kelurahan.code in self.affiliations.kelurahan_codes
        )


@dataclass(kw_only=True)
class Announcement:
    announced_at: datetime
    winners: list[Placing]
    ranking: list[Placing]
    tie_break: list[str]


@dataclass(kw_only=True)
class Edition(Aggregate):
    edition_id: UUID
    title: str
    awarded_ranks: int
    #: The registry's revision last applied; older ones are ignored.
    revision: int
    submissions_closed_at: datetime | None = None
    rubric: Rubric = DEFAULT_RUBRIC
    judges: list[Judge] = field(default_factory=list)
    scoring_started: bool = False
    #: Bumped by every change that may complete judging, so two such changes made
    #: at once conflict instead of each missing the other (write skew).
    completion_checks: int = 0
    completed_at: datetime | None = None
    announcement: Announcement | None = None

    @property
    def status(self) -> JudgingStatus:
        if self.announcement is not None:
            return "announced"
        if self.completed_at is not None:
            return "completed"
        if self.submissions_closed_at is not None:
            return "scoring"
        return "waiting_for_submissions"

    @property
    def panel(self) -> list[Judge]:
        return [judge for judge in self.judges if judge.on_panel]

    def apply_registry(self, *, title: str, awarded_ranks: int, revision: int) -> None:
        if revision <= self.revision:
            return
        self.title, self.awarded_ranks, self.revision = title, awarded_ranks, revision

    def close_submissions(self, *, at: datetime, revision: int) -> None:
        if self.submissions_closed_at is None:
            self.submissions_closed_at = at
        self.revision = max(self.revision, revision)

    def set_rubric(self, rubric: Rubric) -> None:
        if self.scoring_started or self.completed_at is not None:
            raise RubricFixed()
        self.rubric = rubric

    def appoint(self, *, name: str, email: str | None, affiliations: Affiliations, now: datetime) -> Judge:
        self._check_not_completed()
        judge = Judge(judge_id=uuid4(), name=name, email=email, affiliations=affiliations, appointed_at=now)
        self.judges.append(judge)
        self.events.append(events.JudgeAppointed(self, judge))
        return judge

    def remove(self, judge_id: UUID, now: datetime) -> Judge:
        self._check_not_completed()
        judge = self.judge(judge_id)
        judge.removed_at = now
        self.events.append(events.JudgeRemoved(self, judge))
        return judge

    def judge(self, judge_id: UUID) -> Judge:
        for judge in self.panel:
            if judge.judge_id == judge_id:
                return judge
        raise JudgeNotOnPanel(judge_id=judge_id)

    def judges_for(self, entry: Entry) -> set[UUID]:
        """The judges who must score `entry`: the panel, less those with a conflict."""
        return {judge.judge_id for judge in self.panel if not judge.conflicted_with(entry)}

    def record_score(
        self, *, judge_id: UUID, entry: Entry, sheet: ScoreSheet | None, scores: dict[str, int], now: datetime
    ) -> ScoreSheet:
        """Fill or revise a judge's sheet for an entry; the entry notes the judge."""
        judge = self.judge(judge_id)
        if self.submissions_closed_at is None:
            raise JudgingNotOpen(title=self.title)
        self._check_not_completed()
        if entry.edition_id != self.edition_id:
            raise EntryNotFound(entry_id=entry.entry_id)
        if not entry.in_competition:
            status_id, status_en = ENTRY_STATUS_TEXT[entry.status]
            raise EntryNotEligible(entry_title=entry.title, status_id=status_id, status_en=status_en)
        if judge.conflicted_with(entry):
            raise JudgeConflicted(
                judge_name=judge.name, kim_name=entry.kim_name, kelurahan=entry.kelurahan.name
            )
        self.rubric.check(scores)
        self.scoring_started = True
        if sheet is None:
            sheet = ScoreSheet.fill(
                edition_id=self.edition_id,
                entry_id=entry.entry_id,
                judge_id=judge_id,
                scores=scores,
                rubric=self.rubric,
                now=now,
            )
        else:
            sheet.revise(scores, self.rubric, now)
        entry.scored(judge_id, self.judges_for(entry))
        return sheet

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

    def announce(
        self, *, ranking: list[Placing], tie_break: list[str], missing_sheets: int, now: datetime
    ) -> Announcement:
        if self.announcement is not None:
            raise AlreadyAnnounced(title=self.title, announced_at=self.announcement.announced_at.isoformat())
        if self.completed_at is None:
            raise JudgingNotComplete(title=self.title, missing=missing_sheets)
        self.announcement = Announcement(
            announced_at=now,
            winners=[placing for placing in ranking if placing.rank <= self.awarded_ranks],
            ranking=ranking,
            tie_break=tie_break,
        )
        self.events.append(events.WinnersAnnounced(self))
        return self.announcement

    def _check_not_completed(self) -> None:
        if self.completed_at is not None:
            raise JudgingAlreadyCompleted(title=self.title)
