"""Staff: the reminders KIMs without an entry get before an edition's deadline — the
days before it they are sent, and who was reminded when (the notifications
service's /editions/{edition_id}/reminders)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from .. import i18n
from ..services import ServiceError
from ..web import ServicesDep, Staff, redirect, render, with_dates

router = APIRouter(prefix="/staf/lomba")


async def page(
    request: Request,
    edition_id: UUID,
    visitor: Staff,
    services: ServicesDep,
    errors: dict[str, str] | None = None,
    days: str | None = None,
) -> Response:
    edition = await services.registry.get(f"/editions/{edition_id}", visitor.caller)
    reminders = await services.notifications.get(f"/editions/{edition_id}/reminders", visitor.caller)
    return render(
        request,
        "pages/staff/reminders.html",
        status_code=400 if errors else 200,
        errors=errors or {},
        edition=edition,
        days=days if days is not None else ", ".join(str(d) for d in reminders["days_before"]),
        reminded=[with_dates(r, "reminded_at") for r in reminders["reminded"]],
    )


@router.get("/{edition_id}/pengingat")
async def reminders_page(
    request: Request, edition_id: UUID, visitor: Staff, services: ServicesDep
) -> Response:
    return await page(request, edition_id, visitor, services)


@router.post("/{edition_id}/pengingat")
async def set_days(
    request: Request,
    edition_id: UUID,
    visitor: Staff,
    services: ServicesDep,
    days: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    try:
        chosen = [int(part) for part in days.replace(",", " ").split()]
    except ValueError:
        message = i18n.gettext("Write whole numbers of days, separated by commas, e.g. 3, 1.")
        return await page(request, edition_id, visitor, services, {"days": message}, days)
    try:
        await services.notifications.put(
            f"/editions/{edition_id}/reminders", visitor.caller, json={"days_before": chosen}
        )
    except ServiceError as error:
        return await page(request, edition_id, visitor, services, {"days": error.message}, days)
    return redirect(request, f"/staf/lomba/{edition_id}/pengingat", flash="reminders_saved")
