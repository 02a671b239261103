"""Events the submissions service publishes: entries as they now stand."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from .envelope import Envelope, Payload
from .registry import Region


class EntryDetails(Payload):
    entry_id: UUID
    edition_id: UUID
    kim_id: UUID
    kim_name: str
    kelurahan: Region
    title: str
    synopsis: str
    video_url: str
    duration_seconds: int = Field(
        description="The film's length in seconds; 0 while it is not yet known "
        "(submissions looks it up from the film's host)."
    )
    umkm_featured: list[str]
    categories: list[str] = Field(
        default=[], description="Codes of the edition's ranked categories the entry is entered for."
    )
    status: Literal["submitted", "withdrawn", "disqualified"]
    revision: int = Field(description="1 on submission, +1 for every revision or status change.")
    submitted_at: AwareDatetime = Field(description="When the entry was first submitted.")
    updated_at: AwareDatetime
    disqualification_reason: str | None = None
    undone_after_close_at: AwareDatetime | None = Field(
        default=None,
        description="When changes its KIM made after staff closed submissions were undone: "
        "the entry is as it stood at the closing instant (withdrawn if submitted after it).",
    )


class EntrySubmitted(Envelope[EntryDetails]):
    """A KIM submitted an entry; data is the entry as it now stands (revision 1)."""

    event_type = "entry.submitted"


class EntryRevised(Envelope[EntryDetails]):
    """A KIM revised its entry before the deadline."""

    event_type = "entry.revised"


class EntryWithdrawn(Envelope[EntryDetails]):
    """A KIM withdrew its entry; it is no longer in competition."""

    event_type = "entry.withdrawn"


class EntryDisqualified(Envelope[EntryDetails]):
    """Staff disqualified an entry; `disqualification_reason` says why."""

    event_type = "entry.disqualified"


class FilmCheckDetails(Payload):
    """What the film's host said of an entry's link."""

    entry_id: UUID
    edition_id: UUID
    kim_id: UUID
    kim_name: str
    title: str = Field(description="The entry's title.")
    video_url: str
    revision: int = Field(description="The entry's revision with this check recorded.")
    status: Literal["ok", "needs_review"]
    needs_review: bool
    reason: Literal["unreachable", "too_long", "duration_unknown", "link_refused"] | None = Field(
        description="Why staff must look at it: the link does not answer, the film is over the "
        "edition's maximum, the host does not tell its length, or the link leads to an address "
        "that is not fetched (private, loopback)."
    )
    reachable: bool
    duration_seconds: int | None = Field(description="The film's length as its host tells it.")
    host_title: str | None = Field(description="The film's title on its host.")
    max_video_seconds: int
    checked_at: AwareDatetime
    kim_email: str | None = Field(
        default=None, description="The KIM's contact email, when its film needs review: whom to tell."
    )


class EntryFilmChecked(Envelope[FilmCheckDetails]):
    """Submissions looked the entry's film up on its host: its length and title,
    or why staff must review it (the KIM is told)."""

    event_type = "entry.film_checked"
