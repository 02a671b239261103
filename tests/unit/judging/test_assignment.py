"""Assigning k judges per entry, with hand-worked expectations: balanced loads,
conflicts respected, an error naming the entry that cannot be covered, chains
of passes that even out what the first pass could not, gaps filled after
scoring has started; and blind judging.

Judges are appointed in the order A, B, C; entries E1, E2, ... are submitted
in that order (a minute apart). "Load" is how many entries a judge scores."""

from __future__ import annotations

from uuid import UUID

import pytest
from judging.domain.entry import Entry
from judging.domain.errors import EntryCannotBeAssigned, EntryNotAssigned, JudgeConflicted
from judging.domain.options import JudgingOptions
from judging.service_layer import services
from judging.service_layer.commands import AssignEntries, RemoveJudge, SetJudgingOptions

from .fakes import FakeJudging, appoint, clock, flat, score, setup


def kims(count: int) -> list[tuple[str, str]]:
    """KIM E1 in kelurahan k1, E2 in k2, ..."""
    return [(f"E{n}", f"k{n}") for n in range(1, count + 1)]


async def k_per_entry(uow: FakeJudging, edition_id: UUID, k: int, **options: object) -> None:
    await services.set_options(
        uow,
        clock,
        SetJudgingOptions(
            edition_id=edition_id,
            options=JudgingOptions(assignment_mode="k_per_entry", judges_per_entry=k, **options),
        ),
    )


def assigned(uow: FakeJudging, entries: list[Entry], judges: dict[str, UUID]) -> dict[str, str]:
    """Each entry's judges by name, e.g. {"E1": "AB"}."""
    (edition,) = uow.editions.items.values()
    assert edition.assignment is not None
    names = {judge_id: name for name, judge_id in judges.items()}
    return {
        entry.kim_name: "".join(sorted(names[j] for j in edition.assignment.judges_of(entry.entry_id)))
        for entry in entries
    }


def loads(uow: FakeJudging, judges: dict[str, UUID]) -> dict[str, int]:
    (edition,) = uow.editions.items.values()
    assert edition.assignment is not None
    return {name: len(edition.assignment.entries_of(judge_id)) for name, judge_id in judges.items()}


async def panel(uow: FakeJudging, edition_id: object, **conflicts: list[str]) -> dict[str, UUID]:
    (edition,) = uow.editions.items.values()
    return {
        name: await appoint(uow, edition, name, email=f"{name.lower()}@juri.example", kelurahan_codes=codes)
        for name, codes in (
            ("A", conflicts.get("A", [])),
            ("B", conflicts.get("B", [])),
            ("C", conflicts.get("C", [])),
        )
    }


async def test_without_conflicts_loads_differ_by_at_most_one() -> None:
    uow, edition, entries = setup(kims=kims(4))
    await k_per_entry(uow, edition.edition_id, 2)
    judges = await panel(uow, edition.edition_id)
    await services.assign_entries(uow, clock, AssignEntries(edition_id=edition.edition_id))
    # Each entry takes the 2 least busy judges, earlier appointed first among equals:
    # E1: A0 B0 C0 -> A, B.  E2: A1 B1 C0 -> C, A.  E3: A2 B1 C1 -> B, C.  E4: A2 B2 C2 -> A, B.
    assert assigned(uow, entries, judges) == {"E1": "AB", "E2": "AC", "E3": "BC", "E4": "AB"}
    assert loads(uow, judges) == {"A": 3, "B": 3, "C": 2}


async def test_a_conflicted_judge_is_never_assigned_and_constrained_entries_choose_first() -> None:
    uow, edition, entries = setup(kims=kims(4))
    await k_per_entry(uow, edition.edition_id, 2)
    judges = await panel(uow, edition.edition_id, C=["k1", "k2"])
    await services.assign_entries(uow, clock, AssignEntries(edition_id=edition.edition_id))
    # E1 and E2 may only have A and B, so they choose first: both get A, B (A2 B2 C0).
    # E3: C0 first, then A (A2 = B2, A appointed earlier) -> A, C.  E4: A3 B2 C1 -> C, B.
    assert assigned(uow, entries, judges) == {"E1": "AB", "E2": "AB", "E3": "AC", "E4": "BC"}
    assert loads(uow, judges) == {"A": 3, "B": 3, "C": 2}


