"""The KIM portal: its landing page (the portal itself is another issue's)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..web import KimRep, render

router = APIRouter(prefix="/kim")


@router.get("")
async def kim_home(request: Request, visitor: KimRep) -> Response:
    return render(request, "pages/kim_home.html")
