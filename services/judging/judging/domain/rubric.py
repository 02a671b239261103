"""The rubric: weighted criteria, each scored 0–100, weights summing to 100."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from fractions import Fraction

from .errors import (
    PriorityCriterionUnknown,
    RubricCriteriaDuplicated,
    RubricWeightsInvalid,
    ScoreOutOfRange,
    ScoresDoNotMatchRubric,
)

MAX_SCORE = 100


@dataclass(kw_only=True, frozen=True)
class Criterion:
    criterion_id: str
    name_id: str
    name_en: str
    weight: int


@dataclass(kw_only=True, frozen=True)
class Rubric:
    criteria: tuple[Criterion, ...]

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for criterion in self.criteria:
            if criterion.criterion_id in seen:
                raise RubricCriteriaDuplicated(criterion_id=criterion.criterion_id)
            seen.add(criterion.criterion_id)
        total = sum(c.weight for c in self.criteria)
        if total != 100:
            raise RubricWeightsInvalid(total=total)

    @property
    def priority(self) -> Criterion:
        """The criterion that breaks ties first: the heaviest, the earliest listed among equals."""
        return max(self.criteria, key=lambda c: c.weight)

    def priority_or(self, criterion_id: str | None) -> Criterion:
        """The criterion staff chose to break ties first, or by default the heaviest."""
        if criterion_id is None:
            return self.priority
        for criterion in self.criteria:
            if criterion.criterion_id == criterion_id:
                return criterion
        raise PriorityCriterionUnknown(
            criterion_id=criterion_id, expected=", ".join(c.criterion_id for c in self.criteria)
        )

    def check(self, scores: dict[str, int]) -> None:
        expected = [c.criterion_id for c in self.criteria]
        missing = [c for c in expected if c not in scores]
        unknown = sorted(set(scores) - set(expected))
        if missing or unknown:
            raise ScoresDoNotMatchRubric(
                expected=", ".join(expected),
                missing=", ".join(missing) or "-",
                unknown=", ".join(unknown) or "-",
            )
        for criterion_id, score in scores.items():
            if not 0 <= score <= MAX_SCORE:
                raise ScoreOutOfRange(criterion_id=criterion_id, score=score)

    def weighted_total(self, scores: dict[str, int]) -> Fraction:
        """Σ score × weight / 100: a number from 0 to 100, kept exact for ranking."""
        return _hundredths(sum(scores[c.criterion_id] * c.weight for c in self.criteria))


@functools.lru_cache(maxsize=16384)  # totals repeat; a Fraction is immutable, so it can be shared
def _hundredths(value: int) -> Fraction:
    return Fraction(value, 100)


#: The default for a short-video competition promoting UMKM.
DEFAULT_RUBRIC = Rubric(
    criteria=(
        Criterion(
            criterion_id="tema",
            name_id="Kesesuaian dengan tema",
            name_en="Relevance to the theme",
            weight=30,
        ),
        Criterion(
            criterion_id="kreativitas",
            name_id="Kreativitas dan orisinalitas",
            name_en="Creativity and originality",
            weight=25,
        ),
        Criterion(
            criterion_id="teknis",
            name_id="Kualitas teknis (gambar, suara, penyuntingan)",
            name_en="Technical quality (image, sound, editing)",
            weight=20,
        ),
        Criterion(
            criterion_id="promosi_umkm",
            name_id="Daya promosi UMKM",
            name_en="Power to promote the UMKM",
            weight=25,
        ),
    )
)
