"""The submissions service's HTTP shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.platform.schemas import Input as StrictInput
from shared.platform.schemas import LongText, Name, Reason, ShortText

from ..domain.edition import Edition

VideoUrl = ShortText
CategoryCode = Annotated[str, Field(max_length=40, examples=["sinematografi"])]


class Input(StrictInput):
    """Unknown fields refused, and values that fit only after a conversion (`shared.platform.schemas`)."""


class EntryCreate(Input):
    kim_id: UUID
    title: Name = Field(examples=["Topeng Malangan dari Tangan-Tangan Istimewa"])
    synopsis: LongText = Field(min_length=20)
    video_url: VideoUrl = Field(examples=["https://youtu.be/abc123XYZ"], max_length=500)
    duration_seconds: int | None = Field(
        None,
        ge=1,
        le=24 * 3600,
        description="Optional: submissions looks the film's length up from its host.",
    )
    umkm_featured: list[ShortText] = Field(
        min_length=1, max_length=20, examples=[["Sanggar Topeng Asmorobangun"]]
    )
    categories: list[CategoryCode] = Field(
        default=[],
        max_length=30,
        description="Codes of the edition's ranked categories the entry is entered for (besides the "
        "main ranking, which every entry is in)",
        examples=[["sinematografi", "promosi-umkm"]],
    )


class EntryUpdate(Input):
    title: Name | None = None
    synopsis: LongText | None = Field(None, min_length=20)
    video_url: VideoUrl | None = Field(None, max_length=500)
    duration_seconds: int | None = Field(None, ge=1, le=24 * 3600)
    umkm_featured: list[ShortText] | None = Field(None, min_length=1, max_length=20)
    categories: list[CategoryCode] | None = Field(None, max_length=30, description="Given whole; [] for none")


class Disqualification(Input):
    reason: Reason


class RegionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str


class FilmCheckPublic(BaseModel):
    """The check of the film on its host."""

    model_config = ConfigDict(from_attributes=True)

    status: Literal["pending", "ok", "needs_review"] = Field(
        description="pending until the host answered; needs_review: staff must look at it (see reason)"
    )
    duration_seconds: int | None = Field(description="The film's length as its host tells it")
    host_title: str | None = Field(description="The film's title on its host")
    checked_at: datetime | None
    reason: Literal["unreachable", "too_long", "duration_unknown", "link_refused"] | None = Field(
        description="Why staff must look at it: the link does not answer, the film is over the "
        "edition's maximum, the host does not tell its length, or the link leads to an address "
        "that is not fetched"
    )


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
    duration_seconds: int | None = Field(description="The film's length; null until it is known")
    umkm_featured: list[str]
    categories: list[str] = Field(description="Codes of the ranked categories it is entered for")
    status: Literal["submitted", "withdrawn", "disqualified"]
    revision: int = Field(description="1 when submitted; grows with every change")
    submitted_at: datetime
    updated_at: datetime
    disqualification_reason: str | None
    film_check: FilmCheckPublic | None = Field(
        description="The check of the film on its host; null when none was asked for (checks off)"
    )
    undone_after_close_at: datetime | None = Field(
        description="When changes made after staff closed submissions were undone (the entry is "
        "as it stood at the closing instant; withdrawn if it was submitted after it)"
    )


class CategoryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    title: str
    kind: Literal["ranked", "special", "favourite"]


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
    categories: list[CategoryPublic] = Field(
        description="The edition's categories; KIMs enter their entries for those of kind `ranked`"
    )

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
            categories=[CategoryPublic.model_validate(c) for c in edition.categories],
        )
