"""The judge's desk (`/juri`): the panels I sit on with my progress, the entries
assigned to me on one of them with their status and the deadline, and the score
sheet of one entry with its film, beside the rubric.

Everything comes from judging's "me" endpoints, so a judge never needs an id
they were not shown. Judging blind, judging already leaves the KIM out of what
it answers; this page adds nothing of the KIM's either. A conflicted entry is
never among the answer.

Drafts: the page keeps what the judge types in the browser's localStorage
(static/desk.js), keyed by the sheet and the revision it was based on, so a
reload or a dropped connection loses nothing and no half-filled sheet ever
reaches judging, where a sheet counts as soon as it is stored. The form posts
without JavaScript too."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from ..embeds import film_of
from ..i18n import N_, countdown, gettext
from ..services import ServiceError
from ..web import Judge, ServicesDep, redirect, render, with_dates

router = APIRouter(prefix="/juri")

COMMENT_MAX = 5000


@router.get("")
async def judge_home(request: Request, visitor: Judge, services: ServicesDep) -> Response:
    seats = await services.judging.get("/me/editions", visitor.caller)
    now = request.app.state.clock()
    return render(request, "pages/judge/home.html", seats=[_seat(seat, now) for seat in seats])


@router.get("/{edition_id}")
async def my_entries(request: Request, edition_id: UUID, visitor: Judge, services: ServicesDep) -> Response:
    desk = await _desk(services, visitor, edition_id)
    seat = _seat(desk["seat"], request.app.state.clock())
    return render(request, "pages/judge/entries.html", seat=seat, entries=desk["entries"])


@router.get("/{edition_id}/karya/{entry_id}")
async def score_sheet(
    request: Request, edition_id: UUID, entry_id: UUID, visitor: Judge, services: ServicesDep
) -> Response:
    desk = await _desk(services, visitor, edition_id)
    return _sheet_page(request, desk, entry_id, errors={}, given=None)


@router.post("/{edition_id}/karya/{entry_id}")
async def submit_sheet(
    request: Request, edition_id: UUID, entry_id: UUID, visitor: Judge, services: ServicesDep
) -> Response:
    desk = await _desk(services, visitor, edition_id)
    form = await request.form()
    rubric = desk["seat"]["rubric"]
    given = {key: str(value) for key, value in form.items() if isinstance(value, str)}
    errors: dict[str, str] = {}
    scores: dict[str, int] = {}
    for criterion in rubric:
        key = f"score-{criterion['criterion_id']}"
        name = criterion["name_en"] if visitor.language == "en" else criterion["name_id"]
        raw = given.get(key, "").strip()
        if not raw:
            errors[key] = gettext(N_("Enter a score for %(criterion)s"), criterion=name)
        elif not raw.isdigit() or not 0 <= int(raw) <= 100:
            errors[key] = gettext(
                N_("The score for %(criterion)s must be a whole number from 0 to 100"), criterion=name
            )
        else:
            scores[criterion["criterion_id"]] = int(raw)
    comment, note = given.get("comment", "").strip(), given.get("note", "").strip()
    for key, text in (("comment", comment), ("note", note)):
        if len(text) > COMMENT_MAX:
            errors[key] = gettext(N_("Keep it to %(count)d characters or fewer"), count=COMMENT_MAX)
    revision = given.get("revision", "0")
    if not errors:
        body = {
            "scores": scores,
            "comment": comment,
            "note": note,
            "revision": int(revision) if revision.isdigit() else 0,
        }
        judge_id = desk["seat"]["judge_id"]
        try:
            await services.judging.request(
                "PUT",
                f"/editions/{edition_id}/entries/{entry_id}/sheets/{judge_id}",
                visitor.caller,
                json=body,
            )
        except ServiceError as error:
            errors[_field_of(error, rubric)] = error.message
        else:
            return redirect(request, f"/juri/{edition_id}/karya/{entry_id}", flash="sheet_saved")
    return _sheet_page(request, desk, entry_id, errors=errors, given=given, status_code=400)


def _field_of(error: ServiceError, rubric: list[dict[str, Any]]) -> str:
    """Which field of the form a refusal is about: a criterion, the comment or note, or the sheet."""
    named = error.field or ""
    for criterion in rubric:
        if criterion["criterion_id"] in named:
            return f"score-{criterion['criterion_id']}"
    if named in ("comment", "note"):
        return named
    return f"score-{rubric[0]['criterion_id']}" if named.startswith("scores") else "sheet"


async def _desk(services: ServicesDep, visitor: Any, edition_id: UUID) -> dict[str, Any]:
    return await services.judging.get(f"/me/editions/{edition_id}/entries", visitor.caller)


def _seat(seat: dict[str, Any], now: datetime) -> dict[str, Any]:
    seat = with_dates(dict(seat), "deadline")
    seat["countdown"] = countdown(seat["deadline"], now) if seat["deadline"] else None
    return seat


def _sheet_page(
    request: Request,
    desk: dict[str, Any],
    entry_id: UUID,
    *,
    errors: dict[str, str],
    given: dict[str, str] | None,
    status_code: int = 200,
) -> Response:
    entries = desk["entries"]
    ids = [e["entry"]["entry_id"] for e in entries]
    if str(entry_id) not in ids:
        # Not assigned, conflicted or gone: judging answers for the judge's own entries only.
        raise HTTPException(status_code=404)
    at = ids.index(str(entry_id))
    mine = entries[at]
    sheet = mine["sheet"] or {}
    if given is None:
        given = {f"score-{k}": str(v) for k, v in (sheet.get("scores") or {}).items()}
        given.update(comment=sheet.get("comment", ""), note=sheet.get("note", ""))
    seat = _seat(desk["seat"], request.app.state.clock())
    return render(
        request,
        "pages/judge/sheet.html",
        status_code=status_code,
        seat=seat,
        entry=mine["entry"],
        sheet=mine["sheet"],
        film=film_of(mine["entry"]["video_url"]),
        given=given,
        errors=errors,
        position=at + 1,
        count=len(ids),
        previous=ids[at - 1] if at > 0 else None,
        next=ids[at + 1] if at + 1 < len(ids) else None,
        open=seat["status"] == "scoring",
    )
