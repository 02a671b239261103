"""The public results of an edition (no sign-in): the announced ranking, the version
shown and every published version with its SHA-256 and the reason for a correction.

The whole city opens this link on awards night, so it is cache-friendly: a strong
ETag from the snapshot's hash, its version, the language and what else the page
shows (the prizes, the visitor's header), `Cache-Control: public, max-age=60,
stale-while-revalidate=300`, 304 for a browser that already has it, and HEAD (a
link checker's or a proxy's) with the same headers."""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from ..i18n import N_, gettext
from ..services import ServiceError, Services, ServiceUnavailable
from ..web import CurrentVisitor, ServicesDep, Visitor, render, with_dates
from .public import dated

router = APIRouter(prefix="/lomba/{edition_id}/hasil")

CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=300"
VARY = "Cookie, Accept-Language"
Version = Annotated[int, Path(ge=1, le=1_000_000)]

#: What a person reads for each kind of category.
KINDS = {
    "ranked": N_("Ranked by the jury's scores"),
    "special": N_("Special award of the jury"),
    "favourite": N_("Decided by the public vote"),
}

#: The tie-break rules, in the reader's words (never the API's names).
TIE_BREAK_RULES = {
    "priority_criterion": N_("the higher mean score on the priority criterion"),
    "head_to_head": N_("head to head: the entry more judges who scored both preferred"),
    "earlier_submission": N_("the earlier first submission"),
}


@router.api_route("", methods=["GET", "HEAD"])
async def latest(
    request: Request, edition_id: UUID, visitor: CurrentVisitor, services: ServicesDep
) -> Response:
    return await results_page(request, edition_id, None, visitor, services)


@router.api_route("/versi/{version}", methods=["GET", "HEAD"])
async def one_version(
    request: Request, edition_id: UUID, version: Version, visitor: CurrentVisitor, services: ServicesDep
) -> Response:
    return await results_page(request, edition_id, version, visitor, services)


async def results_page(
    request: Request, edition_id: UUID, version: int | None, visitor: Visitor, services: Services
) -> Response:
    caller = visitor.anonymous_caller
    path = f"/editions/{edition_id}/results" + (f"/versions/{version}" if version else "")
    answers: tuple[Any, Any, Any] = await asyncio.gather(
        services.registry.get(f"/editions/{edition_id}", caller),
        services.judging.get(path, caller),
        services.voting.get(f"/editions/{edition_id}/public-tally", caller),
        return_exceptions=True,
    )
    edition_answer, results_answer, tally_answer = answers
    # The Juara Favorit's counts, when the edition shows them (or once frozen); the
    # results page stands without them (not public, no vote, voting away).
    public_tally = tally_answer if isinstance(tally_answer, dict) and "standings" in tally_answer else None
    if isinstance(edition_answer, BaseException):
        raise edition_answer
    edition = dated(edition_answer)
    if isinstance(results_answer, ServiceError) and results_answer.code in (
        "results_not_announced",
        "edition_not_found",  # judging has not heard of it yet: nothing to announce either
    ):
        return cached(
            render(request, "pages/results_pending.html", edition=edition, public_tally=public_tally)
        )
    if isinstance(results_answer, BaseException):
        raise results_answer
    shown = with_dates(results_answer, "announced_at")

    categories = await announced_categories(services, edition_id, visitor)
    # A one-off flash message makes this view unlike the others: no validator for it.
    tag = None if visitor.flash else etag(shown, edition, visitor, categories, public_tally)
    if tag is not None and tag in if_none_match(request):
        return cached(Response(status_code=304), tag)

    versions = await all_versions(services, edition_id, shown, visitor)
    prizes = {prize["rank"]: prize for prize in edition.get("prizes", [])}
    for placing in shown["ranking"]:
        placing["prize"] = placing.get("prize") or prizes.get(placing["rank"])
    for prize in [*prizes.values(), *(p["prize"] for p in shown["ranking"] if p["prize"])]:
        prize["amount_text"] = rupiah(prize.get("amount"))
    base = request.app.state.settings.public_url.rstrip("/")
    winners = shown["winners"]
    response = render(
        request,
        "pages/results.html",
        edition=edition,
        results=shown,
        versions=versions,
        latest_version=max(shown["versions"]),
        prizes=prizes,
        categories=categories,
        kinds={kind: gettext(text) for kind, text in KINDS.items()},
        tie_break=[gettext(TIE_BREAK_RULES[rule]) for rule in shown["tie_break"] if rule in TIE_BREAK_RULES],
        page_url=f"{base}/lomba/{edition_id}/hasil" + (f"/versi/{version}" if version else ""),
        site_url=base,
        winners_line="; ".join(f"{w['rank']}. {w['kim_name']}" for w in winners),
        public_tally=public_tally,
    )
    return cached(response, tag)


