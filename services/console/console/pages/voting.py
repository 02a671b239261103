"""The public vote for the Juara Favorit and the gallery of films (no sign-in), from
the voting service.

- `/galeri`: the films in competition and every past edition's (the archive),
  filtered by kecamatan, kelurahan and a UMKM search ("tempe", "topeng"), each
  with its KIM, kelurahan, the UMKM it features and the film embedded.
- `/pilih/{edition_id}`: step 1, the voter's WhatsApp number (0812..., +62 812...,
  62812... are all kept as +62812...; an email address where they have no
  WhatsApp) and the ALTCHA proof-of-work (the widget fetches its challenge from
  `/pilih/tantangan`, which asks the voting service); step 2, the code the voter
  was sent and the film they choose (an edition with several favourite
  categories: one group of films per category, each may be left unanswered);
  step 3, a thank-you naming each film voted for.

The voting service refuses by name, in the reader's language (the console sends
it theirs); each refusal is shown beside its field. The voter's own address goes
to the voting service as `X-Forwarded-For`: it throttles per client address and
address block, not per console.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

import phonenumbers
from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import JSONResponse, Response

from ..embeds import film_of
from ..i18n import N_, gettext
from ..services import ServiceError, idempotency_of
from ..web import CurrentVisitor, ServicesDep, Visitor, redirect, render, with_dates

router = APIRouter()

#: The widget's challenge, asked of the voting service for each page shown.
CHALLENGE_PATH = "/pilih/tantangan"

#: Where each of the voting service's refusals is shown on the page.
NUMBER_FIELDS = {"address": "address", "channel": "address", "altcha": "altcha"}
CODE_FIELDS = {"code": "code", "entry_id": "entry_id", "choices": "entry_id", "request_id": "code"}
#: Refusals that name no field of the form: shown at the top, beside the field they concern.
CODE_REFUSALS = {
    "code_wrong": "code",
    "code_expired": "code",
    "code_used": "code",
    "already_voted": "code",
    "entry_not_in_competition": "entry_id",
    "entry_not_in_category": "entry_id",
    "category_chosen_twice": "entry_id",
    "category_required": "entry_id",
    "favourite_category_unknown": "entry_id",
    "vote_window_closed": "entry_id",
}


def whatsapp_or_email(typed: str) -> tuple[str, str] | None:
    """What the voter typed as (channel, address): an email address as it is, an
    Indonesian mobile number in E.164; None when it is neither."""
    typed = typed.strip()
    if "@" in typed:
        local, _, domain = typed.rpartition("@")
        return ("email", typed) if local and "." in domain and " " not in typed else None
    try:
        parsed = phonenumbers.parse(typed, "ID")
    except phonenumbers.NumberParseException:
        return None
    mobile = phonenumbers.number_type(parsed) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )
    if parsed.country_code != 62 or not phonenumbers.is_valid_number(parsed) or not mobile:
        return None
    return "whatsapp", phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def masked(address: str) -> str:
    """The address as the page repeats it: +62812••••7890, w••••@example.id."""
    if "@" in address:
        local, _, domain = address.partition("@")
        return f"{local[:1]}••••@{domain}"
    return f"{address[:6]}••••{address[-4:]}" if len(address) > 10 else address


def with_film(item: dict[str, Any]) -> dict[str, Any]:
    return {**item, "film": film_of(item.get("video_url") or "")}


# --- the gallery -----------------------------------------------------------------------------


@router.get("/galeri")
async def gallery(
    request: Request,
    visitor: CurrentVisitor,
    services: ServicesDep,
    kecamatan: Annotated[str, Query(max_length=60)] = "",
    kelurahan: Annotated[str, Query(max_length=60)] = "",
    umkm: Annotated[str, Query(max_length=80)] = "",
    lomba: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    caller = visitor.anonymous_caller
    params = {
        key: value.strip()
        for key, value in (("kecamatan", kecamatan), ("kelurahan", kelurahan), ("umkm", umkm))
        if value.strip()
    }
    edition_id = _uuid(lomba)
    if edition_id is not None:
        params["edition_id"] = str(edition_id)
    films, regions, editions = await asyncio.gather(
        services.voting.get("/gallery", caller, params=params),
        services.registry.get("/regions", caller),
        services.registry.get("/editions", caller),
    )
    return render(
        request,
        "pages/gallery.html",
        films=[with_film(item) for item in films],
        kecamatan=regions["kecamatan"],
        editions=[e for e in editions if e["status"] != "draft"],
        chosen={
            "kecamatan": kecamatan,
            "kelurahan": kelurahan,
            "umkm": umkm.strip(),
            "lomba": str(edition_id) if edition_id else "",
        },
        filtered=bool(params),
    )


def _uuid(text: str) -> UUID | None:
    try:
        return UUID(text) if text.strip() else None
    except ValueError:
        return None


# --- the vote ---------------------------------------------------------------------------------


@router.get(CHALLENGE_PATH)
async def challenge(visitor: CurrentVisitor, services: ServicesDep) -> Response:
    """The ALTCHA widget's challenge, from the voting service; never cached."""
    found = await services.voting.get("/challenge", visitor.anonymous_caller)
    return JSONResponse(found, headers={"Cache-Control": "no-store"})


