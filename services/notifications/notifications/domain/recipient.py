"""A recipient: a member of staff (or a system listening on a webhook) who is told
about the events they subscribe to, in their language."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Literal
from urllib.parse import urlsplit
from uuid import UUID, uuid4

from shared.kernel.aggregate import Aggregate
from shared.kernel.i18n import Language

from .errors import UnknownEventType, WebhookUrlInvalid
from .phone import whatsapp_e164
from .templates import TEMPLATES

Channel = Literal["inbox", "email", "webhook", "whatsapp"]


class Keep(Enum):
    """Marks a field a change leaves as it is (None may be a real value: "remove it")."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(kw_only=True)
class Webhook:
    url: str
    #: Signs every request (see `signature`); written, never shown again.
    secret: str

    def __post_init__(self) -> None:
        try:
            parts = urlsplit(self.url)
            host = parts.hostname
        except ValueError:  # e.g. an unclosed IPv6 bracket
            raise WebhookUrlInvalid(url=self.url) from None
        if parts.scheme.lower() not in ("http", "https") or not host:
            raise WebhookUrlInvalid(url=self.url)


@dataclass(kw_only=True)
class Recipient(Aggregate):
    recipient_id: UUID
    name: str
    email: str | None = None
    #: An Indonesian mobile number in E.164 (+6281234567890), told on WhatsApp.
    whatsapp: str | None = None
    language: Language = "id"
    #: Event types (routing keys) this recipient is told about.
    subscriptions: list[str] = field(default_factory=list)
    webhook: Webhook | None = None
    active: bool = True
    created_at: datetime
    updated_at: datetime

    @classmethod
    def create(
        cls,
        *,
        name: str,
        email: str | None,
        language: Language,
        subscriptions: Iterable[str],
        webhook: Webhook | None,
        whatsapp: str | None = None,
        active: bool = True,
        now: datetime,
    ) -> Recipient:
        return cls(
            recipient_id=uuid4(),
            name=name.strip(),
            email=email,
            whatsapp=whatsapp_e164(whatsapp) if whatsapp is not None else None,
            language=language,
            subscriptions=subscribable(subscriptions),
            webhook=webhook,
            active=active,
            created_at=now,
            updated_at=now,
        )

    def change(
        self,
        *,
        now: datetime,
        name: str | Keep = KEEP,
        email: str | None | Keep = KEEP,
        language: Language | Keep = KEEP,
        subscriptions: Iterable[str] | Keep = KEEP,
        webhook: Webhook | None | Keep = KEEP,
        whatsapp: str | None | Keep = KEEP,
        active: bool | Keep = KEEP,
    ) -> None:
        if not isinstance(subscriptions, Keep):
            self.subscriptions = subscribable(subscriptions)
        if not isinstance(name, Keep):
            self.name = name.strip()
        if not isinstance(email, Keep):
            self.email = email
        if not isinstance(language, Keep):
            self.language = language
        if not isinstance(webhook, Keep):
            self.webhook = webhook
        if not isinstance(whatsapp, Keep):
            self.whatsapp = whatsapp_e164(whatsapp) if whatsapp is not None else None
        if not isinstance(active, Keep):
            self.active = active
        self.updated_at = now

    def channels(self) -> list[Channel]:
        """Where this recipient is told: the inbox always; WhatsApp when they have a
        number, else email when they have an address (email is then WhatsApp's
        fallback, for a number that is not on WhatsApp); a webhook when set."""
        found: list[Channel] = ["inbox"]
        if self.whatsapp:
            found.append("whatsapp")
        elif self.email:
            found.append("email")
        if self.webhook is not None:
            found.append("webhook")
        return found


def subscribable(event_types: Iterable[str]) -> list[str]:
    """The types, each once, in the order given; refuses one we cannot tell about."""
    chosen: list[str] = []
    for event_type in event_types:
        if event_type not in TEMPLATES:
            raise UnknownEventType(event_type=event_type)
        if event_type not in chosen:
            chosen.append(event_type)
    return chosen
