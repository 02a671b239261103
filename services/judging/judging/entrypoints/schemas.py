"""Judging's HTTP shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, Self
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from shared.kernel.i18n import Language
from shared.platform.schemas import Input as StrictInput
from shared.platform.schemas import LongText, Name, Reason, ShortText

from ..domain.assignment import Assignment
from ..domain.edition import Abstention, Affiliations, Edition
from ..domain.entry import Entry
from ..domain.options import DEFAULT_TIE_BREAK, AssignmentMode, JudgingOptions, TieBreakRule
from ..domain.progress import Progress
from ..domain.results import Results, Standing
from ..domain.rubric import Criterion, Rubric
from ..domain.score_sheet import ScoreSheet
from ..domain.snapshot import Snapshot, Verification
from ..domain.ties import Tie
from ..service_layer.commands import (
    AppointJudge,
    CorrectScoreSheet,
    FreezeResults,
    RecordScoreSheet,
    ResolveTie,
    SetJudgingOptions,
    SetRubric,
)
from ..service_layer.shapes import by_attribute

CriterionId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,39}$")]
KelurahanCode = Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{2,60}$")]
Score = Annotated[int, Field(ge=0, le=100)]
Status = Literal["waiting_for_submissions", "scoring", "completed", "announced"]


class Input(StrictInput):
    """Unknown fields refused, and values that fit only after a conversion (`shared.platform.schemas`)."""


class Public(BaseModel):
    """An outgoing shape, read from a domain object by attribute: `model_validate(x)`,
    or `by_attribute` where a few fields are computed."""

    model_config = ConfigDict(from_attributes=True)


class CriterionIn(Input):
    criterion_id: CriterionId = Field(examples=["tema"])
    name_id: ShortText = Field(examples=["Kesesuaian dengan tema"])
    name_en: ShortText = Field(examples=["Relevance to the theme"])
    weight: int = Field(ge=1, le=100, examples=[30])


class RubricIn(Input):
    criteria: list[CriterionIn] = Field(min_length=2, max_length=10)

    def command(self, edition_id: UUID) -> SetRubric:
        rubric = Rubric(criteria=tuple(Criterion(**criterion.model_dump()) for criterion in self.criteria))
        return SetRubric(edition_id=edition_id, rubric=rubric)


class JudgingOptionsIn(Input):
    assignment_mode: AssignmentMode = Field(
        "all", description="all: every judge scores every entry free of conflict; k_per_entry: k judges each"
    )
    judges_per_entry: int | None = Field(None, ge=1, le=20, description="k, with k_per_entry only")
    blind: bool = Field(False, description="judges see entries without the KIM's name or kelurahan")
    normalise: bool = Field(False, description="rank on per-judge z-scores rescaled to 0-100")
    min_sheets_per_judge: int = Field(
        5, ge=2, le=1000, description="normalising, a judge with fewer sheets counts with raw totals"
    )
    tie_break: list[TieBreakRule] = Field(default=list(DEFAULT_TIE_BREAK), max_length=3)
    priority_criterion: CriterionId | None = Field(
        None, description="the criterion priority_criterion compares; default: the rubric's heaviest"
    )
    judging_deadline: AwareDatetime | None = Field(None, description="judges behind are reminded before it")

    def command(self, edition_id: UUID) -> SetJudgingOptions:
        options = JudgingOptions(**{**self.model_dump(), "tie_break": tuple(self.tie_break)})
        return SetJudgingOptions(edition_id=edition_id, options=options)


class AffiliationsIn(Input):
    kelurahan_codes: list[KelurahanCode] = Field(default=[], max_length=60)
    kim_ids: list[UUID] = Field(default=[], max_length=200)


class JudgeCreate(Input):
    name: Name = Field(examples=["Rina Wulandari"])
    email: EmailStr | None = None
    affiliations: AffiliationsIn = AffiliationsIn()

    def command(self, edition_id: UUID) -> AppointJudge:
        return AppointJudge(
            edition_id=edition_id,
            name=self.name,
            email=str(self.email) if self.email else None,
            affiliations=Affiliations(**self.affiliations.model_dump()),
        )


class ScoreSheetIn(Input):
    scores: dict[CriterionId, Score] = Field(
        examples=[{"tema": 90, "kreativitas": 85, "teknis": 80, "promosi_umkm": 88}], max_length=10
    )
    comment: LongText | None = Field(
        default=None, description="to the KIM, shown in its feedback after the announcement; absent keeps it"
    )
    note: LongText | None = Field(
        default=None, description="for the panel and staff, never shown to the KIM; absent keeps it"
    )
    revision: int | None = Field(
        default=None,
        ge=0,
        description="the sheet's revision last read (0: none yet); a sheet changed since is refused "
        "(409 sheet_stale) instead of overwritten",
    )

    def command(self, edition_id: UUID, entry_id: UUID, judge_id: UUID) -> RecordScoreSheet:
        return RecordScoreSheet(
            edition_id=edition_id, entry_id=entry_id, judge_id=judge_id, **self.model_dump()
        )


class SheetCorrectionIn(Input):
    """Staff correct the scores of a final sheet; its comment and note stay the judge's."""

    scores: dict[CriterionId, Score] = Field(
        examples=[{"tema": 90, "kreativitas": 85, "teknis": 80, "promosi_umkm": 88}], max_length=10
    )
    reason: Reason = Field(examples=["Juri salah ketik nilai teknis (85, bukan 58)."])

    def command(self, edition_id: UUID, entry_id: UUID, judge_id: UUID) -> CorrectScoreSheet:
        return CorrectScoreSheet(
            edition_id=edition_id, entry_id=entry_id, judge_id=judge_id, **self.model_dump()
        )


