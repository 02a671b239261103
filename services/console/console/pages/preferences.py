"""Notification settings for everyone signed in: their language and, per event type
their role may hear about, the channels they are told on (the notifications
service's /recipients/me)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..services import ServiceError
from ..web import ServicesDep, Visitor, redirect, render, requires

router = APIRouter(prefix="/pengaturan")

#: Every signed-in person, whatever their role.
Person = requires("staff", "judge", "kim_rep")


def rows(mine: dict[str, Any], language: str) -> list[dict[str, Any]]:
    return [
        {
            "event_type": row["event_type"],
            "about": row["about"]["en" if language == "en" else "id"],
            "channels": row["channels"],
        }
        for row in mine["preferences"]
    ]


@router.get("/pemberitahuan")
async def preferences_page(request: Request, services: ServicesDep, visitor: Visitor = Person) -> Response:
    mine = await services.notifications.get("/recipients/me", visitor.caller)
    return render(
        request,
        "pages/preferences.html",
        mine=mine,
        rows=rows(mine, visitor.language),
        offered=mine["offered_channels"],
        error=None,
    )


@router.post("/pemberitahuan")
async def save_preferences(request: Request, services: ServicesDep, visitor: Visitor = Person) -> Response:
    form = await request.form()
    mine = await services.notifications.get("/recipients/me", visitor.caller)
    offered = mine["offered_channels"]
    language = str(form.get("language") or mine["language"])
    if language not in ("id", "en"):
        language = mine["language"]
    channels = {
        row["event_type"]: [ch for ch in offered if form.get(f"{row['event_type']}:{ch}") == "on"]
        for row in mine["preferences"]
    }
    try:
        await services.notifications.put(
            "/recipients/me/preferences",
            visitor.caller,
            json={"language": language, "channels": channels},
        )
    except ServiceError as error:
        return render(
            request,
            "pages/preferences.html",
            400,
            mine=mine,
            rows=rows(mine, visitor.language),
            offered=offered,
            error=error.message,
        )
    return redirect(request, "/pengaturan/pemberitahuan", flash="preferences_saved")
