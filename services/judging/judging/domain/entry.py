"""An entry as judging knows it, kept from the submissions service's entry.* events,
with which judges have scored it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from uuid import UUID

from shared.kernel.aggregate import Aggregate

EntryStatus = Literal["submitted", "withdrawn", "disqualified"]


@dataclass(kw_only=True)
class Region:
    code: str
    name: str


@dataclass(frozen=True, kw_only=True)
class JudgeView:
    """An entry as a judge sees it: judging blind, without the KIM's name or kelurahan."""

    entry_id: UUID
    title: str
    kim_name: str | None
    kelurahan: Region | None


@dataclass(frozen=True, kw_only=True)
class Requirement:
    """The sheets an entry needs: one from each of `judges`, once `unassigned`
    more judges are assigned (k per entry). With no judge who may score it, it
    is never complete: staff must appoint one."""

    judges: frozenset[UUID]
    unassigned: int = 0

    def met_by(self, scored_by: list[UUID]) -> bool:
        return self.unassigned == 0 and bool(self.judges) and self.judges <= set(scored_by)


@dataclass(kw_only=True)
class Entry(Aggregate):
    entry_id: UUID
    edition_id: UUID
    kim_id: UUID
    kim_name: str
    kelurahan: Region
    title: str
    status: EntryStatus
    submitted_at: datetime
    #: The submissions service's revision last applied; older ones are ignored.
    revision: int
    #: Judges with a score sheet for this entry.
    scored_by: list[UUID] = field(default_factory=list)
    #: Every judge who must score it has; kept so completion is one indexed count.
    complete: bool = False

    @property
    def in_competition(self) -> bool:
        return self.status == "submitted"

    def seen_by_judges(self, blind: bool) -> JudgeView:
        if blind:
            return JudgeView(entry_id=self.entry_id, title=self.title, kim_name=None, kelurahan=None)
        return JudgeView(
            entry_id=self.entry_id, title=self.title, kim_name=self.kim_name, kelurahan=self.kelurahan
        )

    def apply(
        self, *, kim_name: str, kelurahan: Region, title: str, status: EntryStatus, revision: int
    ) -> bool:
        """Take a newer state from submissions; returns whether anything was applied."""
        if revision <= self.revision:
            return False
        self.kim_name, self.kelurahan, self.title, self.status = kim_name, kelurahan, title, status
        self.revision = revision
        return True

    def scored(self, judge_id: UUID, required: Requirement) -> bool:
        """Note a judge's first sheet; returns whether the entry just became complete."""
        if judge_id not in self.scored_by:
            self.scored_by.append(judge_id)
        return self.reassess(required)

    def reassess(self, required: Requirement) -> bool:
        """Recompute completeness against the sheets now required; True if it just became complete."""
        was = self.complete
        self.complete = required.met_by(self.scored_by)
        return self.complete and not was
