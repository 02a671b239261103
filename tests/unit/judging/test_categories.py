"""An edition's categories, hand-computed: one judge (Rina) fills one sheet per
entry; each ranked category weighs the same scores its own way, over the entries
entered for it; a special award goes to the jury's choice with its reason;
every place carries its prize; each category has its own ties, snapshots,
hashes and versions, and its announcement publishes winner.announced v2.

Rina's sheets (tema, kreativitas, teknis, promosi_umkm) and what they make:

| KIM         | sheet          | main | sinematografi | kampung        |
|-------------|----------------|------|---------------|----------------|
| Pasreh Jaya | 90, 80, 60, 90 | 81.5 | 66            | 75             |
| Ganjur      | 70, 90, 95, 70 | 80   | 93.5          | 82.5           |
| Mojolangu   | 60, 70, 80, 60 | 66.5 | 77            | — (not entered)|
| Tlogomas    | 80, 60, 70, 80 | 73   | — (not entered) | 75           |

(main: 30/25/20/25; sinematografi: kreativitas 30, teknis 70; kampung: tema 50, teknis 50)

The main ranking: Pasreh, Ganjur, Tlogomas, Mojolangu. Sinematografi (Pasreh,
Ganjur, Mojolangu entered): Ganjur, Mojolangu, Pasreh — another order. Kampung
(Pasreh, Ganjur, Tlogomas entered; two places awarded): Ganjur, then Pasreh and
Tlogomas equal at 75, which the declared chain (head-to-head only; one judge
gave both 75) cannot separate: an escalated tie for 2nd place."""

from __future__ import annotations

import pytest
from judging.domain.categories import Category
from judging.domain.category_errors import (
    AwardReasonRequired,
    CategoryCriterionUnknown,
    CategoryDecidedByVote,
    CategoryNotFound,
    CategoryNotRanked,
    CategoryRanksExceedEntries,
    SpecialAwardMissing,
)
from judging.domain.edition import Edition
from judging.domain.entry import Entry
from judging.domain.errors import CorrectionReasonRequired, RubricFixed, RubricWeightsInvalid, TieUnresolved
from judging.domain.options import JudgingOptions
from judging.domain.prizes import Prize
from judging.service_layer import categories as in_category
from judging.service_layer import results, services
from judging.service_layer.category_commands import (
    AnnounceCategory,
    FreezeCategory,
    GiveSpecialAward,
    ResolveCategoryTie,
    SetCategoryRubric,
    VerifyCategory,
)
from judging.service_layer.commands import (
    AnnounceResults,
    CorrectScoreSheet,
    FreezeResults,
    SetJudgingOptions,
    VerifyResults,
)

from shared import contracts as c
from shared.contracts.voting import Tally, TallyLine, VotesTallied

from .fakes import NOW, FakeJudging, appoint, clock, score, setup

KIMS = [
    ("KIM Pasreh Jaya", "bumiayu"),
    ("KIM Ganjur", "gadang"),
    ("KIM Mojolangu", "mojolangu"),
    ("KIM Tlogomas", "tlogomas"),
]
SHEETS = {
    "KIM Pasreh Jaya": (90, 80, 60, 90),
    "KIM Ganjur": (70, 90, 95, 70),
    "KIM Mojolangu": (60, 70, 80, 60),
    "KIM Tlogomas": (80, 60, 70, 80),
}
ENTERED = {
    "KIM Pasreh Jaya": ["sinematografi", "kampung", "dokumenter"],
    "KIM Ganjur": ["sinematografi", "kampung", "dokumenter"],
    "KIM Mojolangu": ["sinematografi"],
    "KIM Tlogomas": ["kampung"],
}
MAIN_PRIZES = [
    Prize(rank=1, title="Juara 1", reward="Rp10.000.000", amount=10_000_000, non_cash="Trofi"),
    Prize(rank=2, title="Juara 2", reward="Rp7.500.000", amount=7_500_000),
]


