"""An edition as the vote sees it: its title, its favourite categories and the vote window.

One favourite category (the usual case): one vote per person per edition, among
every entry in competition. Several: each names the ranked category whose entries
it is for (`favourite_of`), and a person votes once in each.

The window's status is derived from the time: scheduled before it opens, open
until it closes (or staff close it early), closed after, frozen once staff froze
the tally."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from uuid import UUID

from shared.kernel.aggregate import Aggregate

from .entry import Entry
from .errors import (
    FavouriteCategoryUnknown,
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


@dataclass(frozen=True, kw_only=True)
class Favourite:
    """A favourite category (kind "favourite") of the edition, voted on by the public."""

    code: str
    title: str = ""
    #: The ranked category whose entries it is for; None: every entry in competition.
    favourite_of: str | None = None

    def takes(self, entry: Entry) -> bool:
        return entry.in_competition and (self.favourite_of is None or self.favourite_of in entry.categories)


@dataclass(kw_only=True)
class Edition(Aggregate):
    edition_id: UUID
    title: str
    #: The edition's favourite categories, in the edition's order (most often one).
    favourites: list[Favourite] = field(default_factory=list)
    revision: int = 0
    window: VoteWindow | None = None
    #: The latest frozen tally version; 0 before the first freeze.
    frozen_version: int = 0

    @property
    def category_code(self) -> str | None:
        """The first favourite category's code: the only one where there is one.
        A vote stored without a category (before several were possible) is for it."""
        return self.favourites[0].code if self.favourites else None

    def apply_registry(self, *, title: str, favourites: list[Favourite], revision: int) -> None:
        if revision < self.revision:
            return  # an older revision arriving late changes nothing
        self.title, self.favourites, self.revision = title, list(favourites), revision

    def favourite(self, code: str | None) -> Favourite:
        """The favourite category by its code; None: the edition's first (its only one)."""
        if not self.favourites:
            raise NoFavouriteCategory(title=self.title)
        if code is None:
            return self.favourites[0]
        for favourite in self.favourites:
            if favourite.code == code:
                return favourite
        raise FavouriteCategoryUnknown(category=code, title=self.title)

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
