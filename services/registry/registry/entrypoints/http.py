"""The registry's HTTP API: KIMs, editions, enrolments, region reference data."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from fastapi import APIRouter

from shared.kernel.principal import Forbidden
from shared.platform.http import Caller

from ..domain.errors import EditionNotFound, PasswordRequired
from ..service_layer import services
from .dependencies import System, UnitOfWork
from .schemas import (
    EditionCreate,
    EditionPublic,
    EditionUpdate,
    EnrolmentCreate,
    EnrolmentPublic,
    EnrolmentRejection,
    KimCreate,
    KimPublic,
    KimUpdate,
    RegionsPublic,
)

router = APIRouter()


@router.get("/regions", tags=["regions"], summary="Kecamatan and kelurahan a KIM can belong to")
async def regions(system: System) -> RegionsPublic:
    return RegionsPublic.of(system.regions)


@router.post("/kims", status_code=201, tags=["kims"], summary="Register a KIM")
async def register_kim(body: KimCreate, system: System, uow: UnitOfWork, caller: Caller) -> KimPublic:
    if caller.anonymous and body.password is None:
        raise PasswordRequired()
    password = body.password.get_secret_value() if body.password is not None else None
    kim = await services.register_kim(
        uow,
        system.regions,
        system.clock,
        name=body.name,
        kelurahan_code=body.kelurahan_code,
        chair=body.chair,
        whatsapp=body.whatsapp,
        email=str(body.email),
        members=[m.to_domain() for m in body.members],
        representative_password_hash=await system.passwords.hash(password) if password else None,
    )
    return KimPublic.of(kim)


@router.get("/kims", tags=["kims"], summary="List KIMs, oldest first")
async def list_kims(uow: UnitOfWork, verified: bool | None = None) -> list[KimPublic]:
    async with uow:
        return [KimPublic.of(kim) for kim in await uow.kims.list(verified=verified)]


@router.get("/kims/{kim_id}", tags=["kims"], summary="One KIM")
async def get_kim(kim_id: UUID, uow: UnitOfWork, caller: Caller) -> KimPublic:
    caller.require_kim(kim_id)
    async with uow:
        kim = await uow.kims.require(kim_id)
    return KimPublic.of(kim)


@router.patch("/kims/{kim_id}", tags=["kims"], summary="Change a KIM's profile")
async def update_kim(
    kim_id: UUID, body: KimUpdate, system: System, uow: UnitOfWork, caller: Caller
) -> KimPublic:
    caller.require_kim(kim_id)
    kim = await services.update_kim(
        uow,
        system.regions,
        kim_id,
        name=body.name,
        kelurahan_code=body.kelurahan_code,
        chair=body.chair,
        whatsapp=body.whatsapp,
        email=str(body.email) if body.email is not None else None,
        members=[m.to_domain() for m in body.members] if body.members is not None else None,
    )
    return KimPublic.of(kim)


@router.post("/kims/{kim_id}/verification", tags=["kims"], summary="Staff: mark a KIM as verified")
async def verify_kim(kim_id: UUID, system: System, uow: UnitOfWork) -> KimPublic:
    return KimPublic.of(await services.verify_kim(uow, system.clock, kim_id))


@router.post("/editions", status_code=201, tags=["editions"], summary="Staff: draft an edition")
async def create_edition(body: EditionCreate, system: System, uow: UnitOfWork) -> EditionPublic:
    edition = await services.create_edition(
        uow,
        system.clock,
        title=body.title,
        theme=body.theme,
        description=body.description,
        submission_opens_at=body.submission_opens_at,
        submission_closes_at=body.submission_closes_at,
        rules=body.rules.to_domain(),
        awarded_ranks=body.awarded_ranks,
        prizes=[p.to_domain() for p in body.prizes],
    )
    return EditionPublic.of(edition)


@router.get("/editions", tags=["editions"], summary="List editions, newest first")
async def list_editions(uow: UnitOfWork, caller: Caller) -> list[EditionPublic]:
    """Staff see drafts too; everyone else, the published editions."""
    async with uow:
        editions = await uow.editions.list()
    return [EditionPublic.of(e) for e in editions if caller.is_staff or e.status != "draft"]


@router.get("/editions/{edition_id}", tags=["editions"], summary="One edition")
async def get_edition(edition_id: UUID, uow: UnitOfWork, caller: Caller) -> EditionPublic:
    async with uow:
        edition = await uow.editions.require(edition_id)
    if edition.status == "draft" and not caller.is_staff:
        raise EditionNotFound(edition_id=edition_id)  # a draft is staff's: to others it does not exist
    return EditionPublic.of(edition)


@router.patch(
    "/editions/{edition_id}", tags=["editions"], summary="Staff: change an edition before it closes"
)
async def revise_edition(edition_id: UUID, body: EditionUpdate, uow: UnitOfWork) -> EditionPublic:
    edition = await services.revise_edition(
        uow,
        edition_id,
        title=body.title,
        theme=body.theme,
        description=body.description,
        submission_opens_at=body.submission_opens_at,
        submission_closes_at=body.submission_closes_at,
        rules=body.rules.to_domain() if body.rules else None,
        awarded_ranks=body.awarded_ranks,
        prizes=[p.to_domain() for p in body.prizes] if body.prizes is not None else None,
    )
    return EditionPublic.of(edition)


@router.post("/editions/{edition_id}/publication", tags=["editions"], summary="Staff: publish an edition")
async def publish_edition(edition_id: UUID, system: System, uow: UnitOfWork) -> EditionPublic:
    return EditionPublic.of(await services.publish_edition(uow, system.clock, edition_id))


@router.post(
    "/editions/{edition_id}/submissions-closure",
    tags=["editions"],
    summary="Staff: close submissions now (they also close by themselves at the deadline)",
)
async def close_submissions(edition_id: UUID, system: System, uow: UnitOfWork) -> EditionPublic:
    return EditionPublic.of(await services.close_submissions(uow, system.clock, edition_id))


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
    enrolment = await services.request_enrolment(uow, system.clock, edition_id, body.kim_id)
    return EnrolmentPublic.of(enrolment)


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
    return [EnrolmentPublic.of(e) for e in enrolments if caller.acts_for(e.kim_id)]


@router.get("/enrolments/{enrolment_id}", tags=["enrolments"], summary="One enrolment")
async def get_enrolment(enrolment_id: UUID, uow: UnitOfWork, caller: Caller) -> EnrolmentPublic:
    async with uow:
        enrolment = await uow.enrolments.require(enrolment_id)
    if not caller.acts_for(enrolment.kim_id):
        raise Forbidden()
    return EnrolmentPublic.of(enrolment)


@router.post("/enrolments/{enrolment_id}/approval", tags=["enrolments"], summary="Staff: approve")
async def approve_enrolment(enrolment_id: UUID, system: System, uow: UnitOfWork) -> EnrolmentPublic:
    return EnrolmentPublic.of(await services.approve_enrolment(uow, system.clock, enrolment_id))


@router.post(
    "/enrolments/{enrolment_id}/rejection", tags=["enrolments"], summary="Staff: reject, with a reason"
)
async def reject_enrolment(
    enrolment_id: UUID, body: EnrolmentRejection, system: System, uow: UnitOfWork
) -> EnrolmentPublic:
    enrolment = await services.reject_enrolment(uow, system.clock, enrolment_id, body.reason)
    return EnrolmentPublic.of(enrolment)
