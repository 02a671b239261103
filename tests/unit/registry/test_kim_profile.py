"""The KIM profile's rules, and achievements recorded from announced results."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from registry.domain import events
from registry.domain.edition import Prize
from registry.domain.errors import (
    CompetitionAchievementFixed,
    DuplicateMember,
    KimNotFound,
    TitleRequired,
    TooManyItems,
    YearOutOfRange,
)
from registry.domain.kim import (
    MAX_MEMBERS,
    MAX_SPONSORS,
    Achievement,
    Innovation,
    Kim,
    Member,
    Sponsor,
)
from registry.service_layer import services
from registry.service_layer.commands import UpdateKim

from shared import contracts as c
from shared.kernel.errors import DomainError

from .test_domain import a_kim, an_edition
from .test_services import FakeKims, FakeRegistry

NOW = datetime(2024, 8, 1, 9, 0, tzinfo=UTC)


def refusal(error: pytest.ExceptionInfo[DomainError]) -> tuple[str, str | None]:
    return error.value.code, error.value.field


def test_members_carry_role_and_expertise_and_a_change_is_published() -> None:
    kim = a_kim()
    kim.events.clear()
    kim.update(
        members=[Member(name="Siti", role="Ketua", expertise="Kader lingkungan")],
        innovations=[Innovation(title="Klinik Internet Sehat", description="Tiap Sabtu", since=2021)],
        achievements=[
            Achievement(title="Juara Kampung Smart City", level="kota", year=2023, reward="Rp40.000.000")
        ],
        sponsors=[Sponsor(name="Toko Bu Min", kind="sponsor")],
        now=NOW,
    )
    assert kim.members[0].expertise == "Kader lingkungan"
    assert [type(e) for e in kim.events] == [events.KimUpdated]
    kim.events.clear()
    kim.update(sponsors=[Sponsor(name="Toko Bu Min", kind="sponsor")], now=NOW)  # the same: no change
    assert kim.events == []


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"members": [Member(name="Siti"), Member(name=" siti ")]}, "duplicate_member", "members.1.name"),
        (
            {"members": [Member(name=f"Anggota {n}") for n in range(MAX_MEMBERS + 1)]},
            "too_many_items",
            "members",
        ),
        (
            {"sponsors": [Sponsor(name=f"S {n}") for n in range(MAX_SPONSORS + 1)]},
            "too_many_items",
            "sponsors",
        ),
        ({"innovations": [Innovation(title="  ")]}, "title_required", "innovations.0.title"),
        (
            {"innovations": [Innovation(title="Literasi", since=1944)]},
            "year_out_of_range",
            "innovations.0.since",
        ),
        (
            {"achievements": [Achievement(title="Juara", level="kota", year=2025)]},  # NOW is in 2024
            "year_out_of_range",
            "achievements.0.year",
        ),
        (
            {"achievements": [Achievement(title="", level="kota", year=2020)]},
            "title_required",
            "achievements.0.title",
        ),
        ({"sponsors": [Sponsor(name=" ")]}, "title_required", "sponsors.0.name"),
    ],
)
def test_the_profile_refuses_each_broken_rule_naming_the_field(
    changes: dict[str, object], code: str, field: str
) -> None:
    kim = a_kim()
    with pytest.raises(DomainError) as error:
        kim.update(now=NOW, **changes)  # type: ignore[arg-type]
    assert refusal(error) == (code, field)
    assert error.value.message("id") != error.value.message("en")


def test_refusals_read_in_indonesian_and_english() -> None:
    for error in (
        TooManyItems(field="members", most=50, count=51),
        TitleRequired(field="sponsors.0.name"),
        DuplicateMember(name="Siti"),
        YearOutOfRange(field="achievements.0.year", year=1900, earliest=1945, latest=2024),
        CompetitionAchievementFixed(),
    ):
        assert error.message("id") and error.message("en") and error.message("id") != error.message("en")


def test_a_year_of_1945_and_the_current_year_are_allowed() -> None:
    kim = a_kim()
    kim.update(innovations=[Innovation(title="Sejak merdeka", since=1945)], now=NOW)
    kim.update(achievements=[Achievement(title="Juara", level="nasional", year=2024)], now=NOW)
    assert [a.year for a in kim.achievements] == [2024]


def competition(edition_id: UUID, rank: int = 1) -> Achievement:
    return Achievement(
        title=f"Juara {rank}, Lomba",
        level="kota",
        year=2024,
        source="competition",
        edition_id=edition_id,
        rank=rank,
    )


def test_the_representative_neither_edits_nor_drops_competition_achievements() -> None:
    kim, edition_id = a_kim(), uuid4()
    kim.record_competition_result(edition_id, [competition(edition_id)])
    with pytest.raises(CompetitionAchievementFixed):
        kim.update(achievements=[competition(edition_id, rank=2)], now=NOW)
    kim.update(achievements=[], now=NOW)  # declared ones: none; the competition one stays
    assert [(a.source, a.rank) for a in kim.achievements] == [("competition", 1)]


def test_members_stored_as_plain_names_are_read_as_members() -> None:
    from registry.adapters.mongo import MongoKimRepository

    document = MongoKimRepository.to_document(a_kim())
    document["members"] = ["Siti", "Budi"]
    for list_name in ("innovations", "achievements", "sponsors"):
        document.pop(list_name)  # a document from before the profile had them
    kim = MongoKimRepository.from_document(document)
    assert [(m.name, m.role, m.expertise) for m in kim.members] == [
        ("Siti", None, None),
        ("Budi", None, None),
    ]
    assert kim.achievements == []


# --- achievements from announced results -----------------------------------------------------


class FakeKimsWithAchievements(FakeKims):
    async def with_competition_achievements(self, edition_id: UUID) -> list[Kim]:
        return self.where(lambda k: any(a.edition_id == edition_id for a in k.achievements))


def placing(rank: int, kim: Kim) -> c.Placing:
    return c.Placing(
        rank=rank,
        entry_id=uuid4(),
        entry_title="Film",
        kim_id=kim.kim_id,
        kim_name=kim.name,
        kelurahan=c.Region(code=kim.kelurahan.code, name=kim.kelurahan.name),
        score=90.0 - rank,
    )


def announced(edition_id: UUID, winners: list[c.Placing], version: int = 1) -> c.WinnerAnnounced:
    return c.WinnerAnnounced.new(
        c.Announcement(
            edition_id=edition_id,
            edition_title="ignored: the registry's own title is used",
            winners=winners,
            ranking=winners,
            tie_break=[],
            announced_at=datetime(2024, 11, 20, 9, tzinfo=UTC),
            version=version,
            supersedes=version - 1 if version > 1 else None,
        ),
        producer="judging",
        correlation_id="test",
    )


def a_registry_with_two_kims() -> tuple[FakeRegistry, Kim, Kim, UUID]:
    uow = FakeRegistry()
    uow.kims = FakeKimsWithAchievements("kim_id", not_found=KimNotFound)
    first, second = a_kim(), a_kim()
    second.kim_id, second.name = uuid4(), "KIM Ganjur"
    uow.kims.add(first)
    uow.kims.add(second)
    edition = an_edition(prizes=[Prize(rank=1, title="Juara 1", reward="Rp5.000.000")])
    uow.editions.add(edition)
    return uow, first, second, edition.edition_id


def achievements_of(kim: Kim) -> list[tuple[str, str, int, str | None]]:
    return [(a.title, a.level, a.year, a.reward) for a in kim.competition_achievements]


async def test_an_announcement_records_each_winners_place_once() -> None:
    uow, first, second, edition_id = a_registry_with_two_kims()
    edition = await uow.editions.require(edition_id)
    event = announced(edition_id, [placing(1, first), placing(2, second)])
    assert await services.record_announcement(uow, event)
    assert not await services.record_announcement(uow, event)  # delivered twice
    assert edition.title == "Lomba Video Pendek KIM 2024"
    assert achievements_of(first) == [("Juara 1, Lomba Video Pendek KIM 2024", "kota", 2024, "Rp5.000.000")]
    assert achievements_of(second) == [("Juara 2, Lomba Video Pendek KIM 2024", "kota", 2024, None)]
    assert uow.types().count("kim.updated") == 2


async def test_a_correction_replaces_the_editions_achievements_and_an_older_version_is_ignored() -> None:
    uow, first, second, edition_id = a_registry_with_two_kims()
    await services.record_announcement(uow, announced(edition_id, [placing(1, first), placing(2, second)]))
    # Version 2: the second KIM moves up to 1st, the first loses its place.
    await services.record_announcement(uow, announced(edition_id, [placing(1, second)], version=2))
    assert [a.rank for a in first.competition_achievements] == []
    assert [a.rank for a in second.competition_achievements] == [1]
    # A late copy of version 1 (another event) changes nothing.
    await services.record_announcement(uow, announced(edition_id, [placing(1, first)], version=1))
    assert [a.rank for a in first.competition_achievements] == []
    assert [a.rank for a in second.competition_achievements] == [1]


async def test_the_kims_declared_achievements_survive_an_announcement() -> None:
    uow, first, second, edition_id = a_registry_with_two_kims()
    first.update(achievements=[Achievement(title="Kampung Smart City", level="kota", year=2023)], now=NOW)
    await services.record_announcement(uow, announced(edition_id, [placing(1, first)]))
    assert [a.source for a in first.achievements] == ["declared", "competition"]
    assert [a.year for a in first.achievements_newest_first] == [2024, 2023]


async def test_update_kim_takes_the_years_bound_from_the_clock() -> None:
    uow, first, _, _ = a_registry_with_two_kims()
    command = UpdateKim(kim_id=first.kim_id, innovations=[Innovation(title="Literasi", since=2024)])
    await services.update_kim(uow, None, lambda: NOW, command)  # type: ignore[arg-type]
    late = UpdateKim(kim_id=first.kim_id, innovations=[Innovation(title="Literasi", since=2025)])
    with pytest.raises(YearOutOfRange):
        await services.update_kim(uow, None, lambda: NOW, late)  # type: ignore[arg-type]
