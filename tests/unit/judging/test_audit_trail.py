"""The audit trail comes from the domain events a change records, as the unit
of work collects them at commit: one record per change kept, in the order the
changes were made (across the sheet, the entry and the edition), by whoever made
it; nothing for a refused change, or for an event the trail does not keep."""

from __future__ import annotations

import pytest
from judging.domain import events
from judging.domain.errors import RubricFixed
from judging.domain.rubric import DEFAULT_RUBRIC
from judging.service_layer import projections, services
from judging.service_layer.audit_trail import to_audit
from judging.service_layer.commands import SetRubric

from .fakes import appoint, clock, score, setup
from .test_results_versions import disqualified


async def test_a_disqualification_that_completes_judging_is_recorded_before_the_completion() -> None:
    uow, edition, entries = setup()
    rina = await appoint(uow, edition, "Rina")
    await score(uow, edition, entries[0], rina)
    await score(uow, edition, entries[1], rina)
    assert edition.completed_at is None

    await projections.record_entry(uow, disqualified(entries[2]), clock)

    trail = await uow.audit.of_edition(edition.edition_id, limit=100)
    assert [(r.actor, r.action) for r in trail[-2:]] == [
        ("submissions", "entry_left_competition"),
        ("system", "judging_completed"),
    ]
    left = trail[-2]
    assert (left.subject, left.details) == (
        str(entries[2].entry_id),
        {"status": "disqualified", "reason": "Memakai musik tanpa izin."},
    )
    # Records of one unit of work are numbered in the order of the changes.
    assert trail[-1].sequence == trail[-2].sequence + 1


async def test_a_refused_change_leaves_no_record() -> None:
    uow, edition, entries = setup()
    rina = await appoint(uow, edition, "Rina")
    await score(uow, edition, entries[0], rina)
    before = uow.actions()

    with pytest.raises(RubricFixed):
        await services.set_rubric(uow, clock, SetRubric(edition_id=edition.edition_id, rubric=DEFAULT_RUBRIC))

    assert uow.actions() == before == ["judge_appointed", "sheet_filled"]


async def test_events_the_trail_does_not_keep_leave_nothing() -> None:
    uow, edition, entries = setup()
    rina = await appoint(uow, edition, "Rina")
    sheet = await score(uow, edition, entries[0], rina)

    assert to_audit(events.ScoreRecorded(sheet, edition.rubric), sequence=0) == []
    assert to_audit(object(), sequence=0) == []


async def test_a_paper_sheet_keyed_in_by_staff_says_so_and_for_whom() -> None:
    from judging.service_layer.commands import RecordScoreSheet

    from .fakes import FLAT

    uow, edition, entries = setup()
    rina = await appoint(uow, edition, "Rina", email="rina@juri.id")
    await services.record_score(
        uow,
        clock,
        RecordScoreSheet(
            edition_id=edition.edition_id, entry_id=entries[0].entry_id, judge_id=rina, scores=FLAT
        ),
        actor="staff:sari@malangkota.go.id",
    )
    await services.record_score(
        uow,
        clock,
        RecordScoreSheet(
            edition_id=edition.edition_id, entry_id=entries[1].entry_id, judge_id=rina, scores=FLAT
        ),
        actor="judge:rina@juri.id",
    )
    keyed, own = [
        r for r in await uow.audit.of_edition(edition.edition_id, limit=100) if r.action == "sheet_filled"
    ]
    assert keyed.actor == "staff:sari@malangkota.go.id"
    assert keyed.details["paper_sheet_of"] == "Rina"
    assert own.actor == "judge:rina@juri.id" and "paper_sheet_of" not in own.details
