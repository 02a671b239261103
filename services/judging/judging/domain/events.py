"""What happened in judging; each names the aggregate as it now stands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .edition import Edition, Reminder
    from .entry import Entry
    from .panel import Judge
    from .rubric import Rubric
    from .score_sheet import ScoreSheet
    from .snapshot import Snapshot
    from .ties import Tie


@dataclass(frozen=True)
class JudgeAppointed:
    edition: Edition
    judge: Judge


@dataclass(frozen=True)
class JudgeRemoved:
    edition: Edition
    judge: Judge


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
    sheet: ScoreSheet
    rubric: Rubric


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
class WinnersAnnounced:
    edition: Edition
    snapshot: Snapshot