class TieResolutionIn(Input):
    order: list[UUID] = Field(min_length=2, max_length=100, description="the tied entries, best first")
    reason: Reason = Field(
        examples=["Dewan juri bermusyawarah dan memilih karya dengan dampak UMKM lebih nyata."]
    )

    def command(self, edition_id: UUID, tie_id: UUID) -> ResolveTie:
        return ResolveTie(edition_id=edition_id, tie_id=tie_id, order=tuple(self.order), reason=self.reason)


class FreezeIn(Input):
    reason: Reason | None = Field(None, description="required for a correction after an announcement")

    def command(self, edition_id: UUID) -> FreezeResults:
        return FreezeResults(edition_id=edition_id, **self.model_dump())


class CriterionPublic(Public):
    criterion_id: str
    name_id: str
    name_en: str
    weight: int


class OptionsPublic(Public):
    assignment_mode: AssignmentMode
    judges_per_entry: int | None
    blind: bool
    normalise: bool
    min_sheets_per_judge: int
    tie_break: list[TieBreakRule]
    priority_criterion: str = Field(description="the criterion priority_criterion compares")
    judging_deadline: datetime | None

    @classmethod
    def of(cls, options: JudgingOptions, rubric: Rubric) -> Self:
        return by_attribute(
            cls, options, priority_criterion=rubric.priority_or(options.priority_criterion).criterion_id
        )


class AffiliationsPublic(Public):
    kelurahan_codes: list[str]
    kim_ids: list[UUID]


class JudgePublic(Public):
    judge_id: UUID
    name: str
    email: str | None
    affiliations: AffiliationsPublic
    appointed_at: datetime
    removed_at: datetime | None


class ProgressPublic(Public):
    required: int = Field(description="sheets the panel must fill, counting judges still to be assigned")
    recorded: int
    missing: int


class EditionJudgingPublic(Public):
    edition_id: UUID
    title: str
    status: Status
    awarded_ranks: int
    submissions_closed_at: datetime | None
    completed_at: datetime | None
    rubric: list[CriterionPublic]
    options: OptionsPublic
    assigned_at: datetime | None = Field(description="when staff last assigned the entries")
    panel: list[JudgePublic]
    progress: ProgressPublic
    results_frozen: int = Field(description="results versions frozen so far")
    announced_version: int | None
    round_of: UUID | None = Field(None, description="on a final round: the edition it is the final of")

    @classmethod
    def of(cls, edition: Edition, progress: Progress) -> Self:
        return by_attribute(
            cls,
            edition,
            rubric=edition.rubric.criteria,
            options=OptionsPublic.of(edition.options, edition.rubric),
            assigned_at=edition.assignment.made_at if edition.assignment else None,
            progress=progress,
        )


class ScoreSheetPublic(Public):
    sheet_id: UUID
    edition_id: UUID
    entry_id: UUID
    judge_id: UUID
    scores: dict[str, int]
    total: float = Field(description="weighted total, 0-100")
    comment: str = Field(description="to the KIM")
    note: str = Field(description="for the panel and staff")
    revision: int
    recorded_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, sheet: ScoreSheet, rubric: Rubric) -> Self:
        return by_attribute(cls, sheet, total=round(sheet.total(rubric), 2), revision=sheet.version)


class RegionPublic(Public):
    code: str
    name: str


class EntryJudgingPublic(Public):
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
        return by_attribute(cls, entry, sheets=len(entry.scored_by))


class JudgeViewPublic(Public):
    """An entry as its judge sees it, with the film to watch; judging blind, without the KIM."""

    entry_id: UUID
    title: str
    kim_name: str | None
    kelurahan: RegionPublic | None
    video_url: str = Field(description="as the KIM submitted it; empty for entries kept before it was")
    synopsis: str
    duration_seconds: int
    umkm_featured: list[str]


