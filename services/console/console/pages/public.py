"""The public pages (no sign-in): the published editions and one edition."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..i18n import countdown
from ..services import ServiceError, Services
from ..web import CurrentVisitor, ServicesDep, Visitor, render, with_dates

router = APIRouter()


@router.get("/")
async def home(request: Request, visitor: CurrentVisitor, services: ServicesDep) -> Response:
    # Anonymously: the public list, even for signed-in staff (who see drafts at /staf).
    editions = await services.registry.get("/editions", visitor.anonymous_caller)
    published = [dated(e) for e in editions if e["status"] != "draft"]
    announced = await asyncio.gather(*(is_announced(services, e, visitor) for e in published))
    now = request.app.state.clock()
    return render(
        request,
        "pages/home.html",
        editions=[
            {
                **e,
                "announced": shown,
                "open_now": e["submission_opens_at"] <= now < e["submission_closes_at"],
                "countdown": countdown(e["submission_closes_at"], now),
            }
            for e, shown in zip(published, announced, strict=True)
        ],
    )


@router.get("/lomba/{edition_id}")
async def edition(
    request: Request, edition_id: UUID, visitor: CurrentVisitor, services: ServicesDep
) -> Response:
    answers: tuple[Any, Any] = await asyncio.gather(
        services.registry.get(f"/editions/{edition_id}", visitor.anonymous_caller),
        services.voting.get(f"/editions/{edition_id}/vote-window", visitor.anonymous_caller),
        return_exceptions=True,
    )
    edition_answer, window = answers
    if isinstance(edition_answer, BaseException):
        raise edition_answer
    found = dated(edition_answer)
    now = request.app.state.clock()
    return render(
        request,
        "pages/edition.html",
        edition=found,
        # The public vote, when it is open (the page stands without it: no vote, voting away).
        voting_open=isinstance(window, dict) and window.get("status") == "open",
        announced=await is_announced(services, found, visitor),
        countdown=countdown(found["submission_closes_at"], now),
        open_now=found["submission_opens_at"] <= now < found["submission_closes_at"],
        page_url=f"{request.app.state.settings.public_url.rstrip('/')}/lomba/{edition_id}",
    )


EDITION_MOMENTS = ("submission_opens_at", "submission_closes_at", "published_at", "closed_at")


def dated(edition: dict[str, Any]) -> dict[str, Any]:
    return with_dates(edition, *EDITION_MOMENTS)


async def is_announced(services: Services, edition: dict[str, Any], visitor: Visitor) -> bool:
    """Whether judging has announced the edition's results (only once submissions closed)."""
    if edition["status"] != "submissions_closed":
        return False
    try:
        await services.judging.get(f"/editions/{edition['edition_id']}/results", visitor.anonymous_caller)
    except ServiceError:
        return False  # not announced yet (or judging has not heard of the edition yet)
    return True
