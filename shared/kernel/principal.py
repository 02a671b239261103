"""Who is asking, as the domain sees it: an account with a role (or anonymous),
and the refusals for a caller who is not known or not allowed. Tokens that carry
the caller between services live in `shared.platform.auth`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal
from uuid import UUID

from shared.kernel.errors import DomainError

Role = Literal["staff", "judge", "kim_rep"]
ROLES: tuple[Role, ...] = ("staff", "judge", "kim_rep")


class Unauthenticated(DomainError):
    """No valid token where one is needed: HTTP 401."""

    code = "unauthenticated"
    messages: ClassVar[dict[str, str]] = {
        "id": "Silakan masuk terlebih dahulu (POST /auth/login di registry), lalu kirim tokennya "
        "sebagai 'Authorization: Bearer <token>'.",
        "en": "Please log in first (POST /auth/login on the registry), then send the token as "
        "'Authorization: Bearer <token>'.",
    }


class Forbidden(DomainError):
    """A valid caller asks for something their role or their KIM does not allow: HTTP 403."""

    code = "forbidden"
    messages: ClassVar[dict[str, str]] = {
        "id": "Anda tidak berwenang untuk ini.",
        "en": "You are not allowed to do this.",
    }
    #: The role whose "own things only" check gives this reason (the OpenAPI
    #: documents list it where the table of rules lets that role in for its own).
    owner: ClassVar[Role | None] = None


class NotYourKim(Forbidden):
    """A KIM representative acting for a KIM other than their own."""

    code = "not_your_kim"
    owner = "kim_rep"
    messages: ClassVar[dict[str, str]] = {
        "id": "Anda hanya dapat bertindak atas nama KIM Anda sendiri, bukan KIM lain.",
        "en": "You may act only for your own KIM, not for another one.",
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
    #: The account's token version when its token was issued: a token older than the
    #: latest version a service knows for the account is refused.
    token_version: int = 0

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

    def require_kim(self, kim_id: UUID, refusal: type[Forbidden] = NotYourKim) -> None:
        if not self.acts_for(kim_id):
            raise refusal()


ANONYMOUS = Principal()
