"""The inbox of a judge or a KIM representative: what the notifications service told
them (their account's own recipient, `/recipients/me/inbox`), newest first, and
marking an item read. Staff have theirs, live, under /staf/kotak-masuk."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..web import ServicesDep, Visitor, redirect, render, requires, with_dates

router = APIRouter(prefix="/kotak-masuk")

#: Judges and KIM representatives.
Told = requires("judge", "kim_rep")

#: Inbox items the page lists (newest first); older ones stay at the service.
PAGE_SIZE = 50


@router.get("")
async def my_inbox(request: Request, services: ServicesDep, visitor: Visitor = Told) -> Response:
    inbox = await services.notifications.get(
        "/recipients/me/inbox", visitor.caller, params={"limit": PAGE_SIZE}
    )
    return render(
        request,
        "pages/my_inbox.html",
        unread=inbox["unread"],
        items=[with_dates(item, "received_at", "occurred_at", "read_at") for item in inbox["items"]],
        inbox_base="/kotak-masuk",
    )


@router.post("/{delivery_id}/dibaca")
async def mark_read(
    request: Request, delivery_id: UUID, services: ServicesDep, visitor: Visitor = Told
) -> Response:
    await services.notifications.post(f"/recipients/me/inbox/{delivery_id}/read", visitor.caller)
    return redirect(request, "/kotak-masuk", flash="marked_read")
