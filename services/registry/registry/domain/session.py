"""Sign-in sessions: the refresh tokens a person renews their access token with.

A session starts at login and lasts while it is used (sliding expiry) but never
past its absolute end. Each renewal rotates the refresh token: the old one stops
working. A rotated token presented again means it was copied (a theft signal),
so the whole session is revoked. Only SHA-256 hashes of the tokens are kept.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from shared.domain import Aggregate

from .errors import SessionEnded


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_refresh_token() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class SessionPolicy:
    sliding: timedelta = timedelta(hours=12)
    absolute: timedelta = timedelta(days=30)


@dataclass(kw_only=True)
class LoginSession(Aggregate):
    session_id: UUID
    account_id: UUID
    token_hash: str
    #: Hashes of the tokens this session already rotated away from.
    rotated_hashes: list[str] = field(default_factory=list)
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime
    ends_at: datetime
    revoked_at: datetime | None = None
    revoked_because: str | None = None

    @classmethod
    def start(cls, account_id: UUID, *, now: datetime, policy: SessionPolicy) -> tuple[LoginSession, str]:
        token = new_refresh_token()
        ends_at = now + policy.absolute
        session = cls(
            session_id=uuid4(),
            account_id=account_id,
            token_hash=token_hash(token),
            created_at=now,
            last_used_at=now,
            expires_at=min(now + policy.sliding, ends_at),
            ends_at=ends_at,
        )
        return session, token

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def live(self, now: datetime) -> bool:
        return not self.revoked and now < self.expires_at

    def rotate(self, presented_hash: str, *, now: datetime, policy: SessionPolicy) -> str:
        """A new refresh token for the one presented; `SessionEnded` when it may not be renewed.
        A token this session already rotated away from revokes the session (it was copied)."""
        if presented_hash in self.rotated_hashes:
            self.revoke(now, because="reused")
            raise SessionEnded()
        if presented_hash != self.token_hash or not self.live(now):
            raise SessionEnded()
        token = new_refresh_token()
        self.rotated_hashes.append(self.token_hash)
        self.token_hash = token_hash(token)
        self.last_used_at = now
        self.expires_at = min(now + policy.sliding, self.ends_at)
        return token

    def revoke(self, now: datetime, *, because: str) -> None:
        if self.revoked_at is None:
            self.revoked_at = now
            self.revoked_because = because
