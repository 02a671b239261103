"""The staff's "Babak" page for one edition (/staf/lomba/{id}/babak): one round, or a
shortlist round then a final round; set or clear the rounds before scoring, close round 1
into the shortlist (shown with its rule), then run the final round on the judging pages
of its own id (panel, rubric and options, assignment, ties, freeze, verify, announce):
judging answers every edition route for a final round's id."""

from __future__ import annotations

import re
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from ..i18n import gettext
from ..services import ServiceError, Services, idempotent
from ..web import ServicesDep, Staff, Visitor, redirect, render, with_dates
from .staff_judging import actor_of, judging_edition

router = APIRouter(prefix="/staf")
#: A score as people type it: 75, 82.5 or 82,5 (two decimals at most).
SCORE = re.compile(r"\d{1,3}([.,]\d{1,2})?")


async def rounds_page(
    request: Request,
    visitor: Visitor,
    services: Services,
    edition_id: UUID,
    *,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    form: dict[str, Any] | None = None,
) -> Response:
    edition = await judging_edition(services, visitor, edition_id)
    if edition.get("round_of"):
        return redirect(request, f"/staf/lomba/{edition['round_of']}/babak")
    rounds: dict[str, Any] = await services.judging.get(f"/editions/{edition_id}/rounds", visitor.caller)
    shortlist = rounds["shortlist"]
    final = None
    if shortlist:
        with_dates(shortlist, "closed_at")
        shortlist["closed_by"] = actor_of(shortlist["closed_by"])
        final = await judging_edition(services, visitor, UUID(shortlist["final_edition_id"]))
    rule = rounds["rule"] or {}
    form = form or {
        "by": "min_score" if rule.get("min_score") is not None else "size",
        "size": str(rule.get("size") or ""),
        "min_score": _shown(rule.get("min_score")),
        "public": bool(rule.get("public")),
    }
    return render(
        request,
        "pages/staff_judging/rounds.html",
        status_code,
        edition=edition,
        rounds=rounds,
        shortlist=shortlist,
        final=final,
        rule_text=rule_text(rule) if rule else "",
        errors=errors or {},
        form=form,
        fixed=edition["status"] != "waiting_for_submissions" and edition["progress"]["recorded"] > 0,
    )


def rule_text(rule: dict[str, Any]) -> str:
    if rule.get("size") is not None:
        return gettext("The top %(n)s of the shortlist round go on to the final", n=rule["size"])
    return gettext(
        "Every entry scoring %(score)s or more in the shortlist round goes on to the final",
        score=_shown(rule.get("min_score")),
    )


def _shown(score: float | None) -> str:
    if score is None:
        return ""
    return f"{score:.2f}".rstrip("0").rstrip(".")


@router.get("/lomba/{edition_id}/babak")
async def rounds(request: Request, edition_id: UUID, visitor: Staff, services: ServicesDep) -> Response:
    return await rounds_page(request, visitor, services, edition_id)


@router.post("/lomba/{edition_id}/babak")
async def set_rounds(
    request: Request,
    edition_id: UUID,
    visitor: Staff,
    services: ServicesDep,
    by: Annotated[str, Form(max_length=20)] = "size",
    size: Annotated[str, Form(max_length=5)] = "",
    min_score: Annotated[str, Form(max_length=7)] = "",
    public: Annotated[str, Form(max_length=5)] = "",
    idempotency_key: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    size, min_score = size.strip(), min_score.strip()
    form = {"by": by, "size": size, "min_score": min_score, "public": bool(public)}
    errors: dict[str, str] = {}
    rule: dict[str, Any] = {"public": bool(public)}
    if by == "size":
        if size.isdigit() and 1 <= int(size) <= 1000:
            rule["size"] = int(size)
        else:
            errors["size"] = gettext("Enter how many entries go on to the final, from 1 to 1000.")
    elif by == "min_score":
        value = float(min_score.replace(",", ".")) if SCORE.fullmatch(min_score) else None
        if value is not None and 0 <= value <= 100:
            rule["min_score"] = value
        else:
            errors["min_score"] = gettext("Enter a score from 0 to 100, like 75 or 82,5.")
    else:
        errors["by"] = gettext("Choose how entries go on to the final.")
    if not errors:
        try:
            await services.judging.put(
                f"/editions/{edition_id}/rounds",
                visitor.caller,
                json={"shortlist": rule},
                headers=idempotent(idempotency_key),
            )
        except ServiceError as error:
            errors = {"by": error.message}
    if errors:
        return await rounds_page(
            request, visitor, services, edition_id, status_code=400, errors=errors, form=form
        )
    return redirect(request, f"/staf/lomba/{edition_id}/babak", flash="rounds_saved")


@router.post("/lomba/{edition_id}/babak/hapus")
async def clear_rounds(request: Request, edition_id: UUID, visitor: Staff, services: ServicesDep) -> Response:
    try:
        await services.judging.delete(f"/editions/{edition_id}/rounds", visitor.caller)
    except ServiceError as error:
        return await rounds_page(
            request, visitor, services, edition_id, status_code=error.status, errors={"by": error.message}
        )
    return redirect(request, f"/staf/lomba/{edition_id}/babak", flash="rounds_cleared")


@router.post("/lomba/{edition_id}/babak/tutup")
async def close_shortlist(
    request: Request,
    edition_id: UUID,
    visitor: Staff,
    services: ServicesDep,
    idempotency_key: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    try:
        await services.judging.post(
            f"/editions/{edition_id}/shortlist", visitor.caller, headers=idempotent(idempotency_key)
        )
    except ServiceError as error:
        return await rounds_page(
            request, visitor, services, edition_id, status_code=error.status, errors={"close": error.message}
        )
    return redirect(request, f"/staf/lomba/{edition_id}/babak", flash="shortlist_closed")
