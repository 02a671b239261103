"""An edition as the submissions service knows it: its window and rules,
kept from the registry's edition.* events."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal
from uuid import UUID

from shared.kernel.aggregate import Aggregate

from .errors import CategoryNotEnterable, CategoryUnknown, SubmissionWindowClosed, SubmissionWindowNotOpen

if TYPE_CHECKING:
    from .enrolment import Enrolment


@dataclass(kw_only=True)
class Rules:
    max_video_seconds: int
    allowed_video_hosts: list[str]
    entries_per_kim: int


@dataclass(kw_only=True)
class Category:
    """One of the edition's categories beside its main ranking; KIMs enter `ranked` ones."""

    code: str
    title: str
    kind: Literal["ranked", "special", "favourite"]


@dataclass(kw_only=True)
class Edition(Aggregate):
    edition_id: UUID
    title: str
    opens_at: datetime
    closes_at: datetime
    rules: Rules
    closed_at: datetime | None = None
    categories: list[Category] = field(default_factory=list)
    #: The registry's revision of the edition last applied; older ones are ignored.
    revision: int
    #: Enrolments submissions has learnt of. Counting one writes the edition, so a new
    #: enrolment and staff's close (which also writes it) never commit unaware of each
    #: other: the enrolment takes the close's mark (see `Enrolment.closed_at`).
    enrolments: int = 0

    def check_open(self, now: datetime) -> None:
        """Entries, revisions and withdrawals happen only inside the window."""
        if now < self.opens_at:
            raise SubmissionWindowNotOpen(title=self.title, opens_at=self.opens_at.isoformat())
        if self.closed_at is not None or now >= self.closes_at:
            closed = self.closed_at if self.closed_at and self.closed_at < self.closes_at else self.closes_at
            raise SubmissionWindowClosed(title=self.title, closes_at=closed.isoformat())

    def enterable(self, codes: list[str]) -> list[str]:
        """The category codes an entry is entered for, each once, in the order given:
        each must be one of the edition's `ranked` categories (`category_unknown`,
        `category_not_enterable`: special awards and the favourite are not entered for)."""
        known = {category.code: category for category in self.categories}
        chosen: list[str] = []
        for index, code in enumerate(codes):
            category = known.get(code)
            if category is None:
                raise CategoryUnknown(code=code, title=self.title, field=f"categories.{index}")
            if category.kind != "ranked":
                raise CategoryNotEnterable(title=category.title, field=f"categories.{index}")
            if code not in chosen:
                chosen.append(code)
        return chosen

    def update(
        self,
        *,
        title: str,
        opens_at: datetime,
        closes_at: datetime,
        rules: Rules,
        revision: int,
        categories: list[Category] | None = None,
    ) -> None:
        if revision <= self.revision:
            return
        self.title, self.opens_at, self.closes_at, self.rules = title, opens_at, closes_at, rules
        if categories is not None:
            self.categories = categories
        self.revision = revision

    def enrol(self, enrolment: Enrolment) -> None:
        """Count a new enrolment; it is closed too if the edition is."""
        self.enrolments += 1
        if self.closed_at is not None:
            enrolment.close(self.closed_at)

    def close(self, closed_at: datetime, revision: int) -> None:
        if revision <= self.revision:
            return
        self.closed_at = closed_at
        self.revision = revision
