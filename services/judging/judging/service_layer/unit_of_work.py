"""What the judging service layer needs from storage; adapters provide it."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol
from uuid import UUID

from shared.platform.persistence.unit_of_work import UnitOfWork

from ..domain.audit import AuditRecord
from ..domain.certificate import Certificate
from ..domain.edition import Edition
from ..domain.entry import Entry
from ..domain.score_sheet import ScoreSheet
from ..domain.snapshot import Snapshot
from .audit_trail import to_audit
from .certificates import issued_with


class EditionRepository(Protocol):
    async def get(self, edition_id: UUID) -> Edition | None: ...
    async def require(self, edition_id: UUID) -> Edition: ...
    def add(self, edition: Edition) -> None: ...
    async def with_deadline_between(self, start: datetime, end: datetime) -> list[Edition]: ...
    async def with_judge(self, email: str) -> list[Edition]:
        """Editions with a judge appointed with this email (in any case), removed or not."""
        ...


class EntryRepository(Protocol):
    async def get(self, entry_id: UUID) -> Entry | None: ...
    async def require(self, entry_id: UUID) -> Entry: ...
    async def recent(self, entry_id: UUID) -> Entry:
        """`require`, possibly as this process last read or wrote it: only for a change
        that writes the entry, which expects the version it read."""
        ...

    async def fresh(self, entry_id: UUID) -> Entry:
        """The entry as stored now, read again even if this unit of work holds it."""
        ...

    def forget_recent(self, entry_id: UUID) -> bool:
        """Drop what `recent` keeps; whether its last answer came without a read."""
        ...

    def add(self, entry: Entry) -> None: ...
    async def of_edition(self, edition_id: UUID) -> list[Entry]: ...
    async def in_competition(self, edition_id: UUID) -> list[Entry]: ...
    async def count_in_competition(self, edition_id: UUID) -> int: ...
    async def count_incomplete(self, edition_id: UUID) -> int: ...


class ScoreSheetRepository(Protocol):
    async def get(self, sheet_id: UUID) -> ScoreSheet | None: ...
    def add(self, sheet: ScoreSheet) -> None: ...
    async def of(self, entry_id: UUID, judge_id: UUID) -> ScoreSheet | None: ...
    async def of_edition(self, edition_id: UUID) -> list[ScoreSheet]: ...
    async def of_entry(self, entry_id: UUID) -> list[ScoreSheet]: ...
    async def of_judge(self, edition_id: UUID, judge_id: UUID) -> list[ScoreSheet]: ...
    async def count_by(self, edition_id: UUID, judge_ids: Collection[UUID]) -> int: ...


class SnapshotRepository(Protocol):
    def add(self, snapshot: Snapshot) -> None: ...
    async def numbered(self, edition_id: UUID, number: int) -> Snapshot | None: ...
    async def of_edition(self, edition_id: UUID) -> list[Snapshot]: ...


class CategorySnapshotRepository(Protocol):
    """The categories' frozen results, apart from the main ranking's."""

    def add(self, snapshot: Snapshot) -> None: ...
    async def numbered(self, edition_id: UUID, category: str, number: int) -> Snapshot | None: ...
    async def of_category(self, edition_id: UUID, category: str) -> list[Snapshot]: ...


class AuditRepository(Protocol):
    def add(self, record: AuditRecord) -> None: ...
    def added(self) -> int:
        """How many records this unit of work has added so far: the next one's sequence."""
        ...

    async def of_edition(self, edition_id: UUID, limit: int) -> list[AuditRecord]: ...


class CertificateRepository(Protocol):
    async def get(self, code: str) -> Certificate | None: ...
    def add(self, certificate: Certificate) -> None: ...
    async def of_edition(self, edition_id: UUID) -> list[Certificate]:
        """Every category's and version's, main ranking first, latest version first, then
        the places in order and the participants by KIM name."""
        ...

    async def of_results(self, edition_id: UUID, category: str | None) -> list[Certificate]: ...


class JudgingUnitOfWork(UnitOfWork):
    editions: EditionRepository
    entries: EntryRepository
    #: Final rounds' copies of the shortlisted entries (`domain/rounds.py`); in a
    #: final round's unit of work, its `entries` too.
    final_entries: EntryRepository
    sheets: ScoreSheetRepository
    snapshots: SnapshotRepository
    category_snapshots: CategorySnapshotRepository
    audit: AuditRepository
    certificates: CertificateRepository

    def also_store(self, event: object) -> None:
        """The audit trail: the records each domain event leaves (see `audit_trail`),
        and the certificates an announcement issues (see `certificates`), stored in
        the same transaction as the change."""
        for record in to_audit(event, sequence=self.audit.added()):
            self.audit.add(record)
        for certificate in issued_with(event):
            self.certificates.add(certificate)
