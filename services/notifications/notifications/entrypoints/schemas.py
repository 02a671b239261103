"""The notifications service's HTTP shapes: XCreate / XUpdate in, XPublic out.
A webhook's secret goes in and never comes out."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from shared import contracts as c
from shared.kernel.i18n import Language
from shared.platform.schemas import Name, ShortText

from ..domain.delivery import Delivery, DeliveryStatus
from ..domain.recipient import Channel, Recipient, Webhook
from ..domain.templates import Template, Wording

EventType = ShortText


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


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
    url: str


class RecipientPublic(BaseModel):
    recipient_id: UUID
    name: str
    email: str | None
    language: Language
    subscriptions: list[str]
    webhook: WebhookPublic | None
    active: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, recipient: Recipient) -> Self:
        return cls(
            recipient_id=recipient.recipient_id,
            name=recipient.name,
            email=recipient.email,
            language=recipient.language,
            subscriptions=recipient.subscriptions,
            webhook=WebhookPublic(url=recipient.webhook.url) if recipient.webhook else None,
            active=recipient.active,
            created_at=recipient.created_at,
            updated_at=recipient.updated_at,
        )


class InboxItemPublic(BaseModel):
    delivery_id: UUID
    event_id: UUID
    event_type: str
    subject: str
    text: str
    occurred_at: datetime
    received_at: datetime
    read_at: datetime | None

    @classmethod
    def of(cls, item: Delivery) -> Self:
        return cls(
            delivery_id=item.delivery_id,
            event_id=item.event_id,
            event_type=item.event_type,
            subject=item.subject,
            text=item.text,
            occurred_at=item.occurred_at,
            received_at=item.created_at,
            read_at=item.read_at,
        )


class InboxPublic(BaseModel):
    unread: int
    items: list[InboxItemPublic] = Field(description="newest first")


class DeliveryPublic(BaseModel):
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

    @classmethod
    def of(cls, delivery: Delivery) -> Self:
        return cls(
            delivery_id=delivery.delivery_id,
            event_id=delivery.event_id,
            event_type=delivery.event_type,
            recipient_id=delivery.recipient_id,
            address=delivery.address,
            channel=delivery.channel,
            status=delivery.status,
            attempts=delivery.attempts,
            last_error=delivery.last_error,
            subject=delivery.subject,
            created_at=delivery.created_at,
            next_attempt_at=delivery.next_attempt_at,
            delivered_at=delivery.delivered_at,
            failed_at=delivery.failed_at,
            read_at=delivery.read_at,
        )


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
