"""What happened in judging; each names the aggregate as it now stands, and,
where a person acted, who (`by`, as the audit trail names them). Some cross the
bus as integration events (`service_layer/integration_events.py`); every one
that judging's audit trail keeps becomes its records
(`service_layer/audit_trail.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .assignment import Assignment
    from .edition import Edition, Reminder
    from .entry import Entry
    from .panel import Judge
    from .rubric import Rubric
    from .score_sheet import ScoreSheet
    from .snapshot import Snapshot, Verification
    from .ties import Tie


@dataclass(frozen=True)
class RubricSet:
    edition: Edition
    by: str
    at: datetime


@dataclass(frozen=True)
class OptionsSet:
    edition: Edition
    by: str
    at: datetime


@dataclass(frozen=True)
class JudgeAppointed:
    edition: Edition
    judge: Judge
    by: str


@dataclass(frozen=True)
class JudgeRemoved:
    edition: Edition
    judge: Judge
    by: str


@dataclass(frozen=True)
class EntriesAssigned:
    """The whole assignment, made by `assignment.made_by`."""

    edition: Edition
    assignment: Assignment


@dataclass(frozen=True)
class JudgeAssigned:
    edition: Edition
    judge: Judge
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class JudgeReminded:
    edition: Edition
    judge: Judge
    missing: tuple[Entry, ...]
    assigned: int
    reminder: Reminder


@dataclass(frozen=True)
class ScoreRecorded:
    """A sheet as it now stands (the sheet's own event; the edition records
    the change below, with who made it)."""

    sheet: ScoreSheet
    rubric: Rubric


@dataclass(frozen=True)
class SheetFilled:
    edition: Edition
    sheet: ScoreSheet
    by: str


@dataclass(frozen=True)
class SheetRevised:
    edition: Edition
    sheet: ScoreSheet
    before: dict[str, int]
    by: str


@dataclass(frozen=True)
class SheetCorrected:
    edition: Edition
    sheet: ScoreSheet
    before: dict[str, int]
    reason: str
    by: str


@dataclass(frozen=True)
class EntryLeftCompetition:
    """Withdrawn or disqualified: decided elsewhere (`by`, the service that
    decided it), noted here because it changes judging's results."""

    edition: Edition
    entry: Entry
    reason: str | None
    by: str
    at: datetime


@dataclass(frozen=True)
class JudgingCompleted:
    edition: Edition
    entries: int
    sheets: int


@dataclass(frozen=True)
class TieDetected:
    edition: Edition
    tie: Tie
    tie_break: tuple[str, ...]


@dataclass(frozen=True)
class TieResolved:
    edition: Edition
    tie: Tie


@dataclass(frozen=True)
class ResultsFrozen:
    edition: Edition
    snapshot: Snapshot


@dataclass(frozen=True)
class ResultsVerified:
    """A verification, whether it passed or not: a failed one is kept too."""

    edition: Edition
    verification: Verification
    by: str
    at: datetime


@dataclass(frozen=True)
class WinnersAnnounced:
    edition: Edition
    snapshot: Snapshot
