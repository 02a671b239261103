"""The registry's HTTP API: KIMs, editions, enrolments, region reference data."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from shared.platform.http import Caller, RequestLanguage
from shared.platform.openapi import may_raise

from ..domain.errors import (
    CategoryCodeTaken,
    CategoryPrizeRankNotAwarded,
    EditionNotFound,
    EnrolmentOfAnotherKim,
    FavouriteCategoryTwice,
    FavouriteOfNotFavourite,
    FavouriteOfNotRanked,
    FavouriteOfTwice,
    KimNotFound,
    LinkExpired,
    LinkNotFound,
    LinkUsed,
    PasswordRequired,
    PrizeRankNotAwarded,
    PrizeRankTwice,
    RegistrationEmailTaken,
    SpecialAwardOnePlace,
    TooManyRequests,
    WindowClosesBeforeItOpens,
    WindowInPast,
)
from ..service_layer import credentials, services
from ..service_layer.commands import (
    ApproveEnrolment,
    CloseSubmissions,
    PublishEdition,
    RequestEnrolment,
    RequestRegistration,
    VerifyKim,
)
from .dependencies import System, UnitOfWork
from .schemas import (
    EditionCopy,
    EditionCreate,
    EditionPublic,
    EditionUpdate,
    EnrolmentCreate,
    EnrolmentPublic,
    EnrolmentRejection,
    KimCreate,
    KimProfilePublic,
    KimPublic,
    KimUpdate,
    RegionsPublic,
    RegistrationConfirmation,
    RegistrationSent,
)

router = APIRouter()


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/regions", tags=["regions"], summary="Kecamatan and kelurahan a KIM can belong to")
async def regions(system: System) -> RegionsPublic:
    return RegionsPublic.of(system.regions)


@router.post(
    "/kims",
    status_code=201,
    response_model=KimPublic,
    tags=["kims"],
    summary="Register a KIM: staff at once (201); a KIM itself (with `password`) once its email "
    "confirms it (202, the same answer whatever the email; the link comes by mail)",
    responses={
        **may_raise(TooManyRequests),
        202: {"model": RegistrationSent, "description": "a KIM registering itself"},
    },
)
async def register_kim(
    body: KimCreate,
    request: Request,
    system: System,
    uow: UnitOfWork,
    caller: Caller,
    language: RequestLanguage,
) -> KimPublic | JSONResponse:
    if caller.anonymous:
        if body.password is None:
            raise PasswordRequired()
        command = RequestRegistration(kim=body.command(), language=language, client=client_of(request))
        email = await credentials.request_registration(
            uow, system.regions, system.clock, system.passwords, system.mailing, command
        )
        system.mail_written()
        return JSONResponse(RegistrationSent(email=email).model_dump(), status_code=202)
    kim = await services.register_kim(uow, system.regions, system.clock, system.passwords, body.command())
    return KimPublic.model_validate(kim)


@router.post(
    "/registrations/confirmation",
    status_code=201,
    tags=["kims"],
    summary="Confirm a KIM's registration with the token of the link mailed to it: the KIM and its "
    "representative's account (login: the KIM's email) are created, once",
    responses=may_raise(LinkNotFound, LinkUsed, LinkExpired, RegistrationEmailTaken),
)
async def confirm_registration(body: RegistrationConfirmation, system: System, uow: UnitOfWork) -> KimPublic:
    kim = await credentials.confirm_registration(uow, system.regions, system.clock, body.command())
    return KimPublic.model_validate(kim)


@router.get("/kims", tags=["kims"], summary="List KIMs, oldest first")
async def list_kims(uow: UnitOfWork, verified: bool | None = None) -> list[KimPublic]:
    async with uow:
        return [KimPublic.model_validate(kim) for kim in await uow.kims.list(verified=verified)]


@router.get("/kims/{kim_id}", tags=["kims"], summary="One KIM")
async def get_kim(kim_id: UUID, uow: UnitOfWork, caller: Caller) -> KimPublic:
    caller.require_kim(kim_id)
    async with uow:
        kim = await uow.kims.require(kim_id)
    return KimPublic.model_validate(kim)


@router.get("/kims/{kim_id}/profile", tags=["kims"], summary="Anyone: a verified KIM's public profile")
async def kim_profile(kim_id: UUID, uow: UnitOfWork) -> KimProfilePublic:
    """Members (name, role, expertise), innovations, achievements (newest year
    first, declared and from competitions) and sponsors; no contact details. A KIM
    not yet verified is not public: 404."""
    async with uow:
        kim = await uow.kims.require(kim_id)
    if not kim.verified:
        raise KimNotFound(kim_id=kim_id)
    return KimProfilePublic.model_validate(kim)


@router.patch("/kims/{kim_id}", tags=["kims"], summary="Change a KIM's profile")
async def update_kim(
    kim_id: UUID, body: KimUpdate, system: System, uow: UnitOfWork, caller: Caller
) -> KimPublic:
    caller.require_kim(kim_id)
    kim = await services.update_kim(uow, system.regions, system.clock, body.command(kim_id))
    return KimPublic.model_validate(kim)


@router.post("/kims/{kim_id}/verification", tags=["kims"], summary="Staff: mark a KIM as verified")
async def verify_kim(kim_id: UUID, system: System, uow: UnitOfWork) -> KimPublic:
    return KimPublic.model_validate(await services.verify_kim(uow, system.clock, VerifyKim(kim_id=kim_id)))


#: What drafting or changing an edition's prizes and categories may be refused for.
EDITION_REFUSALS = (
    WindowClosesBeforeItOpens,
    PrizeRankNotAwarded,
    PrizeRankTwice,
    CategoryCodeTaken,
    SpecialAwardOnePlace,
    CategoryPrizeRankNotAwarded,
    FavouriteCategoryTwice,
    FavouriteOfNotFavourite,
    FavouriteOfNotRanked,
    FavouriteOfTwice,
)


@router.post(
    "/editions",
    status_code=201,
    tags=["editions"],
    summary="Staff: draft an edition",
    responses=may_raise(*EDITION_REFUSALS),
)
async def create_edition(body: EditionCreate, system: System, uow: UnitOfWork) -> EditionPublic:
    return EditionPublic.model_validate(await services.draft_edition(uow, system.clock, body.command()))


@router.get("/editions", tags=["editions"], summary="List editions, newest first")
async def list_editions(uow: UnitOfWork, caller: Caller) -> list[EditionPublic]:
    """Staff see drafts too; everyone else, the published editions."""
    async with uow:
        editions = await uow.editions.list()
    return [EditionPublic.model_validate(e) for e in editions if caller.is_staff or e.status != "draft"]


@router.get("/editions/{edition_id}", tags=["editions"], summary="One edition")
async def get_edition(edition_id: UUID, uow: UnitOfWork, caller: Caller) -> EditionPublic:
    async with uow:
        edition = await uow.editions.require(edition_id)
    if edition.status == "draft" and not caller.is_staff:
        raise EditionNotFound(edition_id=edition_id)  # a draft is staff's: to others it does not exist
    return EditionPublic.model_validate(edition)


@router.patch(
    "/editions/{edition_id}",
    tags=["editions"],
    summary="Staff: change an edition before it closes",
    responses=may_raise(*EDITION_REFUSALS),
)
async def revise_edition(edition_id: UUID, body: EditionUpdate, uow: UnitOfWork) -> EditionPublic:
    return EditionPublic.model_validate(await services.revise_edition(uow, body.command(edition_id)))


@router.post(
    "/editions/{edition_id}/copies",
    status_code=201,
    tags=["editions"],
    summary="Staff: next year's edition, a draft copied from this one (theme, description, rules, "
    "ranks, prizes, categories), its window moved; nothing of the entries or enrolments",
    responses=may_raise(EditionNotFound, WindowInPast, *EDITION_REFUSALS),
)
async def copy_edition(edition_id: UUID, body: EditionCopy, system: System, uow: UnitOfWork) -> EditionPublic:
    """`copied_from` names the source, here and on the copy's `edition.published` /
    `edition.updated`: judging and notifications copy their settings of it then."""
    edition = await services.copy_edition(uow, system.clock, body.command(edition_id))
    return EditionPublic.model_validate(edition)


@router.post("/editions/{edition_id}/publication", tags=["editions"], summary="Staff: publish an edition")
async def publish_edition(edition_id: UUID, system: System, uow: UnitOfWork) -> EditionPublic:
    command = PublishEdition(edition_id=edition_id)
    return EditionPublic.model_validate(await services.publish_edition(uow, system.clock, command))


@router.post(
    "/editions/{edition_id}/submissions-closure",
    tags=["editions"],
    summary="Staff: close submissions now (they also close by themselves at the deadline)",
)
async def close_submissions(edition_id: UUID, system: System, uow: UnitOfWork) -> EditionPublic:
    command = CloseSubmissions(edition_id=edition_id, by="staff")
    return EditionPublic.model_validate(await services.close_submissions(uow, system.clock, command))


@router.post(
    "/editions/{edition_id}/enrolments",
    status_code=201,
    tags=["enrolments"],
    summary="A verified KIM asks to take part in an edition",
)
async def request_enrolment(
    edition_id: UUID, body: EnrolmentCreate, system: System, uow: UnitOfWork, caller: Caller
) -> EnrolmentPublic:
    caller.require_kim(body.kim_id)
    command = RequestEnrolment(**body.model_dump(), edition_id=edition_id)
    return EnrolmentPublic.model_validate(await services.request_enrolment(uow, system.clock, command))


@router.get("/editions/{edition_id}/enrolments", tags=["enrolments"], summary="Enrolments in an edition")
async def list_enrolments(
    edition_id: UUID,
    uow: UnitOfWork,
    caller: Caller,
    status: Literal["requested", "approved", "rejected"] | None = None,
) -> list[EnrolmentPublic]:
    """Staff see every enrolment; a KIM representative, their KIM's."""
    async with uow:
        await uow.editions.require(edition_id)
        enrolments = await uow.enrolments.of_edition(edition_id, status)
    return [EnrolmentPublic.model_validate(e) for e in enrolments if caller.acts_for(e.kim_id)]


