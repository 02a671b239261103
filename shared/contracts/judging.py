"""Events the judging service publishes: panel, scores, completion, results."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from .envelope import Envelope, Payload
from .registry import Prize, Region


class Affiliations(Payload):
    """What a judge declared they are connected to; they never score those entries."""

    kelurahan_codes: list[str] = []
    kim_ids: list[UUID] = []


class JudgeAppointment(Payload):
    edition_id: UUID
    judge_id: UUID
    name: str
    email: str | None = None
    affiliations: Affiliations
    at: AwareDatetime


class JudgeAppointed(Envelope[JudgeAppointment]):
    """Staff appointed a judge to an edition's panel, with the affiliations the judge declared."""

    event_type = "judge.appointed"


class JudgeRemoved(Envelope[JudgeAppointment]):
    """Staff removed a judge from an edition's panel; `at` is when."""

    event_type = "judge.removed"


class AssignedEntry(Payload):
    """An entry as a judge is told about it; blind judging leaves out the KIM."""

    entry_id: UUID
    title: str
    kim_name: str | None = Field(default=None, description="None when the edition judges blind.")
    kelurahan: Region | None = Field(default=None, description="None when the edition judges blind.")


class JudgeAssignment(Payload):
    edition_id: UUID
    edition_title: str
    judge_id: UUID
    name: str
    email: str | None = Field(default=None, description="Where the judge is told; None if not given.")
    entries: list[AssignedEntry]
    blind: bool
    deadline: AwareDatetime | None = Field(default=None, description="When judging should be done.")
    at: AwareDatetime


class JudgeAssigned(Envelope[JudgeAssignment]):
    """Staff assigned a judge the entries they score; the judge is told at `email`."""

    event_type = "judge.assigned"


class JudgeReminder(Payload):
    edition_id: UUID
    edition_title: str
    judge_id: UUID
    name: str
    email: str | None = None
    assigned: int = Field(description="Entries the judge scores.")
    missing: list[AssignedEntry] = Field(description="Those still without the judge's sheet.")
    deadline: AwareDatetime
    at: AwareDatetime


class JudgeReminded(Envelope[JudgeReminder]):
    """The judging deadline is near and the judge still has sheets to fill; told at `email`."""

    event_type = "judge.reminded"


class CriterionScore(Payload):
    criterion_id: str
    weight: int = Field(description="Percent; the rubric's weights sum to 100.")
    score: int = Field(ge=0, le=100)


class ScoreSheetDetails(Payload):
    sheet_id: UUID
    edition_id: UUID
    entry_id: UUID
    judge_id: UUID
    scores: list[CriterionScore]
    total: float = Field(description="Weighted total, 0-100.")
    revision: int
    recorded_at: AwareDatetime


class ScoreRecorded(Envelope[ScoreSheetDetails]):
    """One judge's score sheet for one entry, as it now stands."""

    event_type = "score.recorded"


class JudgingCompletion(Payload):
    edition_id: UUID
    entries: int
    judges: int
    sheets: int
    completed_at: AwareDatetime


class JudgingCompleted(Envelope[JudgingCompletion]):
    """Every assigned score sheet of an edition is in; sheets are final."""

    event_type = "judging.completed"


class Placing(Payload):
    rank: int
    entry_id: UUID
    entry_title: str
    kim_id: UUID
    kim_name: str
    kelurahan: Region
    score: float = Field(
        description="What ranked the entry, two decimals: the mean of the judges' weighted totals, "
        "or of their normalised totals when the edition normalises."
    )
    raw_score: float | None = Field(default=None, description="Mean of the weighted totals.")
    normalised_score: float | None = Field(
        default=None, description="Mean of the normalised totals; None when the edition does not normalise."
    )


class TieDetails(Payload):
    edition_id: UUID
    tie_id: UUID | None = Field(default=None, description="Staff resolve the tie under this id.")
    rank: int
    entry_ids: list[UUID]
    tie_break: list[str]
    detected_at: AwareDatetime


class TieDetected(Envelope[TieDetails]):
    """The declared tie-break rules could not separate entries competing for a rank."""

    event_type = "tie.detected"


class Announcement(Payload):
    edition_id: UUID
    edition_title: str
    winners: list[Placing] = Field(description="The awarded ranks, best first.")
    ranking: list[Placing] = Field(description="Every ranked entry, best first.")
    tie_break: list[str] = Field(description="The declared order of rules that separated equal scores.")
    announced_at: AwareDatetime
    version: int = Field(default=1, description="The results version: 1, then one more per correction.")
    supersedes: int | None = Field(default=None, description="The version this one corrects.")
    correction_reason: str | None = Field(default=None, description="Why the results were corrected.")
    content_hash: str | None = Field(
        default=None, description="SHA-256 of the frozen results (canonical JSON), as staff verified it."
    )


class WinnerAnnounced(Envelope[Announcement]):
    """The final ranking is public; a correction publishes a new version that supersedes the last."""

    event_type = "winner.announced"


class CategoryRef(Payload):
    """Which results an announcement is about: a category of the edition (see
    `edition.published` `categories`)."""

    code: str
    title: str
    kind: Literal["ranked", "special", "favourite"]


class AwardedPlacing(Placing):
    """A place with the prize it wins (None when the place wins none)."""

    prize: Prize | None = None
    votes: int | None = Field(default=None, description="Public votes; only in the favourite category.")
    reason: str | None = Field(
        default=None, description="The jury's written reason; only for a special award."
    )


class CategoryAnnouncement(Payload):
    edition_id: UUID
    edition_title: str
    category: CategoryRef | None = Field(description="None: the edition's main ranking.")
    winners: list[AwardedPlacing] = Field(description="The awarded places, best first, each with its prize.")
    ranking: list[AwardedPlacing] = Field(
        description="Every ranked entry, best first (the winner alone for a special award)."
    )
    tie_break: list[str] = Field(
        description="The declared order of rules that separated equal scores (or votes)."
    )
    announced_at: AwareDatetime
    version: int = Field(description="This category's results version: 1, then one more per correction.")
    supersedes: int | None = Field(default=None, description="The version this one corrects.")
    correction_reason: str | None = None
    content_hash: str = Field(
        description="SHA-256 of these frozen results (canonical JSON), as staff verified it."
    )


class WinnerAnnouncedV2(Envelope[CategoryAnnouncement]):
    """One category's results are public (the main ranking is the category None), with prizes.

    Published side by side with v1, which keeps carrying the main ranking, until
    every consumer has moved."""

    event_type = "winner.announced"
    event_version = 2


class Shortlist(Payload):
    edition_id: UUID
    edition_title: str
    entries: list[Placing] = Field(description="The entries going on to the final round, best first.")
    rule: str = Field(description='How they were chosen, e.g. "top 10" or "score >= 75".')
    announced_at: AwareDatetime


class ShortlistAnnounced(Envelope[Shortlist]):
    """Staff made the shortlist round's result public: these entries go on to the final."""

    event_type = "shortlist.announced"
