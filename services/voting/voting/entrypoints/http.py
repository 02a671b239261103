"""Voting's HTTP API: staff set the window, read the live tally, review flags and
freeze; anyone reads the gallery, the window and (when public) the counts, asks
for a code and votes with it."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from shared.platform.caching import cacheable_get, cached_json
from shared.platform.http import RequestLanguage
from shared.platform.schemas import ShortText

from ..domain.errors import TallyNotPublic
from ..service_layer import services
from ..service_layer.commands import DismissFlag, VoidVote
from .dependencies import ClientIp, StaffActor, System, UnitOfWork
from .schemas import (
    FlagPublic,
    FrozenTalliesPublic,
    GalleryItem,
    PublicTally,
    ReasonIn,
    TallyPublic,
    VoidedVotePublic,
    VoteCreate,
    VotePublic,
    VoterCodeCreate,
    VoterCodePublic,
    VoteWindowPublic,
    VoteWindowUpdate,
)

router = APIRouter()

#: A gallery filter: text as typed (never an operator), one line, no control characters.
Filter = Annotated[ShortText | None, Query()]


@router.put("/editions/{edition_id}/vote-window", tags=["window"], summary="Staff: set the vote window")
async def set_window(
    edition_id: UUID, body: VoteWindowUpdate, system: System, uow: UnitOfWork
) -> VoteWindowPublic:
    edition, _ = await services.set_window(uow, body.command(edition_id))
    return VoteWindowPublic.of(edition, system.clock())


@router.post(
    "/editions/{edition_id}/vote-window/closing", tags=["window"], summary="Staff: close the vote now"
)
async def close_window(edition_id: UUID, system: System, uow: UnitOfWork) -> VoteWindowPublic:
    edition = await services.close_window(uow, system.clock, edition_id)
    return VoteWindowPublic.of(edition, system.clock())


@cacheable_get(
    router,
    "/editions/{edition_id}/vote-window",
    tags=["window"],
    summary="The vote window and its status (ETag, Cache-Control, HEAD)",
    response_model=VoteWindowPublic,
)
async def window(edition_id: UUID, request: Request, system: System, uow: UnitOfWork) -> Response:
    edition = await services.edition_of(uow, edition_id)
    shown = VoteWindowPublic.of(edition, system.clock())
    return cached_json(request, shown, max_age=system.settings.public_max_age_seconds)


@router.get("/challenge", tags=["voting"], summary="An ALTCHA proof-of-work challenge for the code request")
async def challenge(system: System) -> JSONResponse:
    # Each one different: never cached.
    return JSONResponse(system.challenges.issue(system.clock()), headers={"Cache-Control": "no-store"})


@router.post(
    "/editions/{edition_id}/voter-codes",
    status_code=202,
    tags=["voting"],
    summary="Ask for a one-time code, sent by WhatsApp (or email); throttled",
)
async def request_code(
    edition_id: UUID,
    body: VoterCodeCreate,
    system: System,
    uow: UnitOfWork,
    client_ip: ClientIp,
    language: RequestLanguage,
) -> VoterCodePublic:
    request = await services.request_code(
        uow,
        system.clock,
        body.command(edition_id, client_ip, "en" if language == "en" else "id"),
        challenges=system.challenges,
        throttle=system.throttle,
        counters=system.counters,
        policy=system.policy,
    )
    return VoterCodePublic(
        request_id=request.request_id, channel=request.channel, expires_at=request.expires_at
    )


@router.post("/editions/{edition_id}/votes", status_code=201, tags=["voting"], summary="Vote with the code")
async def vote(
    edition_id: UUID, body: VoteCreate, system: System, uow: UnitOfWork, client_ip: ClientIp
) -> VotePublic:
    command = body.command(edition_id, client_ip)
    cast = await services.cast_vote(uow, system.clock, command, system.policy, system.ballots)
    ballot = await system.ballots.of(uow, edition_id)
    default = ballot.edition.category_code if ballot is not None else None
    return VotePublic.of(cast, default or "")


async def _gallery(uow: UnitOfWork, edition_id: UUID | None, **filters: str | None) -> list[GalleryItem]:
    async with uow:
        entries = await uow.entries.gallery(edition_id=edition_id, **filters)
        titles = {edition.edition_id: edition.title for edition in await uow.editions.all()}
    return [GalleryItem.of(entry, titles.get(entry.edition_id, "")) for entry in entries]


@cacheable_get(
    router,
    "/editions/{edition_id}/gallery",
    tags=["gallery"],
    summary="The entries in competition of an edition (ETag, Cache-Control, HEAD)",
    response_model=list[GalleryItem],
)
async def edition_gallery(edition_id: UUID, request: Request, system: System, uow: UnitOfWork) -> Response:
    async def build() -> list[GalleryItem]:
        await services.edition_of(uow, edition_id)
        return await _gallery(uow, edition_id, kecamatan=None, kelurahan=None, umkm=None)

    return await system.public_answers.serve(request, build, max_age=system.settings.public_max_age_seconds)


@cacheable_get(
    router,
    "/gallery",
    tags=["gallery"],
    summary="The archive of films by edition, kecamatan, kelurahan, UMKM (ETag, Cache-Control, HEAD)",
    response_model=list[GalleryItem],
)
async def gallery(
    request: Request,
    system: System,
    uow: UnitOfWork,
    edition_id: UUID | None = None,
    kecamatan: Filter = None,
    kelurahan: Filter = None,
    umkm: Filter = None,
) -> Response:
    async def build() -> list[GalleryItem]:
        return await _gallery(uow, edition_id, kecamatan=kecamatan, kelurahan=kelurahan, umkm=umkm)

    return await system.public_answers.serve(request, build, max_age=system.settings.public_max_age_seconds)


#: A favourite category's code; none: the edition's first (its only one, most often).
Category = Annotated[str | None, Query(max_length=40, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


@router.get("/editions/{edition_id}/tally", tags=["tally"], summary="Staff: the live tally")
async def tally(edition_id: UUID, uow: UnitOfWork, category: Category = None) -> TallyPublic:
    _, counted = await services.live_tally(uow, edition_id, category)
    return TallyPublic.of(counted)


@cacheable_get(
    router,
    "/editions/{edition_id}/public-tally",
    tags=["tally"],
    summary="The counts, when the edition shows them or once frozen (ETag, Cache-Control, HEAD)",
    response_model=PublicTally,
)
async def public_tally(
    edition_id: UUID,
    request: Request,
    system: System,
    uow: UnitOfWork,
    language: RequestLanguage,
    category: Category = None,
) -> Response:
    async def build() -> PublicTally:
        edition, counted = await services.live_tally(uow, edition_id, category)
        now = system.clock()
        if edition.window is None or not edition.counts_public(now):
            raise TallyNotPublic(title=edition.title)
        status = edition.status(now)
        frozen = (
            await services.latest_frozen(uow, edition_id, counted.category_code)
            if status == "frozen"
            else None
        )
        return PublicTally.of(counted, status, frozen)

    return await system.public_answers.serve(request, build, max_age=system.settings.public_max_age_seconds)


@router.post(
    "/editions/{edition_id}/tally/freeze",
    tags=["tally"],
    summary="Staff: freeze the tally after the close (hashed) and publish votes.tallied",
)
async def freeze(edition_id: UUID, system: System, uow: UnitOfWork, actor: StaffActor) -> FrozenTalliesPublic:
    return FrozenTalliesPublic.of_all(await services.freeze(uow, system.clock, edition_id, actor))


@router.get("/editions/{edition_id}/flags", tags=["fraud"], summary="Staff: the fraud flags")
async def flags(edition_id: UUID, uow: UnitOfWork) -> list[FlagPublic]:
    return [FlagPublic.of(flag) for flag in await services.flags_of(uow, edition_id)]


@router.post(
    "/editions/{edition_id}/votes/{vote_id}/voiding",
    tags=["fraud"],
    summary="Staff: void a vote, with a reason",
)
async def void_vote(
    edition_id: UUID, vote_id: UUID, body: ReasonIn, system: System, uow: UnitOfWork, actor: StaffActor
) -> VoidedVotePublic:
    command = VoidVote(edition_id=edition_id, vote_id=vote_id, reason=body.reason)
    voided = await services.void_vote(uow, system.clock, command, actor)
    return VoidedVotePublic.model_validate(voided, from_attributes=True)


@router.post(
    "/editions/{edition_id}/flags/{flag_id}/dismissal",
    tags=["fraud"],
    summary="Staff: dismiss a flag, with a reason",
)
async def dismiss_flag(
    edition_id: UUID, flag_id: UUID, body: ReasonIn, system: System, uow: UnitOfWork, actor: StaffActor
) -> FlagPublic:
    command = DismissFlag(edition_id=edition_id, flag_id=flag_id, reason=body.reason)
    return FlagPublic.of(await services.dismiss_flag(uow, system.clock, command, actor))
