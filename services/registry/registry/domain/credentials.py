"""What a person proves by reading their mail: a pending registration waits for the
link sent to its email before the KIM and its representative's account exist; a
password reset waits for the link sent to the account's email.

Both keep only the SHA-256 of their token (the link carries the token itself); a
token works once, and only until it expires.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from shared.kernel.aggregate import Aggregate
from shared.kernel.i18n import Language

from .account import email_key
from .errors import LinkExpired, LinkUsed
from .kim import Member
from .session import token_hash

REGISTRATION_LIFETIME = timedelta(hours=24)
RESET_LIFETIME = timedelta(hours=1)


def new_link_token() -> str:
    """256 random bits, URL-safe: what a confirmation or reset link carries."""
    return secrets.token_urlsafe(32)


@dataclass(kw_only=True)
class PendingRegistration(Aggregate):
    """A KIM that registered itself, waiting for its email to be confirmed."""

    registration_id: UUID
    email: str
    name: str
    kelurahan_code: str
    chair: str
    whatsapp: str
    members: list[Member] = field(default_factory=list)
    password_hash: str
    token_hash: str
    language: Language
    requested_at: datetime
    expires_at: datetime
    confirmed_at: datetime | None = None
    kim_id: UUID | None = None

    @classmethod
    def start(
        cls,
        *,
        email: str,
        name: str,
        kelurahan_code: str,
        chair: str,
        whatsapp: str,
        members: list[Member],
        password_hash: str,
        language: Language,
        now: datetime,
        lifetime: timedelta = REGISTRATION_LIFETIME,
    ) -> tuple[PendingRegistration, str]:
        token = new_link_token()
        registration = cls(
            registration_id=uuid4(),
            email=email_key(email),
            name=name.strip(),
            kelurahan_code=kelurahan_code,
            chair=chair.strip(),
            whatsapp=whatsapp,
            members=members,
            password_hash=password_hash,
            token_hash=token_hash(token),
            language=language,
            requested_at=now,
            expires_at=now + lifetime,
        )
        return registration, token

    def confirm(self, now: datetime, kim_id: UUID) -> None:
        """Spends the token; `LinkUsed` or `LinkExpired` when it may not be."""
        if self.confirmed_at is not None:
            raise LinkUsed()
        if now >= self.expires_at:
            raise LinkExpired()
        self.confirmed_at = now
        self.kim_id = kim_id


@dataclass(kw_only=True)
class PasswordReset(Aggregate):
    """A link to choose a new password, sent to the account's email."""

    reset_id: UUID
    account_id: UUID
    token_hash: str
    requested_at: datetime
    expires_at: datetime
    used_at: datetime | None = None

    @classmethod
    def start(
        cls, account_id: UUID, *, now: datetime, lifetime: timedelta = RESET_LIFETIME
    ) -> tuple[PasswordReset, str]:
        token = new_link_token()
        reset = cls(
            reset_id=uuid4(),
            account_id=account_id,
            token_hash=token_hash(token),
            requested_at=now,
            expires_at=now + lifetime,
        )
        return reset, token

    def check(self, now: datetime) -> None:
        """`LinkUsed` or `LinkExpired` when the link no longer works; nothing changes."""
        if self.used_at is not None:
            raise LinkUsed()
        if now >= self.expires_at:
            raise LinkExpired()

    def use(self, now: datetime) -> None:
        self.check(now)
        self.used_at = now
