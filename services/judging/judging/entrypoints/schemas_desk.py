"""The shapes of a judge's own desk (`http_me.py`)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Self
from uuid import UUID

from pydantic import Field

from ..service_layer.desk import DeskEntry, Seat
from ..service_layer.feedback import KimFeedback
from ..service_layer.shapes import by_attribute
from .schemas import CriterionPublic, JudgeViewPublic, Public, ScoreSheetPublic, Status


class MySeatPublic(Public):
    """An edition whose panel I sit on, and how far I am."""

    edition_id: UUID
    title: str
    status: Status
    judge_id: UUID = Field(description="my id on this panel, as the judge-scoped endpoints name me")
    judge_name: str
    blind: bool
    deadline: datetime | None
    assigned: int = Field(description="entries assigned to me and still in competition")
    scored: int = Field(description="of them, those I have filled a sheet for")
    rubric: list[CriterionPublic]
    round: Literal["only", "shortlist", "final"] = Field(
        description="the edition's one round, or its shortlist round, or its final round"
    )
    round_of: UUID | None = Field(description="on a final round: the edition it is the final of")

    @classmethod
    def of(cls, seat: Seat) -> Self:
        edition = seat.edition
        return by_attribute(
            cls,
            seat,
            round="final" if edition.round_of else "shortlist" if edition.rounds else "only",
            round_of=edition.round_of,
            edition_id=edition.edition_id,
            title=edition.title,
            status=edition.status,
            judge_id=seat.judge.judge_id,
            judge_name=seat.judge.name,
            blind=edition.options.blind,
            rubric=edition.rubric.criteria,
        )


class MyEntryPublic(Public):
    """An entry assigned to me, with the film, and my sheet so far."""

    entry: JudgeViewPublic
    sheet: ScoreSheetPublic | None


class MyDeskPublic(Public):
    seat: MySeatPublic
    entries: list[MyEntryPublic] = Field(description="in submission order")

    @classmethod
    def of(cls, seat: Seat, desk: list[DeskEntry]) -> Self:
        rubric = seat.edition.rubric
        return cls(
            seat=MySeatPublic.of(seat),
            entries=[
                MyEntryPublic(
                    entry=JudgeViewPublic.model_validate(d.entry),
                    sheet=ScoreSheetPublic.of(d.sheet, rubric) if d.sheet else None,
                )
                for d in desk
            ],
        )


class SheetFeedbackPublic(Public):
    scores: dict[str, int]
    total: float
    comment: str = Field(description="the judge's comment to the KIM; who wrote it is not said")


class EntryFeedbackPublic(Public):
    entry_id: UUID
    title: str
    sheets: list[SheetFeedbackPublic]


class KimFeedbackPublic(Public):
    """A KIM's own sheets after the announcement: scores, totals, comments; no notes, no judges."""

    title: str
    rubric: list[CriterionPublic]
    entries: list[EntryFeedbackPublic]

    @classmethod
    def of(cls, found: KimFeedback) -> Self:
        return cls(
            title=found.title,
            rubric=[CriterionPublic.model_validate(c) for c in found.rubric.criteria],
            entries=[
                by_attribute(
                    EntryFeedbackPublic,
                    e,
                    entry_id=e.entry.entry_id,
                    title=e.entry.title,
                )
                for e in found.entries
            ],
        )
