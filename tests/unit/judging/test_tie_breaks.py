"""The declared tie-break chain, each rule deciding a case worked out by hand,
and the ties it cannot separate: shared below the awarded ranks, escalated
(tie.detected, freezing blocked until staff resolve it) within them.

Weights: tema 30, kreativitas 25, teknis 20, promosi_umkm 25. A "flat" sheet
gives one score on every criterion: its total and its tema are that score."""

from __future__ import annotations

import pytest
from judging.domain.errors import TieAlreadyResolved, TieOrderInvalid, TieUnresolved
from judging.domain.options import JudgingOptions
from judging.service_layer import results, services
from judging.service_layer.commands import CorrectScoreSheet, FreezeResults, ResolveTie, SetJudgingOptions

from .fakes import appoint, clock, flat, score, setup
from .standings import J1, J2, J3, entry, flat_sheet, rank, sheet
from .standings import results as compiled


def test_the_priority_criterion_decides_and_staff_may_choose_it() -> None:
    early, late = entry("Early", 1), entry("Late", 2)
    sheets = [
        sheet(early, J1, 80, 90, 80, 80),  # 2400 + 2250 + 1600 + 2000 = 8250 -> 82.5; tema 80, kreativitas 90
        sheet(late, J1, 85, 86, 80, 78),  # 2550 + 2150 + 1600 + 1950 = 8250 -> 82.5; tema 85, kreativitas 86
    ]
    by_tema = rank([early, late], sheets, {J1})
    assert [(s.kim_name, s.priority_score, s.separated_by) for s in by_tema] == [
        ("Late", 85.0, "priority_criterion"),
        ("Early", 80.0, None),
    ]
    by_creativity = rank([early, late], sheets, {J1}, JudgingOptions(priority_criterion="kreativitas"))
    assert [(s.kim_name, s.priority_score) for s in by_creativity] == [("Early", 90.0), ("Late", 86.0)]


def test_head_to_head_decides_when_more_judges_preferred_one() -> None:
    q, p = entry("Q", 1), entry("P", 2)  # Q was submitted first
    sheets = [
        flat_sheet(p, J1, 90),
        flat_sheet(q, J1, 80),  # J1 prefers P
        flat_sheet(p, J2, 85),
        flat_sheet(q, J2, 80),  # J2 prefers P
        flat_sheet(p, J3, 60),
        flat_sheet(q, J3, 75),  # J3 prefers Q
    ]
    # Means: P (90 + 85 + 60) / 3 = 235/3, Q (80 + 80 + 75) / 3 = 235/3: equal, on tema too.
    # Head to head P beats Q 2-1, so P is first although Q was submitted earlier.
    options = JudgingOptions(tie_break=("priority_criterion", "head_to_head", "earlier_submission"))
    standings = rank([q, p], sheets, {J1, J2, J3}, options)
    assert [(s.kim_name, s.score, s.separated_by) for s in standings] == [
        ("P", 78.33, "head_to_head"),
        ("Q", 78.33, None),
    ]


def test_the_earlier_submission_decides_when_head_to_head_is_even() -> None:
    a, b = entry("A", 1), entry("B", 2)
    sheets = [flat_sheet(a, J1, 90), flat_sheet(b, J1, 80), flat_sheet(a, J2, 80), flat_sheet(b, J2, 90)]
    # Both mean 85; J1 prefers A, J2 prefers B: 1-1. A was submitted a minute before B.
    options = JudgingOptions(tie_break=("head_to_head", "earlier_submission"))
    standings = rank([b, a], sheets, {J1, J2}, options)
    assert [(s.kim_name, s.rank, s.separated_by) for s in standings] == [
        ("A", 1, "earlier_submission"),
        ("B", 2, None),
    ]


def test_a_head_to_head_cycle_among_the_winners_is_escalated() -> None:
    x, y, z = entry("X", 1), entry("Y", 2), entry("Z", 3)
    sheets = [
        flat_sheet(x, J1, 90),
        flat_sheet(y, J1, 80),
        flat_sheet(z, J1, 70),
        flat_sheet(y, J2, 90),
        flat_sheet(z, J2, 80),
        flat_sheet(x, J2, 70),
        flat_sheet(z, J3, 90),
        flat_sheet(x, J3, 80),
        flat_sheet(y, J3, 70),
    ]
    # Every mean is 80 (tema too). X beats Y (J1, J3), Y beats Z (J1, J2), Z beats X (J2, J3):
    # one win each. With no further rule declared, they stay equal for rank 1, an awarded rank.
    options = JudgingOptions(tie_break=("priority_criterion", "head_to_head"))
    found = compiled([x, y, z], sheets, {J1, J2, J3}, options, awarded_ranks=1)
    assert [(s.rank, s.shared) for s in found.standings] == [(1, True), (1, True), (1, True)]
    (tie,) = found.unresolved
    assert (tie.rank, set(tie.entry_ids)) == (1, {x.entry_id, y.entry_id, z.entry_id})


