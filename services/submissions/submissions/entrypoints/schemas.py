"""The submissions service's HTTP shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.platform.schemas import Input as StrictInput
from shared.platform.schemas import LongText, Name, Reason, ShortText

from ..domain.edition import Edition

VideoUrl = ShortText


class Input(StrictInput):
    """Unknown fields refused, and values that fit only after a conversion (`shared.platform.schemas`)."""


class EntryCreate(Input):
    kim_id: UUID
    title: Name = Field(examples=["Topeng Malangan dari Tangan-Tangan Istimewa"])
    synopsis: LongText = Field(min_length=20)
    video_url: VideoUrl = Field(examples=["https://youtu.be/abc123XYZ"], max_length=500)
    duration_seconds: int = Field(ge=1, le=24 * 3600, examples=[240])
    umkm_featured: list[ShortText] = Field(
        min_length=1, max_length=20, examples=[["Sanggar Topeng Asmorobangun"]]
    )


class EntryUpdate(Input):
    title: Name | None = None
    synopsis: LongText | None = Field(None, min_length=20)
    video_url: VideoUrl | None = Field(None, max_length=500)
    duration_seconds: int | None = Field(None, ge=1, le=24 * 3600)
    umkm_featured: list[ShortText] | None = Field(None, min_length=1, max_length=20)


class Disqualification(Input):
    reason: Reason


class RegionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str


# Read from the entry by attribute: `EntryPublic.model_validate(entry)`.
class EntryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    entry_id: UUID
    edition_id: UUID
    kim_id: UUID
    kim_name: str
    kelurahan: RegionPublic
    title: str
    synopsis: str
    video_url: str
    duration_seconds: int
    umkm_featured: list[str]
    status: Literal["submitted", "withdrawn", "disqualified"]
    revision: int = Field(description="1 when submitted; grows with every change")
    submitted_at: datetime
    updated_at: datetime
    disqualification_reason: str | None


# Mapped by hand, on purpose: it flattens the edition's rules and works out
# `open_now` for the time asked.
class SubmissionWindowPublic(BaseModel):
    edition_id: UUID
    title: str
    opens_at: datetime
    closes_at: datetime
    closed_at: datetime | None
    open_now: bool
    max_video_seconds: int
    allowed_video_hosts: list[str]
    entries_per_kim: int

    @classmethod
    def of(cls, edition: Edition, now: datetime) -> Self:
        return cls(
            edition_id=edition.edition_id,
            title=edition.title,
            opens_at=edition.opens_at,
            closes_at=edition.closes_at,
            closed_at=edition.closed_at,
            open_now=edition.closed_at is None and edition.opens_at <= now < edition.closes_at,
            max_video_seconds=edition.rules.max_video_seconds,
            allowed_video_hosts=edition.rules.allowed_video_hosts,
            entries_per_kim=edition.rules.entries_per_kim,
        )
