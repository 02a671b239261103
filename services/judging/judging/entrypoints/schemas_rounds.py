"""Judging's HTTP shapes for two rounds (`domain/rounds.py`)."""

from __future__ import annotations

from datetime import datetime
from typing import Self
from uuid import UUID

from pydantic import Field

from shared.kernel.i18n import Language

from ..domain.edition import Edition
from ..domain.rounds import Shortlist, ShortlistRule
from ..service_layer.rounds import SetRounds
from ..service_layer.shapes import by_attribute
from .schemas import Input, Public


class ShortlistRuleIn(Input):
    size: int | None = Field(
        None, ge=1, le=1000, description="the top n go on (entries equal with the n-th too)"
    )
    min_score: float | None = Field(
        None, ge=0, le=100, multiple_of=0.01, description="every entry scoring at least this goes on"
    )
    public: bool = Field(False, description="publish the shortlist (shortlist.announced) when round 1 closes")


class RoundsIn(Input):
    shortlist: ShortlistRuleIn

    def command(self, edition_id: UUID) -> SetRounds:
        rule = self.shortlist
        return SetRounds(
            edition_id=edition_id,
            rule=ShortlistRule(size=rule.size, min_score=rule.min_score, public=rule.public),
        )


class ShortlistRulePublic(Public):
    size: int | None
    min_score: float | None
    public: bool
    text: str = Field(description='how entries go on: "top 10", "score >= 75"')


class ShortlistedPublic(Public):
    rank: int = Field(description="in round 1")
    entry_id: UUID
    entry_title: str
    kim_id: UUID
    kim_name: str
    score: float = Field(description="round 1's score")


class ShortlistPublic(Public):
    edition_id: UUID
    final_edition_id: UUID = Field(description="the final round's own id (its routes take either)")
    rule: ShortlistRulePublic
    field_size: int = Field(description="entries round 1 ranked")
    entries: list[ShortlistedPublic] = Field(description="going on to the final, best first")
    tied_at_cut: list[UUID] = Field(
        description="entries beyond `size` that go on because they are equal with the last one at the cut"
    )
    note: str | None = Field(description="the tie at the cut, said in the request's language")
    closed_at: datetime
    closed_by: str

    @classmethod
    def of(cls, edition: Edition, shortlist: Shortlist, language: Language) -> Self:
        assert edition.rounds is not None
        rule = edition.rounds.rule
        return by_attribute(
            cls,
            shortlist,
            edition_id=edition.edition_id,
            rule=ShortlistRulePublic.model_validate(rule),
            entries=[ShortlistedPublic.model_validate(e) for e in shortlist.entries],
            note=_tie_note(shortlist, rule, language),
        )


class RoundsPublic(Public):
    edition_id: UUID
    title: str
    rounds: int = Field(description="1, or 2 with a shortlist round then a final round")
    rule: ShortlistRulePublic | None
    shortlist: ShortlistPublic | None = Field(description="once round 1 is closed")

    @classmethod
    def of(cls, edition: Edition, language: Language) -> Self:
        plan = edition.rounds
        return cls(
            edition_id=edition.edition_id,
            title=edition.title,
            rounds=1 if plan is None else 2,
            rule=ShortlistRulePublic.model_validate(plan.rule) if plan else None,
            shortlist=ShortlistPublic.of(edition, plan.shortlist, language)
            if plan and plan.shortlist
            else None,
        )


def _tie_note(shortlist: Shortlist, rule: ShortlistRule, language: Language) -> str | None:
    if not shortlist.tied_at_cut:
        return None
    count, size = len(shortlist.entries), rule.size
    if language == "en":
        return (
            f"{count} entries go on instead of {size}: {len(shortlist.tied_at_cut)} are equal "
            f"with the last one at the cut and go on together."
        )
    return (
        f"{count} karya lolos, bukan {size}: {len(shortlist.tied_at_cut)} karya bernilai sama "
        f"dengan karya terakhir di batas dan ikut lolos bersama."
    )
