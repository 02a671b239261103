"""The audit trail: every score-sheet change and every judging decision — who,
what, when — appended in the same unit of work as the change, never changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from uuid import UUID, uuid4

from shared.kernel.aggregate import Aggregate

Action = Literal[
    "rubric_set",
    "options_set",
    "judge_appointed",
    "judge_removed",
    "entries_assigned",
    "sheet_filled",
    "sheet_revised",
    "sheet_corrected",
    "entry_left_competition",
    "judging_completed",
    "tie_detected",
    "tie_resolved",
    "results_frozen",
    "results_verified",
    "results_verification_failed",
    "results_announced",
    "judge_reminded",
    "rounds_set",
    "rounds_cleared",
    "shortlist_closed",
    "category_rubric_set",
    "special_award_given",
]

#: Who acts when no person does: the service itself, or another service's event.
SYSTEM = "system"


@dataclass(kw_only=True)
class AuditRecord(Aggregate):
    record_id: UUID
    edition_id: UUID
    at: datetime
    #: Orders records written in the same millisecond by one unit of work.
    sequence: int
    actor: str
    action: Action
    #: What it is about: an entry, a judge, a tie, a results version ("" for the edition).
    subject: str
    details: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        *,
        edition_id: UUID,
        at: datetime,
        sequence: int,
        actor: str,
        action: Action,
        subject: object = "",
        **details: object,
    ) -> AuditRecord:
        return cls(
            record_id=uuid4(),
            edition_id=edition_id,
            at=at,
            sequence=sequence,
            actor=actor,
            action=action,
            subject=str(subject),
            details={name: str(value) for name, value in details.items() if value is not None},
        )
