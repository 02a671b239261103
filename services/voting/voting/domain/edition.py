"""An edition as the vote sees it: its title, its favourite category and the vote window.

The window's status is derived from the time: scheduled before it opens, open
until it closes (or staff close it early), closed after, frozen once staff froze
the tally."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID

from shared.kernel.aggregate import Aggregate

from .errors import (
    NoFavouriteCategory,
    VoteWindowClosed,
    VoteWindowFrozen,
    VoteWindowInvalid,
    VoteWindowNotSet,
    VoteWindowStillOpen,
)

Status = Literal["scheduled", "open", "closed", "frozen"]


@dataclass(kw_only=True)
class VoteWindow:
    opens_at: datetime
    closes_at: datetime
    public_counts: bool = False
    #: When staff closed it before `closes_at`.
    closed_at: datetime | None = None

    def ends_at(self) -> datetime:
        return (
            self.closed_at
            if self.closed_at is not None and self.closed_at < self.closes_at
            else self.closes_at
        )


@dataclass(kw_only=True)
class Edition(Aggregate):
    edition_id: UUID
    title: str
    #: The code of the edition's favourite category (kind "favourite"), if it has one.
    category_code: str | None = None
    revision: int = 0
    window: VoteWindow | None = None
    #: The latest frozen tally version; 0 before the first freeze.
    frozen_version: int = 0

    def apply_registry(self, *, title: str, category_code: str | None, revision: int) -> None:
        if revision < self.revision:
            return  # an older revision arriving late changes nothing
        self.title, self.category_code, self.revision = title, category_code, revision

    def status(self, now: datetime) -> Status:
        window = self.require_window()
        if self.frozen_version and now >= window.ends_at():
            return "frozen"
        if now >= window.ends_at():
            return "closed"
        return "open" if now >= window.opens_at else "scheduled"

    def require_window(self) -> VoteWindow:
        if self.window is None:
            raise VoteWindowNotSet(title=self.title)
        return self.window

    def require_category(self) -> str:
        if self.category_code is None:
            raise NoFavouriteCategory(title=self.title)
        return self.category_code

    def set_window(self, *, opens_at: datetime, closes_at: datetime, public_counts: bool) -> VoteWindow:
        """Set (or move) the window; a frozen tally keeps its window."""
        self.require_category()
        if self.frozen_version:
            raise VoteWindowFrozen(title=self.title)
        if closes_at <= opens_at:
            raise VoteWindowInvalid()
        self.window = VoteWindow(opens_at=opens_at, closes_at=closes_at, public_counts=public_counts)
        return self.window

    def close(self, now: datetime) -> VoteWindow:
        """Close the vote now (a window already over stays as it ended)."""
        window = self.require_window()
        if now < window.ends_at():
            window.closed_at = now
        return window

    def require_open(self, now: datetime) -> None:
        status = self.status(now)
        if status != "open":
            raise VoteWindowClosed(title=self.title, status=status)

    def require_over(self, now: datetime) -> None:
        if self.status(now) in ("scheduled", "open"):
            raise VoteWindowStillOpen(title=self.title)

    def counts_public(self, now: datetime) -> bool:
        window = self.require_window()
        return window.public_counts or self.status(now) == "frozen"
