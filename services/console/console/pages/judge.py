"""The judge's desk: its landing page (the desk itself is another issue's)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..web import Judge, render

router = APIRouter(prefix="/juri")


@router.get("")
async def judge_home(request: Request, visitor: Judge) -> Response:
    return render(request, "pages/judge_home.html")
