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
    status: Literal["submitted", "withdrawn", "disqualified"]
    revision: int = Field(description="1 on submission, +1 for every revision or status change.")
    submitted_at: AwareDatetime = Field(description="When the entry was first submitted.")
    updated_at: AwareDatetime
    disqualification_reason: str | None = None


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
