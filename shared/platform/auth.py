"""Who is asking: the access tokens the registry signs at login and every
service verifies on its own, and the caller they name.

A token is a JWT (HS256, PyJWT) signed with the deployment's
`AUTH_TOKEN_SECRET`, short-lived (15 minutes by default). It names the account,
its role, its email (judging recognises its judges by it) and, for a KIM
representative, the KIM they act for.
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
        return Principal(
            account_id=UUID(claims["sub"]),
            role=role,
            email=claims.get("email"),
            name=claims.get("name"),
            kim_id=UUID(kim) if kim else None,
        )
    except (jwt.PyJWTError, ValueError, TypeError) as error:
        raise InvalidToken() from error
