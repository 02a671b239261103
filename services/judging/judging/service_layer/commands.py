"""What staff and judges ask judging to do: one command per use case that
changes state, built once from the request (`entrypoints/schemas.py`). Who
asks (`actor`, for the audit trail) is given beside the command."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from ..domain.options import JudgingOptions
from ..domain.panel import Affiliations
from ..domain.rubric import Rubric


@dataclass(frozen=True, kw_only=True)
class SetRubric:
    edition_id: UUID
    rubric: Rubric


@dataclass(frozen=True, kw_only=True)
class SetJudgingOptions:
    edition_id: UUID
    options: JudgingOptions


@dataclass(frozen=True, kw_only=True)
class AppointJudge:
    edition_id: UUID
    name: str
    email: str | None = None
    affiliations: Affiliations = field(default_factory=Affiliations)


@dataclass(frozen=True, kw_only=True)
class RemoveJudge:
    edition_id: UUID
    judge_id: UUID


@dataclass(frozen=True, kw_only=True)
class AssignEntries:
    edition_id: UUID


@dataclass(frozen=True, kw_only=True)
class RecordScoreSheet:
    """A judge fills or revises their sheet for an entry (or staff key in a
    judge's paper sheet)."""

    edition_id: UUID
    entry_id: UUID
    judge_id: UUID
    scores: dict[str, int]
    #: To the KIM, shown with its feedback after the announcement; None keeps it.
    comment: str | None = None
    #: For the panel and staff only; None keeps it.
    note: str | None = None
    #: The sheet's revision the caller last read (0: none yet); a sheet changed
    #: since, e.g. in another tab, is refused instead of overwritten.
    revision: int | None = None


@dataclass(frozen=True, kw_only=True)
class CorrectScoreSheet(RecordScoreSheet):
    """Staff correct a final sheet, with a reason."""

    reason: str


@dataclass(frozen=True, kw_only=True)
class ResolveTie:
    edition_id: UUID
    tie_id: UUID
    #: The tied entries, best first.
    order: tuple[UUID, ...]
    reason: str


@dataclass(frozen=True, kw_only=True)
class FreezeResults:
    edition_id: UUID
    #: Required for a correction after an announcement.
    reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class VerifyResults:
    edition_id: UUID
    version: int


@dataclass(frozen=True, kw_only=True)
class AnnounceResults:
    edition_id: UUID