class AssignedEntryPublic(Public):
    entry: JudgeViewPublic
    sheet: ScoreSheetPublic | None


class JudgeLoadPublic(Public):
    judge_id: UUID
    name: str
    entries: int


class EntryJudgesPublic(Public):
    entry_id: UUID
    judge_ids: list[UUID]


class AssignmentPublic(Public):
    mode: AssignmentMode
    judges_per_entry: int | None
    made_at: datetime
    made_by: str
    loads: list[JudgeLoadPublic] = Field(description="entries per judge on the panel, in appointment order")
    min_load: int
    max_load: int
    entries: list[EntryJudgesPublic]

    @classmethod
    def of(cls, assignment: Assignment, edition: Edition) -> Self:
        loads = [
            by_attribute(JudgeLoadPublic, judge, entries=len(assignment.entries_of(judge.judge_id)))
            for judge in edition.panel
        ]
        counts = [load.entries for load in loads] or [0]
        return by_attribute(cls, assignment, loads=loads, min_load=min(counts), max_load=max(counts))


class AbstentionPublic(Public):
    judge_id: UUID
    judge_name: str
    kind: Literal["kim", "kelurahan"]
    affiliation: str
    reason: str = Field(description="in the request's language")

    @classmethod
    def of(cls, abstention: Abstention, language: Language) -> Self:
        return by_attribute(cls, abstention, reason=abstention.reason(language))


class JudgeProgressPublic(Public):
    judge_id: UUID
    name: str
    assigned: int
    done: int
    missing: list[UUID] = Field(description="entries still without this judge's sheet")


class EntryProgressPublic(Public):
    entry_id: UUID
    title: str
    kim_name: str
    judges: list[UUID] = Field(description="who must score it")
    done: list[UUID]
    missing: list[UUID]
    unassigned: int = Field(description="judges still to be assigned (or appointed) before it can complete")
    abstentions: list[AbstentionPublic]


class EditionProgressPublic(ProgressPublic):
    deadline: datetime | None
    judges: list[JudgeProgressPublic]
    entries: list[EntryProgressPublic]

    @classmethod
    def of_edition(cls, edition: Edition, progress: Progress, language: Language) -> Self:
        return by_attribute(
            cls,
            progress,
            deadline=edition.options.judging_deadline,
            judges=[
                by_attribute(
                    JudgeProgressPublic,
                    p.judge,
                    assigned=len(p.assigned),
                    done=len(p.done),
                    missing=p.missing,
                )
                for p in progress.judges
            ],
            entries=[
                by_attribute(
                    EntryProgressPublic,
                    p.entry,
                    judges=p.done + p.missing,
                    done=p.done,
                    missing=p.missing,
                    unassigned=p.requirement.unassigned,
                    abstentions=[AbstentionPublic.of(a, language) for a in p.abstentions],
                )
                for p in progress.entries
            ],
        )


class PrizePublic(Public):
    rank: int
    title: str
    reward: str | None = Field(description='as the edition words it, e.g. "Rp40.000.000"')
    amount: int | None = Field(description="cash in rupiah; null when none")
    non_cash: str | None = Field(description='besides cash, e.g. "Trofi dan sertifikat"')


class CategoryRefPublic(Public):
    code: str
    title: str
    kind: Literal["ranked", "special", "favourite"]


class PlacingPublic(Public):
    rank: int
    shared: bool = Field(description="another entry has the same rank")
    entry_id: UUID
    entry_title: str
    kim_id: UUID
    kim_name: str
    kelurahan: RegionPublic
    score: float = Field(description="what ranked it, two decimals: normalised_score if normalised, else raw")
    raw_score: float = Field(description="mean of the judges' weighted totals")
    normalised_score: float | None = Field(description="mean of their normalised totals, if normalised")
    prize: PrizePublic | None = Field(
        None, description="what the place wins (the edition's or the category's)"
    )
    reason: str | None = Field(None, description="a special award: the jury's written reason")
    votes: int | None = Field(None, description="the favourite category: the public's votes")


class SheetRecordPublic(Public):
    judge_id: UUID
    scores: dict[str, int]
    total: float
    normalised: float | None
    raw_fallback: bool = Field(description="normalising, the judge had too few sheets: the raw total counts")


class StaffPlacingPublic(PlacingPublic):
    priority_score: float
    judges: int
    separated_by: str | None = Field(
        description="what put it above the next entry: score, a tie-break rule or staff_resolution"
    )
    sheets: list[SheetRecordPublic]
    abstentions: list[AbstentionPublic]

    @classmethod
    def of_standing(cls, standing: Standing, language: Language) -> Self:
        return by_attribute(
            cls, standing, abstentions=[AbstentionPublic.of(a, language) for a in standing.abstentions]
        )


