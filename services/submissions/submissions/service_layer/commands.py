"""What KIM representatives and staff ask of the submissions service: one command
per use case that changes an entry, built once from the request (e.g.
`SubmitEntry(**body.model_dump(), edition_id=edition_id)`) and handed whole to
the use case. What a KIM writes reaches the entry as the command's own fields
(`written()`), so a new field is added to the command and the entry, not to every
call in between."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from shared.kernel.commands import fields_of


@dataclass(frozen=True, kw_only=True)
class SubmitEntry:
    edition_id: UUID
    kim_id: UUID
    title: str
    synopsis: str
    video_url: str
    umkm_featured: list[str]
    #: Not typed by the KIM any more (looked up); given, it is checked against the maximum.
    duration_seconds: int | None = None
    #: Codes of the edition's ranked categories the entry is entered for.
    categories: list[str] = field(default_factory=list)

    def written(self) -> dict[str, Any]:
        """What the KIM wrote, as `Entry.submit` takes it: every field but the ids."""
        return fields_of(self, but=("edition_id", "kim_id"))


@dataclass(frozen=True, kw_only=True)
class ReviseEntry:
    """Only the fields given change; None keeps what the entry has."""

    entry_id: UUID
    title: str | None = None
    synopsis: str | None = None
    video_url: str | None = None
    duration_seconds: int | None = None
    umkm_featured: list[str] | None = None
    categories: list[str] | None = None

    def written(self) -> dict[str, Any]:
        """The changes, as `Entry.revise` takes them: every field but the id."""
        return fields_of(self, but=("entry_id",))


@dataclass(frozen=True, kw_only=True)
class WithdrawEntry:
    entry_id: UUID


@dataclass(frozen=True, kw_only=True)
class DisqualifyEntry:
    entry_id: UUID
    reason: str
