"""What a KIM learns after the announcement about its own entries: each sheet's
scores per criterion and total, and the judges' comments to it. Never the
panel's private notes, never who wrote a sheet: the sheets come in an order
that says nothing of the judges (their ids are random)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from ..domain.entry import Entry
from ..domain.errors import ResultsNotAnnounced
from ..domain.rubric import Rubric
from . import rounds
from .unit_of_work import JudgingUnitOfWork


@dataclass(frozen=True, kw_only=True)
class SheetFeedback:
    scores: dict[str, int]
    total: float
    comment: str


@dataclass(frozen=True, kw_only=True)
class EntryFeedback:
    entry: Entry
    sheets: list[SheetFeedback]


@dataclass(frozen=True, kw_only=True)
class KimFeedback:
    title: str
    rubric: Rubric
    entries: list[EntryFeedback]


async def feedback_for(uow: JudgingUnitOfWork, edition_id: UUID, kim_id: UUID) -> KimFeedback:
    async with uow:
        edition = await uow.editions.require(edition_id)
        # Judged in two rounds, the final round's announcement is the edition's; a KIM
        # reads its sheets of round 1, where every entry was scored.
        shown = await rounds.announced_round(uow, edition)
        if shown is None or shown.announced_version is None:
            raise ResultsNotAnnounced(title=edition.title)
        entries = [e for e in await uow.entries.of_edition(edition_id) if e.kim_id == kim_id]
        sheets = await uow.sheets.of_edition(edition_id)
    mine = []
    for entry in entries:
        of_entry = sorted((s for s in sheets if s.entry_id == entry.entry_id), key=lambda s: str(s.sheet_id))
        mine.append(
            EntryFeedback(
                entry=entry,
                sheets=[
                    SheetFeedback(
                        scores=dict(s.scores), total=round(s.total(edition.rubric), 2), comment=s.comment
                    )
                    for s in of_entry
                ],
            )
        )
    return KimFeedback(title=edition.title, rubric=edition.rubric, entries=mine)
