"""Staff: the Juara Favorit of an edition (`/staf/lomba/{edition_id}/juara-favorit`), from
the voting service — the vote window (opens, closes, whether the public sees the
counts) and closing it now, the live tally (counted, voided, flagged, per film;
one table per favourite category where the edition has several),
the fraud flags with "Batalkan suara" (void a vote, reason required) and "Abaikan
tanda" (dismiss a flag, reason required), and "Bekukan hasil" (freeze the tally)
showing its SHA-256."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from ..i18n import N_, WIB, gettext
from ..services import ServiceError
from ..web import ServicesDep, Staff, redirect, render, with_dates
from .staff import wib_moment

router = APIRouter(prefix="/staf/lomba/{edition_id}/juara-favorit")

#: What each kind of flag means, in the reader's words.
FLAG_KINDS = {
    "address_block_burst": N_("Many votes from one network address block in a short time"),
    "number_range": N_("Many numbers from one range of numbers"),
    "inhuman_rate": N_("Votes faster than a person can vote"),
    "weak_challenge": N_("The anti-robot check was solved suspiciously"),
}
FLAG_STATUS = {"open": N_("Open"), "dismissed": N_("Dismissed"), "voided": N_("Votes voided")}
WINDOW_STATUS = {
    "scheduled": N_("Scheduled"),
    "open": N_("Open"),
    "closed": N_("Closed"),
    "frozen": N_("Frozen"),
}
#: The window form's fields, as the voting service names them.
WINDOW_FIELDS = {"opens_at": "opens_date", "closes_at": "closes_date", "public_counts": "public_counts"}


async def _optional(call: Any) -> Any:
    """An answer the voting service may not have yet (no window set, nothing frozen)."""
    try:
        return await call
    except ServiceError:
        return None


def _window_form(window: dict[str, Any] | None) -> dict[str, str]:
    if not window or not window.get("opens_at"):
        return {"opens_date": "", "opens_time": "", "closes_date": "", "closes_time": "", "public_counts": ""}
    opens = datetime.fromisoformat(str(window["opens_at"])).astimezone(WIB)
    closes = datetime.fromisoformat(str(window["closes_at"])).astimezone(WIB)
    return {
        "opens_date": opens.date().isoformat(),
        "opens_time": opens.strftime("%H:%M"),
        "closes_date": closes.date().isoformat(),
        "closes_time": closes.strftime("%H:%M"),
        "public_counts": "yes" if window.get("public_counts") else "",
    }


async def page(
    request: Request,
    edition_id: UUID,
    visitor: Any,
    services: Any,
    *,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    frozen: dict[str, Any] | None = None,
) -> Response:
    caller = visitor.caller
    edition, window, tally, flags, public = await asyncio.gather(
        services.registry.get(f"/editions/{edition_id}", caller),
        _optional(services.voting.get(f"/editions/{edition_id}/vote-window", caller)),
        _optional(services.voting.get(f"/editions/{edition_id}/tally", caller)),
        _optional(services.voting.get(f"/editions/{edition_id}/flags", caller)),
        _optional(services.voting.get(f"/editions/{edition_id}/public-tally", caller)),
    )
    if window is not None:
        window = with_dates(window, "opens_at", "closes_at")
    # The frozen tally's hash: from the freeze just made, else from the public tally.
    hashed = frozen or (public if public and public.get("content_hash") else None)
    tallies = [{"code": None, "title": None, "tally": tally, "frozen": hashed}]
    favourites = (window or {}).get("favourites") or []
    if len(favourites) > 1:
        tallies = await _per_category(services, edition_id, caller, favourites, frozen)
    return render(
        request,
        "pages/staff/favourite.html",
        status_code=400 if errors else 200,
        errors=errors or {},
        edition=edition,
        window=window,
        window_status=gettext(WINDOW_STATUS[window["status"]]) if window else None,
        form=form or _window_form(window),
        tally=tally,
        tallies=tallies,
        flags=[
            {
                **with_dates(flag, "raised_at"),
                "kind_text": gettext(FLAG_KINDS.get(flag["kind"], flag["kind"])),
                "status_text": gettext(FLAG_STATUS.get(flag["status"], flag["status"])),
            }
            for flag in flags or []
        ],
        frozen=hashed,
    )


async def _per_category(
    services: Any, edition_id: UUID, caller: Any, favourites: list[dict[str, Any]], frozen: Any
) -> list[dict[str, Any]]:
    """Each favourite category's live tally and frozen hash (from the freeze just
    made, else from its public tally)."""
    codes = [str(f["code"]) for f in favourites]
    found = await asyncio.gather(
        *(
            _optional(
                services.voting.get(f"/editions/{edition_id}/{path}", caller, params={"category": code})
            )
            for path in ("tally", "public-tally")
            for code in codes
        )
    )
    live, public = found[: len(codes)], found[len(codes) :]
    just = {t["category_code"]: t for t in (frozen or {}).get("tallies") or []}
    return [
        {
            "code": code,
            "title": favourite.get("title") or code,
            "tally": live[index],
            "frozen": just.get(code)
            or (public[index] if public[index] and public[index].get("content_hash") else None),
        }
        for index, (code, favourite) in enumerate(zip(codes, favourites, strict=True))
    ]


@router.get("")
async def favourite(request: Request, edition_id: UUID, visitor: Staff, services: ServicesDep) -> Response:
    return await page(request, edition_id, visitor, services)


@router.post("/jendela")
async def set_window(
    request: Request,
    edition_id: UUID,
    visitor: Staff,
    services: ServicesDep,
    opens_date: Annotated[str, Form(max_length=20)] = "",
    opens_time: Annotated[str, Form(max_length=10)] = "",
    closes_date: Annotated[str, Form(max_length=20)] = "",
    closes_time: Annotated[str, Form(max_length=10)] = "",
    public_counts: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    form = {
        "opens_date": opens_date,
        "opens_time": opens_time,
        "closes_date": closes_date,
        "closes_time": closes_time,
        "public_counts": public_counts,
    }
    opens, closes = wib_moment(opens_date, opens_time), wib_moment(closes_date, closes_time)
    errors: dict[str, str] = {}
    if opens is None:
        errors["opens_date"] = gettext(N_("Enter the date and time voting opens, e.g. 2024-08-17 and 19:00"))
    if closes is None:
        errors["closes_date"] = gettext(
            N_("Enter the date and time voting closes, e.g. 2024-08-17 and 21:00")
        )
    if opens and closes and closes <= opens:
        errors["closes_date"] = gettext(N_("Voting must close after it opens"))
    if errors or opens is None or closes is None:
        return await page(request, edition_id, visitor, services, errors=errors, form=form)
    try:
        await services.voting.put(
            f"/editions/{edition_id}/vote-window",
            visitor.caller,
            json={
                "opens_at": opens.isoformat(),
                "closes_at": closes.isoformat(),
                "public_counts": public_counts == "yes",
            },
        )
    except ServiceError as error:
        field = WINDOW_FIELDS.get(error.field or "", "opens_date")
        return await page(request, edition_id, visitor, services, errors={field: error.message}, form=form)
    return redirect(request, f"/staf/lomba/{edition_id}/juara-favorit", flash="vote_window_saved")


@router.post("/tutup")
async def close_window(request: Request, edition_id: UUID, visitor: Staff, services: ServicesDep) -> Response:
    try:
        await services.voting.post(f"/editions/{edition_id}/vote-window/closing", visitor.caller)
    except ServiceError as error:
        return await page(request, edition_id, visitor, services, errors={"close": error.message})
    return redirect(request, f"/staf/lomba/{edition_id}/juara-favorit", flash="vote_closed")


@router.post("/suara/{vote_id}/batalkan")
async def void_vote(
    request: Request,
    edition_id: UUID,
    vote_id: UUID,
    visitor: Staff,
    services: ServicesDep,
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    field = f"void-{vote_id}"
    if not reason.strip():
        message = gettext(N_("Say why the vote is voided: the reason is kept in the audit trail"))
        return await page(request, edition_id, visitor, services, errors={field: message})
    try:
        await services.voting.post(
            f"/editions/{edition_id}/votes/{vote_id}/voiding", visitor.caller, json={"reason": reason.strip()}
        )
    except ServiceError as error:
        return await page(request, edition_id, visitor, services, errors={field: error.message})
    return redirect(request, f"/staf/lomba/{edition_id}/juara-favorit", flash="vote_voided")


@router.post("/tanda/{flag_id}/abaikan")
async def dismiss_flag(
    request: Request,
    edition_id: UUID,
    flag_id: UUID,
    visitor: Staff,
    services: ServicesDep,
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    field = f"dismiss-{flag_id}"
    if not reason.strip():
        message = gettext(N_("Say why the flag is dismissed: the reason is kept in the audit trail"))
        return await page(request, edition_id, visitor, services, errors={field: message})
    try:
        await services.voting.post(
            f"/editions/{edition_id}/flags/{flag_id}/dismissal",
            visitor.caller,
            json={"reason": reason.strip()},
        )
    except ServiceError as error:
        return await page(request, edition_id, visitor, services, errors={field: error.message})
    return redirect(request, f"/staf/lomba/{edition_id}/juara-favorit", flash="flag_dismissed")


@router.post("/bekukan")
async def freeze(request: Request, edition_id: UUID, visitor: Staff, services: ServicesDep) -> Response:
    try:
        frozen = await services.voting.post(f"/editions/{edition_id}/tally/freeze", visitor.caller)
    except ServiceError as error:
        return await page(request, edition_id, visitor, services, errors={"freeze": error.message})
    visitor.flash = "tally_frozen"
    return await page(request, edition_id, visitor, services, frozen=frozen)
