"""What staff ask of the notifications service: one command per use case that
changes something, built once from the request (`RecipientCreate.command(...)`,
`ChangeRecipient(**body.changes(), recipient_id=...)`) and handed whole to the
use case. A recipient's fields reach the aggregate as the command's own fields
(`fields()`), so a new one is added to the command and the recipient, not to
every call in between."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from shared.kernel.commands import fields_of
from shared.kernel.i18n import Language

from ..domain.recipient import KEEP, Keep, Webhook


@dataclass(frozen=True, kw_only=True)
class CreateRecipient:
    name: str
    email: str | None
    language: Language
    subscriptions: Iterable[str]
    webhook: Webhook | None
    whatsapp: str | None = None
    active: bool = True

    def fields(self) -> dict[str, Any]:
        """The recipient's fields, as `Recipient.create` takes them."""
        return fields_of(self)


@dataclass(frozen=True, kw_only=True)
class ChangeRecipient:
    """Only the fields given change; `KEEP` leaves one as it is (None may be a
    real value: "remove the email")."""

    recipient_id: UUID
    name: str | Keep = KEEP
    email: str | None | Keep = KEEP
    language: Language | Keep = KEEP
    subscriptions: Iterable[str] | Keep = KEEP
    webhook: Webhook | None | Keep = KEEP
    whatsapp: str | None | Keep = KEEP
    active: bool | Keep = KEEP

    def changes(self) -> dict[str, Any]:
        """The changes, as `Recipient.change` takes them: every field but the id."""
        return fields_of(self, but=("recipient_id",))


@dataclass(frozen=True, kw_only=True)
class MarkRead:
    recipient_id: UUID
    delivery_id: UUID


@dataclass(frozen=True, kw_only=True)
class ChoosePreferences:
    """A signed-in person's own settings: their language and, per event type, the
    channels they are told on (none: not told)."""

    language: Language | Keep = KEEP
    channels: Mapping[str, Iterable[str]] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class SetReminderDays:
    edition_id: UUID
    days_before: list[int]