def definitions() -> list[Category]:
    return [
        Category(
            code="sinematografi",
            title="Sinematografi Terbaik",
            kind="ranked",
            awarded_ranks=2,
            prizes=[
                Prize(rank=1, title="Sinematografi Terbaik", amount=5_000_000),
                Prize(rank=2, title="Sinematografi Terbaik II", amount=2_500_000),
            ],
        ),
        Category(code="kampung", title="Potret Kampung", kind="ranked", awarded_ranks=2),
        Category(code="dokumenter", title="Dokumenter", kind="ranked", awarded_ranks=3),
        Category(
            code="apresiasi-juri",
            title="Apresiasi Dewan Juri",
            kind="special",
            awarded_ranks=1,
            prizes=[Prize(rank=1, title="Apresiasi Dewan Juri", non_cash="Piagam")],
        ),
        Category(code="juara-favorit", title="Juara Favorit", kind="favourite", awarded_ranks=1),
    ]


async def edition_with_categories() -> tuple[FakeJudging, Edition, dict[str, Entry]]:
    uow, edition, entries = setup(kims=KIMS, awarded_ranks=2)
    edition.apply_registry(
        title=edition.title, awarded_ranks=2, revision=5, prizes=MAIN_PRIZES, categories=definitions()
    )
    by_kim = {entry.kim_name: entry for entry in entries}
    for name, codes in ENTERED.items():
        by_kim[name].categories = codes
    options = JudgingOptions(tie_break=("head_to_head",))
    await services.set_options(uow, clock, SetJudgingOptions(edition_id=edition.edition_id, options=options))
    return uow, edition, by_kim


async def weigh(uow: FakeJudging, edition: Edition, code: str, weights: dict[str, int]) -> None:
    command = SetCategoryRubric(edition_id=edition.edition_id, category=code, weights=weights)
    await in_category.set_rubric(uow, clock, command)


async def judged() -> tuple[FakeJudging, Edition, dict[str, Entry]]:
    uow, edition, by_kim = await edition_with_categories()
    await weigh(uow, edition, "sinematografi", {"kreativitas": 30, "teknis": 70})
    await weigh(uow, edition, "kampung", {"tema": 50, "teknis": 50})
    rina = await appoint(uow, edition, "Rina")
    for name, (tema, kreativitas, teknis, promosi) in SHEETS.items():
        scores = {"tema": tema, "kreativitas": kreativitas, "teknis": teknis, "promosi_umkm": promosi}
        await score(uow, edition, by_kim[name], rina, scores)
    assert edition.status == "completed"
    return uow, edition, by_kim


def order(found: object) -> list[tuple[int, str, float]]:
    return [(s.rank, s.kim_name, s.score) for s in found.standings]  # type: ignore[attr-defined]


async def test_a_category_rubric_is_refused_by_name_when_it_does_not_fit() -> None:
    uow, edition, _ = await edition_with_categories()
    with pytest.raises(CategoryCriterionUnknown) as unknown:
        await weigh(uow, edition, "sinematografi", {"kreativitas": 30, "sinematografi": 70})
    assert unknown.value.code == "category_criterion_unknown"
    assert unknown.value.params["criterion_id"] == "sinematografi"
    with pytest.raises(RubricWeightsInvalid) as not_100:
        await weigh(uow, edition, "sinematografi", {"kreativitas": 30, "teknis": 60})
    assert not_100.value.params["total"] == 90
    with pytest.raises(CategoryNotFound):
        await weigh(uow, edition, "tidak-ada", {"teknis": 100})
    with pytest.raises(CategoryNotRanked):
        await weigh(uow, edition, "apresiasi-juri", {"teknis": 100})
    sinematografi = next(c for c in edition.categories if c.code == "sinematografi")
    assert sinematografi.weights is None  # nothing refused was kept


async def test_a_category_rubric_is_fixed_once_scoring_starts() -> None:
    uow, edition, _ = await judged()
    with pytest.raises(RubricFixed):
        await weigh(uow, edition, "sinematografi", {"teknis": 100})


