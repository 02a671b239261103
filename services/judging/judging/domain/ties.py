"""Ties the declared chain cannot separate, among entries competing for an
awarded rank: staff decide their order, with a reason, before freezing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid5


@dataclass(frozen=True, kw_only=True)
class TieResolution:
    order: tuple[UUID, ...]
    reason: str
    resolved_by: str
    resolved_at: datetime


@dataclass(kw_only=True)
class Tie:
    """A tie for `rank` among `entry_ids` (sorted), as it was detected."""

    tie_id: UUID
    rank: int
    entry_ids: tuple[UUID, ...]
    detected_at: datetime
    resolution: TieResolution | None = None


def tie_id(edition_id: UUID, rank: int, entry_ids: Iterable[UUID], category: str | None = None) -> UUID:
    """The same entries tied for the same rank are the same tie, however often
    the ranking is computed; a correction that moves them makes another. A
    category's ties are its own (`category`: its code; None: the main ranking)."""
    scope = "tie:" if category is None else f"tie:{category}:"
    return uuid5(edition_id, f"{scope}{rank}:" + ",".join(sorted(str(e) for e in entry_ids)))
