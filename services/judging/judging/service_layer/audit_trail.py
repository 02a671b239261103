"""Judging's audit trail, derived from the domain events when a unit of work
collects them (`JudgingUnitOfWork.also_store`), so every change the trail
keeps is recorded in the same transaction as the change, and no use case
writes it by hand: who acted (`by`, or `system`), what, when, about which
entry, judge, tie or results version."""

from __future__ import annotations

from datetime import datetime

from ..domain import categories, events, rounds
from ..domain.audit import SYSTEM, Action, AuditRecord
from ..domain.edition import Edition
from ..domain.score_sheet import ScoreSheet


def to_audit(event: object, sequence: int) -> list[AuditRecord]:
    """The audit records `event` leaves (none for most), numbered on from `sequence`."""
    records = _records(event)
    for number, record in enumerate(records, start=sequence):
        record.sequence = number
    return records


def _records(event: object) -> list[AuditRecord]:
    match event:
        case events.RubricSet(edition, by, at):
            criteria = ", ".join(f"{c.criterion_id}:{c.weight}" for c in edition.rubric.criteria)
            return [_record(edition, at, by, "rubric_set", criteria=criteria)]
        case events.OptionsSet(edition, by, at):
            options = edition.options
            listed = {**vars(options), "tie_break": ",".join(options.tie_break)}
            return [_record(edition, at, by, "options_set", **listed)]
        case events.JudgeAppointed(edition, judge, by):
            return [
                _record(
                    edition,
                    judge.appointed_at,
                    by,
                    "judge_appointed",
                    judge.judge_id,
                    name=judge.name,
                    kelurahan_codes=",".join(judge.affiliations.kelurahan_codes),
                    kim_ids=",".join(str(k) for k in judge.affiliations.kim_ids),
                )
            ]
        case events.JudgeRemoved(edition, judge, by):
            assert judge.removed_at is not None
            return [_record(edition, judge.removed_at, by, "judge_removed", judge.judge_id, name=judge.name)]
        case events.EntriesAssigned(edition, assignment):
            return [
                _record(
                    edition,
                    assignment.made_at,
                    assignment.made_by,
                    "entries_assigned",
                    assigned.entry_id,
                    judges=",".join(str(j) for j in assigned.judge_ids),
                )
                for assigned in assignment.entries
            ]
        case events.SheetFilled(edition, sheet, by):
            return [_sheet(edition, sheet, by, "sheet_filled", None, **_keyed_in(edition, sheet, by))]
        case events.SheetRevised(edition, sheet, before, by):
            return [_sheet(edition, sheet, by, "sheet_revised", before, **_keyed_in(edition, sheet, by))]
        case events.SheetCorrected(edition, sheet, before, reason, by):
            return [_sheet(edition, sheet, by, "sheet_corrected", before, reason=reason)]
        case events.EntryLeftCompetition(edition, entry, reason, by, at):
            return [
                _record(
                    edition,
                    at,
                    by,
                    "entry_left_competition",
                    entry.entry_id,
                    status=entry.status,
                    reason=reason,
                )
            ]
        case events.JudgingCompleted(edition, entries, sheets):
            assert edition.completed_at is not None
            return [
                _record(
                    edition, edition.completed_at, SYSTEM, "judging_completed", entries=entries, sheets=sheets
                )
            ]
        case events.TieDetected(edition, tie):
            return [
                _record(
                    edition,
                    tie.detected_at,
                    SYSTEM,
                    "tie_detected",
                    tie.tie_id,
                    rank=tie.rank,
                    entries=",".join(str(e) for e in tie.entry_ids),
                )
            ]
        case events.TieResolved(edition, tie):
            resolution = tie.resolution
            assert resolution is not None
            return [
                _record(
                    edition,
                    resolution.resolved_at,
                    resolution.resolved_by,
                    "tie_resolved",
                    tie.tie_id,
                    rank=tie.rank,
                    order=",".join(str(e) for e in resolution.order),
                    reason=resolution.reason,
                )
            ]
        case events.ResultsFrozen(edition, snapshot):
            return [
                _record(
                    edition,
                    snapshot.frozen_at,
                    snapshot.frozen_by,
                    "results_frozen",
                    f"version {snapshot.number}",
                    content_hash=snapshot.content_hash,
                    supersedes=snapshot.supersedes,
                    reason=snapshot.reason,
                )
            ]
        case events.ResultsVerified(edition, verification, by, at):
            return [
                _record(
                    edition,
                    at,
                    by,
                    "results_verified" if verification.ok else "results_verification_failed",
                    f"version {verification.version}",
                    stored=verification.stored,
                    content=verification.content,
                    recomputed=verification.recomputed,
                )
            ]
        case events.WinnersAnnounced(edition, snapshot):
            assert snapshot.announced_at is not None and snapshot.announced_by is not None
            return [
                _record(
                    edition,
                    snapshot.announced_at,
                    snapshot.announced_by,
                    "results_announced",
                    f"version {snapshot.number}",
                    content_hash=snapshot.content_hash,
                    supersedes=snapshot.supersedes,
                )
            ]
        case categories.CategoryRubricSet(edition, category, by, at):
            weights = ", ".join(
                f"{criterion}:{weight}" for criterion, weight in (category.weights or {}).items()
            )
            return [_record(edition, at, by, "category_rubric_set", category.code, weights=weights)]
        case categories.SpecialAwardGiven(edition, category, entry):
            award = category.award
            assert award is not None
            return [
                _record(
                    edition,
                    award.given_at,
                    award.given_by,
                    "special_award_given",
                    entry.entry_id,
                    category=category.code,
                    reason=award.reason,
                )
            ]
        case categories.CategoryFrozen(edition, category, snapshot):
            return [
                _record(
                    edition,
                    snapshot.frozen_at,
                    snapshot.frozen_by,
                    "results_frozen",
                    f"{category.code} version {snapshot.number}",
                    category=category.code,
                    content_hash=snapshot.content_hash,
                    supersedes=snapshot.supersedes,
                    reason=snapshot.reason,
                )
            ]
        case categories.CategoryVerified(edition, category, verification, by, at):
            return [
                _record(
                    edition,
                    at,
                    by,
                    "results_verified" if verification.ok else "results_verification_failed",
                    f"{category.code} version {verification.version}",
                    category=category.code,
                    stored=verification.stored,
                    content=verification.content,
                    recomputed=verification.recomputed,
                )
            ]
        case categories.ResultsAnnouncedV2(edition, snapshot, category) if category is not None:
            assert snapshot.announced_at is not None and snapshot.announced_by is not None
            return [
                _record(
                    edition,
                    snapshot.announced_at,
                    snapshot.announced_by,
                    "results_announced",
                    f"{category.code} version {snapshot.number}",
                    category=category.code,
                    content_hash=snapshot.content_hash,
                    supersedes=snapshot.supersedes,
                )
            ]
        case events.JudgeReminded(edition, judge, missing, _, reminder):
            return [
                _record(
                    edition,
                    reminder.sent_at,
                    SYSTEM,
                    "judge_reminded",
                    judge.judge_id,
                    missing=len(missing),
                    deadline=reminder.deadline.isoformat(),
                )
            ]
        case rounds.RoundsSet(edition, by, at):
            assert edition.rounds is not None
            rule = edition.rounds.rule
            return [_record(edition, at, by, "rounds_set", rule=rule.text, public=rule.public)]
        case rounds.RoundsCleared(edition, by, at):
            return [_record(edition, at, by, "rounds_cleared")]
        case rounds.ShortlistClosed(edition, plan, shortlist):
            return [
                _record(
                    edition,
                    shortlist.closed_at,
                    shortlist.closed_by,
                    "shortlist_closed",
                    shortlist.final_edition_id,
                    rule=plan.rule.text,
                    public=plan.rule.public,
                    entries=",".join(str(e.entry_id) for e in shortlist.entries),
                    tied_at_cut=",".join(str(e) for e in shortlist.tied_at_cut),
                )
            ]
    return []


