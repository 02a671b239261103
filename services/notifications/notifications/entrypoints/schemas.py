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

from ..domain.audience import menu
from ..domain.delivery import DeliveryStatus, ReceiptStatus
from ..domain.personal import KIM_TEMPLATES, REMINDER, personal
from ..domain.projections import EditionSchedule, ReminderSent
from ..domain.recipient import OFFERED_CHANNELS, Channel, Recipient, RecipientRole, Webhook
from ..domain.templates import TEMPLATES, Template, Wording
from ..domain.voter_codes import BODY as VOTER_BODY
from ..domain.voter_codes import TEMPLATE as VOTER_TEMPLATE
from ..domain.voter_codes import VOTER_CODE
from ..domain.whatsapp_templates import WhatsAppTemplate
from ..service_layer.commands import KEEP, ChoosePreferences, CreateRecipient

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
    whatsapp: ShortText | None = Field(
        None,
        max_length=30,
        examples=["081234567890"],
        description="an Indonesian mobile number, kept as +62...; told on WhatsApp, email as its fallback",
    )
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
    whatsapp: ShortText | None = Field(None, max_length=30)
    active: bool | None = None

    def changes(self) -> dict[str, Any]:
        removable = {"email", "webhook", "whatsapp"}
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
    whatsapp: str | None = Field(
        description="E.164, e.g. +6281234567890; a KIM representative's is their KIM's"
    )
    active: bool
    created_at: datetime
    updated_at: datetime
    account_id: UUID | None = Field(None, description="the account it follows; none when made by hand")
    role: RecipientRole | None = None
    kim_id: UUID | None = None


def about(event_type: str, role: RecipientRole | None = None) -> AboutPublic:
    """What the event type means, in the words addressed to `role` when it has its own."""
    wording = personal(role, event_type) or (KIM_TEMPLATES[REMINDER] if event_type == REMINDER else None)
    template = wording or TEMPLATES[event_type]
    return AboutPublic(id=template.id.about, en=template.en.about)


class PreferencePublic(BaseModel):
    event_type: str
    about: AboutPublic
    channels: list[Channel] = Field(description="the channels chosen; empty: not told")


class MyRecipientPublic(RecipientPublic):
    """The caller's own recipient with their preferences: every event type they may
    be told about, and the channels chosen for each."""

    offered_channels: list[Channel]
    preferences: list[PreferencePublic]

    @classmethod
    def of(cls, recipient: Recipient) -> Self:
        base = RecipientPublic.model_validate(recipient).model_dump()
        return cls(
            **base,
            offered_channels=list(OFFERED_CHANNELS[recipient.role]),
            preferences=[
                PreferencePublic(
                    event_type=event_type,
                    about=about(event_type, recipient.role),
                    channels=recipient.chosen(event_type) if event_type in recipient.subscriptions else [],
                )
                for event_type in menu(recipient.role)
            ],
        )


class LanguageUpdate(Input):
    language: Language


class PreferencesUpdate(Input):
    """Only the event types sent change; an empty list stops that type."""

    language: Language | None = None
    channels: dict[EventType, list[Channel]] = Field(
        default={},
        max_length=50,
        examples=[{"entry.submitted": ["inbox", "email"], "enrolment.rejected": []}],
    )

    def command(self) -> ChoosePreferences:
        return ChoosePreferences(language=self.language or KEEP, channels=self.channels)


class RemindersUpdate(Input):
    days_before: list[int] = Field(max_length=5, examples=[[3, 1]])


class ReminderPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kim_id: UUID
    kim_name: str
    days_before: int
    closes_at: datetime
    reminded_at: datetime
    recipient_ids: list[UUID]


class RemindersPublic(BaseModel):
    edition_id: UUID
    days_before: list[int] = Field(description="the days before the deadline KIMs are reminded")
    closes_at: datetime | None
    reminded: list[ReminderPublic] = Field(description="oldest first")

    @classmethod
    def of(cls, edition_id: UUID, schedule: EditionSchedule | None, sent: list[ReminderSent]) -> Self:
        return cls(
            edition_id=edition_id,
            days_before=schedule.reminder_days if schedule else list(EditionSchedule.default_days()),
            closes_at=schedule.closes_at if schedule else None,
            reminded=[ReminderPublic.model_validate(r) for r in sent],
        )


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


class ReceiptPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    status: ReceiptStatus
    at: datetime
    error: str | None


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
    provider_message_id: str | None = Field(description="the WhatsApp gateway's id of the message")
    receipts: list[ReceiptPublic] = Field(description="WhatsApp status callbacks, as they came")


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


class WhatsAppTemplatePublic(BaseModel):
    event_type: str
    name: str
    parameters: list[str] = Field(description="the event's values that fill {{1}}, {{2}}, ...; then the link")
    id: str = Field(description="the body to register in Indonesian (language code id)")
    en: str = Field(description="the body to register in English (language code en)")

    @classmethod
    def of(cls, template: WhatsAppTemplate) -> Self:
        return cls(
            event_type=template.event_type,
            name=template.name,
            parameters=[*template.parameters, "link"],
            id=template.id,
            en=template.en,
        )

    @classmethod
    def voter_code(cls) -> Self:
        """A voter's one-time code (no link: the voter is on the voting page already)."""
        return cls(
            event_type=VOTER_CODE,
            name=VOTER_TEMPLATE,
            parameters=["edition_title", "code", "expires"],
            id=VOTER_BODY["id"],
            en=VOTER_BODY["en"],
        )


class StatusCallbackPublic(BaseModel):
    applied: int = Field(description="statuses applied to their delivery")
    repeated: int = Field(description="statuses their delivery already had")
    unknown: int = Field(description="statuses for a message id no delivery has (ignored)")
    malformed: int = Field(description="statuses without an id, a known status or a timestamp")
