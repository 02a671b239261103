"""The notifications HTTP API: recipients and their subscriptions, the staff
inbox, the delivery log, what can be subscribed to and how it reads, and the
WhatsApp gateway's status callbacks."""

from __future__ import annotations

import hmac
import json
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import PlainTextResponse

from shared.platform.http import Caller
from shared.platform.messaging import NOTIFICATIONS
from shared.platform.openapi import may_raise

from ..domain.delivery import DeliveryStatus
from ..domain.errors import WhatsAppSignatureInvalid, WhatsAppSignatureMissing, WhatsAppVerificationRefused
from ..domain.recipient import Channel
from ..domain.signature import verify_hub
from ..domain.templates import TEMPLATES
from ..domain.whatsapp_templates import WHATSAPP_TEMPLATES
from ..service_layer import reminding, services
from ..service_layer.commands import ChangeRecipient, ChoosePreferences, MarkRead
from ..service_layer.receipts import apply_statuses, status_updates
from .dependencies import System, UnitOfWork
from .schemas import (
    DeliveryPublic,
    EventType,
    EventTypePublic,
    InboxItemPublic,
    InboxPublic,
    LanguageUpdate,
    MyRecipientPublic,
    PreferencesUpdate,
    RecipientCreate,
    RecipientPublic,
    RecipientUpdate,
    RemindersPublic,
    RemindersUpdate,
    StatusCallbackPublic,
    TemplatePublic,
    WhatsAppTemplatePublic,
)

router = APIRouter()

MAX_LIMIT = 200


Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]


@router.get("/event-types", tags=["settings"], summary="Event types a recipient can subscribe to")
async def event_types() -> list[EventTypePublic]:
    """One per type, whatever versions of it the queue reads (the first, as subscribed to)."""
    first = {event.event_type: event for event in reversed(NOTIFICATIONS.handles)}
    return [
        EventTypePublic.of(first[event_type], TEMPLATES[event_type])
        for event_type in dict.fromkeys(event.event_type for event in NOTIFICATIONS.handles)
        if event_type in TEMPLATES
    ]


@router.get("/templates", tags=["settings"], summary="What recipients are told about each event type")
async def templates() -> list[TemplatePublic]:
    return [TemplatePublic.of(template) for template in TEMPLATES.values()]


@router.post("/recipients", status_code=201, tags=["recipients"], summary="Add a recipient")
async def create_recipient(body: RecipientCreate, system: System, uow: UnitOfWork) -> RecipientPublic:
    command = body.command(default_language=system.settings.default_language)
    return RecipientPublic.model_validate(await services.create_recipient(uow, system.clock, command))


@router.get("/recipients", tags=["recipients"], summary="List recipients, oldest first")
async def list_recipients(uow: UnitOfWork) -> list[RecipientPublic]:
    async with uow:
        return [RecipientPublic.model_validate(r) for r in await uow.recipients.list()]


# Before /recipients/{recipient_id}: "me" is not an id.
@router.get("/recipients/me", tags=["me"], summary="My recipient and my preferences (made if need be)")
async def get_me(system: System, uow: UnitOfWork, caller: Caller) -> MyRecipientPublic:
    return MyRecipientPublic.of(await services.my_recipient(uow, system.clock, caller))


@router.put("/recipients/me", tags=["me"], summary="Change my language")
async def put_me(body: LanguageUpdate, system: System, uow: UnitOfWork, caller: Caller) -> MyRecipientPublic:
    command = ChoosePreferences(language=body.language)
    return MyRecipientPublic.of(await services.choose_preferences(uow, system.clock, caller, command))


@router.put(
    "/recipients/me/preferences",
    tags=["me"],
    summary="Change my language and, per event type, the channels I am told on",
)
async def put_my_preferences(
    body: PreferencesUpdate, system: System, uow: UnitOfWork, caller: Caller
) -> MyRecipientPublic:
    return MyRecipientPublic.of(await services.choose_preferences(uow, system.clock, caller, body.command()))


@router.get("/recipients/me/inbox", tags=["me"], summary="My inbox, newest first")
async def my_inbox(
    system: System, uow: UnitOfWork, caller: Caller, unread_only: bool = False, limit: Limit = 50
) -> InboxPublic:
    mine = await services.my_recipient(uow, system.clock, caller)
    async with uow:
        items = await uow.deliveries.inbox(mine.recipient_id, unread_only=unread_only, limit=limit)
        unread = await uow.deliveries.unread(mine.recipient_id)
    return InboxPublic(unread=unread, items=[InboxItemPublic.model_validate(item) for item in items])


@router.post("/recipients/me/inbox/{delivery_id}/read", tags=["me"], summary="Mark one item of my inbox read")
async def mark_my_read(delivery_id: UUID, system: System, uow: UnitOfWork, caller: Caller) -> InboxItemPublic:
    mine = await services.my_recipient(uow, system.clock, caller)
    command = MarkRead(recipient_id=mine.recipient_id, delivery_id=delivery_id)
    return InboxItemPublic.model_validate(await services.mark_read(uow, system.clock, command))


@router.get("/recipients/{recipient_id}", tags=["recipients"], summary="One recipient")
async def get_recipient(recipient_id: UUID, uow: UnitOfWork) -> RecipientPublic:
    async with uow:
        return RecipientPublic.model_validate(await uow.recipients.require(recipient_id))


