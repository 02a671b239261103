"""One judge's score sheet for one entry: 0–100 per criterion, revisable until judging completes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from shared.kernel.aggregate import Aggregate

from . import events
from .rubric import Rubric


@dataclass(kw_only=True)
class ScoreSheet(Aggregate):
    sheet_id: UUID
    edition_id: UUID
    entry_id: UUID
    judge_id: UUID
    scores: dict[str, int]
    recorded_at: datetime
    updated_at: datetime

    @classmethod
    def fill(
        cls,
        *,
        edition_id: UUID,
        entry_id: UUID,
        judge_id: UUID,
        scores: dict[str, int],
        rubric: Rubric,
        now: datetime,
    ) -> ScoreSheet:
        sheet = cls(
            sheet_id=uuid4(),
            edition_id=edition_id,
            entry_id=entry_id,
            judge_id=judge_id,
            scores=dict(scores),
            recorded_at=now,
            updated_at=now,
        )
        sheet.events.append(events.ScoreRecorded(sheet, rubric))
        return sheet

    def revise(self, scores: dict[str, int], rubric: Rubric, now: datetime) -> bool:
        """Take new scores; returns whether they changed anything."""
        if scores == self.scores:
            return False
        self.scores = dict(scores)
        self.updated_at = now
        self.events.append(events.ScoreRecorded(self, rubric))
        return True

    def total(self, rubric: Rubric) -> float:
        return float(rubric.weighted_total(self.scores))
