"""Judging's HTTP shapes for an edition's categories."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Self
from uuid import UUID

from pydantic import Field

from shared.platform.schemas import Reason

from ..domain.categories import Category
from ..domain.category_errors import CategoryCriterionUnknown
from ..domain.edition import Edition
from ..domain.rubric import Criterion
from ..service_layer.categories import CategoryState
from ..service_layer.category_commands import GiveSpecialAward, SetCategoryRubric
from ..service_layer.shapes import by_attribute
from .schemas import CriterionId, CriterionPublic, Input, PrizePublic, Public


class CategoryRubricIn(Input):
    weights: dict[CriterionId, int] = Field(
        min_length=1,
        max_length=10,
        description="weights over the edition's rubric criteria, summing to 100; one left out weighs 0",
        examples=[{"tema": 20, "kreativitas": 20, "teknis": 50, "promosi_umkm": 10}],
    )

    def command(self, edition_id: UUID, code: str) -> SetCategoryRubric:
        return SetCategoryRubric(edition_id=edition_id, category=code, weights=dict(self.weights))


class SpecialAwardIn(Input):
    entry_id: UUID
    reason: Reason = Field(examples=["Film paling jujur memotret kehidupan pelaku UMKM kampung."])

    def command(self, edition_id: UUID, code: str) -> GiveSpecialAward:
        return GiveSpecialAward(
            edition_id=edition_id, category=code, entry_id=self.entry_id, reason=self.reason
        )


class SpecialAwardPublic(Public):
    entry_id: UUID
    reason: str
    given_by: str
    given_at: datetime


class CategoryPublic(Public):
    code: str
    title: str
    kind: Literal["ranked", "special", "favourite"]
    description: str
    awarded_ranks: int
    prizes: list[PrizePublic]
    rubric: list[CriterionPublic] | None = Field(description="null: the edition's rubric")
    entries: int = Field(description="entries competing in it (a ranked category: those entered for it)")
    latest_version: int | None = Field(description="the latest frozen version; null before the first")
    announced_version: int | None
    award: SpecialAwardPublic | None = Field(description="a special award: who the jury gave it to, and why")

    @classmethod
    def of(cls, edition: Edition, state: CategoryState) -> Self:
        found = state.category
        return by_attribute(
            cls,
            found,
            rubric=_rubric(edition, found),
            entries=state.entries,
            latest_version=found.results_frozen or None,
        )


def _rubric(edition: Edition, found: Category) -> list[Criterion] | None:
    if found.weights is None:
        return None
    try:
        return list(found.rubric_over(edition.rubric).criteria)
    except CategoryCriterionUnknown:  # the edition's rubric changed since: its weights as given
        return [
            Criterion(criterion_id=criterion_id, name_id=criterion_id, name_en=criterion_id, weight=weight)
            for criterion_id, weight in found.weights.items()
        ]
