"""Judging's domain events as the integration events other services read."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared import contracts as c

from ..domain import events
from ..domain.edition import Edition, Judge
from ..domain.entry import Entry
from ..domain.results import Standing


def to_integration(event: object) -> tuple[c.EventClass, c.Payload] | None:
    match event:
        case events.JudgeAppointed(edition, judge):
            return c.JudgeAppointed, appointment(edition, judge, judge.appointed_at)
        case events.JudgeRemoved(edition, judge):
            assert judge.removed_at is not None
            return c.JudgeRemoved, appointment(edition, judge, judge.removed_at)
        case events.JudgeAssigned(edition, judge, entries):
            assert edition.assignment is not None
            return c.JudgeAssigned, c.JudgeAssignment(
                **to_judge(edition, judge),
                entries=[assigned_entry(entry, edition.options.blind) for entry in entries],
                blind=edition.options.blind,
                deadline=edition.options.judging_deadline,
                at=edition.assignment.made_at,
            )
        case events.JudgeReminded(edition, judge, missing, assigned, reminder):
            return c.JudgeReminded, c.JudgeReminder(
                **to_judge(edition, judge),
                assigned=assigned,
                missing=[assigned_entry(entry, edition.options.blind) for entry in missing],
                deadline=reminder.deadline,
                at=reminder.sent_at,
            )
        case events.ScoreRecorded(sheet, rubric):
            return c.ScoreRecorded, c.ScoreSheetDetails(
                sheet_id=sheet.sheet_id,
                edition_id=sheet.edition_id,
                entry_id=sheet.entry_id,
                judge_id=sheet.judge_id,
                scores=[
                    c.CriterionScore(
                        criterion_id=criterion.criterion_id,
                        weight=criterion.weight,
                        score=sheet.scores[criterion.criterion_id],
                    )
                    for criterion in rubric.criteria
                ],
                total=sheet.total(rubric),
                revision=sheet.version,
                recorded_at=sheet.updated_at,
            )
        case events.JudgingCompleted(edition, entries, sheets):
            assert edition.completed_at is not None
            return c.JudgingCompleted, c.JudgingCompletion(
                edition_id=edition.edition_id,
                entries=entries,
                judges=len(edition.panel),
                sheets=sheets,
                completed_at=edition.completed_at,
            )
        case events.TieDetected(edition, tie, tie_break):
            return c.TieDetected, c.TieDetails(
                edition_id=edition.edition_id,
                tie_id=tie.tie_id,
                rank=tie.rank,
                entry_ids=list(tie.entry_ids),
                tie_break=list(tie_break),
                detected_at=tie.detected_at,
            )
        case events.WinnersAnnounced(edition, snapshot):
            assert snapshot.announced_at is not None
            results = snapshot.results
            return c.WinnerAnnounced, c.Announcement(
                edition_id=edition.edition_id,
                edition_title=edition.title,
                winners=[placing(s) for s in results.winners],
                ranking=[placing(s) for s in results.standings],
                tie_break=list(results.tie_break),
                announced_at=snapshot.announced_at,
                version=snapshot.number,
                supersedes=snapshot.supersedes,
                correction_reason=snapshot.reason if snapshot.supersedes is not None else None,
                content_hash=snapshot.content_hash,
            )
        case (
            events.RubricSet()
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


def appointment(edition: Edition, judge: Judge, at: datetime) -> c.JudgeAppointment:
    return c.JudgeAppointment(
        edition_id=edition.edition_id,
        judge_id=judge.judge_id,
        name=judge.name,
        email=judge.email,
        affiliations=c.Affiliations(
            kelurahan_codes=judge.affiliations.kelurahan_codes, kim_ids=judge.affiliations.kim_ids
        ),
        at=at,
    )


def to_judge(edition: Edition, judge: Judge) -> dict[str, Any]:
    """What every message to a judge says: which edition, who, and where to tell them."""
    return {
        "edition_id": edition.edition_id,
        "edition_title": edition.title,
        "judge_id": judge.judge_id,
        "name": judge.name,
        "email": judge.email,
    }


def assigned_entry(entry: Entry, blind: bool) -> c.AssignedEntry:
    view = entry.seen_by_judges(blind)
    return c.AssignedEntry(
        entry_id=view.entry_id,
        title=view.title,
        kim_name=view.kim_name,
        kelurahan=c.Region(code=view.kelurahan.code, name=view.kelurahan.name) if view.kelurahan else None,
    )


def placing(standing: Standing) -> c.Placing:
    return c.Placing(
        rank=standing.rank,
        entry_id=standing.entry_id,
        entry_title=standing.entry_title,
        kim_id=standing.kim_id,
        kim_name=standing.kim_name,
        kelurahan=c.Region(code=standing.kelurahan.code, name=standing.kelurahan.name),
        score=standing.score,
        raw_score=standing.raw_score,
        normalised_score=standing.normalised_score,
    )