class TieResolutionPublic(Public):
    order: list[UUID]
    reason: str
    resolved_by: str
    resolved_at: datetime


class TieInResultsPublic(Public):
    tie_id: UUID
    rank: int
    entry_ids: list[UUID]
    resolution: TieResolutionPublic | None


class TiePublic(TieInResultsPublic):
    detected_at: datetime
    stands: bool = Field(description="the tie is in the results as the sheets now stand")

    @classmethod
    def of(cls, tie: Tie, stands: bool) -> Self:
        return by_attribute(cls, tie, stands=stands)


def ties_of(results: Results) -> list[TieInResultsPublic]:
    return [TieInResultsPublic.model_validate(tie) for tie in results.ties]


class RankingPublic(Public):
    edition_id: UUID
    category: CategoryRefPublic | None = Field(None, description="null: the edition's main ranking")
    status: Status
    tie_break: list[str]
    content_hash: str = Field(description="SHA-256 the results would have if frozen now")
    ranking: list[StaffPlacingPublic]
    ties: list[TieInResultsPublic] = Field(description="ties within the awarded ranks, resolved or not")

    @classmethod
    def of(cls, edition: Edition, results: Results, language: Language) -> Self:
        return by_attribute(
            cls,
            edition,
            category=results.category,
            tie_break=results.tie_break,
            content_hash=results.digest(),
            ranking=[StaffPlacingPublic.of_standing(s, language) for s in results.standings],
            ties=ties_of(results),
        )


class SnapshotSummaryPublic(Public):
    version: int
    content_hash: str
    frozen_at: datetime
    frozen_by: str
    supersedes: int | None
    reason: str | None
    verified_at: datetime | None
    verified_by: str | None
    announced_at: datetime | None
    announced_by: str | None

    @classmethod
    def of(cls, snapshot: Snapshot) -> Self:
        return by_attribute(cls, snapshot, version=snapshot.number)


class SnapshotPublic(SnapshotSummaryPublic):
    category: CategoryRefPublic | None = Field(None, description="null: the edition's main ranking")
    options: OptionsPublic
    rubric: list[CriterionPublic]
    tie_break: list[str]
    ranking: list[StaffPlacingPublic]
    ties: list[TieInResultsPublic]

    @classmethod
    def of_snapshot(cls, snapshot: Snapshot, language: Language) -> Self:
        results = snapshot.results
        return by_attribute(
            cls,
            snapshot,
            version=snapshot.number,
            category=results.category,
            options=OptionsPublic.of(results.options, results.rubric),
            rubric=results.rubric.criteria,
            tie_break=results.tie_break,
            ranking=[StaffPlacingPublic.of_standing(s, language) for s in results.standings],
            ties=ties_of(results),
        )


class VerificationPublic(Public):
    version: int
    stored_hash: str = Field(description="taken when the results were frozen")
    content_hash: str = Field(description="of the content as stored now")
    recomputed_hash: str = Field(description="of the results the stored sheets give now")
    verified: bool

    @classmethod
    def of(cls, verification: Verification) -> Self:
        return cls(
            version=verification.version,
            stored_hash=verification.stored,
            content_hash=verification.content,
            recomputed_hash=verification.recomputed,
            verified=verification.ok,
        )


class ResultsPublic(Public):
    edition_id: UUID
    title: str
    category: CategoryRefPublic | None = Field(None, description="null: the edition's main ranking")
    version: int
    supersedes: int | None
    correction_reason: str | None
    content_hash: str
    announced_at: datetime
    winners: list[PlacingPublic]
    ranking: list[PlacingPublic]
    tie_break: list[str]
    tie_resolutions: list[TieInResultsPublic]
    versions: list[int] = Field(description="every announced version; each stays readable")

    @classmethod
    def of(cls, edition: Edition, snapshot: Snapshot, versions: list[int]) -> Self:
        assert snapshot.announced_at is not None
        results = snapshot.results
        return by_attribute(
            cls,
            snapshot,
            edition_id=edition.edition_id,
            title=edition.title,
            category=results.category,
            version=snapshot.number,
            correction_reason=snapshot.reason if snapshot.supersedes is not None else None,
            winners=results.winners,
            ranking=results.standings,
            tie_break=results.tie_break,
            tie_resolutions=[t for t in ties_of(results) if t.resolution is not None],
            versions=versions,
        )


class AuditRecordPublic(Public):
    at: datetime
    actor: str
    action: str
    subject: str
    details: dict[str, str]
