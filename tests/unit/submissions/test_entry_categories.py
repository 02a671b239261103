"""An entry is entered for the edition's ranked categories it names, and no others."""

from __future__ import annotations

from datetime import timedelta

import pytest
from submissions.domain.edition import Category, Edition
from submissions.domain.entry import Entry
from submissions.domain.errors import CategoryNotEnterable, CategoryUnknown
from submissions.service_layer.integration_events import to_integration

from .test_domain import CLOSES, DURING, an_edition, an_enrolment


def with_categories() -> Edition:
    edition = an_edition()
    edition.categories = [
        Category(code="sinematografi", title="Sinematografi Terbaik", kind="ranked"),
        Category(code="promosi-umkm", title="Promosi UMKM Terbaik", kind="ranked"),
        Category(code="penghargaan-juri", title="Penghargaan Khusus Juri", kind="special"),
        Category(code="juara-favorit", title="Juara Favorit", kind="favourite"),
    ]
    return edition


def submit(edition: Edition, categories: list[str] | None) -> Entry:
    return Entry.submit(
        edition=edition,
        enrolment=an_enrolment(edition),
        title="Secangkir dari Mojolangu",
        synopsis="Kedai kopi rumahan.",
        video_url="https://youtu.be/abc",
        umkm_featured=["Kopi Mojolangu"],
        categories=categories,
        now=DURING,
    )


def test_an_entry_names_its_ranked_categories_once_each_and_its_event_carries_them() -> None:
    entry = submit(with_categories(), ["promosi-umkm", "sinematografi", "promosi-umkm"])
    assert entry.categories == ["promosi-umkm", "sinematografi"]
    event_class, details = to_integration(entry.events[0])
    assert event_class.event_type == "entry.submitted"
    assert details.categories == ["promosi-umkm", "sinematografi"]  # type: ignore[attr-defined]


def test_without_categories_an_entry_is_in_the_main_ranking_only() -> None:
    assert submit(with_categories(), None).categories == []
    assert submit(an_edition(), []).categories == []


def test_an_unknown_category_is_refused_naming_it() -> None:
    with pytest.raises(CategoryUnknown) as refused:
        submit(with_categories(), ["sinematografi", "animasi"])
    assert refused.value.code == "category_unknown"
    assert refused.value.field == "categories.1"
    assert "'animasi'" in refused.value.message("id") and "'animasi'" in refused.value.message("en")


@pytest.mark.parametrize("code", ["penghargaan-juri", "juara-favorit"])
def test_a_special_award_or_the_favourite_is_not_entered_for(code: str) -> None:
    with pytest.raises(CategoryNotEnterable) as refused:
        submit(with_categories(), [code])
    assert refused.value.code == "category_not_enterable"


def test_a_revision_changes_the_categories_only_when_given_and_checks_them() -> None:
    edition = with_categories()
    entry = submit(edition, ["sinematografi"])
    entry.revise(edition=edition, now=DURING, title="Judul baru")
    assert entry.categories == ["sinematografi"]
    with pytest.raises(CategoryNotEnterable):
        entry.revise(edition=edition, now=DURING, categories=["juara-favorit"])
    entry.revise(
        edition=edition, now=DURING + timedelta(hours=1), categories=["sinematografi", "promosi-umkm"]
    )
    assert entry.categories == ["sinematografi", "promosi-umkm"]
    _, details = to_integration(entry.events[-1])
    assert details.categories == ["sinematografi", "promosi-umkm"]  # type: ignore[attr-defined]
    entry.revise(edition=edition, now=DURING + timedelta(hours=2), categories=[])
    assert entry.categories == []
    assert len(entry.events) == 4  # submitted, title, categories added, categories removed


def test_categories_changed_after_the_close_are_undone_with_the_rest() -> None:
    edition = with_categories()
    entry = submit(edition, ["sinematografi"])
    closed = DURING + timedelta(hours=1)
    entry.revise(edition=edition, now=DURING + timedelta(hours=2), categories=["promosi-umkm"])
    assert entry.undo_after(closed, CLOSES)
    assert entry.categories == ["sinematografi"]


def test_an_edition_learns_its_categories_from_a_newer_revision_only() -> None:
    edition = with_categories()
    same = dict(
        title=edition.title, opens_at=edition.opens_at, closes_at=edition.closes_at, rules=edition.rules
    )
    edition.update(**same, revision=1, categories=[])  # type: ignore[arg-type]
    assert len(edition.categories) == 4
    edition.update(**same, revision=2, categories=[Category(code="a", title="A", kind="ranked")])  # type: ignore[arg-type]
    assert [c.code for c in edition.categories] == ["a"]
