"""Looking a film up on its host: what was found (`FilmFacts`), what the entry
records of it (`FilmCheck`), and the background job that gets it
(`FilmLookup`: claimed with a lease, tried again with backoff, a bounded number
of times).

The KIM no longer types the film's length: submissions asks the host. A link
that does not answer, a film longer than the edition allows, or a host that does
not tell the length marks the entry for staff review, with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from uuid import UUID

from shared.kernel.aggregate import Aggregate

FilmCheckStatus = Literal["pending", "ok", "needs_review"]
#: Why an entry needs review: the link did not answer (or answered "not found"),
#: the film is longer than the edition allows, the host did not tell its length,
#: or the link leads somewhere the service does not fetch from (a private address).
ReviewReason = Literal["unreachable", "too_long", "duration_unknown", "link_refused"]

REASON_TEXT: dict[ReviewReason, dict[str, str]] = {
    "unreachable": {
        "id": "tautan video tidak dapat dibuka",
        "en": "the video link does not answer",
    },
    "too_long": {
        "id": "durasi video melebihi batas edisi",
        "en": "the film is longer than the edition allows",
    },
    "duration_unknown": {
        "id": "durasi video tidak dapat diketahui dari situsnya",
        "en": "the film's host does not tell its length",
    },
    "link_refused": {
        "id": "tautan mengarah ke alamat yang tidak diizinkan",
        "en": "the link leads to an address that is not allowed",
    },
}

#: ISO 8601 durations as hosts write them: `PT4M13S`, `PT1H2M`, `P0DT0H3M5S`, `PT240.5S`.
ISO_DURATION = re.compile(
    r"P(?:(?P<days>\d+)D)?(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:[.,]\d+)?)S)?)?",
    re.IGNORECASE,
)


def parse_iso_duration(text: str) -> int | None:
    """Whole seconds (rounded up) of an ISO 8601 duration of days, hours, minutes
    and seconds; None for anything else (years, months and weeks included: no film is that long)."""
    match = ISO_DURATION.fullmatch(text.strip())
    if match is None or not any(match.groupdict().values()) or text.strip().upper().endswith("T"):
        return None
    parts = {name: float((value or "0").replace(",", ".")) for name, value in match.groupdict().items()}
    total = parts["days"] * 86400 + parts["hours"] * 3600 + parts["minutes"] * 60 + parts["seconds"]
    whole = int(total)
    return whole + 1 if total > whole else whole


@dataclass(frozen=True, kw_only=True)
class FilmFacts:
    """What a host said of a link. `problem` is None when it answered;
    `transient` problems (a timeout, a 5xx) are worth trying again."""

    duration_seconds: int | None = None
    title: str | None = None
    problem: ReviewReason | None = None
    transient: bool = False
    detail: str = ""

    @property
    def reachable(self) -> bool:
        return self.problem is None


@dataclass(kw_only=True)
class FilmCheck:
    """The check of an entry's film, as the entry records it."""

    status: FilmCheckStatus = "pending"
    duration_seconds: int | None = None
    host_title: str | None = None
    checked_at: datetime | None = None
    reason: ReviewReason | None = None
    #: The link that was checked (a revision may change it while a check runs).
    video_url: str = ""
    #: The edition's maximum it was held against.
    max_video_seconds: int | None = None

    @property
    def needs_review(self) -> bool:
        return self.status == "needs_review"

    @property
    def reachable(self) -> bool:
        return self.status != "pending" and self.reason not in ("unreachable", "link_refused")

    @classmethod
    def of(cls, facts: FilmFacts, *, video_url: str, max_seconds: int, now: datetime) -> FilmCheck:
        reason: ReviewReason | None = facts.problem
        if reason is None and facts.duration_seconds is None:
            reason = "duration_unknown"
        if reason is None and facts.duration_seconds is not None and facts.duration_seconds > max_seconds:
            reason = "too_long"
        return cls(
            status="ok" if reason is None else "needs_review",
            duration_seconds=facts.duration_seconds,
            host_title=facts.title,
            checked_at=now,
            reason=reason,
            video_url=video_url,
            max_video_seconds=max_seconds,
        )


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    first_delay: timedelta
    max_delay: timedelta = timedelta(minutes=30)

    def delay(self, attempts: int) -> timedelta:
        """The wait after the `attempts`-th failed attempt: doubles each time, up to a bound."""
        return min(self.first_delay * 2 ** (attempts - 1), self.max_delay)


@dataclass(kw_only=True)
class FilmLookup(Aggregate):
    """The job of checking one entry's film; one per entry, started again when
    its link changes. Stored with the entry, so nothing is lost across a restart."""

    entry_id: UUID
    video_url: str
    status: Literal["pending", "done"] = "pending"
    attempts: int = 0
    #: When it is next due: now when (re)started, later after a failure, or the
    #: end of the checker's lease while a check runs (a crashed check falls due again).
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    #: The user action that asked for it, carried on to `entry.film_checked`.
    correlation_id: str = ""

    @classmethod
    def start(cls, entry_id: UUID, video_url: str, now: datetime, correlation_id: str = "") -> FilmLookup:
        return cls(entry_id=entry_id, video_url=video_url, next_attempt_at=now, correlation_id=correlation_id)

    def restart(self, video_url: str, now: datetime, correlation_id: str = "") -> None:
        self.video_url, self.status, self.attempts = video_url, "pending", 0
        self.next_attempt_at, self.last_error = now, None
        self.correlation_id = correlation_id

    def claim(self, now: datetime, lease: timedelta) -> None:
        assert self.status == "pending" and self.next_attempt_at is not None and self.next_attempt_at <= now
        self.next_attempt_at = now + lease

    def done(self) -> None:
        self.status, self.next_attempt_at = "done", None

    def failed(self, now: datetime, error: str, policy: RetryPolicy) -> bool:
        """A transient failure; returns whether it was the last attempt allowed."""
        self.attempts += 1
        self.last_error = error[:500]
        if self.attempts >= policy.max_attempts:
            self.done()
            return True
        self.next_attempt_at = now + policy.delay(self.attempts)
        return False
