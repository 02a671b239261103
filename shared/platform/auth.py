"""Who is asking: the access tokens the registry signs at login and every
service verifies on its own, and the caller they name.

A token is a JWT (HS256, PyJWT) signed with the deployment's
`AUTH_TOKEN_SECRET`, short-lived (15 minutes by default). It names the account,
its role, its email (judging recognises its judges by it) and, for a KIM
representative, the KIM they act for, and the account's token version (`ver`): a
token whose version is older than the latest one a service knows for the account
(the account was disabled, signed out, changed its password) is refused
(`SessionEnded`, see `shared.platform.revocation`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar
from uuid import UUID

import jwt

from shared.kernel.principal import ROLES, Principal, Unauthenticated

ISSUER = "kim-contest-registry"
AUDIENCE = "kim-contest"
ALGORITHM = "HS256"


class InvalidToken(Unauthenticated):
    code = "invalid_token"
    messages: ClassVar[dict[str, str]] = {
        "id": "Token akses tidak sah atau sudah kedaluwarsa. Silakan masuk lagi.",
        "en": "The access token is invalid or has expired. Please log in again.",
    }


class SessionEnded(Unauthenticated):
    """A token issued before its account's sessions were ended (sign-out, disable,
    password change): the same code as the registry's ended session."""

    code = "session_ended"
    messages: ClassVar[dict[str, str]] = {
        "id": "Sesi Anda sudah berakhir (keluar, dicabut, atau akun dinonaktifkan). Silakan masuk lagi.",
        "en": "Your session has ended (signed out, revoked, or the account was disabled). "
        "Please sign in again.",
    }


def issue_token(secret: str, principal: Principal, *, now: datetime, lifetime: timedelta) -> str:
    assert principal.account_id is not None and principal.role is not None
    claims: dict[str, object] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": str(principal.account_id),
        "role": principal.role,
        "email": principal.email,
        "name": principal.name,
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
        "ver": principal.token_version,
    }
    if principal.kim_id is not None:
        claims["kim"] = str(principal.kim_id)
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_token(secret: str, token: str) -> Principal:
    """The caller a token names; `InvalidToken` when it is forged, expired or malformed."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "aud", "iss"]},
        )
        role = claims.get("role")
        if role not in ROLES:
            raise InvalidToken()
        kim = claims.get("kim")
        version = claims.get("ver", 0)
        if not isinstance(version, int) or isinstance(version, bool) or version < 0:
            raise InvalidToken()
        return Principal(
            account_id=UUID(claims["sub"]),
            role=role,
            email=claims.get("email"),
            name=claims.get("name"),
            kim_id=UUID(kim) if kim else None,
            token_version=version,
        )
    except (jwt.PyJWTError, ValueError, TypeError) as error:
        raise InvalidToken() from error
