"""The public pages (no sign-in): the published editions and one edition."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..i18n import countdown
from ..web import CurrentVisitor, ServicesDep, render, with_dates

router = APIRouter()


@router.get("/")
async def home(request: Request, visitor: CurrentVisitor, services: ServicesDep) -> Response:
    # Anonymously: the public list, even for signed-in staff (who see drafts at /staf).
    editions = await services.registry.get("/editions", visitor.anonymous_caller)
    published = [e for e in editions if e["status"] != "draft"]
    return render(request, "pages/home.html", editions=[dated(e) for e in published])


@router.get("/lomba/{edition_id}")
async def edition(
    request: Request, edition_id: UUID, visitor: CurrentVisitor, services: ServicesDep
) -> Response:
    found = dated(await services.registry.get(f"/editions/{edition_id}", visitor.anonymous_caller))
    now = request.app.state.clock()
    return render(
        request,
        "pages/edition.html",
        edition=found,
        countdown=countdown(found["submission_closes_at"], now),
        open_now=found["submission_opens_at"] <= now < found["submission_closes_at"],
        page_url=f"{request.app.state.settings.public_url.rstrip('/')}/lomba/{edition_id}",
    )


EDITION_MOMENTS = ("submission_opens_at", "submission_closes_at", "published_at", "closed_at")


def dated(edition: dict[str, Any]) -> dict[str, Any]:
    return with_dates(edition, *EDITION_MOMENTS)
