"""What a signed-in judge reads without knowing any id: the panels they sit on
(recognised by their account's email, the one staff appointed them with), their
progress on each, and the entries assigned to them with their sheets so far.
Entries they declared a conflict with are never among them; judging blind, no
entry names its KIM."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from ..domain.edition import Edition, Judge
from ..domain.entry import JudgeView
from ..domain.errors import NotOnThisPanel
from ..domain.score_sheet import ScoreSheet
from .unit_of_work import JudgingUnitOfWork


@dataclass(frozen=True, kw_only=True)
class Seat:
    """A judge's seat on one edition's panel, and how far they are."""

    edition: Edition
    judge: Judge
    assigned: int
    scored: int

    @property
    def deadline(self) -> datetime | None:
        return self.edition.options.judging_deadline


@dataclass(frozen=True, kw_only=True)
class DeskEntry:
    entry: JudgeView
    sheet: ScoreSheet | None


def seat_of(edition: Edition, email: str | None) -> Judge | None:
    """The judge on `edition`'s panel appointed with `email`, if any."""
    if not email:
        return None
    for judge in edition.panel:
        if judge.email and judge.email.lower() == email.lower():
            return judge
    return None


async def my_seats(uow: JudgingUnitOfWork, email: str | None) -> list[Seat]:
    if not email:
        return []
    seats = []
    async with uow:
        for edition in await uow.editions.with_judge(email):
            judge = seat_of(edition, email)
            if judge is None:
                continue
            entries = await _assigned(uow, edition, judge.judge_id)
            scored = {s.entry_id for s in await uow.sheets.of_judge(edition.edition_id, judge.judge_id)}
            seats.append(
                Seat(
                    edition=edition,
                    judge=judge,
                    assigned=len(entries),
                    scored=len([e for e in entries if e in scored]),
                )
            )
    return seats


async def my_desk(
    uow: JudgingUnitOfWork, edition_id: UUID, email: str | None
) -> tuple[Seat, list[DeskEntry]]:
    """The entries assigned to the judge with `email` on this edition, in
    submission order, with their sheets; refused when they sit on no panel here."""
    async with uow:
        edition = await uow.editions.require(edition_id)
        judge = seat_of(edition, email)
        if judge is None:
            raise NotOnThisPanel()
        sheets = {s.entry_id: s for s in await uow.sheets.of_judge(edition_id, judge.judge_id)}
        entries = [
            entry
            for entry in await uow.entries.in_competition(edition_id)
            if judge.judge_id in edition.judges_for(entry)
        ]
    desk = [
        DeskEntry(entry=entry.seen_by_judges(edition.options.blind), sheet=sheets.get(entry.entry_id))
        for entry in entries
    ]
    seat = Seat(
        edition=edition,
        judge=judge,
        assigned=len(desk),
        scored=len([d for d in desk if d.sheet is not None]),
    )
    return seat, desk


async def _assigned(uow: JudgingUnitOfWork, edition: Edition, judge_id: UUID) -> set[UUID]:
    # A final round's entries are its copies of the shortlisted ones (`rounds.py`).
    entries = uow.final_entries if edition.round_of is not None else uow.entries
    return {
        entry.entry_id
        for entry in await entries.in_competition(edition.edition_id)
        if judge_id in edition.judges_for(entry)
    }
