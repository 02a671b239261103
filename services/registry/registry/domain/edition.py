"""An edition: one competition, e.g. "Lomba Video Pendek KIM 2024".

Draft → published (enrolment and entries open inside the submission window)
→ submissions closed (by staff, or at the deadline).
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from uuid import UUID, uuid4

from shared.kernel.aggregate import Aggregate

from . import events
from .errors import (
    EditionAlreadyPublished,
    EditionNotPublished,
    PrizeRankNotAwarded,
    RulesFixedAfterClosing,
    SubmissionsAlreadyClosed,
    WindowAlreadyOver,
    WindowClosesBeforeItOpens,
)

EditionStatus = Literal["draft", "published", "submissions_closed"]


@dataclass(kw_only=True)
class Rules:
    max_video_seconds: int
    allowed_video_hosts: list[str]
    entries_per_kim: int


@dataclass(kw_only=True)
class Prize:
    rank: int
    title: str
    reward: str | None = None


@dataclass(kw_only=True)
class Edition(Aggregate):
    edition_id: UUID
    title: str
    theme: str
    description: str
    submission_opens_at: datetime
    submission_closes_at: datetime
    rules: Rules
    awarded_ranks: int
    prizes: list[Prize] = field(default_factory=list)
    status: EditionStatus = "draft"
    created_at: datetime
    published_at: datetime | None = None
    closed_at: datetime | None = None
    closed_by: Literal["staff", "deadline"] | None = None
    #: The version of the announced results (`winner.announced`) the KIMs'
    #: competition achievements were last recorded from.
    results_version: int | None = None

    @classmethod
    def draft(
        cls,
        *,
        title: str,
        theme: str,
        description: str,
        submission_opens_at: datetime,
        submission_closes_at: datetime,
        rules: Rules,
        awarded_ranks: int,
        prizes: list[Prize],
        now: datetime,
    ) -> Edition:
        edition = cls(
            edition_id=uuid4(),
            title=title.strip(),
            theme=theme.strip(),
            description=description.strip(),
            submission_opens_at=submission_opens_at,
            submission_closes_at=submission_closes_at,
            rules=_normalised(rules),
            awarded_ranks=awarded_ranks,
            prizes=sorted(prizes, key=lambda p: p.rank),
            created_at=now,
        )
        edition._check_consistency()
        return edition

    def revise(
        self,
        *,
        title: str | None = None,
        theme: str | None = None,
        description: str | None = None,
        submission_opens_at: datetime | None = None,
        submission_closes_at: datetime | None = None,
        rules: Rules | None = None,
        awarded_ranks: int | None = None,
        prizes: list[Prize] | None = None,
    ) -> None:
        if self.status == "submissions_closed":
            raise RulesFixedAfterClosing(title=self.title)
        before = copy.copy(self)
        if title is not None:
            self.title = title.strip()
        if theme is not None:
            self.theme = theme.strip()
        if description is not None:
            self.description = description.strip()
        if submission_opens_at is not None:
            self.submission_opens_at = submission_opens_at
        if submission_closes_at is not None:
            self.submission_closes_at = submission_closes_at
        if rules is not None:
            self.rules = _normalised(rules)
        if awarded_ranks is not None:
            self.awarded_ranks = awarded_ranks
        if prizes is not None:
            self.prizes = sorted(prizes, key=lambda p: p.rank)
        self._check_consistency()
        # Compared whole, so a field added to the edition counts as a change without a word here.
        if self.status == "published" and self != before:
            self.events.append(events.EditionUpdated(self))

    def publish(self, now: datetime) -> None:
        if self.status != "draft":
            raise EditionAlreadyPublished(title=self.title)
        if self.submission_closes_at <= now:
            raise WindowAlreadyOver(closes_at=self.submission_closes_at.isoformat())
        self.status = "published"
        self.published_at = now
        self.events.append(events.EditionPublished(self))

    def close_submissions(self, now: datetime, by: Literal["staff", "deadline"]) -> None:
        if self.status == "draft":
            raise EditionNotPublished(title=self.title)
        if self.status == "submissions_closed":
            raise SubmissionsAlreadyClosed(title=self.title)
        self.status = "submissions_closed"
        self.closed_at = now
        self.closed_by = by
        self.events.append(events.SubmissionsClosed(self))

    @property
    def revision(self) -> int:
        """Grows by one with every change (the version the edition is stored at); read
        by attribute into the integration events."""
        return self.version

    def deadline_passed(self, now: datetime) -> bool:
        return self.status == "published" and self.submission_closes_at <= now

    def take_results(self, version: int) -> bool:
        """Whether announced results of this `version` are newer than those last
        recorded (and, if so, note them); an older or repeated version is not."""
        if self.results_version is not None and version <= self.results_version:
            return False
        self.results_version = version
        return True

    def _check_consistency(self) -> None:
        if self.submission_closes_at <= self.submission_opens_at:
            raise WindowClosesBeforeItOpens()
        for prize in self.prizes:
            if prize.rank > self.awarded_ranks:
                raise PrizeRankNotAwarded(rank=prize.rank, awarded_ranks=self.awarded_ranks)


def _normalised(rules: Rules) -> Rules:
    hosts = [host.strip().lower().removeprefix("www.") for host in rules.allowed_video_hosts]
    return dataclasses.replace(rules, allowed_video_hosts=list(dict.fromkeys(hosts)))