@router.get("/enrolments/{enrolment_id}", tags=["enrolments"], summary="One enrolment")
async def get_enrolment(enrolment_id: UUID, uow: UnitOfWork, caller: Caller) -> EnrolmentPublic:
    async with uow:
        enrolment = await uow.enrolments.require(enrolment_id)
    caller.require_kim(enrolment.kim_id, EnrolmentOfAnotherKim)
    return EnrolmentPublic.model_validate(enrolment)


@router.post("/enrolments/{enrolment_id}/approval", tags=["enrolments"], summary="Staff: approve")
async def approve_enrolment(enrolment_id: UUID, system: System, uow: UnitOfWork) -> EnrolmentPublic:
    command = ApproveEnrolment(enrolment_id=enrolment_id)
    return EnrolmentPublic.model_validate(await services.approve_enrolment(uow, system.clock, command))


@router.post(
    "/enrolments/{enrolment_id}/rejection", tags=["enrolments"], summary="Staff: reject, with a reason"
)
async def reject_enrolment(
    enrolment_id: UUID, body: EnrolmentRejection, system: System, uow: UnitOfWork
) -> EnrolmentPublic:
    enrolment = await services.reject_enrolment(uow, system.clock, body.command(enrolment_id))
    return EnrolmentPublic.model_validate(enrolment)
