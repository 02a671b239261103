"""Two rounds, computed by hand: round 1 (the edition's rubric, flat scores, a
tie at the cut), the shortlist by size and by min_score, then the final round
on its own rubric and panel, ranking the shortlisted entries in another order,
with a tie staff resolve, announced under the edition's own id."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest
from judging.domain.edition import Edition
from judging.domain.entry import Entry
from judging.domain.errors import (
    FinalRoundNotOpen,
    NoFinalRound,
    ResultsNotAnnounced,
    RoundOneNotComplete,
    RoundOneStaysInternal,
    RoundsFixed,
    RoundsNotSet,
    RoundsRuleInvalid,
    ShortlistAlreadyClosed,
    ShortlistEmpty,
    ShortlistLargerThanField,
)
from judging.domain.options import JudgingOptions
from judging.domain.rounds import ShortlistRule, final_round_id
from judging.domain.rubric import Criterion, Rubric
from judging.service_layer import desk, feedback, projections, results, rounds, services
from judging.service_layer.commands import (
    AnnounceResults,
    FreezeResults,
    ResolveTie,
    SetJudgingOptions,
    SetRubric,
    VerifyResults,
)
from judging.service_layer.reminders import remind_judges

from shared import contracts as c

from .fakes import NOW, FakeJudging, appoint, clock, flat, score, setup
from .test_entry_projection import entry_event

KIMS = [
    ("KIM Anggrek", "bumiayu"),
    ("KIM Bougenville", "gadang"),
    ("KIM Cempaka", "mojolangu"),
    ("KIM Dahlia", "sukun"),
    ("KIM Edelweis", "tlogomas"),
]
#: Round 1, flat scores (the weighted total is the score) from Rina and Dimas:
#: A 90+80 → 85, B 80+80 → 80, C 70+80 → 75, D 80+70 → 75, E 60+60 → 60.
#: Ranked on the priority criterion alone, C and D stay equal: rank 3 shared.
ROUND_ONE = {"A": (90, 80), "B": (80, 80), "C": (70, 80), "D": (80, 70), "E": (60, 60)}
FINAL_RUBRIC = Rubric(
    criteria=(
        Criterion(criterion_id="cerita", name_id="Cerita", name_en="Story", weight=60),
        Criterion(criterion_id="sinematografi", name_id="Sinematografi", name_en="Cinematography", weight=40),
    )
)
#: The final, the same sheet from both final judges: D 90; A 70×0.6 + 95×0.4 = 80;
#: B 80; C 70. A and B equal on the head-to-head too: a tie at rank 2.
FINAL = {
    "A": {"cerita": 70, "sinematografi": 95},
    "B": {"cerita": 80, "sinematografi": 80},
    "C": {"cerita": 70, "sinematografi": 70},
    "D": {"cerita": 90, "sinematografi": 90},
}


def final_view(uow: FakeJudging) -> FakeJudging:
    """The final round's unit of work: the same editions, sheets, snapshots and
    audit, with the final round's copies of the entries as its entries."""
    view = FakeJudging()
    view.editions, view.sheets, view.snapshots, view.audit = (
        uow.editions,
        uow.sheets,
        uow.snapshots,
        uow.audit,
    )
    view.entries = view.final_entries = uow.final_entries
    return view


async def round_one(rule: ShortlistRule) -> tuple[FakeJudging, Edition, dict[str, Entry]]:
    uow, edition, entries = setup(kims=KIMS)
    by_letter = dict(zip("ABCDE", entries, strict=True))
    await rounds.set_rounds(uow, clock, rounds.SetRounds(edition_id=edition.edition_id, rule=rule))
    only_priority = JudgingOptions(tie_break=("priority_criterion",))
    await services.set_options(
        uow, clock, SetJudgingOptions(edition_id=edition.edition_id, options=only_priority)
    )
    rina, dimas = await appoint(uow, edition, "Rina"), await appoint(uow, edition, "Dimas")
    for letter, (first, second) in ROUND_ONE.items():
        await score(uow, edition, by_letter[letter], rina, flat(first))
        await score(uow, edition, by_letter[letter], dimas, flat(second))
    assert edition.status == "completed"
    return uow, edition, by_letter


def names(ids: list[UUID] | tuple[UUID, ...], entries: dict[str, Entry]) -> list[str]:
    letters = {entry.entry_id: letter for letter, entry in entries.items()}
    return [letters[i] for i in ids]


