"""One judge's score sheet for one entry: 0–100 per criterion, a comment to the
KIM (shown with its feedback after the announcement) and a note for the panel
(never shown to the KIM), revisable until judging completes."""

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
    comment: str = ""
    note: str = ""

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
        comment: str | None = None,
        note: str | None = None,
    ) -> ScoreSheet:
        sheet = cls(
            sheet_id=uuid4(),
            edition_id=edition_id,
            entry_id=entry_id,
            judge_id=judge_id,
            scores=dict(scores),
            recorded_at=now,
            updated_at=now,
            comment=comment or "",
            note=note or "",
        )
        sheet.events.append(events.ScoreRecorded(sheet, rubric))
        return sheet

    def revise(
        self,
        scores: dict[str, int],
        rubric: Rubric,
        now: datetime,
        comment: str | None = None,
        note: str | None = None,
    ) -> bool:
        """Take new scores (and comment and note, where given); returns whether
        they changed anything."""
        comment = self.comment if comment is None else comment
        note = self.note if note is None else note
        if (scores, comment, note) == (self.scores, self.comment, self.note):
            return False
        self.scores, self.comment, self.note = dict(scores), comment, note
        self.updated_at = now
        self.events.append(events.ScoreRecorded(self, rubric))
        return True

    def total(self, rubric: Rubric) -> float:
        return float(rubric.weighted_total(self.scores))