async def test_when_conflicts_forbid_balance_the_loads_are_as_even_as_they_allow() -> None:
    uow, edition, entries = setup(kims=kims(4))
    await k_per_entry(uow, edition.edition_id, 2)
    judges = await panel(uow, edition.edition_id, C=["k1", "k2", "k3"])
    await services.assign_entries(uow, clock, AssignEntries(edition_id=edition.edition_id))
    # C may score only E4. E1-E3 need A and B (6 sheets); E4 takes C and one of A, B.
    # 8 sheets, C at most 1: A and B share 7, so the busiest has at least 4.
    assert assigned(uow, entries, judges) == {"E1": "AB", "E2": "AB", "E3": "AB", "E4": "AC"}
    assert loads(uow, judges) == {"A": 4, "B": 3, "C": 1}


async def test_a_chain_of_passes_evens_out_what_the_first_choice_could_not() -> None:
    uow, edition, entries = setup(kims=kims(3))
    await k_per_entry(uow, edition.edition_id, 1)
    # Who may score what: E1 {B, C}, E2 {A, B}, E3 {A}.
    judges = await panel(uow, edition.edition_id, A=["k1"], B=["k3"], C=["k2", "k3"])
    await services.assign_entries(uow, clock, AssignEntries(edition_id=edition.edition_id))
    # First choice, fewest options first: E3 -> A; E1 -> B (B0 = C0, B earlier); E2 -> A (A1 = B1).
    # Loads A2 B1 C0: A could pass E2 to B, and B pass E1 to C: E1 C, E2 B, E3 A.
    assert assigned(uow, entries, judges) == {"E1": "C", "E2": "B", "E3": "A"}
    assert loads(uow, judges) == {"A": 1, "B": 1, "C": 1}


async def test_the_same_inputs_give_the_same_assignment() -> None:
    first, second = [], []
    for found in (first, second):
        uow, edition, entries = setup(kims=kims(5))
        await k_per_entry(uow, edition.edition_id, 2)
        judges = await panel(uow, edition.edition_id, B=["k2"])
        await services.assign_entries(uow, clock, AssignEntries(edition_id=edition.edition_id))
        found.append(assigned(uow, entries, judges))
    assert first == second


async def test_an_entry_without_k_judges_free_of_conflict_is_named() -> None:
    uow, edition, entries = setup(kims=kims(3))
    await k_per_entry(uow, edition.edition_id, 2)
    await panel(uow, edition.edition_id, A=["k2"], B=["k2"])
    with pytest.raises(EntryCannotBeAssigned) as refused:
        await services.assign_entries(uow, clock, AssignEntries(edition_id=edition.edition_id))
    assert refused.value.params == {"entry_title": "Film E2", "kim_name": "E2", "k": 2, "available": 1}
    assert "Film E2" in refused.value.message("id") and "Film E2" in refused.value.message("en")


async def test_judges_score_only_what_they_are_assigned_and_completion_waits_for_no_one_else() -> None:
    uow, edition, entries = setup(kims=kims(4))
    await k_per_entry(uow, edition.edition_id, 2)
    judges = await panel(uow, edition.edition_id)
    await services.assign_entries(uow, clock, AssignEntries(edition_id=edition.edition_id))
    # As in the first test: E1 AB, E2 AC, E3 BC, E4 AB.
    told = {e.data.name: [a.title for a in e.data.entries] for e in uow.of_type("judge.assigned")}
    assert told == {
        "A": ["Film E1", "Film E2", "Film E4"],
        "B": ["Film E1", "Film E3", "Film E4"],
        "C": ["Film E2", "Film E3"],
    }
    assert {e.data.email for e in uow.of_type("judge.assigned")} == {
        "a@juri.example",
        "b@juri.example",
        "c@juri.example",
    }
    with pytest.raises(EntryNotAssigned):
        await score(uow, edition, entries[0], judges["C"])
    plan = {"E1": "AB", "E2": "AC", "E3": "BC", "E4": "AB"}
    for entry in entries:
        for name in plan[entry.kim_name]:
            assert edition.completed_at is None
            await score(uow, edition, entry, judges[name], flat(80))
    assert edition.status == "completed"
    assert [(e.data.entries, e.data.sheets) for e in uow.of_type("judging.completed")] == [(4, 8)]