async def test_round_one_ranks_and_the_cut_by_size_takes_the_tie_at_the_boundary_together() -> None:
    uow, edition, entries = await round_one(ShortlistRule(size=3))
    ranking = await services.results_now(uow, edition)
    assert [(names([s.entry_id], entries)[0], s.rank, s.score) for s in ranking.standings] == [
        ("A", 1, 85.0),
        ("B", 2, 80.0),
        ("C", 3, 75.0),
        ("D", 3, 75.0),
        ("E", 5, 60.0),
    ]
    shortlist, final = await rounds.close_shortlist(
        uow, clock, rounds.CloseShortlist(edition_id=edition.edition_id)
    )
    assert names([e.entry_id for e in shortlist.entries], entries) == ["A", "B", "C", "D"]
    assert names(shortlist.tied_at_cut, entries) == ["D"], "D is equal with C, the last one at the cut"
    assert shortlist.field_size == 5
    assert final.edition_id == final_round_id(edition.edition_id) and final.round_of == edition.edition_id
    copies = await uow.final_entries.of_edition(final.edition_id)
    assert names([c.entry_id for c in copies], entries) == ["A", "B", "C", "D"]
    assert all(c.scored_by == [] and not c.complete for c in copies)
    assert uow.of_type("shortlist.announced") == [], "not public: the shortlist stays staff's"
    assert "shortlist_closed" in uow.actions()


async def test_the_cut_by_min_score_takes_every_entry_scoring_at_least_it_and_may_be_announced() -> None:
    uow, edition, entries = await round_one(ShortlistRule(min_score=80, public=True))
    shortlist, _ = await rounds.close_shortlist(
        uow, clock, rounds.CloseShortlist(edition_id=edition.edition_id)
    )
    assert names([e.entry_id for e in shortlist.entries], entries) == ["A", "B"]
    assert shortlist.tied_at_cut == ()
    [announced] = uow.of_type("shortlist.announced")
    assert announced.data.edition_id == edition.edition_id
    assert announced.data.rule == "score >= 80"
    assert [(p.entry_title, p.rank, p.score) for p in announced.data.entries] == [
        ("Film KIM Anggrek", 1, 85.0),
        ("Film KIM Bougenville", 2, 80.0),
    ]


async def test_the_cut_at_75_takes_both_entries_sharing_rank_3() -> None:
    uow, edition, entries = await round_one(ShortlistRule(min_score=75))
    shortlist, _ = await rounds.close_shortlist(
        uow, clock, rounds.CloseShortlist(edition_id=edition.edition_id)
    )
    assert names([e.entry_id for e in shortlist.entries], entries) == ["A", "B", "C", "D"]


async def test_refusals_by_name() -> None:
    with pytest.raises(RoundsRuleInvalid):
        ShortlistRule()
    with pytest.raises(RoundsRuleInvalid):
        ShortlistRule(size=3, min_score=70)

    uow, edition, _ = await round_one(ShortlistRule(size=6))
    with pytest.raises(ShortlistLargerThanField) as larger:
        await rounds.close_shortlist(uow, clock, rounds.CloseShortlist(edition_id=edition.edition_id))
    assert larger.value.params == {"size": 6, "field_size": 5}

    uow, edition, _ = await round_one(ShortlistRule(min_score=85.01))
    with pytest.raises(ShortlistEmpty) as empty:
        await rounds.close_shortlist(uow, clock, rounds.CloseShortlist(edition_id=edition.edition_id))
    assert empty.value.params == {"min_score": "85.01", "best": "85"}

    with pytest.raises(RoundsFixed):  # scoring started: no changing the rounds
        await rounds.set_rounds(uow, clock, rounds.SetRounds(edition_id=edition.edition_id, rule=None))
    # Round 1's results may be frozen and verified, for staff; never announced.
    await results.freeze(uow, clock, FreezeResults(edition_id=edition.edition_id))
    await results.verify(uow, clock, VerifyResults(edition_id=edition.edition_id, version=1))
    with pytest.raises(RoundOneStaysInternal):
        await results.announce(uow, clock, AnnounceResults(edition_id=edition.edition_id))
    assert uow.of_type("winner.announced") == []
    with pytest.raises(FinalRoundNotOpen):
        await rounds.final_of(uow, edition.edition_id)

    uow, edition, entries = setup(kims=KIMS)
    with pytest.raises(NoFinalRound):
        await rounds.final_of(uow, edition.edition_id)
    with pytest.raises(RoundsNotSet):
        await rounds.close_shortlist(uow, clock, rounds.CloseShortlist(edition_id=edition.edition_id))
    await rounds.set_rounds(
        uow, clock, rounds.SetRounds(edition_id=edition.edition_id, rule=ShortlistRule(size=2))
    )
    rina = await appoint(uow, edition, "Rina")
    await score(uow, edition, entries[0], rina)
    with pytest.raises(RoundOneNotComplete) as incomplete:
        await rounds.close_shortlist(uow, clock, rounds.CloseShortlist(edition_id=edition.edition_id))
    assert incomplete.value.params["missing"] == 4


