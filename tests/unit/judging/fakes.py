"""Judging's repositories in memory, on the shared fake unit of work, and the
steps of an edition the service-layer tests share."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from judging.domain.audit import AuditRecord
from judging.domain.certificate import Certificate
from judging.domain.edition import Affiliations, Edition
from judging.domain.entry import Entry, Region
from judging.domain.errors import EditionNotFound, EntryNotFound
from judging.domain.score_sheet import ScoreSheet
from judging.domain.snapshot import Snapshot
from judging.service_layer import services
from judging.service_layer.commands import AppointJudge, RecordScoreSheet
from judging.service_layer.integration_events import to_integration
from judging.service_layer.unit_of_work import JudgingUnitOfWork

from ..fakes import FakeRepository, FakeUnitOfWork

NOW = datetime(2024, 10, 1, tzinfo=UTC)
FLAT = {"tema": 80, "kreativitas": 80, "teknis": 80, "promosi_umkm": 80}


class FakeEditions(FakeRepository[Edition]):
    async def with_deadline_between(self, start: datetime, end: datetime) -> list[Edition]:
        return self.where(
            lambda e: e.options.judging_deadline is not None and start <= e.options.judging_deadline <= end
        )

    async def with_judge(self, email: str) -> list[Edition]:
        return self.where(lambda e: any((j.email or "").lower() == email.lower() for j in e.judges))


class FakeEntries(FakeRepository[Entry]):
    async def recent(self, entry_id: UUID) -> Entry:
        return await self.require(entry_id)

    async def fresh(self, entry_id: UUID) -> Entry:
        return await self.require(entry_id)

    def forget_recent(self, entry_id: UUID) -> bool:
        return False

    async def of_edition(self, edition_id: UUID) -> list[Entry]:
        return sorted(self.where(lambda e: e.edition_id == edition_id), key=lambda e: e.submitted_at)

    async def in_competition(self, edition_id: UUID) -> list[Entry]:
        return [e for e in await self.of_edition(edition_id) if e.in_competition]

    async def count_in_competition(self, edition_id: UUID) -> int:
        return len(await self.in_competition(edition_id))

    async def count_incomplete(self, edition_id: UUID) -> int:
        return len([e for e in await self.in_competition(edition_id) if not e.complete])


class FakeSheets(FakeRepository[ScoreSheet]):
    async def of(self, entry_id: UUID, judge_id: UUID) -> ScoreSheet | None:
        found = self.where(lambda s: (s.entry_id, s.judge_id) == (entry_id, judge_id))
        return found[0] if found else None

    async def of_edition(self, edition_id: UUID) -> list[ScoreSheet]:
        return self.where(lambda s: s.edition_id == edition_id)

    async def of_judge(self, edition_id: UUID, judge_id: UUID) -> list[ScoreSheet]:
        return self.where(lambda s: (s.edition_id, s.judge_id) == (edition_id, judge_id))

    async def of_entry(self, entry_id: UUID) -> list[ScoreSheet]:
        return self.where(lambda s: s.entry_id == entry_id)

    async def count_by(self, edition_id: UUID, judge_ids: Collection[UUID]) -> int:
        return len(self.where(lambda s: s.edition_id == edition_id and s.judge_id in judge_ids))


class FakeSnapshots(FakeRepository[Snapshot]):
    async def numbered(self, edition_id: UUID, number: int) -> Snapshot | None:
        found = self.where(lambda s: (s.edition_id, s.number) == (edition_id, number))
        return found[0] if found else None

    async def of_edition(self, edition_id: UUID) -> list[Snapshot]:
        return sorted(self.where(lambda s: s.edition_id == edition_id), key=lambda s: s.number)


class FakeCategorySnapshots(FakeRepository[Snapshot]):
    async def numbered(self, edition_id: UUID, category: str, number: int) -> Snapshot | None:
        found = self.where(lambda s: (s.edition_id, s.category, s.number) == (edition_id, category, number))
        return found[0] if found else None

    async def of_category(self, edition_id: UUID, category: str) -> list[Snapshot]:
        mine = self.where(lambda s: (s.edition_id, s.category) == (edition_id, category))
        return sorted(mine, key=lambda s: s.number)


class FakeAudit(FakeRepository[AuditRecord]):
    def added(self) -> int:
        return len(self.items)

    async def of_edition(self, edition_id: UUID, limit: int) -> list[AuditRecord]:
        # Insertion order: the fake clock stands still, so `at` alone orders nothing.
        return self.where(lambda r: r.edition_id == edition_id)[:limit]


class FakeCertificates(FakeRepository[Certificate]):
    async def of_edition(self, edition_id: UUID) -> list[Certificate]:
        return sorted(
            self.where(lambda c: c.edition_id == edition_id),
            key=lambda c: (-c.results_version, c.place is None, c.place or 0, c.kim_name),
        )

    async def of_results(self, edition_id: UUID, category: str | None) -> list[Certificate]:
        return self.where(lambda c: c.edition_id == edition_id and c.category_code == category)


class FakeJudging(FakeUnitOfWork, JudgingUnitOfWork):
    def __init__(self) -> None:
        super().__init__(to_integration)
        self.editions = FakeEditions("edition_id", EditionNotFound)
        self.entries = FakeEntries("entry_id", EntryNotFound)
        self.final_entries = FakeEntries("entry_id", EntryNotFound)
        self.sheets = FakeSheets("sheet_id")
        self.snapshots = FakeSnapshots("snapshot_id")
        self.category_snapshots = FakeCategorySnapshots("snapshot_id")
        self.audit = FakeAudit("record_id")
        self.certificates = FakeCertificates("code")

    def of_type(self, event_type: str, version: int = 1) -> list[object]:
        return [event for event in self.published if (event.type, event.version) == (event_type, version)]

    def actions(self) -> list[str]:
        return [record.action for record in self.audit.items.values()]


def clock() -> datetime:
    return NOW


def entry(edition: Edition, name: str, kelurahan: str, minutes: int = 0, status: str = "submitted") -> Entry:
    return Entry(
        entry_id=uuid4(),
        edition_id=edition.edition_id,
        kim_id=uuid4(),
        kim_name=name,
        kelurahan=Region(code=kelurahan, name=kelurahan.title()),
        title=f"Film {name}",
        status=status,  # type: ignore[arg-type]
        submitted_at=NOW - timedelta(days=1, minutes=-minutes),
        revision=1,
    )


MALANG = [("KIM Pasreh Jaya", "bumiayu"), ("KIM Ganjur", "gadang"), ("KIM Mojolangu", "mojolangu")]


def setup(
    closed: bool = True, kims: list[tuple[str, str]] = MALANG, awarded_ranks: int = 2
) -> tuple[FakeJudging, Edition, list[Entry]]:
    """An edition with one entry per KIM, submitted a minute apart in the order given."""
    uow = FakeJudging()
    edition = Edition(edition_id=uuid4(), title="Lomba 2024", awarded_ranks=awarded_ranks, revision=1)
    if closed:
        edition.close_submissions(at=NOW, revision=2)
    uow.editions.add(edition)
    entries = [entry(edition, name, kelurahan, minute) for minute, (name, kelurahan) in enumerate(kims)]
    for each in entries:
        uow.entries.add(each)
    return uow, edition, entries


async def appoint(
    uow: FakeJudging, edition: Edition, name: str, email: str | None = None, **affiliations: list
) -> UUID:  # type: ignore[type-arg]
    command = AppointJudge(
        edition_id=edition.edition_id, name=name, email=email, affiliations=Affiliations(**affiliations)
    )
    judge = await services.appoint_judge(uow, clock, command)
    return judge.judge_id


async def score(
    uow: FakeJudging, edition: Edition, entry: Entry, judge: UUID, scores: dict[str, int] = FLAT
) -> ScoreSheet:
    return await services.record_score(
        uow,
        clock,
        RecordScoreSheet(
            edition_id=edition.edition_id, entry_id=entry.entry_id, judge_id=judge, scores=scores
        ),
    )


def flat(value: int) -> dict[str, int]:
    """The same score on every criterion: the weighted total is `value`."""
    return dict.fromkeys(FLAT, value)
