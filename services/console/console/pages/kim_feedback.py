"""A KIM's feedback after the announcement (`/kim/nilai`): for each of its
entries, every sheet's scores per criterion and total, and the judges' comments
to it. Never the panel's private notes, never who wrote a sheet: judging does
not send them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..services import ServiceError
from ..web import KimRep, ServicesDep, render

router = APIRouter(prefix="/kim/nilai")


@router.get("")
async def my_feedback(request: Request, visitor: KimRep, services: ServicesDep) -> Response:
    editions = await services.registry.get("/editions", visitor.caller)
    announced = []
    for edition in editions:
        found = await _feedback(services, visitor, edition["edition_id"])
        if found is not None and found["entries"]:
            announced.append({"edition_id": edition["edition_id"], "title": found["title"]})
    return render(request, "pages/kim/feedback_list.html", editions=announced)


@router.get("/{edition_id}")
async def feedback(request: Request, edition_id: UUID, visitor: KimRep, services: ServicesDep) -> Response:
    found = await _feedback(services, visitor, str(edition_id))
    if found is None:
        return render(request, "pages/kim/feedback.html", status_code=404, found=None)
    return render(request, "pages/kim/feedback.html", found=found)


async def _feedback(services: ServicesDep, visitor: Any, edition_id: str) -> dict[str, Any] | None:
    """The KIM's feedback in this edition, or None before the announcement."""
    kim_id = visitor.session.kim_id
    try:
        found: dict[str, Any] = await services.judging.get(
            f"/editions/{edition_id}/kims/{kim_id}/feedback", visitor.caller
        )
    except ServiceError as error:
        if error.status == 404:
            return None
        raise
    return found