async def test_rounds_are_turned_off_again_before_scoring() -> None:
    uow, edition, _ = setup(kims=KIMS)
    await rounds.set_rounds(
        uow, clock, rounds.SetRounds(edition_id=edition.edition_id, rule=ShortlistRule(size=2))
    )
    assert edition.rounds is not None
    await rounds.set_rounds(uow, clock, rounds.SetRounds(edition_id=edition.edition_id, rule=None))
    assert edition.rounds is None
    assert uow.actions()[-2:] == ["rounds_set", "rounds_cleared"]


async def test_the_final_round_ranks_on_its_own_rubric_and_panel_and_announces_under_the_edition_id() -> None:
    uow, edition, entries = await round_one(ShortlistRule(size=3))
    await rounds.close_shortlist(uow, clock, rounds.CloseShortlist(edition_id=edition.edition_id))
    with pytest.raises(ShortlistAlreadyClosed):
        await rounds.close_shortlist(uow, clock, rounds.CloseShortlist(edition_id=edition.edition_id))
    final_id = await rounds.final_of(uow, edition.edition_id)
    view = final_view(uow)
    final = await view.editions.require(final_id)
    await services.set_rubric(view, clock, SetRubric(edition_id=final_id, rubric=FINAL_RUBRIC))
    head_to_head = JudgingOptions(tie_break=("head_to_head",))
    await services.set_options(view, clock, SetJudgingOptions(edition_id=final_id, options=head_to_head))
    sari = await appoint(view, final, "Sari", "sari@juri.id")
    budi = await appoint(view, final, "Budi", "budi@juri.id")

    seats = await desk.my_seats(uow, "sari@juri.id")
    assert [(s.edition.edition_id, s.assigned) for s in seats] == [(final_id, 4)]
    copies = {c.entry_id: c for c in await view.entries.of_edition(final_id)}
    for letter, sheet in FINAL.items():
        for judge in (sari, budi):
            await score(view, final, copies[entries[letter].entry_id], judge, sheet)
    assert final.status == "completed"
    assert edition.completed_at is not None, "round 1 stays as it was"

    ranking = await services.results_now(view, final)
    assert [(names([s.entry_id], entries)[0], s.rank, s.score) for s in ranking.standings] == [
        ("D", 1, 90.0),
        ("A", 2, 80.0),
        ("B", 2, 80.0),
        ("C", 4, 70.0),
    ], "not round 1's order (A, B, C, D)"
    [tie] = ranking.unresolved
    assert names(tie.entry_ids, entries) == sorted(["A", "B"], key=lambda x: str(entries[x].entry_id))
    [detected] = view.of_type("tie.detected")
    assert detected.data.edition_id == final_id

    order = (entries["B"].entry_id, entries["A"].entry_id)
    await results.resolve_tie(
        view,
        clock,
        ResolveTie(edition_id=final_id, tie_id=tie.tie_id, order=order, reason="Cerita lebih kuat"),
    )
    snapshot = await results.freeze(view, clock, FreezeResults(edition_id=final_id))
    await results.verify(view, clock, VerifyResults(edition_id=final_id, version=snapshot.number))
    await results.announce(view, clock, AnnounceResults(edition_id=final_id))

    [announced] = view.of_type("winner.announced")
    assert announced.data.edition_id == edition.edition_id, "the real edition id, not the final round's"
    assert [(p.rank, p.entry_title) for p in announced.data.winners] == [
        (1, "Film KIM Dahlia"),
        (2, "Film KIM Bougenville"),
    ]
    assert [p.entry_title for p in announced.data.ranking] == [
        "Film KIM Dahlia",
        "Film KIM Bougenville",
        "Film KIM Anggrek",
        "Film KIM Cempaka",
    ]
    assert edition.announced_version is None and final.announced_version == 1
    shown = await rounds.announced_round(uow, edition)
    assert shown is final
    # A KIM reads its round-1 sheets once the final round is announced.
    mine = await feedback.feedback_for(uow, edition.edition_id, entries["E"].kim_id)
    assert [[s.total for s in e.sheets] for e in mine.entries] == [[60, 60]]


