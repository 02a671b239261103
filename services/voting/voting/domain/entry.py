"""An entry as the gallery shows it, kept from submissions' entry.* events; its
kecamatan from the registry's kim.* events (an entry names only its kelurahan)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from uuid import UUID

from shared.kernel.aggregate import Aggregate


@dataclass(frozen=True, kw_only=True)
class Region:
    code: str
    name: str


@dataclass(kw_only=True)
class Entry(Aggregate):
    entry_id: UUID
    edition_id: UUID
    kim_id: UUID
    kim_name: str
    kelurahan: Region
    kecamatan: Region | None = None
    title: str
    synopsis: str
    video_url: str
    umkm_featured: list[str]
    status: Literal["submitted", "withdrawn", "disqualified"]
    revision: int
    submitted_at: datetime
    #: The edition's ranked categories (their codes) the entry is entered for.
    categories: list[str] = field(default_factory=list)

    @property
    def in_competition(self) -> bool:
        return self.status == "submitted"


@dataclass(kw_only=True)
class Kim(Aggregate):
    """A KIM's kecamatan, which the gallery files its entries under."""

    kim_id: UUID
    kecamatan: Region
    revision: int
