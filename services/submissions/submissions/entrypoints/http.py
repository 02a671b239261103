"""The submissions HTTP API: KIM representatives submit, revise and withdraw
entries; staff list and disqualify them."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from fastapi import APIRouter

from shared.kernel.principal import Principal
from shared.platform.http import Caller

from ..domain.entry import Entry
from ..domain.errors import EditionNotFound, EntryNotFound
from ..service_layer import services
from ..service_layer.unit_of_work import SubmissionsUnitOfWork
from .dependencies import System, UnitOfWork
from .schemas import Disqualification, EntryCreate, EntryPublic, EntryUpdate, SubmissionWindowPublic

router = APIRouter()


async def _entry_for(uow: SubmissionsUnitOfWork, entry_id: UUID, caller: Principal) -> Entry:
    """The entry, if the caller acts for its KIM (staff act for all)."""
    async with uow:
        entry = await uow.entries.get(entry_id)
    if entry is None:
        raise EntryNotFound(entry_id=entry_id)
    caller.require_kim(entry.kim_id)
    return entry


@router.get(
    "/editions/{edition_id}/submission-window",
    tags=["editions"],
    summary="When entries are accepted for an edition, and under which rules",
)
async def submission_window(edition_id: UUID, system: System, uow: UnitOfWork) -> SubmissionWindowPublic:
    async with uow:
        edition = await uow.editions.get(edition_id)
    if edition is None:
        raise EditionNotFound(edition_id=edition_id)
    return SubmissionWindowPublic.of(edition, system.clock())


@router.post("/editions/{edition_id}/entries", status_code=201, tags=["entries"], summary="Submit an entry")
async def submit_entry(
    edition_id: UUID, body: EntryCreate, system: System, uow: UnitOfWork, caller: Caller
) -> EntryPublic:
    caller.require_kim(body.kim_id)
    entry = await services.submit_entry(
        uow,
        system.clock,
        edition_id=edition_id,
        kim_id=body.kim_id,
        title=body.title,
        synopsis=body.synopsis,
        video_url=body.video_url,
        duration_seconds=body.duration_seconds,
        umkm_featured=list(body.umkm_featured),
    )
    return EntryPublic.of(entry)


@router.get("/editions/{edition_id}/entries", tags=["entries"], summary="Entries of an edition, oldest first")
async def list_entries(
    edition_id: UUID,
    uow: UnitOfWork,
    caller: Caller,
    kim_id: UUID | None = None,
    status: Literal["submitted", "withdrawn", "disqualified"] | None = None,
) -> list[EntryPublic]:
    """Staff see every entry; a KIM representative, their KIM's."""
    if not caller.is_staff:
        kim_id = caller.kim_id
    async with uow:
        entries = await uow.entries.of_edition(edition_id, kim_id=kim_id, status=status)
    return [EntryPublic.of(entry) for entry in entries]


@router.get("/entries/{entry_id}", tags=["entries"], summary="One entry")
async def get_entry(entry_id: UUID, uow: UnitOfWork, caller: Caller) -> EntryPublic:
    return EntryPublic.of(await _entry_for(uow, entry_id, caller))


@router.patch("/entries/{entry_id}", tags=["entries"], summary="Revise an entry before the deadline")
async def revise_entry(
    entry_id: UUID, body: EntryUpdate, system: System, uow: UnitOfWork, caller: Caller
) -> EntryPublic:
    await _entry_for(uow, entry_id, caller)
    entry = await services.revise_entry(
        uow,
        system.clock,
        entry_id,
        title=body.title,
        synopsis=body.synopsis,
        video_url=body.video_url,
        duration_seconds=body.duration_seconds,
        umkm_featured=list(body.umkm_featured) if body.umkm_featured is not None else None,
    )
    return EntryPublic.of(entry)


@router.post(
    "/entries/{entry_id}/withdrawal", tags=["entries"], summary="Withdraw an entry before the deadline"
)
async def withdraw_entry(entry_id: UUID, system: System, uow: UnitOfWork, caller: Caller) -> EntryPublic:
    await _entry_for(uow, entry_id, caller)
    return EntryPublic.of(await services.withdraw_entry(uow, system.clock, entry_id))


@router.post(
    "/entries/{entry_id}/disqualification", tags=["entries"], summary="Staff: disqualify, with a reason"
)
async def disqualify_entry(
    entry_id: UUID, body: Disqualification, system: System, uow: UnitOfWork
) -> EntryPublic:
    return EntryPublic.of(await services.disqualify_entry(uow, system.clock, entry_id, body.reason))
