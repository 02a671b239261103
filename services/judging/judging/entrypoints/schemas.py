"""Judging's HTTP shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from shared.schemas import Name, ShortText

from ..domain.edition import Affiliations, Announcement, Edition, Judge
from ..domain.entry import Entry
from ..domain.ranking import Placing
from ..domain.rubric import Criterion, Rubric
from ..domain.score_sheet import ScoreSheet
from ..service_layer.services import Progress

CriterionId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,39}$")]
KelurahanCode = Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{2,60}$")]
Score = Annotated[int, Field(ge=0, le=100)]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CriterionIn(Input):
    criterion_id: CriterionId = Field(examples=["tema"])
    name_id: ShortText = Field(examples=["Kesesuaian dengan tema"])
    name_en: ShortText = Field(examples=["Relevance to the theme"])
    weight: int = Field(ge=1, le=100, examples=[30])


class RubricIn(Input):
    criteria: list[CriterionIn] = Field(min_length=2, max_length=10)

    def to_domain(self) -> Rubric:
        return Rubric(
            criteria=tuple(
                Criterion(criterion_id=c.criterion_id, name_id=c.name_id, name_en=c.name_en, weight=c.weight)
                for c in self.criteria
            )
        )


class AffiliationsIn(Input):
    kelurahan_codes: list[KelurahanCode] = Field(default=[], max_length=60)
    kim_ids: list[UUID] = Field(default=[], max_length=200)


class JudgeCreate(Input):
    name: Name = Field(examples=["Rina Wulandari"])
    email: EmailStr | None = None
    affiliations: AffiliationsIn = AffiliationsIn()

    def affiliations_domain(self) -> Affiliations:
        return Affiliations(
            kelurahan_codes=list(self.affiliations.kelurahan_codes), kim_ids=list(self.affiliations.kim_ids)
        )


class ScoreSheetIn(Input):
    scores: dict[CriterionId, Score] = Field(
        examples=[{"tema": 90, "kreativitas": 85, "teknis": 80, "promosi_umkm": 88}], max_length=10
    )


class CriterionPublic(BaseModel):
    criterion_id: str
    name_id: str
    name_en: str
    weight: int


class AffiliationsPublic(BaseModel):
    kelurahan_codes: list[str]
    kim_ids: list[UUID]


class JudgePublic(BaseModel):
    judge_id: UUID
    name: str
    email: str | None
    affiliations: AffiliationsPublic
    appointed_at: datetime
    removed_at: datetime | None

    @classmethod
    def of(cls, judge: Judge) -> Self:
        return cls(
            judge_id=judge.judge_id,
            name=judge.name,
            email=judge.email,
            affiliations=AffiliationsPublic(
                kelurahan_codes=judge.affiliations.kelurahan_codes, kim_ids=judge.affiliations.kim_ids
            ),
            appointed_at=judge.appointed_at,
            removed_at=judge.removed_at,
        )


class ProgressPublic(BaseModel):
    required: int = Field(description="sheets the panel must fill")
    recorded: int
    missing: int


class EditionJudgingPublic(BaseModel):
    edition_id: UUID
    title: str
    status: Literal["waiting_for_submissions", "scoring", "completed", "announced"]
    awarded_ranks: int
    submissions_closed_at: datetime | None
    completed_at: datetime | None
    announced_at: datetime | None
    rubric: list[CriterionPublic]
    panel: list[JudgePublic]
    progress: ProgressPublic

    @classmethod
    def of(cls, edition: Edition, progress: Progress) -> Self:
        return cls(
            edition_id=edition.edition_id,
            title=edition.title,
            status=edition.status,
            awarded_ranks=edition.awarded_ranks,
            submissions_closed_at=edition.submissions_closed_at,
            completed_at=edition.completed_at,
            announced_at=edition.announcement.announced_at if edition.announcement else None,
            rubric=[CriterionPublic(**vars(c)) for c in edition.rubric.criteria],
            panel=[JudgePublic.of(j) for j in edition.panel],
            progress=ProgressPublic(
                required=progress.required, recorded=progress.recorded, missing=progress.missing
            ),
        )


class ScoreSheetPublic(BaseModel):
    sheet_id: UUID
    edition_id: UUID
    entry_id: UUID
    judge_id: UUID
    scores: dict[str, int]
    total: float = Field(description="weighted total, 0-100")
    revision: int
    recorded_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, sheet: ScoreSheet, rubric: Rubric) -> Self:
        return cls(
            sheet_id=sheet.sheet_id,
            edition_id=sheet.edition_id,
            entry_id=sheet.entry_id,
            judge_id=sheet.judge_id,
            scores=sheet.scores,
            total=round(sheet.total(rubric), 2),
            revision=sheet.version,
            recorded_at=sheet.recorded_at,
            updated_at=sheet.updated_at,
        )


class RegionPublic(BaseModel):
    code: str
    name: str


class EntryJudgingPublic(BaseModel):
    entry_id: UUID
    title: str
    kim_id: UUID
    kim_name: str
    kelurahan: RegionPublic
    status: Literal["submitted", "withdrawn", "disqualified"]
    submitted_at: datetime
    sheets: int = Field(description="score sheets recorded")
    complete: bool

    @classmethod
    def of(cls, entry: Entry) -> Self:
        return cls(
            entry_id=entry.entry_id,
            title=entry.title,
            kim_id=entry.kim_id,
            kim_name=entry.kim_name,
            kelurahan=RegionPublic(code=entry.kelurahan.code, name=entry.kelurahan.name),
            status=entry.status,
            submitted_at=entry.submitted_at,
            sheets=len(entry.scored_by),
            complete=entry.complete,
        )


class AssignmentPublic(BaseModel):
    entry: EntryJudgingPublic
    sheet: ScoreSheetPublic | None


class PlacingPublic(BaseModel):
    rank: int
    entry_id: UUID
    entry_title: str
    kim_id: UUID
    kim_name: str
    kelurahan: RegionPublic
    score: float = Field(description="mean of the judges' weighted totals, two decimals")

    @classmethod
    def of(cls, placing: Placing) -> Self:
        return cls(
            rank=placing.rank,
            entry_id=placing.entry_id,
            entry_title=placing.entry_title,
            kim_id=placing.kim_id,
            kim_name=placing.kim_name,
            kelurahan=RegionPublic(code=placing.kelurahan.code, name=placing.kelurahan.name),
            score=placing.score,
        )


class StaffPlacingPublic(PlacingPublic):
    priority_score: float
    judges: int

    @classmethod
    def of(cls, placing: Placing) -> Self:
        return cls(
            **PlacingPublic.of(placing).model_dump(),
            priority_score=placing.priority_score,
            judges=placing.judges,
        )


class RankingPublic(BaseModel):
    edition_id: UUID
    status: Literal["waiting_for_submissions", "scoring", "completed", "announced"]
    tie_break: list[str]
    ranking: list[StaffPlacingPublic]


class ResultsPublic(BaseModel):
    edition_id: UUID
    title: str
    announced_at: datetime
    winners: list[PlacingPublic]
    ranking: list[PlacingPublic]
    tie_break: list[str]

    @classmethod
    def of(cls, edition: Edition, announcement: Announcement) -> Self:
        return cls(
            edition_id=edition.edition_id,
            title=edition.title,
            announced_at=announcement.announced_at,
            winners=[PlacingPublic.of(p) for p in announcement.winners],
            ranking=[PlacingPublic.of(p) for p in announcement.ranking],
            tie_break=announcement.tie_break,
        )
