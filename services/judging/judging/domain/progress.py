"""What is still missing, per judge and per entry, for staff watching judging."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from .edition import Edition
from .entry import Entry, Requirement
from .panel import Abstention, Judge


@dataclass(frozen=True, kw_only=True)
class JudgeProgress:
    judge: Judge
    assigned: list[UUID]
    done: list[UUID]
    missing: list[UUID]


@dataclass(frozen=True, kw_only=True)
class EntryProgress:
    entry: Entry
    requirement: Requirement
    done: list[UUID]
    missing: list[UUID]
    abstentions: list[Abstention]


@dataclass(frozen=True, kw_only=True)
class Progress:
    judges: list[JudgeProgress]
    entries: list[EntryProgress]

    @property
    def required(self) -> int:
        """Sheets still to come from judges assigned or yet to be assigned, plus those in."""
        return sum(len(e.requirement.judges) + e.requirement.unassigned for e in self.entries)

    @property
    def recorded(self) -> int:
        return sum(len(e.done) for e in self.entries)

    @property
    def missing(self) -> int:
        return self.required - self.recorded


def progress(edition: Edition, entries: Sequence[Entry]) -> Progress:
    """Progress over `entries` (those in competition, in submission order)."""
    per_entry = []
    for entry in entries:
        requirement = edition.requirement(entry)
        ordered = [j.judge_id for j in edition.panel if j.judge_id in requirement.judges]
        per_entry.append(
            EntryProgress(
                entry=entry,
                requirement=requirement,
                done=[j for j in ordered if j in entry.scored_by],
                missing=[j for j in ordered if j not in entry.scored_by],
                abstentions=edition.abstentions(entry),
            )
        )
    per_judge = []
    for judge in edition.panel:
        assigned = [e.entry.entry_id for e in per_entry if judge.judge_id in e.requirement.judges]
        done = [e.entry.entry_id for e in per_entry if judge.judge_id in e.done]
        per_judge.append(
            JudgeProgress(
                judge=judge, assigned=assigned, done=done, missing=[e for e in assigned if e not in done]
            )
        )
    return Progress(judges=per_judge, entries=per_entry)
