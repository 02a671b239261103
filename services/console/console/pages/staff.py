"""The staff workspace: its landing page, listing every edition (drafts too)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..web import ServicesDep, Staff, render
from .public import dated

router = APIRouter(prefix="/staf")


@router.get("")
async def staff_home(request: Request, visitor: Staff, services: ServicesDep) -> Response:
    editions = await services.registry.get("/editions", visitor.caller)
    return render(request, "pages/staff_home.html", editions=[dated(e) for e in editions])