@router.patch(
    "/recipients/{recipient_id}",
    tags=["recipients"],
    summary="Change a recipient: name, email, language, subscriptions, webhook, active",
)
async def change_recipient(
    recipient_id: UUID, body: RecipientUpdate, system: System, uow: UnitOfWork
) -> RecipientPublic:
    command = ChangeRecipient(**body.changes(), recipient_id=recipient_id)
    return RecipientPublic.model_validate(await services.change_recipient(uow, system.clock, command))


@router.get("/recipients/{recipient_id}/inbox", tags=["inbox"], summary="A recipient's inbox, newest first")
async def inbox(
    recipient_id: UUID, uow: UnitOfWork, unread_only: bool = False, limit: Limit = 50
) -> InboxPublic:
    async with uow:
        await uow.recipients.require(recipient_id)
        items = await uow.deliveries.inbox(recipient_id, unread_only=unread_only, limit=limit)
        unread = await uow.deliveries.unread(recipient_id)
    return InboxPublic(unread=unread, items=[InboxItemPublic.model_validate(item) for item in items])


@router.post(
    "/recipients/{recipient_id}/inbox/{delivery_id}/read",
    tags=["inbox"],
    summary="Mark one inbox item read (again is fine)",
)
async def mark_read(
    recipient_id: UUID, delivery_id: UUID, system: System, uow: UnitOfWork
) -> InboxItemPublic:
    command = MarkRead(recipient_id=recipient_id, delivery_id=delivery_id)
    return InboxItemPublic.model_validate(await services.mark_read(uow, system.clock, command))


@router.get("/deliveries", tags=["deliveries"], summary="The delivery log, newest first")
async def deliveries(
    uow: UnitOfWork,
    recipient_id: UUID | None = None,
    channel: Channel | None = None,
    status: DeliveryStatus | None = None,
    event_type: EventType | None = None,
    limit: Limit = 50,
) -> list[DeliveryPublic]:
    async with uow:
        found = await uow.deliveries.log(
            recipient_id=recipient_id, channel=channel, status=status, event_type=event_type, limit=limit
        )
    return [DeliveryPublic.model_validate(delivery) for delivery in found]


@router.get(
    "/editions/{edition_id}/reminders",
    tags=["reminders"],
    summary="Staff: the reminder days of an edition and who was reminded",
)
async def get_reminders(edition_id: UUID, uow: UnitOfWork) -> RemindersPublic:
    async with uow:
        schedule = await uow.edition_schedules.get(edition_id)
        sent = await uow.reminders.of_edition(edition_id)
    return RemindersPublic.of(edition_id, schedule, sent)


@router.put(
    "/editions/{edition_id}/reminders",
    tags=["reminders"],
    summary="Staff: the days before the deadline KIMs without an entry are reminded",
)
async def put_reminders(
    edition_id: UUID, body: RemindersUpdate, system: System, uow: UnitOfWork
) -> RemindersPublic:
    schedule = await reminding.set_reminder_days(uow, system.clock, edition_id, body.days_before)
    async with uow:
        sent = await uow.reminders.of_edition(edition_id)
    return RemindersPublic.of(edition_id, schedule, sent)


@router.get(
    "/whatsapp/templates",
    tags=["settings"],
    summary="The WhatsApp templates to register with the gateway: name, language, body",
)
async def whatsapp_templates() -> list[WhatsAppTemplatePublic]:
    return [
        *(WhatsAppTemplatePublic.of(template) for template in WHATSAPP_TEMPLATES.values()),
        WhatsAppTemplatePublic.voter_code(),
    ]


@router.get(
    "/whatsapp/status",
    tags=["whatsapp"],
    summary="The gateway's verification handshake: answers hub.challenge when hub.verify_token matches",
    response_class=PlainTextResponse,
    responses=may_raise(WhatsAppVerificationRefused),
)
async def whatsapp_verify(
    system: System,
    mode: Annotated[str, Query(alias="hub.mode", max_length=50)] = "",
    verify_token: Annotated[str, Query(alias="hub.verify_token", max_length=500)] = "",
    challenge: Annotated[str, Query(alias="hub.challenge", max_length=500)] = "",
) -> str:
    expected = system.settings.whatsapp_verify_token
    if (
        mode != "subscribe"
        or expected is None
        or not verify_hub_token(expected.get_secret_value(), verify_token)
    ):
        raise WhatsAppVerificationRefused()
    return challenge


def verify_hub_token(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected.encode(), given.encode())


@router.post(
    "/whatsapp/status",
    tags=["whatsapp"],
    summary="Status callbacks (sent, delivered, read, failed), signed with the app secret",
    responses=may_raise(WhatsAppSignatureMissing, WhatsAppSignatureInvalid),
)
async def whatsapp_status(
    request: Request,
    system: System,
    signature: Annotated[str | None, Header(alias="X-Hub-Signature-256", max_length=200)] = None,
) -> StatusCallbackPublic:
    body = await request.body()
    if not signature:
        raise WhatsAppSignatureMissing()
    secret = system.settings.whatsapp_app_secret
    if secret is None or not verify_hub(secret.get_secret_value(), body, signature):
        raise WhatsAppSignatureInvalid()
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = None
    updates, malformed = status_updates(parsed, system.clock())
    tally = await apply_statuses(system.uow, system.clock, updates)
    return StatusCallbackPublic(
        applied=tally.applied, repeated=tally.repeated, unknown=tally.unknown, malformed=malformed
    )
