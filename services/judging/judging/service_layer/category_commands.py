"""What staff ask judging to do with an edition's categories: one command per
use case, built once from the request (`entrypoints/http_categories.py`,
`entrypoints/http_results.py` with `?category=`)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True, kw_only=True)
class SetCategoryRubric:
    edition_id: UUID
    category: str
    #: Weights over the edition's criteria, summing to 100; a criterion left out weighs 0.
    weights: dict[str, int]


@dataclass(frozen=True, kw_only=True)
class GiveSpecialAward:
    edition_id: UUID
    category: str
    entry_id: UUID
    reason: str


@dataclass(frozen=True, kw_only=True)
class ResolveCategoryTie:
    edition_id: UUID
    category: str
    tie_id: UUID
    order: tuple[UUID, ...]
    reason: str


@dataclass(frozen=True, kw_only=True)
class FreezeCategory:
    edition_id: UUID
    category: str
    #: Required for a correction after the category's announcement.
    reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class VerifyCategory:
    edition_id: UUID
    category: str
    version: int


@dataclass(frozen=True, kw_only=True)
class AnnounceCategory:
    edition_id: UUID
    category: str
