"""The staff's categories of one edition (/staf/lomba/{id}/kategori): each
category with its prizes and entries; a ranked one's rubric (its weights over
the edition's criteria), a special award's winner and the jury's reason; and
per category its ties, freeze, verify and announce, as the main ranking's on
/hasil (judging's results endpoints with `?category=`)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import Response

from ..i18n import gettext
from ..services import ServiceError, Services
from ..web import ServicesDep, Staff, Visitor, redirect, render, with_dates
from .results import KINDS, rupiah
from .staff_judging import actor_of, judging_edition, translated

router = APIRouter(prefix="/staf/lomba/{edition_id}/kategori")

Code = Annotated[str, Path(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40)]


async def categories_page(
    request: Request,
    visitor: Visitor,
    services: Services,
    edition_id: UUID,
    *,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    verification: dict[str, Any] | None = None,
) -> Response:
    edition = await judging_edition(services, visitor, edition_id)
    listed, entries = await asyncio.gather(
        services.judging.get(f"/editions/{edition_id}/categories", visitor.caller),
        services.judging.get(f"/editions/{edition_id}/entries", visitor.caller),
    )
    titles = {e["entry_id"]: f"{e['title']} ({e['kim_name']})" for e in entries}
    for category in listed:
        category["kind_text"] = translated(KINDS, category["kind"])
        for prize in category["prizes"]:
            prize["amount_text"] = rupiah(prize.get("amount"))
        weights = {c["criterion_id"]: c["weight"] for c in category["rubric"] or edition["rubric"]}
        category["weights"] = [(c, weights.get(c["criterion_id"], 0)) for c in edition["rubric"]]
        if category["award"]:
            with_dates(category["award"], "given_at")
            category["award"]["title"] = titles.get(
                category["award"]["entry_id"], category["award"]["entry_id"]
            )
        category["versions"], category["ties"] = await _versions_and_ties(
            services, visitor, edition_id, category, titles
        )
        category["latest"] = category["versions"][0] if category["versions"] else None
    return render(
        request,
        "pages/staff_judging/categories.html",
        status_code,
        edition=edition,
        categories=listed,
        in_competition=[
            (e["entry_id"], titles[e["entry_id"]]) for e in entries if e["status"] == "submitted"
        ],
        errors=errors or {},
        verification=verification,
    )


async def _versions_and_ties(
    services: Services, visitor: Visitor, edition_id: UUID, category: dict[str, Any], titles: dict[str, str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    query = {"category": category["code"]}
    versions = await services.judging.get(f"/editions/{edition_id}/snapshots", visitor.caller, params=query)
    for version in versions:
        with_dates(version, "frozen_at", "verified_at", "announced_at")
    ties: list[dict[str, Any]] = []
    if category["kind"] == "ranked":
        try:
            found = await services.judging.get(f"/editions/{edition_id}/ties", visitor.caller, params=query)
        except ServiceError:
            found = []  # e.g. weights over criteria the edition's rubric no longer has: shown on freezing
        for tie in found:
            if not tie["stands"]:
                continue
            tie["entries"] = [(entry_id, titles.get(entry_id, entry_id)) for entry_id in tie["entry_ids"]]
            if tie["resolution"]:
                with_dates(tie["resolution"], "resolved_at")
                tie["resolution"]["order_titles"] = [titles.get(e, e) for e in tie["resolution"]["order"]]
                tie["resolution"]["by"] = actor_of(tie["resolution"]["resolved_by"])
            ties.append(tie)
    return list(reversed(versions)), ties


@router.get("")
async def categories(request: Request, edition_id: UUID, visitor: Staff, services: ServicesDep) -> Response:
    return await categories_page(request, visitor, services, edition_id)


async def _refused(
    request: Request, visitor: Visitor, services: Services, edition_id: UUID, error: ServiceError, key: str
) -> Response:
    return await categories_page(
        request, visitor, services, edition_id, status_code=error.status, errors={key: error.message}
    )


def _back(request: Request, edition_id: UUID, code: str, flash: str) -> Response:
    return redirect(request, f"/staf/lomba/{edition_id}/kategori#kategori-{code}", flash=flash)


@router.post("/{code}/rubrik")
async def set_rubric(
    request: Request, edition_id: UUID, code: Code, visitor: Staff, services: ServicesDep
) -> Response:
    form = await request.form()
    weights: dict[str, int] = {}
    for key, value in form.multi_items():
        if not key.startswith("bobot-"):
            continue
        text = str(value).strip()
        if not text.isdigit() or len(text) > 3:
            message = gettext("Give each weight as a whole number from 0 to 100.")
            return await categories_page(
                request, visitor, services, edition_id, status_code=400, errors={f"{code}-rubric": message}
            )
        if int(text):
            weights[key.removeprefix("bobot-")] = int(text)
    try:
        await services.judging.put(
            f"/editions/{edition_id}/categories/{code}/rubric", visitor.caller, json={"weights": weights}
        )
    except ServiceError as error:
        return await _refused(request, visitor, services, edition_id, error, f"{code}-rubric")
    return _back(request, edition_id, code, "rubric_saved")


@router.post("/{code}/penghargaan")
async def give_award(
    request: Request,
    edition_id: UUID,
    code: Code,
    visitor: Staff,
    services: ServicesDep,
    entry_id: Annotated[str, Form(max_length=40)] = "",
    reason: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    errors = {}
    if not entry_id:
        errors[f"{code}-entry"] = gettext("Choose the entry that receives the award.")
    if not reason.strip():
        errors[f"{code}-reason"] = gettext("Write the jury's reason for the award.")
    if errors:
        return await categories_page(request, visitor, services, edition_id, status_code=400, errors=errors)
    try:
        await services.judging.post(
            f"/editions/{edition_id}/categories/{code}/award",
            visitor.caller,
            json={"entry_id": entry_id, "reason": reason.strip()},
        )
    except ServiceError as error:
        key = f"{code}-reason" if error.field == "reason" else f"{code}-entry"
        return await _refused(request, visitor, services, edition_id, error, key)
    return _back(request, edition_id, code, "award_given")


@router.post("/{code}/seri/{tie_id}")
async def resolve_tie(
    request: Request, edition_id: UUID, code: Code, tie_id: UUID, visitor: Staff, services: ServicesDep
) -> Response:
    form = await request.form()
    reason = str(form.get("reason", "")).strip()[:1000]
    positions: list[tuple[int, str]] = []
    for key, value in form.multi_items():
        if key.startswith("posisi-") and str(value).isdigit():
            positions.append((int(str(value)), key.removeprefix("posisi-")))
    errors: dict[str, str] = {}
    if len({p for p, _ in positions}) != len(positions) or not positions:
        errors[f"order-{tie_id}"] = gettext("Give each entry its own place.")
    if not reason:
        errors[f"reason-{tie_id}"] = gettext("Say why the entries are in this order.")
    if not errors:
        try:
            await services.judging.post(
                f"/editions/{edition_id}/ties/{tie_id}/resolution",
                visitor.caller,
                params={"category": code},
                json={"order": [entry_id for _, entry_id in sorted(positions)], "reason": reason},
            )
        except ServiceError as error:
            field = "reason" if error.field == "reason" else "order"
            errors = {f"{field}-{tie_id}": error.message}
    if errors:
        return await categories_page(request, visitor, services, edition_id, status_code=400, errors=errors)
    return _back(request, edition_id, code, "tie_resolved")


@router.post("/{code}/bekukan")
async def freeze(
    request: Request,
    edition_id: UUID,
    code: Code,
    visitor: Staff,
    services: ServicesDep,
    reason: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    body = {"reason": reason.strip()} if reason.strip() else {}
    try:
        await services.judging.post(
            f"/editions/{edition_id}/snapshots", visitor.caller, params={"category": code}, json=body
        )
    except ServiceError as error:
        return await _refused(request, visitor, services, edition_id, error, f"{code}-freeze")
    return _back(request, edition_id, code, "results_frozen")


@router.post("/{code}/versi/{version}/verifikasi")
async def verify(
    request: Request,
    edition_id: UUID,
    code: Code,
    version: Annotated[int, Path(ge=1, le=1_000_000)],
    visitor: Staff,
    services: ServicesDep,
) -> Response:
    try:
        answer = await services.judging.post(
            f"/editions/{edition_id}/snapshots/{version}/verification",
            visitor.caller,
            params={"category": code},
        )
    except ServiceError as error:
        return await _refused(request, visitor, services, edition_id, error, f"{code}-verify")
    answer["category"] = code
    return await categories_page(request, visitor, services, edition_id, verification=answer)


@router.post("/{code}/umumkan")
async def announce(
    request: Request, edition_id: UUID, code: Code, visitor: Staff, services: ServicesDep
) -> Response:
    try:
        await services.judging.post(
            f"/editions/{edition_id}/announcement", visitor.caller, params={"category": code}
        )
    except ServiceError as error:
        return await _refused(request, visitor, services, edition_id, error, f"{code}-announce")
    return _back(request, edition_id, code, "results_announced")
