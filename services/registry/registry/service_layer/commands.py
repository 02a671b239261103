"""What KIM representatives, staff and everyone who signs in ask of the registry:
one command per use case that changes something, built once from the request
(`body.command(...)` in `entrypoints/schemas.py`) and handed whole to the use
case. What a person wrote reaches the aggregate as the command's own fields
(`profile()`, `details()`, `changes()`), so a new field is added to the command
and the aggregate, not to every call in between.

Passwords and refresh tokens are kept out of the commands' `repr`, so a log line
or a traceback that shows a command does not show them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from shared.kernel.commands import fields_of
from shared.kernel.i18n import Language
from shared.kernel.principal import Role

from ..domain.edition import Category, Prize, Rules
from ..domain.kim import Achievement, Innovation, Member, Sponsor

# KIMs


@dataclass(frozen=True, kw_only=True)
class RegisterKim:
    """With a password, the KIM's representative's account opens with it (login: the KIM's email)."""

    name: str
    kelurahan_code: str
    chair: str
    whatsapp: str
    email: str
    members: list[Member]
    representative_password: str | None = field(default=None, repr=False)

    def profile(self) -> dict[str, Any]:
        """The KIM as `Kim.register` takes it: every field but the kelurahan's code
        (the use case looks the kelurahan up) and the password."""
        return fields_of(self, but=("kelurahan_code", "representative_password"))


@dataclass(frozen=True, kw_only=True)
class UpdateKim:
    """Only the fields given change; None keeps what the KIM has."""

    kim_id: UUID
    name: str | None = None
    kelurahan_code: str | None = None
    chair: str | None = None
    whatsapp: str | None = None
    email: str | None = None
    members: list[Member] | None = None
    innovations: list[Innovation] | None = None
    #: The KIM's declared achievements (competition achievements are the registry's).
    achievements: list[Achievement] | None = None
    sponsors: list[Sponsor] | None = None

    def changes(self) -> dict[str, Any]:
        """The changes as `Kim.update` takes them: every field but the id and the kelurahan's code."""
        return fields_of(self, but=("kim_id", "kelurahan_code"))


@dataclass(frozen=True, kw_only=True)
class VerifyKim:
    kim_id: UUID


# Editions


@dataclass(frozen=True, kw_only=True)
class DraftEdition:
    title: str
    theme: str
    description: str
    submission_opens_at: datetime
    submission_closes_at: datetime
    rules: Rules
    awarded_ranks: int
    prizes: list[Prize]
    categories: list[Category] = field(default_factory=list)

    def details(self) -> dict[str, Any]:
        """The edition as `Edition.draft` takes it: every field."""
        return fields_of(self)


@dataclass(frozen=True, kw_only=True)
class ReviseEdition:
    """Only the fields given change; None keeps what the edition has."""

    edition_id: UUID
    title: str | None = None
    theme: str | None = None
    description: str | None = None
    submission_opens_at: datetime | None = None
    submission_closes_at: datetime | None = None
    rules: Rules | None = None
    awarded_ranks: int | None = None
    prizes: list[Prize] | None = None
    categories: list[Category] | None = None

    def changes(self) -> dict[str, Any]:
        """The changes as `Edition.revise` takes them: every field but the id."""
        return fields_of(self, but=("edition_id",))


@dataclass(frozen=True, kw_only=True)
class CopyEdition:
    """Next year's edition from `source_id`: the closing moves with the opening unless
    given; the title's year moves on unless a title is given."""

    source_id: UUID
    submission_opens_at: datetime
    submission_closes_at: datetime | None = None
    title: str | None = None

    def window(self) -> dict[str, Any]:
        """The new edition's window and title as `Edition.copy_of` takes them."""
        return fields_of(self, but=("source_id",))


@dataclass(frozen=True, kw_only=True)
class PublishEdition:
    edition_id: UUID


@dataclass(frozen=True, kw_only=True)
class CloseSubmissions:
    edition_id: UUID
    by: Literal["staff", "deadline"] = "staff"


# Enrolments


@dataclass(frozen=True, kw_only=True)
class RequestEnrolment:
    edition_id: UUID
    kim_id: UUID


@dataclass(frozen=True, kw_only=True)
class ApproveEnrolment:
    enrolment_id: UUID


@dataclass(frozen=True, kw_only=True)
class RejectEnrolment:
    enrolment_id: UUID
    reason: str


# Accounts and sessions


@dataclass(frozen=True, kw_only=True)
class OpenAccount:
    email: str
    name: str
    role: Role
    password: str = field(repr=False)
    kim_id: UUID | None = None

    def details(self) -> dict[str, Any]:
        """The account as `Account.open` takes it: every field but the password (it takes its hash)."""
        return fields_of(self, but=("password",))


@dataclass(frozen=True, kw_only=True)
class LogIn:
    email: str
    password: str = field(repr=False)
    #: The client's address: failed logins count against it as well as against the account.
    client: str


@dataclass(frozen=True, kw_only=True)
class RenewSession:
    refresh_token: str = field(repr=False)


@dataclass(frozen=True, kw_only=True)
class LogOut:
    refresh_token: str = field(repr=False)


@dataclass(frozen=True, kw_only=True)
class DisableAccount:
    account_id: UUID


@dataclass(frozen=True, kw_only=True)
class EnableAccount:
    account_id: UUID


@dataclass(frozen=True, kw_only=True)
class RequestRegistration:
    """A KIM registers itself: nothing exists until its email confirms it."""

    kim: RegisterKim
    language: Language
    client: str


@dataclass(frozen=True, kw_only=True)
class ConfirmRegistration:
    token: str = field(repr=False)


@dataclass(frozen=True, kw_only=True)
class RequestPasswordReset:
    email: str
    language: Language
    client: str


@dataclass(frozen=True, kw_only=True)
class ResetPassword:
    token: str = field(repr=False)
    password: str = field(repr=False)


@dataclass(frozen=True, kw_only=True)
class ChangePassword:
    account_id: UUID
    current_password: str = field(repr=False)
    new_password: str = field(repr=False)
