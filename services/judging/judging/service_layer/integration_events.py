"""Judging's domain events as the integration events other services read."""

from __future__ import annotations

from shared import contracts as c

from ..domain import events
from ..domain.edition import Edition, Judge
from ..domain.ranking import Placing


def to_integration(event: object) -> tuple[c.EventClass, c.Payload]:
    match event:
        case events.JudgeAppointed(edition, judge):
            return c.JudgeAppointed, appointment(edition, judge, judge.appointed_at)
        case events.JudgeRemoved(edition, judge):
            assert judge.removed_at is not None
            return c.JudgeRemoved, appointment(edition, judge, judge.removed_at)
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
        case events.WinnersAnnounced(edition):
            announcement = edition.announcement
            assert announcement is not None
            return c.WinnerAnnounced, c.Announcement(
                edition_id=edition.edition_id,
                edition_title=edition.title,
                winners=[placing(p) for p in announcement.winners],
                ranking=[placing(p) for p in announcement.ranking],
                tie_break=announcement.tie_break,
                announced_at=announcement.announced_at,
            )
    raise TypeError(f"no integration event for {event!r}")


def appointment(edition: Edition, judge: Judge, at: object) -> c.JudgeAppointment:
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


def placing(p: Placing) -> c.Placing:
    return c.Placing(
        rank=p.rank,
        entry_id=p.entry_id,
        entry_title=p.entry_title,
        kim_id=p.kim_id,
        kim_name=p.kim_name,
        kelurahan=c.Region(code=p.kelurahan.code, name=p.kelurahan.name),
        score=p.score,
    )