async def test_each_category_ranks_its_own_entries_on_its_own_rubric_with_its_prizes() -> None:
    uow, edition, _ = await judged()
    _, main = await results.current_results(uow, edition.edition_id)
    assert order(main) == [
        (1, "KIM Pasreh Jaya", 81.5),
        (2, "KIM Ganjur", 80.0),
        (3, "KIM Tlogomas", 73.0),
        (4, "KIM Mojolangu", 66.5),
    ]
    assert [s.prize for s in main.standings] == [*MAIN_PRIZES, None, None]
    assert main.category is None

    _, _, sinematografi = await in_category.current_results(uow, edition.edition_id, "sinematografi")
    assert order(sinematografi) == [
        (1, "KIM Ganjur", 93.5),
        (2, "KIM Mojolangu", 77.0),
        (3, "KIM Pasreh Jaya", 66.0),
    ]
    assert [s.prize.amount if s.prize else None for s in sinematografi.standings] == [
        5_000_000,
        2_500_000,
        None,
    ]
    assert [c.weight for c in sinematografi.rubric.criteria] == [0, 30, 70, 0]
    # The same sheet, weighed the category's way.
    assert sinematografi.standings[0].sheets[0].total == 93.5
    assert sinematografi.digest() != main.digest()


async def test_a_tie_inside_a_category_is_escalated_and_resolved_there() -> None:
    uow, edition, by_kim = await judged()
    kampung = next(c for c in edition.categories if c.code == "kampung")
    # Detected when judging completed, once, as the category's own tie.
    (tie,) = kampung.ties
    assert tie.rank == 2
    assert set(tie.entry_ids) == {by_kim["KIM Pasreh Jaya"].entry_id, by_kim["KIM Tlogomas"].entry_id}
    assert edition.ties == []  # the main ranking has none
    (detected,) = uow.of_type("tie.detected")
    assert detected.data.tie_id == tie.tie_id  # type: ignore[attr-defined]

    with pytest.raises(TieUnresolved) as open_tie:
        await in_category.freeze(
            uow, clock, FreezeCategory(edition_id=edition.edition_id, category="kampung")
        )
    assert open_tie.value.params["tie_id"] == tie.tie_id

    tlogomas, pasreh = by_kim["KIM Tlogomas"].entry_id, by_kim["KIM Pasreh Jaya"].entry_id
    await in_category.resolve_tie(
        uow,
        clock,
        ResolveCategoryTie(
            edition_id=edition.edition_id,
            category="kampung",
            tie_id=tie.tie_id,
            order=(tlogomas, pasreh),
            reason="Dewan juri memilih potret kampung yang lebih utuh.",
        ),
    )
    snapshot = await in_category.freeze(
        uow, clock, FreezeCategory(edition_id=edition.edition_id, category="kampung")
    )
    assert order(snapshot.results) == [
        (1, "KIM Ganjur", 82.5),
        (2, "KIM Tlogomas", 75.0),
        (3, "KIM Pasreh Jaya", 75.0),
    ]
    assert [s.separated_by for s in snapshot.results.standings] == ["score", "staff_resolution", None]
    assert (snapshot.category, snapshot.number) == ("kampung", 1)
    assert snapshot.results.ties[0].resolution is not None


async def test_a_category_awarding_more_ranks_than_its_entries_cannot_be_frozen() -> None:
    uow, edition, _ = await judged()
    with pytest.raises(CategoryRanksExceedEntries) as refused:
        await in_category.freeze(
            uow, clock, FreezeCategory(edition_id=edition.edition_id, category="dokumenter")
        )
    assert refused.value.code == "category_ranks_exceed_entries"
    assert refused.value.params == {"category": "Dokumenter", "awarded_ranks": 3, "entries": 2}


