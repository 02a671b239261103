"""The notifications service's HTTP shapes: XCreate / XUpdate in, XPublic out.
A webhook's secret goes in and never comes out."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self
from uuid import UUID

from pydantic import AliasChoices, BaseModel, ConfigDict, EmailStr, Field

from shared import contracts as c
from shared.kernel.i18n import Language
from shared.platform.schemas import Input as StrictInput
from shared.platform.schemas import Name, ShortText

from ..domain.delivery import DeliveryStatus
from ..domain.recipient import Channel, Webhook
from ..domain.templates import Template, Wording
from ..service_layer.commands import CreateRecipient

EventType = ShortText


class Input(StrictInput):
    """Unknown fields refused, and values that fit only after a conversion (`shared.platform.schemas`)."""


class WebhookIn(Input):
    url: ShortText = Field(max_length=500, examples=["https://portal.malangkota.go.id/hooks/kim"])
    secret: ShortText = Field(min_length=16, description="signs every request; never shown again")

    def to_domain(self) -> Webhook:
        return Webhook(url=self.url, secret=self.secret)


class RecipientCreate(Input):
    name: Name = Field(examples=["Seksi Informasi Publik Diskominfo"])
    email: EmailStr | None = Field(None, examples=["ikp@malangkota.go.id"])
    language: Language | None = Field(None, description="id or en; the service's default when left out")
    subscriptions: list[EventType] = Field(
        default=[],
        max_length=50,
        examples=[["entry.submitted", "enrolment.requested"]],
        description="event types from GET /event-types",
    )
    webhook: WebhookIn | None = None
    active: bool = True

    def command(self, default_language: Language) -> CreateRecipient:
        return CreateRecipient(
            **self.model_dump(exclude={"email", "language", "webhook"}),
            email=str(self.email) if self.email is not None else None,
            language=self.language or default_language,
            webhook=self.webhook.to_domain() if self.webhook is not None else None,
        )


class RecipientUpdate(Input):
    """Only the fields sent change; `null` removes the email or the webhook."""

    name: Name | None = None
    email: EmailStr | None = None
    language: Language | None = None
    subscriptions: list[EventType] | None = Field(None, max_length=50)
    webhook: WebhookIn | None = None
    active: bool | None = None

    def changes(self) -> dict[str, Any]:
        removable = {"email", "webhook"}
        found = {
            name: getattr(self, name)
            for name in self.model_fields_set
            if getattr(self, name) is not None or name in removable
        }
        if found.get("webhook") is not None:
            found["webhook"] = found["webhook"].to_domain()
        if found.get("email") is not None:
            found["email"] = str(found["email"])
        return found


class WebhookPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    url: str


# Read from the recipient by attribute; the webhook's secret has no field here.
class RecipientPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    recipient_id: UUID
    name: str
    email: str | None
    language: Language
    subscriptions: list[str]
    webhook: WebhookPublic | None
    active: bool
    created_at: datetime
    updated_at: datetime


# Read from the delivery by attribute; `received_at` is when it was stored (`created_at`).
class InboxItemPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    delivery_id: UUID
    event_id: UUID
    event_type: str
    subject: str
    text: str
    occurred_at: datetime
    received_at: datetime = Field(validation_alias=AliasChoices("received_at", "created_at"))
    read_at: datetime | None


class InboxPublic(BaseModel):
    unread: int
    items: list[InboxItemPublic] = Field(description="newest first")


# Read from the delivery by attribute; its text and data stay in the inbox and the webhook.
class DeliveryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    delivery_id: UUID
    event_id: UUID
    event_type: str
    recipient_id: UUID
    address: str | None = Field(description="the person the event named (a judge), when not a recipient")
    channel: Channel
    status: DeliveryStatus
    attempts: int
    last_error: str | None
    subject: str
    created_at: datetime
    next_attempt_at: datetime | None = Field(description="when a pending delivery is tried next")
    delivered_at: datetime | None
    failed_at: datetime | None
    read_at: datetime | None


class AboutPublic(BaseModel):
    id: str
    en: str


class EventTypePublic(BaseModel):
    type: str
    version: int
    description: str | None = Field(description="from the event's contract")
    about: AboutPublic = Field(description="what it means, for staff choosing subscriptions")

    @classmethod
    def of(cls, event: c.EventClass, template: Template) -> Self:
        return cls(
            type=event.event_type,
            version=event.event_version,
            description=(event.__doc__ or "").strip() or None,
            about=AboutPublic(id=template.id.about, en=template.en.about),
        )


class WordingPublic(BaseModel):
    subject: str
    body: str

    @classmethod
    def of(cls, wording: Wording) -> Self:
        return cls(subject=wording.subject, body=wording.body)


class TemplatePublic(BaseModel):
    event_type: str
    placeholders: list[str]
    id: WordingPublic
    en: WordingPublic

    @classmethod
    def of(cls, template: Template) -> Self:
        return cls(
            event_type=template.event_type,
            placeholders=template.placeholders(),
            id=WordingPublic.of(template.id),
            en=WordingPublic.of(template.en),
        )
