"""Password hashing with Argon2id (argon2-cffi's defaults, RFC 9106's low-memory
profile). Hashing takes tens of milliseconds of CPU on purpose, so it runs in a
worker thread, off the event loop."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class Passwords:
    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()
        #: Checked against when the email is unknown, so that a wrong email
        #: takes as long as a wrong password.
        self._decoy = self._hasher.hash("decoy password, never anyone's")

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, password)

    async def matches(self, password_hash: str | None, password: str) -> bool:
        return await asyncio.to_thread(self._matches, password_hash, password)

    def _matches(self, password_hash: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash or self._decoy, password) and password_hash is not None
        except (VerificationError, InvalidHashError):
            return False
