"""A KIM's entry: a video link with its title, synopsis, duration and the UMKM it features.

Submitted inside the window by an approved KIM, revised and withdrawn before
the deadline, disqualified by staff with a reason.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from urllib.parse import urlsplit
from uuid import UUID, uuid4

from shared.kernel.aggregate import Aggregate

from . import events
from .edition import Edition, Rules
from .enrolment import Enrolment, Region
from .errors import (
    EntryNotActive,
    KimNotEnrolled,
    VideoHostNotAllowed,
    VideoLinkNotHttps,
    VideoTooLong,
)
from .film import FilmCheck

EntryStatus = Literal["submitted", "withdrawn", "disqualified"]
STATUS_TEXT = {"withdrawn": ("ditarik", "withdrawn"), "disqualified": ("didiskualifikasi", "disqualified")}


@dataclass(kw_only=True)
class Video:
    url: str
    #: None until known: the KIM no longer types it, submissions looks it up.
    duration_seconds: int | None = None

    def check(self, rules: Rules) -> None:
        parts = urlsplit(self.url)
        if parts.scheme.lower() != "https" or not parts.hostname:
            raise VideoLinkNotHttps(url=self.url)
        host = parts.hostname.lower().removeprefix("www.")
        if not any(host == allowed or host.endswith("." + allowed) for allowed in rules.allowed_video_hosts):
            raise VideoHostNotAllowed(host=host, allowed=", ".join(rules.allowed_video_hosts))
        if self.duration_seconds is not None and self.duration_seconds > rules.max_video_seconds:
            raise VideoTooLong(duration=self.duration_seconds, limit=rules.max_video_seconds)


@dataclass(kw_only=True)
class Snapshot:
    """What a KIM wrote, and the entry's status, as they stood from `updated_at`
    until the next change: kept so a change that landed after staff closed
    submissions can be undone (`Entry.undo_after`)."""

    title: str
    synopsis: str
    video: Video
    umkm_featured: list[str]
    status: EntryStatus
    updated_at: datetime
    film_check: FilmCheck | None = None
    categories: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class Entry(Aggregate):
    entry_id: UUID
    edition_id: UUID
    kim_id: UUID
    kim_name: str
    kelurahan: Region
    title: str
    synopsis: str
    video: Video
    umkm_featured: list[str] = field(default_factory=list)
    #: Codes of the edition's ranked categories it is entered for, besides the main ranking.
    categories: list[str] = field(default_factory=list)
    status: EntryStatus = "submitted"
    submitted_at: datetime
    updated_at: datetime
    disqualification_reason: str | None = None
    #: The check of the film on its host; None while no check was asked for.
    film_check: FilmCheck | None = None
    #: The entry before each change its KIM made, oldest first.
    history: list[Snapshot] = field(default_factory=list)
    #: When changes that landed after staff closed submissions were undone.
    undone_after_close_at: datetime | None = None

    @classmethod
    def submit(
        cls,
        *,
        edition: Edition,
        enrolment: Enrolment | None,
        now: datetime,
        title: str,
        synopsis: str,
        video_url: str,
        umkm_featured: list[str],
        duration_seconds: int | None = None,
        categories: list[str] | None = None,
    ) -> Entry:
        edition.check_open(now)
        chosen = edition.enterable(categories or [])
        if enrolment is None:
            raise KimNotEnrolled(title=edition.title)
        enrolment.reserve_entry(edition)
        video = Video(url=video_url, duration_seconds=duration_seconds)
        video.check(edition.rules)
        entry = cls(
            entry_id=uuid4(),
            edition_id=edition.edition_id,
            kim_id=enrolment.kim_id,
            kim_name=enrolment.kim_name,
            kelurahan=enrolment.kelurahan,
            title=title,
            synopsis=synopsis,
            video=video,
            umkm_featured=umkm_featured,
            categories=chosen,
            submitted_at=now,
            updated_at=now,
        )
        entry.events.append(events.EntrySubmitted(entry))
        return entry

    def revise(
        self,
        *,
        edition: Edition,
        now: datetime,
        title: str | None = None,
        synopsis: str | None = None,
        video_url: str | None = None,
        duration_seconds: int | None = None,
        umkm_featured: list[str] | None = None,
        categories: list[str] | None = None,
    ) -> None:
        self._check_active()
        edition.check_open(now)
        chosen = edition.enterable(categories) if categories is not None else self.categories
        url = video_url if video_url is not None else self.video.url
        if duration_seconds is None:
            # A new link's length is not the old one's: unknown until looked up.
            duration_seconds = self.video.duration_seconds if url == self.video.url else None
        video = Video(url=url, duration_seconds=duration_seconds)
        video.check(edition.rules)
        before = copy.copy(self)
        snapshot = self._snapshot()
        self.title = title if title is not None else self.title
        self.synopsis = synopsis if synopsis is not None else self.synopsis
        if video.url != self.video.url:
            self.film_check = None  # another film: checked again
        self.video = video
        self.umkm_featured = umkm_featured if umkm_featured is not None else self.umkm_featured
        self.categories = chosen
        # Compared whole, so a field added to the entry counts as a change without a word here.
        if self != before:
            self.history.append(snapshot)
            self.updated_at = now
            self.events.append(events.EntryRevised(self))

    def await_film_check(self) -> None:
        """A check of the film's link is on its way (its length unknown till then,
        unless the KIM gave it)."""
        self.film_check = FilmCheck(status="pending", video_url=self.video.url)

    def record_film_check(self, check: FilmCheck, *, kim_email: str | None = None) -> bool:
        """What the film's host said; ignored (False) when the link has changed since.
        `kim_email`: whom the event names to tell when the film needs review."""
        if check.video_url != self.video.url or self.film_check is None:
            return False
        self.film_check = check
        if check.duration_seconds is not None:
            self.video = Video(url=self.video.url, duration_seconds=check.duration_seconds)
        self.events.append(events.EntryFilmChecked(self, kim_email if check.needs_review else None))
        return True

    def undo_after(self, closed_at: datetime, now: datetime) -> bool:
        """Undo what its KIM changed after `closed_at` (the instant staff closed
        submissions): the entry stands as it did then; one submitted after it is
        withdrawn. Returns whether anything was undone."""
        if self.updated_at <= closed_at:
            return False
        if self.submitted_at > closed_at:
            self.status = "withdrawn"
        else:
            while self.history and self.updated_at > closed_at:
                earlier = self.history.pop()
                self.title, self.synopsis, self.video = earlier.title, earlier.synopsis, earlier.video
                self.umkm_featured, self.film_check = earlier.umkm_featured, earlier.film_check
                self.categories = earlier.categories
                if self.status != "disqualified":  # staff's decision stands
                    self.status = earlier.status
                self.updated_at = earlier.updated_at
        self.undone_after_close_at = now
        self.events.append(events.EntryRevised(self))
        return True

    def _snapshot(self) -> Snapshot:
        return Snapshot(
            title=self.title,
            synopsis=self.synopsis,
            video=self.video,
            umkm_featured=self.umkm_featured,
            status=self.status,
            updated_at=self.updated_at,
            film_check=self.film_check,
            categories=self.categories,
        )

    # Read by attribute, as the integration event and the public shape name them.
    @property
    def video_url(self) -> str:
        return self.video.url

    @property
    def duration_seconds(self) -> int | None:
        return self.video.duration_seconds

    @property
    def revision(self) -> int:
        """1 when submitted; grows with every change (the version the entry is stored at)."""
        return self.version

    def withdraw(self, *, edition: Edition, enrolment: Enrolment, now: datetime) -> None:
        self._check_active()
        edition.check_open(now)
        enrolment.release_entry()
        self.history.append(self._snapshot())
        self.status = "withdrawn"
        self.updated_at = now
        self.events.append(events.EntryWithdrawn(self))

    def disqualify(self, *, reason: str, now: datetime) -> None:
        self._check_active()
        self.status = "disqualified"
        self.disqualification_reason = reason
        self.updated_at = now
        self.events.append(events.EntryDisqualified(self))

    def _check_active(self) -> None:
        if self.status != "submitted":
            status_id, status_en = STATUS_TEXT[self.status]
            raise EntryNotActive(status_id=status_id, status_en=status_en)
