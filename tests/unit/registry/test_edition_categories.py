"""An edition's categories and prizes, and next year's edition copied from it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from registry.domain import events
from registry.domain.edition import Category, Edition, Prize, moved_on
from registry.domain.errors import (
    CategoryCodeTaken,
    CategoryPrizeRankNotAwarded,
    FavouriteCategoryTwice,
    FavouriteOfNotFavourite,
    FavouriteOfNotRanked,
    FavouriteOfTwice,
    PrizeRankNotAwarded,
    PrizeRankTwice,
    SpecialAwardOnePlace,
    WindowClosesBeforeItOpens,
    WindowInPast,
)
from registry.service_layer.integration_events import to_integration

from .test_domain import NOW, an_edition


def sinematografi(**changes: object) -> Category:
    fields: dict[str, object] = {
        "code": "sinematografi",
        "title": "Sinematografi Terbaik",
        "kind": "ranked",
        "awarded_ranks": 1,
        "prizes": [Prize(rank=1, title="Sinematografi Terbaik", amount=2_000_000, non_cash="Piagam")],
    }
    fields.update(changes)
    return Category(**fields)  # type: ignore[arg-type]


def categories() -> list[Category]:
    return [
        sinematografi(),
        Category(code="penghargaan-juri", title="Penghargaan Khusus Juri", kind="special", awarded_ranks=1),
        Category(code="juara-favorit", title="Juara Favorit", kind="favourite", awarded_ranks=1),
    ]


def test_an_edition_keeps_its_categories_in_order_and_prizes_with_amounts() -> None:
    edition = an_edition(
        prizes=[
            Prize(rank=2, title="Juara 2", amount=5_000_000),
            Prize(rank=1, title="Juara 1", amount=7_500_000),
        ],
        categories=categories(),
    )
    assert [c.code for c in edition.categories] == ["sinematografi", "penghargaan-juri", "juara-favorit"]
    assert [(p.rank, p.amount) for p in edition.prizes] == [(1, 7_500_000), (2, 5_000_000)]
    assert edition.categories[0].prizes[0].non_cash == "Piagam"


def test_a_category_code_used_twice_is_refused_naming_it() -> None:
    with pytest.raises(CategoryCodeTaken) as refused:
        an_edition(categories=[sinematografi(), sinematografi(title="Gambar Terbaik")])
    assert refused.value.params["code"] == "sinematografi"
    assert refused.value.field == "categories.1.code"


def test_a_special_award_has_exactly_one_place() -> None:
    with pytest.raises(SpecialAwardOnePlace) as refused:
        an_edition(categories=[sinematografi(kind="special", awarded_ranks=2, prizes=[])])
    assert refused.value.field == "categories.0.awarded_ranks"
    assert "Sinematografi Terbaik" in refused.value.message("id")


def test_a_category_prize_beyond_its_places_is_refused() -> None:
    with pytest.raises(CategoryPrizeRankNotAwarded) as refused:
        an_edition(categories=[sinematografi(prizes=[Prize(rank=2, title="Juara 2")])])
    assert refused.value.code == "prize_rank_not_awarded"
    assert refused.value.field == "categories.0.prizes"


def test_a_main_prize_beyond_the_awarded_ranks_is_still_refused() -> None:
    with pytest.raises(PrizeRankNotAwarded):
        an_edition(awarded_ranks=2, prizes=[Prize(rank=3, title="Juara 3")])


def test_more_than_one_favourite_category_is_refused() -> None:
    with pytest.raises(FavouriteCategoryTwice) as refused:
        an_edition(
            categories=[
                Category(code="favorit-a", title="Favorit A", kind="favourite", awarded_ranks=1),
                Category(code="favorit-b", title="Favorit B", kind="favourite", awarded_ranks=1),
            ]
        )
    assert "Favorit A, Favorit B" in refused.value.message("en")
    assert refused.value.field == "categories.0.favourite_of"


def favourite(code: str, of: str | None) -> Category:
    return Category(code=code, title=f"Favorit {code}", kind="favourite", awarded_ranks=1, favourite_of=of)


def test_several_favourite_categories_each_for_a_ranked_category_are_kept() -> None:
    edition = an_edition(
        categories=[
            sinematografi(),
            sinematografi(code="dokumenter", title="Dokumenter"),
            favourite("favorit-sinema", "sinematografi"),
            favourite("favorit-dokumenter", "dokumenter"),
        ]
    )
    assert [c.favourite_of for c in edition.categories] == [None, None, "sinematografi", "dokumenter"]
    edition.publish(NOW)
    details = to_integration(events.EditionPublished(edition))[1]  # type: ignore[index]
    assert [c.favourite_of for c in details.categories] == [None, None, "sinematografi", "dokumenter"]  # type: ignore[attr-defined]


def test_one_favourite_category_may_name_its_ranked_category() -> None:
    edition = an_edition(categories=[sinematografi(), favourite("favorit", "sinematografi")])
    assert edition.categories[1].favourite_of == "sinematografi"


def test_several_favourite_categories_one_without_its_ranked_category_is_refused() -> None:
    with pytest.raises(FavouriteCategoryTwice) as refused:
        an_edition(categories=[sinematografi(), favourite("a", "sinematografi"), favourite("b", None)])
    assert refused.value.field == "categories.2.favourite_of"
    assert "favourite_of" in refused.value.message("id")


def test_favourite_of_on_a_category_not_favourite_is_refused() -> None:
    with pytest.raises(FavouriteOfNotFavourite) as refused:
        an_edition(categories=[sinematografi(), sinematografi(code="lain", favourite_of="sinematografi")])
    assert refused.value.field == "categories.1.favourite_of"
    assert refused.value.code == "favourite_of_not_favourite"


def test_favourite_of_naming_no_ranked_category_is_refused() -> None:
    special = Category(code="penghargaan-juri", title="Penghargaan Juri", kind="special", awarded_ranks=1)
    for named in ("tidak-ada", "penghargaan-juri"):
        with pytest.raises(FavouriteOfNotRanked) as refused:
            an_edition(categories=[sinematografi(), special, favourite("favorit", named)])
        assert refused.value.params["code"] == named
        assert named in refused.value.message("id") and named in refused.value.message("en")


def test_two_favourite_categories_for_one_ranked_category_are_refused() -> None:
    with pytest.raises(FavouriteOfTwice) as refused:
        an_edition(
            categories=[sinematografi(), favourite("a", "sinematografi"), favourite("b", "sinematografi")]
        )
    assert refused.value.field == "categories.2.favourite_of"
    assert refused.value.code == "favourite_of_twice"


def test_a_prize_rank_given_twice_is_refused_in_the_main_ranking_and_in_a_category() -> None:
    with pytest.raises(PrizeRankTwice) as main:
        an_edition(prizes=[Prize(rank=1, title="Juara 1"), Prize(rank=1, title="Juara 1 lagi")])
    assert main.value.field == "prizes"
    twice = [Prize(rank=1, title="A"), Prize(rank=1, title="B")]
    with pytest.raises(PrizeRankTwice) as category:
        an_edition(categories=[sinematografi(awarded_ranks=2, prizes=twice)])
    assert category.value.field == "categories.0.prizes"


def test_revising_checks_the_categories_and_a_published_edition_announces_them() -> None:
    edition = an_edition()
    edition.publish(NOW)
    with pytest.raises(CategoryCodeTaken):
        edition.revise(categories=[sinematografi(), sinematografi()])
    edition.revise(categories=categories())
    assert [type(e) for e in edition.events] == [events.EditionPublished, events.EditionUpdated]
    _, details = to_integration(edition.events[-1])
    assert [c.code for c in details.categories] == ["sinematografi", "penghargaan-juri", "juara-favorit"]  # type: ignore[attr-defined]
    assert details.categories[0].prizes[0].amount == 2_000_000  # type: ignore[attr-defined]
    assert details.copied_from is None  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("title", "years", "moved"),
    [
        ("Lomba Video Pendek KIM 2024", 1, "Lomba Video Pendek KIM 2025"),
        ("Lomba KIM 2024/2025", 2, "Lomba KIM 2026/2027"),
        ("Lomba Video Pendek KIM", 1, "Lomba Video Pendek KIM"),
        ("Festival 120 Detik 2024", 1, "Festival 120 Detik 2025"),
    ],
)
def test_a_copy_moves_the_years_in_its_title_on(title: str, years: int, moved: str) -> None:
    assert moved_on(title, years) == moved


def a_source() -> Edition:
    source = an_edition(
        prizes=[Prize(rank=1, title="Juara 1", reward="Rp7.500.000 dan trofi", amount=7_500_000)],
        categories=categories(),
        description="Film pendek karya KIM.",
    )
    source.publish(NOW)
    source.close_submissions(NOW + timedelta(days=30), by="deadline")
    return source


def test_next_years_edition_is_a_draft_with_the_sources_setup_and_its_window_moved() -> None:
    source = a_source()
    today = datetime(2025, 6, 1, tzinfo=UTC)
    opens = datetime(2025, 8, 1, 9, 0, tzinfo=UTC)  # 365 days after the source's opening
    copy = Edition.copy_of(source, submission_opens_at=opens, now=today)
    assert copy.edition_id != source.edition_id
    assert (copy.status, copy.copied_from, copy.events) == ("draft", source.edition_id, [])
    assert copy.title == "Lomba Video Pendek KIM 2025"
    assert copy.submission_closes_at == datetime(2025, 8, 31, 9, 0, tzinfo=UTC)
    assert (copy.theme, copy.description, copy.rules) == (source.theme, source.description, source.rules)
    assert (copy.awarded_ranks, copy.prizes, copy.categories) == (3, source.prizes, source.categories)
    assert copy.prizes is not source.prizes and copy.categories[0] is not source.categories[0]
    assert (copy.published_at, copy.closed_at, copy.results_version) == (None, None, None)


def test_a_copy_takes_a_given_closing_and_title() -> None:
    opens = datetime(2025, 8, 1, tzinfo=UTC)
    closes = datetime(2025, 9, 15, tzinfo=UTC)
    copy = Edition.copy_of(
        a_source(),
        submission_opens_at=opens,
        submission_closes_at=closes,
        title="Lomba KIM Tahun Depan",
        now=NOW,
    )
    assert (copy.submission_closes_at, copy.title) == (closes, "Lomba KIM Tahun Depan")


def test_a_copy_into_the_past_or_closing_before_it_opens_is_refused() -> None:
    source = a_source()
    with pytest.raises(WindowInPast):
        Edition.copy_of(source, submission_opens_at=NOW - timedelta(days=1), now=NOW)
    with pytest.raises(WindowClosesBeforeItOpens):
        Edition.copy_of(
            source,
            submission_opens_at=NOW + timedelta(days=365),
            submission_closes_at=NOW + timedelta(days=364),
            now=NOW,
        )


def test_a_copy_whose_closing_would_move_past_the_calendar_is_refused_not_a_crash() -> None:
    last = datetime(9999, 12, 31, tzinfo=UTC)
    with pytest.raises(WindowClosesBeforeItOpens):
        Edition.copy_of(a_source(), submission_opens_at=last, now=NOW)


def test_a_published_copy_names_its_source_on_its_event() -> None:
    source = a_source()
    copy = Edition.copy_of(source, submission_opens_at=NOW + timedelta(days=365), now=NOW)
    copy.publish(NOW)
    event_class, details = to_integration(copy.events[-1])
    assert event_class.event_type == "edition.published"
    assert details.copied_from == source.edition_id  # type: ignore[attr-defined]
    assert [c.kind for c in details.categories] == ["ranked", "special", "favourite"]  # type: ignore[attr-defined]


async def test_copying_stores_a_new_draft_and_an_unknown_source_is_named() -> None:
    from uuid import UUID

    from registry.domain.errors import EditionNotFound
    from registry.service_layer import services
    from registry.service_layer.commands import CopyEdition

    from .test_services import FakeRegistry

    uow = FakeRegistry()
    source = a_source()
    source.events.clear()  # stored before
    uow.editions.add(source)
    command = CopyEdition(source_id=source.edition_id, submission_opens_at=NOW + timedelta(days=365))
    copy = await services.copy_edition(uow, lambda: NOW, command)
    assert await uow.editions.require(copy.edition_id) is copy
    assert copy.copied_from == source.edition_id and uow.published == []  # a draft publishes nothing
    missing = UUID(int=9)
    with pytest.raises(EditionNotFound) as refused:
        await services.copy_edition(uow, lambda: NOW, CopyEdition(source_id=missing, submission_opens_at=NOW))
    assert str(missing) in refused.value.message()
