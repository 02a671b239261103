"""The staff inbox: a staff member's notifications, marking them read, turning
notifications on, and the live stream (Server-Sent Events) that brings new ones to
the open pages without a reload."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from .. import i18n
from ..inbox import DEFAULT_SUBSCRIPTIONS, Recipients
from ..live import LiveInbox
from ..services import ServiceError, Services, ServiceUnavailable, SignInAgain, idempotency_of
from ..web import ServicesDep, Staff, Visitor, redirect, render, templates, with_dates

router = APIRouter(prefix="/staf/kotak-masuk")

#: Inbox items a page lists (newest first); older ones stay at the service.
PAGE_SIZE = 50
#: Sent first on every stream: how long the browser waits before it reconnects.
RECONNECT_MILLISECONDS = 3000


def recipients_of(request: Request) -> Recipients:
    recipients: Recipients = request.app.state.recipients
    return recipients


async def recipient_of(request: Request, visitor: Visitor, services: Services) -> UUID | None:
    assert visitor.session is not None
    return await recipients_of(request).of(services, visitor.session, visitor.caller)


@router.get("")
async def inbox_page(request: Request, visitor: Staff, services: ServicesDep) -> Response:
    recipient_id = await recipient_of(request, visitor, services)
    if recipient_id is None:
        return render(request, "pages/inbox.html", recipient_id=None, error=None)
    inbox = await services.notifications.get(
        f"/recipients/{recipient_id}/inbox", visitor.caller, params={"limit": PAGE_SIZE}
    )
    visitor.unread = inbox["unread"]  # the badge agrees with the page
    return render(
        request,
        "pages/inbox.html",
        recipient_id=recipient_id,
        unread=inbox["unread"],
        items=[dated_item(item) for item in inbox["items"]],
    )


@router.post("/aktifkan")
async def turn_on(request: Request, visitor: Staff, services: ServicesDep) -> Response:
    """A recipient for this account (its name, email and language), subscribed to the defaults."""
    assert visitor.session is not None
    if await recipient_of(request, visitor, services) is None:
        try:
            await services.notifications.post(
                "/recipients",
                visitor.caller,
                json={
                    "name": visitor.session.name,
                    "email": visitor.session.email,
                    "language": visitor.language,
                    "subscriptions": list(DEFAULT_SUBSCRIPTIONS),
                },
                headers=await idempotency_of(request),
            )
        except ServiceError as error:
            return render(request, "pages/inbox.html", 400, recipient_id=None, error=error.message)
        recipients_of(request).forget(visitor.session.email)
    return redirect(request, "/staf/kotak-masuk", flash="notifications_on")


@router.post("/{delivery_id}/dibaca")
async def mark_read(request: Request, delivery_id: UUID, visitor: Staff, services: ServicesDep) -> Response:
    recipient_id = await recipient_of(request, visitor, services)
    if recipient_id is None:
        return redirect(request, "/staf/kotak-masuk")
    await services.notifications.post(f"/recipients/{recipient_id}/inbox/{delivery_id}/read", visitor.caller)
    return redirect(request, "/staf/kotak-masuk", flash="marked_read")


@router.get("/langsung")
async def live(request: Request, visitor: Staff, services: ServicesDep) -> Response:
    """text/event-stream: `unread` (the count) at once, then `notification` (the count and
    the new item's HTML) as items arrive; a comment as heartbeat; ends after a while."""
    settings = request.app.state.settings
    recipient_id = await recipient_of(request, visitor, services)
    if recipient_id is None or not settings.live_updates:
        return Response(status_code=204)  # nothing will come: EventSource stops trying on 204
    hub: LiveInbox = request.app.state.live
    return StreamingResponse(
        events(
            hub,
            services,
            visitor,
            recipient_id,
            seconds=settings.live_stream_seconds,
            heartbeat=settings.live_heartbeat_seconds,
        ),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def events(
    hub: LiveInbox,
    services: Services,
    visitor: Visitor,
    recipient_id: UUID,
    *,
    seconds: float,
    heartbeat: float,
) -> AsyncIterator[str]:
    i18n.current_language.set(visitor.language)
    loop = asyncio.get_running_loop()
    ends_at = loop.time() + seconds
    async with hub.stream(recipient_id) as stream:
        yield f"retry: {RECONNECT_MILLISECONDS}\n\n"
        yield event("unread", {"unread": visitor.unread})
        while (left := ends_at - loop.time()) > 0:
            try:
                arrival = await asyncio.wait_for(stream.arrivals.get(), timeout=min(heartbeat, left))
            except TimeoutError:
                yield ": heartbeat\n\n"
                continue
            if arrival.lagging:
                return  # the browser reconnects and starts afresh
            try:
                inbox = await services.notifications.get(
                    f"/recipients/{recipient_id}/inbox", visitor.caller, params={"limit": 20}
                )
            except (ServiceError, ServiceUnavailable, SignInAgain):
                return
            item = next((i for i in inbox["items"] if i["delivery_id"] == str(arrival.delivery_id)), None)
            html = (
                templates.get_template("partials/inbox_item.html").render(
                    visitor=visitor, item=dated_item(item)
                )
                if item
                else None
            )
            summary = i18n.ngettext(
                "%(count)s unread notification",
                "%(count)s unread notifications",
                inbox["unread"],
                count=inbox["unread"],
            )
            yield event("notification", {"unread": inbox["unread"], "summary": summary, "html": html})


def event(name: str, data: dict[str, Any]) -> str:
    """One SSE event; its data is one line of JSON."""
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def dated_item(item: dict[str, Any]) -> dict[str, Any]:
    return with_dates(item, "received_at", "occurred_at", "read_at")
