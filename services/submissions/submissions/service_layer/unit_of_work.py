"""What the submissions service layer needs from storage; adapters provide it."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from shared.platform.persistence.unit_of_work import UnitOfWork

from ..domain.edition import Edition
from ..domain.enrolment import Enrolment
from ..domain.entry import Entry, EntryStatus
from ..domain.film import FilmCheckStatus, FilmLookup
from ..domain.kim import KimContact


class EditionRepository(Protocol):
    async def get(self, edition_id: UUID) -> Edition | None: ...
    async def require(self, edition_id: UUID) -> Edition:
        """The edition; `EditionNotFound` if there is none."""
        ...

    async def recent(self, edition_id: UUID) -> Edition:
        """The edition as read a moment ago (not saved with the unit of work), to check
        a KIM's change against; `EditionNotFound` if there is none."""
        ...

    def add(self, edition: Edition) -> None: ...


class EnrolmentRepository(Protocol):
    async def get(self, enrolment_id: UUID) -> Enrolment | None: ...
    async def require(self, enrolment_id: UUID) -> Enrolment:
        """The enrolment; `EnrolmentNotFound` if there is none."""
        ...

    def add(self, enrolment: Enrolment) -> None: ...
    async def of_kim(self, edition_id: UUID, kim_id: UUID) -> Enrolment | None: ...
    async def recent_of_kim(self, edition_id: UUID, kim_id: UUID) -> Enrolment | None:
        """`of_kim`, possibly as this process last read or wrote it: only for a change
        that writes the enrolment, which expects the version it read."""
        ...

    def forget_recent(self, edition_id: UUID, kim_id: UUID) -> bool:
        """Drop what `recent_of_kim` keeps; whether its last answer came without a read."""
        ...

    async def of_edition(self, edition_id: UUID) -> list[Enrolment]: ...
    async def all_of_kim(self, kim_id: UUID) -> list[Enrolment]: ...


class EntryRepository(Protocol):
    async def get(self, entry_id: UUID) -> Entry | None: ...
    async def require(self, entry_id: UUID) -> Entry:
        """The entry; `EntryNotFound` if there is none."""
        ...

    def add(self, entry: Entry) -> None: ...
    async def of_edition(
        self,
        edition_id: UUID,
        *,
        kim_id: UUID | None = None,
        status: EntryStatus | None = None,
        film_check: FilmCheckStatus | None = None,
    ) -> list[Entry]: ...
    async def count_against_limit(self, edition_id: UUID, kim_id: UUID) -> int:
        """A KIM's entries that count against an edition's limit: not withdrawn."""
        ...

    async def changed_after(self, edition_id: UUID, instant: datetime) -> list[Entry]:
        """The edition's entries last changed after `instant`."""
        ...


class FilmLookupRepository(Protocol):
    async def get(self, entry_id: UUID) -> FilmLookup | None: ...
    def add(self, lookup: FilmLookup) -> None: ...
    async def due(self, now: datetime, limit: int) -> list[FilmLookup]:
        """Pending lookups due by `now`, the longest waiting first."""
        ...


class KimRepository(Protocol):
    async def get(self, kim_id: UUID) -> KimContact | None: ...
    def add(self, kim: KimContact) -> None: ...


class SubmissionsUnitOfWork(UnitOfWork):
    editions: EditionRepository
    enrolments: EnrolmentRepository
    entries: EntryRepository
    film_lookups: FilmLookupRepository
    kims: KimRepository
    #: Whether a stored entry's film is looked up on its host (the setting
    #: `film_check_enabled`); the wiring sets it.
    check_films: bool = False
