"""What the registry's service layer needs from storage; adapters provide it."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from shared.unit_of_work import UnitOfWork

from ..domain.edition import Edition
from ..domain.enrolment import Enrolment, EnrolmentStatus
from ..domain.kim import Kim


class KimRepository(Protocol):
    async def get(self, kim_id: UUID) -> Kim | None: ...
    def add(self, kim: Kim) -> None: ...
    async def named(self, name: str) -> Kim | None: ...
    async def list(self, *, verified: bool | None = None) -> list[Kim]: ...


class EditionRepository(Protocol):
    async def get(self, edition_id: UUID) -> Edition | None: ...
    def add(self, edition: Edition) -> None: ...
    async def list(self) -> list[Edition]: ...
    async def past_deadline(self, now: object) -> list[Edition]: ...


class EnrolmentRepository(Protocol):
    async def get(self, enrolment_id: UUID) -> Enrolment | None: ...
    def add(self, enrolment: Enrolment) -> None: ...
    async def of_kim(self, edition_id: UUID, kim_id: UUID) -> Enrolment | None: ...
    async def of_edition(
        self, edition_id: UUID, status: EnrolmentStatus | None = None
    ) -> list[Enrolment]: ...


class RegistryUnitOfWork(UnitOfWork):
    kims: KimRepository
    editions: EditionRepository
    enrolments: EnrolmentRepository
