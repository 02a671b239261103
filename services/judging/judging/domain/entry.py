"""An entry as judging knows it, kept from the submissions service's entry.* events,
with which judges have scored it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from shared.kernel.aggregate import Aggregate

EntryStatus = Literal["submitted", "withdrawn", "disqualified"]


@dataclass(kw_only=True)
class Region:
    code: str
    name: str


@dataclass(frozen=True, kw_only=True)
class JudgeView:
    """An entry as a judge sees it, with what they need to watch and score it;
    judging blind, without the KIM's name or kelurahan, even where the KIM
    wrote them into its title or synopsis."""

    entry_id: UUID
    title: str
    kim_name: str | None
    kelurahan: Region | None
    video_url: str
    synopsis: str
    duration_seconds: int
    umkm_featured: list[str]


#: What stands in, judging blind, for the KIM's name or kelurahan written into
#: the entry's own text.
WITHHELD = "…"


@dataclass(frozen=True, kw_only=True)
class Requirement:
    """The sheets an entry needs: one from each of `judges`, once `unassigned`
    more judges are assigned (k per entry). With no judge who may score it, it
    is never complete: staff must appoint one."""

    judges: frozenset[UUID]
    unassigned: int = 0

    def met_by(self, scored_by: list[UUID]) -> bool:
        return self.unassigned == 0 and bool(self.judges) and self.judges <= set(scored_by)


@dataclass(kw_only=True)
class Entry(Aggregate):
    entry_id: UUID
    edition_id: UUID
    kim_id: UUID
    kim_name: str
    kelurahan: Region
    title: str
    status: EntryStatus
    submitted_at: datetime
    #: The submissions service's revision last applied; older ones are ignored.
    revision: int
    #: What a judge watches and reads (entries kept before these were taken
    #: have them once judging's entry projection is rebuilt).
    video_url: str = ""
    synopsis: str = ""
    duration_seconds: int = 0
    umkm_featured: list[str] = field(default_factory=list)
    #: Codes of the edition's ranked categories the entry is entered for.
    categories: list[str] = field(default_factory=list)
    #: Judges with a score sheet for this entry.
    scored_by: list[UUID] = field(default_factory=list)
    #: Every judge who must score it has; kept so completion is one indexed count.
    complete: bool = False

    @property
    def in_competition(self) -> bool:
        return self.status == "submitted"

    def seen_by_judges(self, blind: bool) -> JudgeView:
        shown = self._withheld if blind else str
        return JudgeView(
            entry_id=self.entry_id,
            title=shown(self.title),
            kim_name=None if blind else self.kim_name,
            kelurahan=None if blind else self.kelurahan,
            video_url=self.video_url,
            synopsis=shown(self.synopsis),
            duration_seconds=self.duration_seconds,
            umkm_featured=[shown(umkm) for umkm in self.umkm_featured],
        )

    def _withheld(self, text: str) -> str:
        """`text` without the KIM's name or kelurahan (any case), longest name first."""
        names = {self.kim_name, self.kelurahan.name}
        if self.kim_name.upper().startswith("KIM "):
            names.add(self.kim_name[4:])
        for name in sorted((n.strip() for n in names if n.strip()), key=len, reverse=True):
            text = re.sub(rf"\b{re.escape(name)}\b", WITHHELD, text, flags=re.IGNORECASE)
        return text

    def apply(self, *, revision: int, **kept: Any) -> bool:
        """Take a newer state from submissions (the fields named in
        `projections.FROM_SUBMISSIONS`); returns whether anything was applied."""
        if revision <= self.revision:
            return False
        for name, value in kept.items():
            setattr(self, name, value)
        self.revision = revision
        return True

    def scored(self, judge_id: UUID, required: Requirement) -> bool:
        """Note a judge's first sheet; returns whether the entry just became complete."""
        if judge_id not in self.scored_by:
            self.scored_by.append(judge_id)
        return self.reassess(required)

    def reassess(self, required: Requirement) -> bool:
        """Recompute completeness against the sheets now required; True if it just became complete."""
        was = self.complete
        self.complete = required.met_by(self.scored_by)
        return self.complete and not was
