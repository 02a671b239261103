"""The registry's MongoDB repositories and unit of work."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from pymongo import ASCENDING, DESCENDING

from shared.kernel.errors import DomainError
from shared.platform.persistence.mongo import MongoUnitOfWork, Repository

from ..domain.account import Account, email_key
from ..domain.credentials import PasswordReset, PendingRegistration
from ..domain.edition import Edition
from ..domain.enrolment import Enrolment, EnrolmentStatus
from ..domain.errors import (
    AccountEmailTaken,
    AccountNotFound,
    AlreadyEnrolled,
    EditionNotFound,
    EnrolmentNotFound,
    KimNameTaken,
    KimNotFound,
    LinkNotFound,
    SessionNotFound,
)
from ..domain.kim import Kim
from ..domain.mail import Mail
from ..domain.session import LoginSession
from ..service_layer.unit_of_work import RegistryUnitOfWork


def name_key(name: str) -> str:
    """Names compare case- and space-insensitively: "KIM  Ganjur" is "kim ganjur"."""
    return re.sub(r"\s+", " ", name.strip()).lower()


class MongoKimRepository(Repository[Kim]):
    collection_name = "kims"
    aggregate = Kim
    id_field = "kim_id"
    not_found = KimNotFound
    indexes: ClassVar = [
        {"keys": [("name_key", ASCENDING)], "unique": True},
        {"keys": [("registered_at", ASCENDING)]},
    ]

    @classmethod
    def to_document(cls, aggregate: Kim) -> dict[str, Any]:
        return {**super().to_document(aggregate), "name_key": name_key(aggregate.name)}

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Kim:
        # Members were once plain names: read them as members with a name only.
        members = doc.get("members") or []
        if any(isinstance(member, str) for member in members):
            doc = {**doc, "members": [{"name": m} if isinstance(m, str) else m for m in members]}
        return super().from_document(doc)

    def duplicate(self, aggregate: Kim) -> DomainError:
        return KimNameTaken(name=aggregate.name)

    async def named(self, name: str) -> Kim | None:
        return await self._find_one({"name_key": name_key(name)})

    async def with_competition_achievements(self, edition_id: UUID) -> list[Kim]:
        # Only competition achievements carry an edition's id.
        return await self._find({"achievements.edition_id": edition_id})

    # Last: in the annotations below it, `list` would name this method.
    async def list(self, *, verified: bool | None = None) -> list[Kim]:
        query: dict[str, Any] = {}
        if verified is not None:
            query["verified_at"] = {"$ne": None} if verified else None
        return await self._find(query, sort=[("registered_at", ASCENDING)])


class MongoEditionRepository(Repository[Edition]):
    collection_name = "editions"
    aggregate = Edition
    id_field = "edition_id"
    not_found = EditionNotFound
    indexes: ClassVar = [
        {"keys": [("status", ASCENDING), ("submission_closes_at", ASCENDING)]},
        {"keys": [("created_at", DESCENDING)]},
    ]

    async def past_deadline(self, now: datetime) -> list[Edition]:
        return await self._find({"status": "published", "submission_closes_at": {"$lte": now}})

    # Last: in the annotations below it, `list` would name this method.
    async def list(self) -> list[Edition]:
        return await self._find({}, sort=[("created_at", DESCENDING)])


class MongoEnrolmentRepository(Repository[Enrolment]):
    collection_name = "enrolments"
    aggregate = Enrolment
    id_field = "enrolment_id"
    not_found = EnrolmentNotFound
    indexes: ClassVar = [
        {"keys": [("edition_id", ASCENDING), ("kim_id", ASCENDING)], "unique": True},
        {"keys": [("edition_id", ASCENDING), ("requested_at", ASCENDING)]},
    ]

    def duplicate(self, aggregate: Enrolment) -> DomainError:
        return AlreadyEnrolled(name=aggregate.kim_name, status="requested")

    async def of_kim(self, edition_id: UUID, kim_id: UUID) -> Enrolment | None:
        return await self._find_one({"edition_id": edition_id, "kim_id": kim_id})

    async def of_edition(self, edition_id: UUID, status: EnrolmentStatus | None = None) -> list[Enrolment]:
        query: dict[str, Any] = {"edition_id": edition_id}
        if status is not None:
            query["status"] = status
        return await self._find(query, sort=[("requested_at", ASCENDING)])


class MongoAccountRepository(Repository[Account]):
    collection_name = "accounts"
    aggregate = Account
    id_field = "account_id"
    not_found = AccountNotFound
    indexes: ClassVar = [
        {"keys": [("email", ASCENDING)], "unique": True},
        {"keys": [("role", ASCENDING), ("created_at", ASCENDING)]},
    ]

    def duplicate(self, aggregate: Account) -> DomainError:
        return AccountEmailTaken(email=aggregate.email)

    async def with_email(self, email: str) -> Account | None:
        return await self._find_one({"email": email_key(email)})

    async def representatives_of(self, kim_id: UUID) -> list[Account]:
        return await self._find({"role": "kim_rep", "kim_id": kim_id})

    # Last: in the annotations below it, `list` would name this method.
    async def list(self, *, role: str | None = None) -> list[Account]:
        query: dict[str, Any] = {} if role is None else {"role": role}
        return await self._find(query, sort=[("created_at", ASCENDING)])

    async def any_with_role(self, role: str) -> bool:
        return await self._collection.find_one({"role": role}, {"_id": 1}, session=self._session) is not None


class MongoSessionRepository(Repository[LoginSession]):
    collection_name = "sessions"
    aggregate = LoginSession
    id_field = "session_id"
    not_found = SessionNotFound
    indexes: ClassVar = [
        {"keys": [("token_hash", ASCENDING)], "unique": True},
        {"keys": [("rotated_hashes", ASCENDING)]},
        {"keys": [("account_id", ASCENDING), ("revoked_at", ASCENDING)]},
    ]

    async def with_token(self, token_hash: str) -> LoginSession | None:
        return await self._find_one({"$or": [{"token_hash": token_hash}, {"rotated_hashes": token_hash}]})

    async def live_of_account(self, account_id: UUID) -> list[LoginSession]:
        return await self._find({"account_id": account_id, "revoked_at": None})


class MongoRegistrationRepository(Repository[PendingRegistration]):
    collection_name = "registrations"
    aggregate = PendingRegistration
    id_field = "registration_id"
    not_found = LinkNotFound
    indexes: ClassVar = [
        {"keys": [("token_hash", ASCENDING)], "unique": True},
        {"keys": [("email", ASCENDING), ("requested_at", ASCENDING)]},
    ]

    async def with_token(self, token_hash: str) -> PendingRegistration | None:
        return await self._find_one({"token_hash": token_hash})


class MongoPasswordResetRepository(Repository[PasswordReset]):
    collection_name = "password_resets"
    aggregate = PasswordReset
    id_field = "reset_id"
    not_found = LinkNotFound
    indexes: ClassVar = [
        {"keys": [("token_hash", ASCENDING)], "unique": True},
        {"keys": [("account_id", ASCENDING)]},
    ]

    async def with_token(self, token_hash: str) -> PasswordReset | None:
        return await self._find_one({"token_hash": token_hash})


class MongoMailRepository(Repository[Mail]):
    """`mail_outbox`: written in the unit of work's transaction; `adapters/mail.py` sends."""

    collection_name = "mail_outbox"
    aggregate = Mail
    id_field = "mail_id"
    not_found = LinkNotFound  # mails are never asked for by id
    indexes: ClassVar = [
        {"keys": [("sent_at", ASCENDING), ("failed_at", ASCENDING), ("next_attempt_at", ASCENDING)]}
    ]


class MongoRegistryUnitOfWork(MongoUnitOfWork, RegistryUnitOfWork):
    kims: MongoKimRepository
    editions: MongoEditionRepository
    enrolments: MongoEnrolmentRepository
    accounts: MongoAccountRepository
    sessions: MongoSessionRepository
    registrations: MongoRegistrationRepository
    password_resets: MongoPasswordResetRepository
    mails: MongoMailRepository
