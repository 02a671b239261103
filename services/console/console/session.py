"""Who is signed in: a server-side table of sessions, keyed by a random id that
the browser holds in a signed, HttpOnly, SameSite=Lax cookie.

Why a table and not the tokens in the cookie: the registry rotates the refresh
token at every renewal and treats a rotated token presented again as theft
(the whole session ends). A browser fires requests in parallel (a page, htmx
fragments); with the tokens in a cookie, two of them renewing at once would
present the same token twice. Here a session's renewals queue behind one lock,
and the second request finds the tokens the first one got. The tokens never
leave the server. The cost: a restart of the console signs people out (their
sessions at the registry end at their sliding expiry), and several replicas
need sticky sessions — one console process serves the city.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "kim_session"
#: Renew when the access token has less than this left.
RENEW_BEFORE_SECONDS = 60


@dataclass
class SignedIn:
    """A person's session: who they are and the registry's tokens for them."""

    session_id: str
    account_id: UUID
    email: str
    name: str
    role: str
    kim_id: UUID | None
    access_token: str
    access_expires_at: float  # time.monotonic()
    refresh_token: str
    refresh_expires_at: float
    #: The CSRF token secret of this session (`csrf.py`).
    csrf_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    renewing: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    @classmethod
    def from_login(cls, answer: dict[str, Any], now: float) -> SignedIn:
        account = answer["account"]
        session = cls(
            session_id=secrets.token_urlsafe(32),
            account_id=UUID(account["account_id"]),
            email=account["email"],
            name=account["name"],
            role=account["role"],
            kim_id=UUID(account["kim_id"]) if account.get("kim_id") else None,
            access_token="",
            access_expires_at=0,
            refresh_token="",
            refresh_expires_at=0,
        )
        session.take(answer, now)
        return session

    def take(self, answer: dict[str, Any], now: float) -> None:
        """The tokens of a login or a renewal."""
        self.access_token = answer["access_token"]
        self.access_expires_at = now + int(answer["expires_in"])
        self.refresh_token = answer["refresh_token"]
        self.refresh_expires_at = now + int(answer["refresh_expires_in"])

    def needs_renewal(self, now: float) -> bool:
        return self.access_expires_at - now < RENEW_BEFORE_SECONDS


class SessionStore:
    """The sessions of this process, and the signed cookie that names one."""

    def __init__(self, secret: str, clock: Any = time.monotonic) -> None:
        self._sessions: dict[str, SignedIn] = {}
        self._cookie = URLSafeSerializer(secret, salt="kim-console-session")
        self.clock = clock

    def __len__(self) -> int:
        return len(self._sessions)

    def __iter__(self) -> Iterator[SignedIn]:
        return iter(list(self._sessions.values()))

    def add(self, session: SignedIn) -> str:
        """Keeps a session; the cookie value naming it."""
        self._forget_ended()
        self._sessions[session.session_id] = session
        return self._cookie.dumps(session.session_id)

    def find(self, cookie: str | None) -> SignedIn | None:
        if not cookie:
            return None
        try:
            session_id = self._cookie.loads(cookie)
        except BadSignature:
            return None
        session = self._sessions.get(session_id) if isinstance(session_id, str) else None
        if session is not None and session.refresh_expires_at <= self.clock():
            self.remove(session)
            return None
        return session

    def remove(self, session: SignedIn) -> None:
        self._sessions.pop(session.session_id, None)

    def _forget_ended(self) -> None:
        now = self.clock()
        for session in [s for s in self._sessions.values() if s.refresh_expires_at <= now]:
            self.remove(session)
