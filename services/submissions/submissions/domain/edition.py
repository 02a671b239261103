"""An edition as the submissions service knows it: its window and rules,
kept from the registry's edition.* events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from shared.kernel.aggregate import Aggregate

from .errors import SubmissionWindowClosed, SubmissionWindowNotOpen


@dataclass(kw_only=True)
class Rules:
    max_video_seconds: int
    allowed_video_hosts: list[str]
    entries_per_kim: int


@dataclass(kw_only=True)
class Edition(Aggregate):
    edition_id: UUID
    title: str
    opens_at: datetime
    closes_at: datetime
    rules: Rules
    closed_at: datetime | None = None
    #: The registry's revision of the edition last applied; older ones are ignored.
    revision: int

    def check_open(self, now: datetime) -> None:
        """Entries, revisions and withdrawals happen only inside the window."""
        if now < self.opens_at:
            raise SubmissionWindowNotOpen(title=self.title, opens_at=self.opens_at.isoformat())
        if self.closed_at is not None or now >= self.closes_at:
            closed = self.closed_at if self.closed_at and self.closed_at < self.closes_at else self.closes_at
            raise SubmissionWindowClosed(title=self.title, closes_at=closed.isoformat())

    def update(
        self, *, title: str, opens_at: datetime, closes_at: datetime, rules: Rules, revision: int
    ) -> None:
        if revision <= self.revision:
            return
        self.title, self.opens_at, self.closes_at, self.rules = title, opens_at, closes_at, rules
        self.revision = revision

    def close(self, closed_at: datetime, revision: int) -> None:
        if revision <= self.revision:
            return
        self.closed_at = closed_at
        self.revision = revision
