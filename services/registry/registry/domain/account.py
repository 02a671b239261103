"""Accounts: who may log in, with which role, and for which KIM.

Staff (Diskominfo) run the competition; judges score; a KIM representative
acts for one KIM. The password is kept only as an Argon2 hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from shared.kernel.aggregate import Aggregate
from shared.kernel.principal import Principal, Role

from . import events
from .errors import KimRequiredForRepresentative, NoKimForRole


def email_key(email: str) -> str:
    """Emails compare without case: the login of Kim@Example.org is kim@example.org."""
    return email.strip().lower()


@dataclass(kw_only=True)
class Account(Aggregate):
    account_id: UUID
    email: str
    name: str
    role: Role
    kim_id: UUID | None = None
    password_hash: str
    created_at: datetime
    active: bool = True
    #: Grows when everything issued to the account so far must stop working.
    token_version: int = 0

    @classmethod
    def open(
        cls,
        *,
        email: str,
        name: str,
        role: Role,
        password_hash: str,
        now: datetime,
        kim_id: UUID | None = None,
    ) -> Account:
        if role == "kim_rep" and kim_id is None:
            raise KimRequiredForRepresentative()
        if role != "kim_rep" and kim_id is not None:
            raise NoKimForRole(role=role)
        account = cls(
            account_id=uuid4(),
            email=email_key(email),
            name=name.strip(),
            role=role,
            kim_id=kim_id,
            password_hash=password_hash,
            created_at=now,
        )
        account.events.append(events.AccountOpened(account))
        return account

    @property
    def disabled(self) -> bool:
        return not self.active

    @property
    def revision(self) -> int:
        """Grows by one with every change (the version the account is stored at)."""
        return self.version

    def disable(self) -> None:
        """Staff stop an account: it can neither log in nor renew a session, and what
        was issued to it stops working."""
        if not self.active:
            return
        self.active = False
        self.token_version += 1
        self.events.append(events.AccountChanged(self))

    def end_sessions(self) -> None:
        """Every access token issued so far stops working (a sign-out): each service
        refuses it once it hears of the new version. Live refresh tokens still renew."""
        self.token_version += 1
        self.events.append(events.AccountChanged(self))

    def enable(self) -> None:
        if self.active:
            return
        self.active = True
        self.events.append(events.AccountChanged(self))

    def change_password(self, password_hash: str) -> None:
        """A new password: everything issued to the account so far stops working."""
        self.password_hash = password_hash
        self.token_version += 1
        self.events.append(events.AccountChanged(self))

    def change_email(self, email: str) -> None:
        """The login changes (a representative's follows their KIM's contact email)."""
        email = email_key(email)
        if email == self.email:
            return
        self.email = email
        self.events.append(events.AccountChanged(self))

    def principal(self) -> Principal:
        return Principal(
            account_id=self.account_id,
            role=self.role,
            email=self.email,
            name=self.name,
            kim_id=self.kim_id,
            token_version=self.token_version,
        )
