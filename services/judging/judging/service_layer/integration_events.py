"""Judging's domain events as the integration events other services read."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from shared import contracts as c

from ..domain import categories, events, rounds
from ..domain.edition import Edition, Judge
from ..domain.entry import Entry
from ..domain.snapshot import Snapshot
from .shapes import by_attribute


def to_integration(event: object) -> tuple[c.EventClass, c.Payload] | None:
    match event:
        case events.JudgeAppointed(edition, judge):
            return c.JudgeAppointed, appointment(edition, judge, judge.appointed_at)
        case events.JudgeRemoved(edition, judge):
            assert judge.removed_at is not None
            return c.JudgeRemoved, appointment(edition, judge, judge.removed_at)
        case events.JudgeAssigned(edition, judge, entries):
            assert edition.assignment is not None
            return c.JudgeAssigned, to_judge(
                c.JudgeAssignment,
                edition,
                judge,
                entries=[assigned_entry(entry, edition.options.blind) for entry in entries],
                blind=edition.options.blind,
                deadline=edition.options.judging_deadline,
                at=edition.assignment.made_at,
            )
        case events.JudgeReminded(edition, judge, missing, assigned, reminder):
            return c.JudgeReminded, to_judge(
                c.JudgeReminder,
                edition,
                judge,
                assigned=assigned,
                missing=[assigned_entry(entry, edition.options.blind) for entry in missing],
                deadline=reminder.deadline,
                at=reminder.sent_at,
            )
        case events.ScoreRecorded(sheet, rubric):
            return c.ScoreRecorded, by_attribute(
                c.ScoreSheetDetails,
                sheet,
                scores=[
                    by_attribute(c.CriterionScore, criterion, score=sheet.scores[criterion.criterion_id])
                    for criterion in rubric.criteria
                ],
                total=sheet.total(rubric),
                revision=sheet.version,
                recorded_at=sheet.updated_at,
            )
        case events.JudgingCompleted(edition, entries, sheets):
            assert edition.completed_at is not None
            return c.JudgingCompleted, by_attribute(
                c.JudgingCompletion, edition, entries=entries, judges=len(edition.panel), sheets=sheets
            )
        case events.TieDetected(edition, tie, tie_break):
            return c.TieDetected, by_attribute(
                c.TieDetails, tie, edition_id=edition.edition_id, tie_break=tie_break
            )
        case events.WinnersAnnounced(edition, snapshot):
            assert snapshot.announced_at is not None
            results = snapshot.results
            return c.WinnerAnnounced, by_attribute(
                c.Announcement,
                snapshot,
                # A final round announces the edition's results: under the edition's own id.
                edition_id=edition.round_of or edition.edition_id,
                edition_title=edition.title,
                winners=results.winners,
                ranking=results.standings,
                tie_break=results.tie_break,
                version=snapshot.number,
                correction_reason=snapshot.reason if snapshot.supersedes is not None else None,
            )
        case rounds.ShortlistClosed(edition, plan, shortlist):
            if not plan.rule.public:
                return None  # kept internal: staff's, in the audit trail
            return c.ShortlistAnnounced, c.Shortlist(
                edition_id=edition.edition_id,
                edition_title=edition.title,
                entries=[c.Placing.model_validate(e, from_attributes=True) for e in shortlist.entries],
                rule=plan.rule.text,
                announced_at=shortlist.closed_at,
            )
        case categories.ResultsAnnouncedV2(edition, snapshot, category):
            return c.WinnerAnnouncedV2, announcement_v2(edition, snapshot, category)
        case (
            categories.CategoryRubricSet()
            | categories.SpecialAwardGiven()
            | categories.CategoryFrozen()
            | categories.CategoryVerified()
        ):
            return None  # kept in judging's audit trail only
        case (
            rounds.RoundsSet()
            | rounds.RoundsCleared()
            | events.RubricSet()
            | events.OptionsSet()
            | events.EntriesAssigned()
            | events.SheetFilled()
            | events.SheetRevised()
            | events.SheetCorrected()
            | events.EntryLeftCompetition()
            | events.TieResolved()
            | events.ResultsFrozen()
            | events.ResultsVerified()
        ):
            return None  # kept in judging's audit trail only
    raise TypeError(f"no integration event for {event!r}")


def announcement_v2(
    edition: Edition, snapshot: Snapshot, category: categories.Category | None
) -> c.CategoryAnnouncement:
    """winner.announced v2: the main ranking (`category` None) or a category, each place with its prize."""
    assert snapshot.announced_at is not None
    results = snapshot.results
    return by_attribute(
        c.CategoryAnnouncement,
        snapshot,
        edition_id=edition.edition_id,
        edition_title=edition.title,
        category=None if category is None else by_attribute(c.CategoryRef, category),
        winners=results.winners,
        ranking=results.standings,
        tie_break=results.tie_break,
        version=snapshot.number,
        correction_reason=snapshot.reason if snapshot.supersedes is not None else None,
    )


def appointment(edition: Edition, judge: Judge, at: datetime) -> c.JudgeAppointment:
    return by_attribute(c.JudgeAppointment, judge, edition_id=edition.edition_id, at=at)


P = TypeVar("P", bound=c.Payload)


def to_judge(payload: type[P], edition: Edition, judge: Judge, **given: Any) -> P:
    """A message to a judge: which edition, who, and where to tell them (the judge's
    id, name and email), with what it says."""
    return by_attribute(payload, judge, edition_id=edition.edition_id, edition_title=edition.title, **given)


def assigned_entry(entry: Entry, blind: bool) -> c.AssignedEntry:
    return c.AssignedEntry.model_validate(entry.seen_by_judges(blind), from_attributes=True)
