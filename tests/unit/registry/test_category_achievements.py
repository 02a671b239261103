"""winner.announced v2: the places a KIM won in an edition's categories become achievements
beside (never instead of) those of the main ranking, which v1 records."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from registry.service_layer import services

from shared import contracts as c
from shared.contracts.judging import AwardedPlacing, CategoryAnnouncement, CategoryRef, WinnerAnnouncedV2

from .test_kim_profile import a_registry_with_two_kims, announced, placing

SINEMATOGRAFI = CategoryRef(code="sinematografi", title="Sinematografi Terbaik", kind="ranked")
JURI = CategoryRef(code="penghargaan-juri", title="Penghargaan Khusus Juri", kind="special")


def awarded(rank: int, kim: object, prize: c.Prize | None = None) -> AwardedPlacing:
    return AwardedPlacing(**placing(rank, kim).model_dump(), prize=prize)  # type: ignore[arg-type]


def announced_v2(
    edition_id: UUID, category: CategoryRef | None, winners: list[AwardedPlacing], version: int = 1
) -> WinnerAnnouncedV2:
    return WinnerAnnouncedV2.new(
        CategoryAnnouncement(
            edition_id=edition_id,
            edition_title="ignored",
            category=category,
            winners=winners,
            ranking=winners,
            tie_break=[],
            announced_at=datetime(2024, 11, 20, 9, tzinfo=UTC),
            version=version,
            supersedes=version - 1 if version > 1 else None,
            content_hash="0" * 64,
        ),
        producer="judging",
        correlation_id="test",
    )


async def test_a_category_place_is_recorded_beside_the_main_ranking_and_corrected_on_its_own() -> None:
    uow, first, second, edition_id = a_registry_with_two_kims()
    await services.record_announcement(uow, announced(edition_id, [placing(1, first)]))
    prize = c.Prize(rank=1, title="Sinematografi Terbaik", amount=2_000_000, non_cash="Piagam")
    event = announced_v2(edition_id, SINEMATOGRAFI, [awarded(1, second, prize)])
    assert await services.record_category_announcement(uow, event)
    assert not await services.record_category_announcement(uow, event)  # delivered twice
    assert [(a.title, a.reward, a.category) for a in second.competition_achievements] == [
        ("Juara 1 Sinematografi Terbaik, Lomba Video Pendek KIM 2024", "Rp2.000.000, Piagam", "sinematografi")
    ]
    await services.record_category_announcement(uow, announced_v2(edition_id, JURI, [awarded(1, first)]))
    assert [a.title for a in first.competition_achievements] == [
        "Juara 1, Lomba Video Pendek KIM 2024",
        "Penghargaan Khusus Juri, Lomba Video Pendek KIM 2024",
    ]

    # A correction of the category moves its place; the main ranking's and the other award stay.
    await services.record_category_announcement(
        uow, announced_v2(edition_id, SINEMATOGRAFI, [awarded(1, first)], version=2)
    )
    assert second.competition_achievements == []
    assert [a.category for a in first.competition_achievements] == [None, "penghargaan-juri", "sinematografi"]
    # A correction of the main ranking leaves the categories' places where they are.
    await services.record_announcement(uow, announced(edition_id, [placing(1, second)], version=2))
    assert [a.category for a in first.competition_achievements] == ["penghargaan-juri", "sinematografi"]
    assert [a.category for a in second.competition_achievements] == [None]
    # An older version of a category changes nothing.
    await services.record_category_announcement(
        uow, announced_v2(edition_id, SINEMATOGRAFI, [awarded(1, second)], version=1)
    )
    assert [a.category for a in second.competition_achievements] == [None]


async def test_v2_of_the_main_ranking_is_left_to_v1() -> None:
    uow, first, _, edition_id = a_registry_with_two_kims()
    assert await services.record_category_announcement(
        uow, announced_v2(edition_id, None, [awarded(1, first)])
    )
    assert first.competition_achievements == []
    assert "kim.updated" not in uow.types()