async def test_final_round_judges_behind_are_reminded_before_its_deadline() -> None:
    uow, edition, _ = await round_one(ShortlistRule(size=2))
    await rounds.close_shortlist(uow, clock, rounds.CloseShortlist(edition_id=edition.edition_id))
    final_id = await rounds.final_of(uow, edition.edition_id)
    view = final_view(uow)
    final = await view.editions.require(final_id)
    deadline = NOW + timedelta(hours=24)
    options = JudgingOptions(judging_deadline=deadline)
    await services.set_options(view, clock, SetJudgingOptions(edition_id=final_id, options=options))
    await appoint(view, final, "Sari", "sari@juri.id")

    await remind_judges(lambda cause: uow, clock, timedelta(hours=48), lambda cause: view)
    [reminded] = view.of_type("judge.reminded")
    assert (reminded.data.edition_id, reminded.data.name, reminded.data.assigned) == (final_id, "Sari", 2)
    assert len(reminded.data.missing) == 2


async def test_a_kim_reads_no_feedback_before_the_final_round_is_announced() -> None:
    uow, edition, entries = await round_one(ShortlistRule(size=2))
    with pytest.raises(ResultsNotAnnounced):
        await feedback.feedback_for(uow, edition.edition_id, entries["A"].kim_id)
    await rounds.close_shortlist(uow, clock, rounds.CloseShortlist(edition_id=edition.edition_id))
    with pytest.raises(ResultsNotAnnounced):
        await feedback.feedback_for(uow, edition.edition_id, entries["A"].kim_id)


async def test_the_final_round_takes_the_registry_s_new_title_and_awarded_ranks() -> None:
    uow, edition, _ = await round_one(ShortlistRule(size=2))
    _, final = await rounds.close_shortlist(uow, clock, rounds.CloseShortlist(edition_id=edition.edition_id))
    details = c.EditionDetails(
        edition_id=edition.edition_id,
        title="Lomba Video Pendek KIM 2024 (ralat)",
        theme="Promosi UMKM Kota Malang",
        description="Film pendek tentang UMKM.",
        submission_opens_at=NOW,
        submission_closes_at=NOW,
        rules=c.EditionRules(max_video_seconds=300, allowed_video_hosts=["youtu.be"], entries_per_kim=1),
        awarded_ranks=1,
        prizes=[],
        status="submissions_closed",
        revision=edition.revision + 1,
    )
    event = c.EditionUpdated.new(details, producer="registry", correlation_id="test")
    await projections.record_edition(uow, event)
    assert (final.title, final.awarded_ranks) == ("Lomba Video Pendek KIM 2024 (ralat)", 1)
    assert (edition.title, edition.awarded_ranks) == (final.title, 1)


async def test_a_shortlisted_entry_withdrawn_leaves_the_final_round_too() -> None:
    uow, edition, entries = await round_one(ShortlistRule(size=2))
    _, final = await rounds.close_shortlist(uow, clock, rounds.CloseShortlist(edition_id=edition.edition_id))
    withdrawn = entry_event(
        c.EntryWithdrawn,
        entries["A"].entry_id,
        edition.edition_id,
        revision=entries["A"].revision + 1,
        status="withdrawn",
        kim_name=entries["A"].kim_name,
        title=entries["A"].title,
    )
    await projections.record_entry(uow, withdrawn, clock)
    copy = await uow.final_entries.require(entries["A"].entry_id)
    assert (copy.status, copy.edition_id) == ("withdrawn", final.edition_id)
    assert names([e.entry_id for e in await uow.final_entries.in_competition(final.edition_id)], entries) == [
        "B"
    ]
