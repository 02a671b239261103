"""What voting keeps from other services' events: the favourite category, the
gallery's entries (newest revision wins) and each entry's kecamatan from its KIM."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from voting.service_layer import projections

from shared import contracts as c
from shared.contracts.registry import Category

from .fakes import NOW, FakeVotingUnitOfWork

POLOWIJEN = c.Region(code="polowijen", name="Polowijen")


def edition_event(revision: int, categories: list[Category]) -> c.EditionPublished:
    details = c.EditionDetails(
        edition_id=EDITION_ID,
        title=f"Lomba rev {revision}",
        theme="UMKM",
        description="",
        submission_opens_at=NOW,
        submission_closes_at=NOW + timedelta(days=30),
        rules=c.EditionRules(max_video_seconds=300, allowed_video_hosts=[], entries_per_kim=1),
        awarded_ranks=3,
        prizes=[],
        status="published",
        revision=revision,
        categories=categories,
    )
    return c.EditionPublished.new(details, producer="registry", correlation_id="t")


def entry_event(revision: int, status: str = "submitted", kim_id: object = None) -> c.EntryRevised:
    details = c.EntryDetails(
        entry_id=ENTRY_ID,
        edition_id=EDITION_ID,
        kim_id=kim_id or KIM_ID,  # type: ignore[arg-type]
        kim_name="KIM Ganjur",
        kelurahan=POLOWIJEN,
        title=f"Judul rev {revision}",
        synopsis="",
        video_url="https://www.youtube.com/watch?v=abc",
        duration_seconds=0,
        umkm_featured=["Tempe"],
        status=status,  # type: ignore[arg-type]
        revision=revision,
        submitted_at=NOW,
        updated_at=NOW,
    )
    return c.EntryRevised.new(details, producer="submissions", correlation_id="t")


def kim_event(revision: int, kecamatan: str) -> c.KimUpdated:
    profile = c.KimProfile(
        kim_id=KIM_ID,
        name="KIM Ganjur",
        kelurahan=POLOWIJEN,
        kecamatan=c.Region(code=kecamatan.lower(), name=kecamatan),
        chair="Bu Sari",
        whatsapp="+6281234567890",
        email="ganjur@example.id",
        members=[],
        verified=True,
        revision=revision,
    )
    return c.KimUpdated.new(profile, producer="registry", correlation_id="t")


EDITION_ID, ENTRY_ID, KIM_ID = uuid4(), uuid4(), uuid4()
FAVOURITE = Category(code="juara-favorit", title="Juara Favorit", kind="favourite", awarded_ranks=1)
RANKED = Category(code="sinematografi", title="Sinematografi", kind="ranked", awarded_ranks=3)


async def test_the_favourite_category_comes_from_the_edition_and_older_revisions_change_nothing() -> None:
    uow = FakeVotingUnitOfWork()
    await projections.record_edition(uow, edition_event(2, [RANKED, FAVOURITE]))
    edition = uow.editions.items[EDITION_ID]
    assert (edition.title, edition.category_code) == ("Lomba rev 2", "juara-favorit")
    await projections.record_edition(uow, edition_event(1, [RANKED]))
    assert (edition.title, edition.category_code) == ("Lomba rev 2", "juara-favorit")
    await projections.record_edition(uow, edition_event(3, [RANKED]))
    assert edition.category_code is None


async def test_an_entry_keeps_its_newest_revision_and_leaves_the_gallery_when_withdrawn() -> None:
    uow = FakeVotingUnitOfWork()
    await projections.record_entry(uow, entry_event(2))
    await projections.record_entry(uow, entry_event(1))
    entry = uow.entries.items[ENTRY_ID]
    assert (entry.title, entry.revision, entry.in_competition) == ("Judul rev 2", 2, True)
    await projections.record_entry(uow, entry_event(3, status="withdrawn"))
    assert not entry.in_competition
    assert await uow.entries.gallery() == []


async def test_the_kecamatan_comes_from_the_kim_whichever_event_arrives_first() -> None:
    uow = FakeVotingUnitOfWork()
    await projections.record_entry(uow, entry_event(1))
    assert uow.entries.items[ENTRY_ID].kecamatan is None
    await projections.record_kim(uow, kim_event(1, "Blimbing"))
    assert uow.entries.items[ENTRY_ID].kecamatan.name == "Blimbing"  # type: ignore[union-attr]
    await projections.record_kim(uow, kim_event(3, "Lowokwaru"))
    await projections.record_kim(uow, kim_event(2, "Klojen"))  # late and older: ignored
    await projections.record_entry(uow, entry_event(2))
    assert uow.entries.items[ENTRY_ID].kecamatan.name == "Lowokwaru"  # type: ignore[union-attr]


async def test_several_favourite_categories_are_kept_with_the_ranked_category_each_is_for() -> None:
    uow = FakeVotingUnitOfWork()
    fiksi = Category(code="fiksi", title="Fiksi", kind="ranked", awarded_ranks=1)
    favourites = [
        Category(
            code="favorit-sinema",
            title="Favorit Sinema",
            kind="favourite",
            awarded_ranks=1,
            favourite_of="sinematografi",
        ),
        Category(
            code="favorit-fiksi",
            title="Favorit Fiksi",
            kind="favourite",
            awarded_ranks=1,
            favourite_of="fiksi",
        ),
    ]
    await projections.record_edition(uow, edition_event(1, [RANKED, fiksi, *favourites]))
    edition = uow.editions.items[EDITION_ID]
    assert [(f.code, f.title, f.favourite_of) for f in edition.favourites] == [
        ("favorit-sinema", "Favorit Sinema", "sinematografi"),
        ("favorit-fiksi", "Favorit Fiksi", "fiksi"),
    ]
    event = entry_event(1)
    details = event.data.model_copy(update={"categories": ["fiksi"]})
    await projections.record_entry(
        uow, c.EntryRevised.new(details, producer="submissions", correlation_id="t")
    )
    kept = uow.entries.items[ENTRY_ID]
    assert kept.categories == ["fiksi"]
    assert [f.takes(kept) for f in edition.favourites] == [False, True]