async def test_a_special_award_is_given_with_a_reason_and_announced_as_v2() -> None:
    uow, edition, by_kim = await judged()
    freeze = FreezeCategory(edition_id=edition.edition_id, category="apresiasi-juri")
    with pytest.raises(SpecialAwardMissing):
        await in_category.freeze(uow, clock, freeze)
    mojolangu = by_kim["KIM Mojolangu"].entry_id
    with pytest.raises(AwardReasonRequired):
        await in_category.give_award(
            uow,
            clock,
            GiveSpecialAward(
                edition_id=edition.edition_id, category="apresiasi-juri", entry_id=mojolangu, reason=" "
            ),
        )
    reason = "Film paling jujur memotret kehidupan pelaku UMKM kampung."
    await in_category.give_award(
        uow,
        clock,
        GiveSpecialAward(
            edition_id=edition.edition_id, category="apresiasi-juri", entry_id=mojolangu, reason=reason
        ),
    )
    snapshot = await in_category.freeze(uow, clock, freeze)
    (placed,) = snapshot.results.standings
    assert (placed.rank, placed.kim_name, placed.reason) == (1, "KIM Mojolangu", reason)
    assert placed.prize == Prize(rank=1, title="Apresiasi Dewan Juri", non_cash="Piagam")
    verified = await in_category.verify(
        uow, clock, VerifyCategory(edition_id=edition.edition_id, category="apresiasi-juri", version=1)
    )
    assert verified.ok
    await in_category.announce(
        uow, clock, AnnounceCategory(edition_id=edition.edition_id, category="apresiasi-juri")
    )

    (announced,) = uow.of_type("winner.announced", version=2)
    data = announced.data  # type: ignore[attr-defined]
    assert data.category.code == "apresiasi-juri" and data.category.kind == "special"
    assert [(w.kim_name, w.reason, w.prize.non_cash) for w in data.winners] == [
        ("KIM Mojolangu", reason, "Piagam")
    ]
    assert data.content_hash == snapshot.content_hash
    assert uow.of_type("winner.announced") == []  # v1 is the main ranking's alone
    assert "special_award_given" in uow.actions()


async def test_the_main_announcement_publishes_v1_and_v2_with_prizes_and_a_category_its_own_v2() -> None:
    uow, edition, _ = await judged()
    edition_id = edition.edition_id
    await results.freeze(uow, clock, FreezeResults(edition_id=edition_id))
    await results.verify(uow, clock, VerifyResults(edition_id=edition_id, version=1))
    await results.announce(uow, clock, AnnounceResults(edition_id=edition_id))
    (v1,) = uow.of_type("winner.announced")
    (v2,) = uow.of_type("winner.announced", version=2)
    assert "prize" not in v1.data.winners[0].model_dump()  # type: ignore[attr-defined]  # v1 unchanged
    main = v2.data  # type: ignore[attr-defined]
    assert main.category is None
    assert [(w.kim_name, w.prize.title, w.prize.amount) for w in main.winners] == [
        ("KIM Pasreh Jaya", "Juara 1", 10_000_000),
        ("KIM Ganjur", "Juara 2", 7_500_000),
    ]
    assert main.content_hash == v1.data.content_hash  # type: ignore[attr-defined]

    snapshot = await in_category.freeze(
        uow, clock, FreezeCategory(edition_id=edition_id, category="sinematografi")
    )
    await in_category.verify(
        uow, clock, VerifyCategory(edition_id=edition_id, category="sinematografi", version=1)
    )
    await in_category.announce(uow, clock, AnnounceCategory(edition_id=edition_id, category="sinematografi"))
    assert len(uow.of_type("winner.announced")) == 1
    _, category = uow.of_type("winner.announced", version=2)
    data = category.data  # type: ignore[attr-defined]
    assert (data.category.code, data.version, data.content_hash) == (
        "sinematografi",
        1,
        snapshot.content_hash,
    )
    assert [(w.rank, w.kim_name, w.prize.amount) for w in data.winners] == [
        (1, "KIM Ganjur", 5_000_000),
        (2, "KIM Mojolangu", 2_500_000),
    ]
    assert len(data.ranking) == 3
    assert snapshot.content_hash != main.content_hash
    found = next(c for c in edition.categories if c.code == "sinematografi")
    assert (found.results_frozen, found.announced_version, edition.announced_version) == (1, 1, 1)


