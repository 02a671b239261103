"""The judges of an edition's panel, the affiliations they declared, and the
abstentions those affiliations cause."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from uuid import UUID

from shared.kernel.i18n import Language

from .entry import Entry


@dataclass(kw_only=True)
class Affiliations:
    kelurahan_codes: list[str] = field(default_factory=list)
    kim_ids: list[UUID] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class Abstention:
    """A judge does not score an entry because of an affiliation they declared."""

    judge_id: UUID
    judge_name: str
    #: Which declaration: the entry's KIM itself, or its kelurahan.
    kind: Literal["kim", "kelurahan"]
    #: What it names, as people read it: "KIM Mojolangu", "Kelurahan Mojolangu".
    affiliation: str

    def reason(self, language: Language) -> str:
        if language == "en":
            return f"declared an affiliation with {self.affiliation}"
        return f"menyatakan keterkaitan dengan {self.affiliation}"


@dataclass(kw_only=True)
class Judge:
    judge_id: UUID
    name: str
    email: str | None = None
    affiliations: Affiliations = field(default_factory=Affiliations)
    appointed_at: datetime
    removed_at: datetime | None = None

    @property
    def on_panel(self) -> bool:
        return self.removed_at is None

    def abstention(self, entry: Entry) -> Abstention | None:
        """Why this judge may not score `entry`, if they may not."""
        if entry.kim_id in self.affiliations.kim_ids:
            return Abstention(
                judge_id=self.judge_id, judge_name=self.name, kind="kim", affiliation=entry.kim_name
            )
        if entry.kelurahan.code in self.affiliations.kelurahan_codes:
            return Abstention(
                judge_id=self.judge_id,
                judge_name=self.name,
                kind="kelurahan",
                affiliation=f"Kelurahan {entry.kelurahan.name}",
            )
        return None

    def conflicted_with(self, entry: Entry) -> bool:
        return self.abstention(entry) is not None
