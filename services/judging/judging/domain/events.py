"""What happened in judging; each names the aggregate as it now stands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .edition import Edition, Judge
    from .rubric import Rubric
    from .score_sheet import ScoreSheet


@dataclass(frozen=True)
class JudgeAppointed:
    edition: Edition
    judge: Judge


@dataclass(frozen=True)
class JudgeRemoved:
    edition: Edition
    judge: Judge


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
class WinnersAnnounced:
    edition: Edition