def tally(
    edition: Edition, by_kim: dict[str, Entry], version: int, votes: list[tuple[str, int]]
) -> VotesTallied:
    lines = [
        TallyLine(
            rank=rank,
            entry_id=by_kim[name].entry_id,
            entry_title=by_kim[name].title,
            kim_id=by_kim[name].kim_id,
            kim_name=name,
            kelurahan=c.Region(code=by_kim[name].kelurahan.code, name=by_kim[name].kelurahan.name),
            votes=count,
        )
        for rank, (name, count) in enumerate(votes, start=1)
    ]
    data = Tally(
        edition_id=edition.edition_id,
        edition_title=edition.title,
        category_code="juara-favorit",
        counted=sum(count for _, count in votes),
        voided=0,
        flagged=0,
        standings=lines,
        tie_break=["more votes first"],
        version=version,
        content_hash=f"{version:064x}",
        frozen_at=NOW,
    )
    return VotesTallied.new(data, producer="voting", correlation_id="vote")


async def test_the_favourite_tally_is_announced_with_the_main_ranking_and_a_newer_one_supersedes() -> None:
    uow, edition, by_kim = await judged()
    edition.categories[-1].prizes = [Prize(rank=1, title="Juara Favorit", amount=1_000_000)]
    first = tally(edition, by_kim, 1, [("KIM Tlogomas", 120), ("KIM Ganjur", 80)])
    assert await in_category.record_tally(uow, first, clock)
    assert not await in_category.record_tally(uow, first, clock)  # the same event: applied once
    assert uow.of_type("winner.announced", version=2) == []  # waits for the main ranking

    edition_id = edition.edition_id
    await results.freeze(uow, clock, FreezeResults(edition_id=edition_id))
    await results.verify(uow, clock, VerifyResults(edition_id=edition_id, version=1))
    await results.announce(uow, clock, AnnounceResults(edition_id=edition_id))
    main, favourite = (e.data for e in uow.of_type("winner.announced", version=2))  # type: ignore[attr-defined]
    assert main.category is None
    assert (favourite.category.code, favourite.version, favourite.content_hash) == (
        "juara-favorit",
        1,
        f"{1:064x}",
    )
    assert [(w.kim_name, w.votes, w.prize.amount) for w in favourite.winners] == [
        ("KIM Tlogomas", 120, 1_000_000)
    ]
    assert [p.votes for p in favourite.ranking] == [120, 80]

    # Voting voided votes and froze again: version 2 supersedes, announced at once.
    second = tally(edition, by_kim, 2, [("KIM Ganjur", 80), ("KIM Tlogomas", 70)])
    assert await in_category.record_tally(uow, second, clock)
    latest = uow.of_type("winner.announced", version=2)[-1].data  # type: ignore[attr-defined]
    assert (latest.version, latest.supersedes, latest.winners[0].kim_name) == (2, 1, "KIM Ganjur")
    # An older version arriving late changes nothing.
    assert await in_category.record_tally(uow, tally(edition, by_kim, 1, [("KIM Mojolangu", 999)]), clock)
    assert len(uow.of_type("winner.announced", version=2)) == 3
    found = next(c for c in edition.categories if c.code == "juara-favorit")
    assert (found.results_frozen, found.announced_version) == (2, 2)
    with pytest.raises(CategoryDecidedByVote):
        await in_category.freeze(uow, clock, FreezeCategory(edition_id=edition_id, category="juara-favorit"))


