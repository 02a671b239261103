"""What the registry's service layer needs from storage; adapters provide it."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from shared.platform.persistence.unit_of_work import UnitOfWork

from ..domain.account import Account
from ..domain.credentials import PasswordReset, PendingRegistration
from ..domain.edition import Edition
from ..domain.enrolment import Enrolment, EnrolmentStatus
from ..domain.kim import Kim
from ..domain.mail import Mail
from ..domain.session import LoginSession


class KimRepository(Protocol):
    async def get(self, kim_id: UUID) -> Kim | None: ...
    async def require(self, kim_id: UUID) -> Kim:
        """The KIM; `KimNotFound` if there is none."""
        ...

    def add(self, kim: Kim) -> None: ...
    async def named(self, name: str) -> Kim | None: ...
    async def with_competition_achievements(self, edition_id: UUID) -> list[Kim]:
        """The KIMs holding an achievement recorded from this edition's results."""
        ...

    async def list(self, *, verified: bool | None = None) -> list[Kim]: ...


class EditionRepository(Protocol):
    async def get(self, edition_id: UUID) -> Edition | None: ...
    async def require(self, edition_id: UUID) -> Edition:
        """The edition; `EditionNotFound` if there is none."""
        ...

    def add(self, edition: Edition) -> None: ...
    async def past_deadline(self, now: datetime) -> list[Edition]: ...
    # Last: in the annotations below it, `list` would name this method.
    async def list(self) -> list[Edition]: ...


class EnrolmentRepository(Protocol):
    async def get(self, enrolment_id: UUID) -> Enrolment | None: ...
    async def require(self, enrolment_id: UUID) -> Enrolment:
        """The enrolment; `EnrolmentNotFound` if there is none."""
        ...

    def add(self, enrolment: Enrolment) -> None: ...
    async def of_kim(self, edition_id: UUID, kim_id: UUID) -> Enrolment | None: ...
    async def of_edition(
        self, edition_id: UUID, status: EnrolmentStatus | None = None
    ) -> list[Enrolment]: ...


class AccountRepository(Protocol):
    async def get(self, account_id: UUID) -> Account | None: ...
    async def require(self, account_id: UUID) -> Account:
        """The account; `AccountNotFound` if there is none."""
        ...

    def add(self, account: Account) -> None: ...
    async def with_email(self, email: str) -> Account | None: ...
    async def representatives_of(self, kim_id: UUID) -> list[Account]: ...
    async def list(self, *, role: str | None = None) -> list[Account]: ...
    async def any_with_role(self, role: str) -> bool: ...


class SessionRepository(Protocol):
    def add(self, session: LoginSession) -> None: ...
    async def with_token(self, token_hash: str) -> LoginSession | None:
        """The session whose current or an earlier (rotated) refresh token has this hash."""
        ...

    async def live_of_account(self, account_id: UUID) -> list[LoginSession]: ...


class RegistrationRepository(Protocol):
    def add(self, registration: PendingRegistration) -> None: ...
    async def with_token(self, token_hash: str) -> PendingRegistration | None: ...


class PasswordResetRepository(Protocol):
    def add(self, reset: PasswordReset) -> None: ...
    async def with_token(self, token_hash: str) -> PasswordReset | None: ...


class MailRepository(Protocol):
    """The mail outbox: mails written with what causes them, sent in the background."""

    def add(self, mail: Mail) -> None: ...


class RegistryUnitOfWork(UnitOfWork):
    # First: a confirmation's single use is settled (its version-checked save) before
    # the KIM and the account it creates are written.
    registrations: RegistrationRepository
    kims: KimRepository
    editions: EditionRepository
    enrolments: EnrolmentRepository
    accounts: AccountRepository
    sessions: SessionRepository
    password_resets: PasswordResetRepository
    mails: MailRepository
