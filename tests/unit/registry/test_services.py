"""Registry use cases with an in-memory unit of work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from registry.adapters.passwords import Passwords
from registry.domain.edition import Edition, Rules
from registry.domain.enrolment import Enrolment
from registry.domain.errors import (
    AlreadyEnrolled,
    EditionNotFound,
    EnrolmentNotFound,
    KimNameTaken,
    KimNotFound,
)
from registry.domain.kim import Kim
from registry.domain.regions import RegionCatalog
from registry.service_layer import services
from registry.service_layer.commands import (
    DraftEdition,
    PublishEdition,
    RegisterKim,
    RequestEnrolment,
    VerifyKim,
)
from registry.service_layer.integration_events import to_integration

from ..fakes import FakeRepository, FakeUnitOfWork

NOW = datetime(2024, 8, 1, 9, 0, tzinfo=UTC)
REGIONS = RegionCatalog.load()


class FakeKims(FakeRepository[Kim]):
    async def named(self, name: str) -> Kim | None:
        found = self.where(lambda k: k.name.lower() == name.strip().lower())
        return found[0] if found else None

    async def list(self, *, verified: bool | None = None) -> list[Kim]:
        return self.where(lambda k: verified is None or k.verified == verified)


class FakeEditions(FakeRepository[Edition]):
    async def list(self) -> list[Edition]:
        return list(self.items.values())

    async def past_deadline(self, now: datetime) -> list[Edition]:
        return self.where(lambda e: e.deadline_passed(now))


class FakeEnrolments(FakeRepository[Enrolment]):
    async def of_kim(self, edition_id: UUID, kim_id: UUID) -> Enrolment | None:
        found = self.where(lambda e: (e.edition_id, e.kim_id) == (edition_id, kim_id))
        return found[0] if found else None

    async def of_edition(self, edition_id: UUID, status: Any = None) -> list[Enrolment]:
        return self.where(lambda e: e.edition_id == edition_id and status in (None, e.status))


class FakeRegistry(FakeUnitOfWork):
    def __init__(self) -> None:
        super().__init__(to_integration)
        self.kims = FakeKims("kim_id", not_found=KimNotFound)
        self.editions = FakeEditions("edition_id", not_found=EditionNotFound)
        self.enrolments = FakeEnrolments("enrolment_id", not_found=EnrolmentNotFound)


def clock() -> datetime:
    return NOW


async def register(uow: FakeRegistry, name: str = "KIM Ganjur") -> Kim:
    command = RegisterKim(
        name=name,
        kelurahan_code="gadang",
        chair="Ketua",
        whatsapp="081298765432",
        email="ganjur@example.id",
        members=[],
    )
    return await services.register_kim(uow, REGIONS, clock, Passwords(), command)


async def test_kim_names_are_unique_regardless_of_case() -> None:
    uow = FakeRegistry()
    await register(uow)
    with pytest.raises(KimNameTaken):
        await register(uow, "kim ganjur")
    assert uow.types() == ["kim.registered"]


async def test_registering_publishes_the_kim_as_it_now_stands() -> None:
    uow = FakeRegistry()
    kim = await register(uow)
    profile = uow.published[0].data
    assert (profile.kim_id, profile.kecamatan.name, profile.verified) == (kim.kim_id, "Sukun", False)
    assert uow.published[0].correlation_id == "test"


async def test_verifying_an_unknown_kim_names_it() -> None:
    missing = UUID(int=7)
    with pytest.raises(KimNotFound) as refused:
        await services.verify_kim(FakeRegistry(), clock, VerifyKim(kim_id=missing))
    assert str(missing) in refused.value.message()


async def test_a_kim_enrols_once_per_edition() -> None:
    uow = FakeRegistry()
    kim = await register(uow)
    await services.verify_kim(uow, clock, VerifyKim(kim_id=kim.kim_id))
    edition = await services.draft_edition(
        uow,
        clock,
        DraftEdition(
            title="Lomba 2024",
            theme="UMKM",
            description="",
            submission_opens_at=NOW,
            submission_closes_at=NOW + timedelta(days=1),
            rules=Rules(max_video_seconds=300, allowed_video_hosts=["youtube.com"], entries_per_kim=1),
            awarded_ranks=3,
            prizes=[],
        ),
    )
    await services.publish_edition(uow, clock, PublishEdition(edition_id=edition.edition_id))
    enrol = RequestEnrolment(edition_id=edition.edition_id, kim_id=kim.kim_id)
    await services.request_enrolment(uow, clock, enrol)
    with pytest.raises(AlreadyEnrolled):
        await services.request_enrolment(uow, clock, enrol)


async def test_the_deadline_watcher_closes_only_editions_past_their_deadline() -> None:
    uow = FakeRegistry()
    rules = Rules(max_video_seconds=300, allowed_video_hosts=["youtube.com"], entries_per_kim=1)
    due, later = [
        await services.draft_edition(
            uow,
            clock,
            DraftEdition(
                title=title,
                theme="UMKM",
                description="",
                submission_opens_at=NOW,
                submission_closes_at=NOW + timedelta(hours=hours),
                rules=rules,
                awarded_ranks=3,
                prizes=[],
            ),
        )
        for title, hours in (("Edisi A", 1), ("Edisi B", 48))
    ]
    for edition in (due, later):
        await services.publish_edition(uow, clock, PublishEdition(edition_id=edition.edition_id))
    closed = await services.close_editions_past_deadline(uow, lambda: NOW + timedelta(hours=2))
    assert closed == [due.edition_id]
    closure = uow.published[-1]
    assert (closure.type, closure.data.closed_by) == ("edition.submissions_closed", "deadline")
    assert later.status == "published"