async def all_versions(
    services: Services, edition_id: UUID, shown: dict[str, Any], visitor: Visitor
) -> list[dict[str, Any]]:
    """Every announced version, newest first, with its hash and reason (the shown one as it is)."""
    others = [n for n in shown["versions"] if n != shown["version"]]
    found = await asyncio.gather(
        *(
            services.judging.get(f"/editions/{edition_id}/results/versions/{n}", visitor.anonymous_caller)
            for n in others
        )
    )
    every = [shown, *(with_dates(answer, "announced_at") for answer in found)]
    return sorted(every, key=lambda answer: answer["version"], reverse=True)


async def announced_categories(
    services: Services, edition_id: UUID, visitor: Visitor
) -> list[dict[str, Any]]:
    """Each announced category's latest results, in the edition's order, each place with its prize."""
    try:
        listed = await services.judging.get(f"/editions/{edition_id}/categories", visitor.anonymous_caller)
    except (ServiceError, ServiceUnavailable):
        return []  # the main results still show
    found: list[Any] = await asyncio.gather(
        *(
            services.judging.get(
                f"/editions/{edition_id}/results", visitor.anonymous_caller, params={"category": c["code"]}
            )
            for c in listed
            if c["announced_version"] is not None
        ),
        return_exceptions=True,
    )
    shown = [with_dates(answer, "announced_at") for answer in found if isinstance(answer, dict)]
    for answer in shown:
        for placing in answer["ranking"]:
            if placing.get("prize"):
                placing["prize"]["amount_text"] = rupiah(placing["prize"].get("amount"))
    return shown


def rupiah(amount: int | None) -> str:
    """10000000 → 'Rp10.000.000'."""
    return "" if amount is None else "Rp" + f"{amount:,}".replace(",", ".")


def etag(
    results: dict[str, Any],
    edition: dict[str, Any],
    visitor: Visitor,
    categories: list[dict[str, Any]],
    public_tally: Any = None,
) -> str:
    """Strong: the snapshot's hash and version, the language, and a digest of the rest the
    page shows (title, prizes, every version, each announced category's hash, the public
    vote's counts, the visitor's own header and form token)."""
    rest = json.dumps(
        [
            edition["title"],
            [(c["category"]["code"], c["version"], c["content_hash"]) for c in categories],
            edition.get("prizes"),
            results["versions"],
            public_tally,
            visitor.session.name if visitor.session else None,
            visitor.csrf_token,
        ],
        sort_keys=True,
        default=str,
    )
    digest = hashlib.sha256(rest.encode()).hexdigest()[:16]
    return f'"{results["content_hash"][:32]}-v{results["version"]}-{visitor.language}-{digest}"'


def if_none_match(request: Request) -> list[str]:
    header = request.headers.get("if-none-match", "")
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def cached(response: Response, tag: str | None = None) -> Response:
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["Vary"] = VARY
    if tag:
        response.headers["ETag"] = tag
    return response