def test_a_tie_below_the_awarded_ranks_shares_its_rank_and_is_not_escalated() -> None:
    a, b, c = entry("A", 1), entry("B", 2), entry("C", 3)
    sheets = [flat_sheet(a, J1, 90), flat_sheet(b, J1, 85), flat_sheet(c, J1, 85)]
    options = JudgingOptions(tie_break=("priority_criterion",))
    found = compiled([a, b, c], sheets, {J1}, options, awarded_ranks=1)
    # B and C: 85 and tema 85 both; they compete for rank 2, not an awarded one.
    assert [(s.kim_name, s.rank, s.shared) for s in found.standings] == [
        ("A", 1, False),
        ("B", 2, True),
        ("C", 2, True),
    ]
    assert found.ties == ()


async def test_a_tie_straddling_the_last_award_is_escalated_resolved_and_recorded() -> None:
    uow, edition, entries = setup(awarded_ranks=2)
    pasreh, ganjur, mojolangu = entries
    await services.set_options(
        uow,
        clock,
        SetJudgingOptions(
            edition_id=edition.edition_id, options=JudgingOptions(tie_break=("priority_criterion",))
        ),
    )
    rina = await appoint(uow, edition, "Rina")
    await score(uow, edition, pasreh, rina, flat(90))
    await score(uow, edition, ganjur, rina, flat(85))
    await score(uow, edition, mojolangu, rina, flat(85))
    # Ganjur and Mojolangu: 85, tema 85. Ranks 2 and 3; 2 is awarded, so the tie is escalated.
    assert edition.status == "completed"
    (detected,) = uow.of_type("tie.detected")
    assert (detected.data.rank, set(detected.data.entry_ids)) == (2, {ganjur.entry_id, mojolangu.entry_id})
    tie_id = detected.data.tie_id

    with pytest.raises(TieUnresolved) as refused:
        await results.freeze(uow, clock, FreezeResults(edition_id=edition.edition_id, reason=None))
    assert refused.value.params["rank"] == 2
    with pytest.raises(TieOrderInvalid):
        await results.resolve_tie(
            uow,
            clock,
            ResolveTie(
                edition_id=edition.edition_id,
                tie_id=tie_id,
                order=(mojolangu.entry_id, pasreh.entry_id),
                reason="Salah pilih",
            ),
        )
    reason = "Musyawarah dewan juri: dampak UMKM Mojolangu lebih nyata."
    await results.resolve_tie(
        uow,
        clock,
        ResolveTie(
            edition_id=edition.edition_id,
            tie_id=tie_id,
            order=(mojolangu.entry_id, ganjur.entry_id),
            reason=reason,
        ),
        "Bu Sari (Diskominfo)",
    )
    with pytest.raises(TieAlreadyResolved):
        await results.resolve_tie(
            uow,
            clock,
            ResolveTie(
                edition_id=edition.edition_id,
                tie_id=tie_id,
                order=(ganjur.entry_id, mojolangu.entry_id),
                reason=reason,
            ),
        )

    _, now = await results.current_results(uow, edition.edition_id)
    assert [(s.kim_name, s.rank, s.shared, s.separated_by) for s in now.standings] == [
        ("KIM Pasreh Jaya", 1, False, "score"),
        ("KIM Mojolangu", 2, False, "staff_resolution"),
        ("KIM Ganjur", 3, False, None),
    ]
    snapshot = await results.freeze(uow, clock, FreezeResults(edition_id=edition.edition_id, reason=None))
    (recorded,) = snapshot.results.ties
    assert recorded.resolution is not None
    assert (recorded.resolution.reason, recorded.resolution.resolved_by) == (reason, "Bu Sari (Diskominfo)")

    # Looking again (a correction that leaves the tie as it is) publishes nothing new.
    await services.correct_sheet(
        uow,
        clock,
        CorrectScoreSheet(
            edition_id=edition.edition_id,
            entry_id=pasreh.entry_id,
            judge_id=rina,
            scores=flat(95),
            reason="Salah ketik: 95, bukan 90.",
        ),
    )
    assert len(uow.of_type("tie.detected")) == 1
    assert [a for a in uow.actions() if a.startswith("tie_")] == ["tie_detected", "tie_resolved"]
