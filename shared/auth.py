"""Who is asking: the access tokens the registry signs at login and every
service verifies on its own, and the caller they name.

A token is a JWT (HS256, PyJWT) signed with the deployment's
`AUTH_TOKEN_SECRET`, short-lived (15 minutes by default). It names the account,
its role, its email (judging recognises its judges by it) and, for a KIM
representative, the KIM they act for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar, Literal
from uuid import UUID

import jwt

from .errors import DomainError

Role = Literal["staff", "judge", "kim_rep"]
ROLES: tuple[Role, ...] = ("staff", "judge", "kim_rep")

ISSUER = "kim-contest-registry"
AUDIENCE = "kim-contest"
ALGORITHM = "HS256"


class Unauthenticated(DomainError):
    """No valid token where one is needed: HTTP 401."""

    code = "unauthenticated"
    messages: ClassVar[dict[str, str]] = {
        "id": "Silakan masuk terlebih dahulu (POST /auth/login di registry), lalu kirim tokennya "
        "sebagai 'Authorization: Bearer <token>'.",
        "en": "Please log in first (POST /auth/login on the registry), then send the token as "
        "'Authorization: Bearer <token>'.",
    }


class InvalidToken(Unauthenticated):
    code = "invalid_token"
    messages: ClassVar[dict[str, str]] = {
        "id": "Token akses tidak sah atau sudah kedaluwarsa. Silakan masuk lagi.",
        "en": "The access token is invalid or has expired. Please log in again.",
    }


class Forbidden(DomainError):
    """A valid caller asks for something their role or their KIM does not allow: HTTP 403."""

    code = "forbidden"
    messages: ClassVar[dict[str, str]] = {
        "id": "Anda tidak berwenang untuk ini.",
        "en": "You are not allowed to do this.",
    }


@dataclass(frozen=True)
class Principal:
    """The caller of a request: an account with a role, or anonymous."""

    account_id: UUID | None = None
    role: Role | None = None
    email: str | None = None
    name: str | None = None
    #: The KIM a representative acts for.
    kim_id: UUID | None = None

    @property
    def anonymous(self) -> bool:
        return self.role is None

    @property
    def is_staff(self) -> bool:
        return self.role == "staff"

    @property
    def label(self) -> str:
        """Who acted, for audit trails: "role:email"."""
        return "anonymous" if self.role is None else f"{self.role}:{self.email or self.account_id}"

    def acts_for(self, kim_id: UUID) -> bool:
        """Staff act for every KIM; a representative only for their own."""
        return self.is_staff or (self.role == "kim_rep" and self.kim_id == kim_id)

    def require_kim(self, kim_id: UUID) -> None:
        if not self.acts_for(kim_id):
            raise Forbidden()


ANONYMOUS = Principal()


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
