"""Accounts: who may log in, with which role, and for which KIM.

Staff (Diskominfo) run the competition; judges score; a KIM representative
acts for one KIM. The password is kept only as an Argon2 hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from shared.auth import Principal, Role
from shared.domain import Aggregate

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
        return cls(
            account_id=uuid4(),
            email=email_key(email),
            name=name.strip(),
            role=role,
            kim_id=kim_id,
            password_hash=password_hash,
            created_at=now,
        )

    @property
    def disabled(self) -> bool:
        return not self.active

    def disable(self) -> None:
        """Staff stop an account: it can neither log in nor renew a session."""
        self.active = False

    def enable(self) -> None:
        self.active = True

    def principal(self) -> Principal:
        return Principal(
            account_id=self.account_id, role=self.role, email=self.email, name=self.name, kim_id=self.kim_id
        )