class NoVote(Exception):
    """The edition has no public vote (yet): its voting pages say so."""


#: The voting service's answers for an edition without a vote to take part in.
NO_VOTE = ("vote_window_not_set", "edition_not_found")


async def vote_window(services: Any, edition_id: UUID, visitor: Visitor) -> dict[str, Any]:
    try:
        found = await services.voting.get(f"/editions/{edition_id}/vote-window", visitor.anonymous_caller)
    except ServiceError as error:
        if error.code in NO_VOTE:
            raise NoVote() from error
        raise
    return with_dates(found, "opens_at", "closes_at")


def no_vote_page(request: Request) -> Response:
    return render(request, "pages/vote/no_vote.html", status_code=404)


def number_page(
    request: Request,
    window: dict[str, Any],
    *,
    errors: dict[str, str] | None = None,
    address: str = "",
) -> Response:
    return render(
        request,
        "pages/vote/number.html",
        status_code=400 if errors else 200,
        errors=errors or {},
        window=window,
        address=address,
        challenge_url=CHALLENGE_PATH,
    )


@router.get("/pilih/{edition_id}")
async def vote_start(
    request: Request, edition_id: UUID, visitor: CurrentVisitor, services: ServicesDep
) -> Response:
    try:
        window = await vote_window(services, edition_id, visitor)
    except NoVote:
        return no_vote_page(request)
    return number_page(request, window)