async def test_once_scoring_started_a_removed_judges_entries_are_refilled_and_the_rest_stays() -> None:
    uow, edition, entries = setup(kims=kims(4))
    await k_per_entry(uow, edition.edition_id, 2)
    judges = await panel(uow, edition.edition_id)
    await services.assign_entries(uow, clock, AssignEntries(edition_id=edition.edition_id))
    await score(uow, edition, entries[0], judges["A"])
    await services.remove_judge(uow, clock, RemoveJudge(edition_id=edition.edition_id, judge_id=judges["C"]))
    progress = await services.judging_progress(uow, edition)
    # C had E2 and E3: each is one judge short until staff assign again.
    assert [(p.entry.kim_name, p.requirement.unassigned) for p in progress.entries] == [
        ("E1", 0),
        ("E2", 1),
        ("E3", 1),
        ("E4", 0),
    ]
    told_before = len(uow.of_type("judge.assigned"))
    await services.assign_entries(uow, clock, AssignEntries(edition_id=edition.edition_id))
    # Kept: E1 AB, E2 A, E3 B, E4 AB. E2 may only add B, E3 only A.
    del judges["C"]
    assert assigned(uow, entries, judges) == {"E1": "AB", "E2": "AB", "E3": "AB", "E4": "AB"}
    # Both A and B were given one more entry: both are told, once.
    assert sorted(e.data.name for e in uow.of_type("judge.assigned")[told_before:]) == ["A", "B"]


async def test_with_nobody_free_to_score_an_entry_judging_waits_for_a_judge() -> None:
    uow, edition, entries = setup(kims=kims(2))
    rina = await appoint(uow, edition, "Rina", kelurahan_codes=["k2"])
    await score(uow, edition, entries[0], rina)
    progress = await services.judging_progress(uow, edition)
    assert [(p.entry.kim_name, p.requirement.unassigned) for p in progress.entries] == [("E1", 0), ("E2", 1)]
    assert edition.completed_at is None
    dimas = await appoint(uow, edition, "Dimas")
    await score(uow, edition, entries[0], dimas)
    await score(uow, edition, entries[1], dimas)
    assert edition.status == "completed"


async def test_judging_blind_a_judge_sees_and_is_told_no_kim_not_even_in_a_refusal() -> None:
    uow, edition, entries = setup()
    await services.set_options(
        uow, clock, SetJudgingOptions(edition_id=edition.edition_id, options=JudgingOptions(blind=True))
    )
    rina = await appoint(uow, edition, "Rina", email="rina@juri.example", kelurahan_codes=["mojolangu"])
    await services.assign_entries(uow, clock, AssignEntries(edition_id=edition.edition_id))

    view = entries[0].seen_by_judges(blind=True)
    # A title naming its KIM is shown without it (issue 12).
    assert (view.title, view.kim_name, view.kelurahan) == ("Film …", None, None)
    assert entries[0].seen_by_judges(blind=False).kim_name == "KIM Pasreh Jaya"
    (told,) = uow.of_type("judge.assigned")
    assert told.data.blind is True
    assert [(a.title, a.kim_name, a.kelurahan) for a in told.data.entries] == [
        ("Film …", None, None),
        ("Film …", None, None),
    ]
    entries[2].title = "Secangkir dari Lereng Arjuno"  # titles are seen blind too; this one names nobody
    with pytest.raises(EntryNotAssigned) as refused:
        await score(uow, edition, entries[2], rina)
    message = refused.value.message("id") + refused.value.message("en")
    assert "Secangkir dari Lereng Arjuno" in message and "Mojolangu" not in message


async def test_not_judging_blind_a_conflict_is_refused_by_name() -> None:
    uow, edition, entries = setup()
    rina = await appoint(uow, edition, "Rina", kelurahan_codes=["mojolangu"])
    with pytest.raises(JudgeConflicted) as refused:
        await score(uow, edition, entries[2], rina)
    assert "KIM Mojolangu" in refused.value.message("en")