async def test_a_tally_for_a_category_that_is_not_a_favourite_one_is_not_kept() -> None:
    uow, edition, by_kim = await judged()
    kept = tally(edition, by_kim, 1, [("KIM Ganjur", 3)])
    event = VotesTallied.new(
        kept.data.model_copy(update={"category_code": "sinematografi"}), producer="voting", correlation_id="v"
    )
    assert await in_category.record_tally(uow, event, clock)
    assert all(c.results_frozen == 0 for c in edition.categories)
    assert uow.category_snapshots.items == {}


async def test_a_category_is_corrected_like_the_main_ranking_a_new_version_with_a_reason() -> None:
    uow, edition, by_kim = await judged()
    edition_id = edition.edition_id
    freeze = FreezeCategory(edition_id=edition_id, category="sinematografi")
    await in_category.freeze(uow, clock, freeze)
    await in_category.verify(
        uow, clock, VerifyCategory(edition_id=edition_id, category="sinematografi", version=1)
    )
    await in_category.announce(uow, clock, AnnounceCategory(edition_id=edition_id, category="sinematografi"))
    # Mojolangu's sheet was mistyped: corrected, its sinematografi total is 100 (was 77): now 1st.
    rina = edition.panel[0].judge_id
    fixed = {"tema": 60, "kreativitas": 100, "teknis": 100, "promosi_umkm": 60}  # 0.3×100 + 0.7×100 = 100
    await services.correct_sheet(
        uow,
        clock,
        CorrectScoreSheet(
            edition_id=edition_id,
            entry_id=by_kim["KIM Mojolangu"].entry_id,
            judge_id=rina,
            scores=fixed,
            reason="Nilai teknis dan kreativitas salah ketik.",
        ),
    )
    with pytest.raises(CorrectionReasonRequired):
        await in_category.freeze(uow, clock, freeze)
    why = "Lembar nilai Mojolangu dikoreksi."
    second = await in_category.freeze(
        uow, clock, FreezeCategory(edition_id=edition_id, category="sinematografi", reason=why)
    )
    assert (second.number, second.supersedes, second.reason) == (2, 1, why)
    assert order(second.results)[:2] == [(1, "KIM Mojolangu", 100.0), (2, "KIM Ganjur", 93.5)]
    await in_category.verify(
        uow, clock, VerifyCategory(edition_id=edition_id, category="sinematografi", version=2)
    )
    await in_category.announce(uow, clock, AnnounceCategory(edition_id=edition_id, category="sinematografi"))
    latest = uow.of_type("winner.announced", version=2)[-1].data  # type: ignore[attr-defined]
    assert (latest.version, latest.supersedes, latest.correction_reason) == (2, 1, why)
    assert latest.winners[0].kim_name == "KIM Mojolangu" and latest.winners[0].prize.amount == 5_000_000
    versions = await uow.category_snapshots.of_category(edition_id, "sinematografi")
    assert [(s.number, s.announced_at is not None) for s in versions] == [(1, True), (2, True)]
    assert await uow.snapshots.of_edition(edition_id) == []  # the main ranking's versions are apart


def test_a_newer_definition_keeps_what_judging_decided_and_drops_only_unused_categories() -> None:
    _, edition, _ = setup(kims=KIMS)
    edition.apply_registry(title="Lomba", awarded_ranks=2, revision=5, categories=definitions())
    sinematografi, kampung = edition.categories[0], edition.categories[1]
    sinematografi.weights = {"teknis": 100}
    kampung.results_frozen = 1
    renamed = Category(
        code="sinematografi", title="Sinematografi Terbaik 2024", kind="ranked", awarded_ranks=3
    )
    edition.apply_registry(title="Lomba", awarded_ranks=2, revision=6, categories=[renamed])
    assert [c.code for c in edition.categories] == ["sinematografi", "kampung"]  # kampung has results
    assert (sinematografi.title, sinematografi.awarded_ranks, sinematografi.weights) == (
        "Sinematografi Terbaik 2024",
        3,
        {"teknis": 100},
    )
    edition.apply_registry(title="Lomba", awarded_ranks=2, revision=6, categories=[])  # not newer: ignored
    assert len(edition.categories) == 2