@router.post("/pilih/{edition_id}")
async def ask_for_code(
    request: Request,
    edition_id: UUID,
    visitor: CurrentVisitor,
    services: ServicesDep,
    address: Annotated[str, Form(max_length=320)] = "",
    altcha: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    try:
        window = await vote_window(services, edition_id, visitor)
    except NoVote:
        return no_vote_page(request)
    errors: dict[str, str] = {}
    found = whatsapp_or_email(address)
    if not address.strip():
        errors["address"] = gettext(N_("Enter your WhatsApp number"))
    elif found is None:
        errors["address"] = gettext(
            N_("Enter an Indonesian mobile number, like 0812 3456 7890, or an email address")
        )
    if not altcha:
        errors["altcha"] = gettext(N_("Wait until the check below says it is done, then send again"))
    if errors or found is None:
        return number_page(request, window, errors=errors, address=address)
    channel, normalised = found
    try:
        sent = await services.voting.post(
            f"/editions/{edition_id}/voter-codes",
            visitor.anonymous_caller,
            json={"address": normalised, "channel": channel, "altcha": altcha},
            # A form sent twice (a double tap) asks once: the same answer, one code.
            headers={
                **(await idempotency_of(request) or {}),
                **({"X-Forwarded-For": request.client.host} if request.client else {}),
            },
        )
    except ServiceError as error:
        field = NUMBER_FIELDS.get(
            error.field or "", "altcha" if error.code.startswith("challenge") else "address"
        )
        return number_page(request, window, errors={field: error.message}, address=address)
    return code_page(
        request,
        window,
        await competing(services, edition_id, visitor),
        request_id=sent["request_id"],
        channel=sent.get("channel", channel),
        address=masked(normalised),
        expires_at=with_dates(dict(sent), "expires_at").get("expires_at"),
    )


async def competing(services: Any, edition_id: UUID, visitor: Visitor) -> list[dict[str, Any]]:
    films = await services.voting.get(f"/editions/{edition_id}/gallery", visitor.anonymous_caller)
    return [with_film(item) for item in films]


def favourite_groups(window: dict[str, Any], films: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """An edition with several favourite categories: each with its title and its
    films (those entered for the ranked category it is for). None: just one."""
    favourites = window.get("favourites") or []
    if len(favourites) < 2:
        return None
    return [
        {
            "code": favourite["code"],
            "title": favourite.get("title") or favourite["code"],
            "films": [
                film
                for film in films
                if favourite.get("favourite_of") is None
                or favourite["favourite_of"] in (film.get("categories") or [])
            ],
        }
        for favourite in favourites
    ]


def code_page(
    request: Request,
    window: dict[str, Any],
    films: list[dict[str, Any]],
    *,
    request_id: str,
    channel: str,
    address: str,
    expires_at: Any = None,
    errors: dict[str, str] | None = None,
    chosen: str = "",
    chosen_in: dict[str, str] | None = None,
    code: str = "",
    from_link: bool = False,
) -> Response:
    return render(
        request,
        "pages/vote/code.html",
        status_code=400 if errors else 200,
        errors=errors or {},
        window=window,
        films=films,
        groups=favourite_groups(window, films),
        chosen_in=chosen_in or {},
        request_id=request_id,
        channel=channel,
        address=address,
        expires_at=expires_at,
        chosen=chosen,
        code=code,
        from_link=from_link,
    )


@router.get("/pilih/{edition_id}/suara")
async def vote_by_link(
    request: Request,
    edition_id: UUID,
    visitor: CurrentVisitor,
    services: ServicesDep,
    permintaan: Annotated[str, Query(max_length=40)] = "",
    kode: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """Step 2 opened from the link in the code's email: the code is filled in, the
    voter chooses the film. A link without a request or a code starts at step 1."""
    try:
        window = await vote_window(services, edition_id, visitor)
    except NoVote:
        return no_vote_page(request)
    if _uuid(permintaan) is None or not (len(kode) == 6 and kode.isdigit()):
        return redirect(request, f"/pilih/{edition_id}")
    return code_page(
        request,
        window,
        await competing(services, edition_id, visitor),
        request_id=permintaan,
        channel="email",
        address="",
        code=kode,
        from_link=True,
    )


@router.post("/pilih/{edition_id}/suara")
async def cast_vote(
    request: Request,
    edition_id: UUID,
    visitor: CurrentVisitor,
    services: ServicesDep,
    request_id: Annotated[str, Form(max_length=40)] = "",
    channel: Annotated[str, Form(max_length=10)] = "whatsapp",
    address: Annotated[str, Form(max_length=320)] = "",
    code: Annotated[str, Form(max_length=20)] = "",
    entry_id: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    try:
        window = await vote_window(services, edition_id, visitor)
    except NoVote:
        return no_vote_page(request)
    films = await competing(services, edition_id, visitor)
    groups = favourite_groups(window, films)
    # Several favourite categories: one radio group per category, `choice-<code>`.
    form = await request.form() if groups else {}
    chosen_in = {group["code"]: str(form.get(f"choice-{group['code']}") or "")[:40] for group in groups or []}
    chosen_in = {category: entry for category, entry in chosen_in.items() if entry}
    errors: dict[str, str] = {}
    typed = "".join(code.split())
    if _uuid(request_id) is None:
        # Step 1 was skipped (or the form tampered with): start again there.
        return redirect(request, f"/pilih/{edition_id}")
    if not (len(typed) == 6 and typed.isdigit()):
        errors["code"] = gettext(N_("Enter the 6-digit code we sent you"))
    if groups is None and _uuid(entry_id) is None:
        errors["entry_id"] = gettext(N_("Choose the film you vote for"))
    if groups is not None and not any(_uuid(entry) for entry in chosen_in.values()):
        errors["entry_id"] = gettext(N_("Choose a film in at least one category"))
    if not errors:
        ballot: dict[str, Any] = (
            {"entry_id": entry_id}
            if groups is None
            else {
                "choices": [
                    {"category": category, "entry_id": entry}
                    for category, entry in chosen_in.items()
                    if _uuid(entry)
                ]
            }
        )
        try:
            cast = await services.voting.post(
                f"/editions/{edition_id}/votes",
                visitor.anonymous_caller,
                json={"request_id": request_id, "code": typed, **ballot},
                headers=await idempotency_of(request),
            )
        except ServiceError as error:
            field = CODE_REFUSALS.get(error.code) or CODE_FIELDS.get(error.field or "", "code")
            errors[field] = error.message
        else:
            voted = [("karya", str(vote["entry_id"])) for vote in cast.get("votes") or []] or [
                ("karya", entry_id)
            ]
            earlier = [("sudah", str(category)) for category in cast.get("already_voted") or []]
            return redirect(request, f"/pilih/{edition_id}/terima-kasih?{urlencode(voted + earlier)}")
    return code_page(
        request,
        window,
        films,
        request_id=request_id,
        channel=channel if channel in ("whatsapp", "email") else "whatsapp",
        address=address,
        errors=errors,
        chosen=entry_id,
        chosen_in=chosen_in,
        code="" if "code" in errors else typed,  # a right code stays when only the film is missing
    )


@router.get("/pilih/{edition_id}/terima-kasih")
async def thanks(
    request: Request,
    edition_id: UUID,
    visitor: CurrentVisitor,
    services: ServicesDep,
    karya: Annotated[list[str], Query(max_length=30)] = [],  # noqa: B006 (FastAPI copies it)
    sudah: Annotated[list[str], Query(max_length=30)] = [],  # noqa: B006
) -> Response:
    try:
        window = await vote_window(services, edition_id, visitor)
    except NoVote:
        return no_vote_page(request)
    films = await competing(services, edition_id, visitor)
    voted_for = [film for film in films if film["entry_id"] in karya]
    titles = {f["code"]: f.get("title") or f["code"] for f in window.get("favourites") or []}
    return render(
        request,
        "pages/vote/thanks.html",
        window=window,
        chosen=voted_for[0] if len(voted_for) == 1 else None,
        voted_for=voted_for,
        already_voted=[titles[code] for code in sudah if code in titles],
    )