def _keyed_in(edition: Edition, sheet: ScoreSheet, by: str) -> dict[str, object]:
    """A judge's sheet filled by staff is their paper sheet keyed in: the trail says so, and for whom."""
    if not by.startswith("staff:") and by != "staff":
        return {}
    judge = next((j for j in edition.judges if j.judge_id == sheet.judge_id), None)
    return {"paper_sheet_of": judge.name if judge else str(sheet.judge_id)}


def _record(
    edition: Edition, at: datetime, actor: str, action: Action, subject: object = "", **details: object
) -> AuditRecord:
    return AuditRecord.of(
        edition_id=edition.edition_id,
        at=at,
        sequence=0,
        actor=actor,
        action=action,
        subject=subject,
        **details,
    )


def _sheet(
    edition: Edition,
    sheet: ScoreSheet,
    actor: str,
    action: Action,
    before: dict[str, int] | None,
    **details: object,
) -> AuditRecord:
    def listed(scores: dict[str, int]) -> str:
        return ", ".join(f"{criterion}:{score}" for criterion, score in scores.items())

    return _record(
        edition,
        sheet.updated_at,
        actor,
        action,
        sheet.entry_id,
        judge_id=sheet.judge_id,
        before=listed(before) if before else None,
        after=listed(sheet.scores),
        total=str(sheet.total(edition.rubric)),
        **details,
    )
