"""The submissions HTTP API: KIM representatives submit, revise and withdraw
entries; staff list and disqualify them."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from fastapi import APIRouter

from shared.kernel.principal import Principal
from shared.platform.http import Caller

from ..domain.entry import Entry
from ..domain.errors import EntryOfAnotherKim
from ..service_layer import services
from ..service_layer.commands import DisqualifyEntry, ReviseEntry, SubmitEntry, WithdrawEntry
from ..service_layer.unit_of_work import SubmissionsUnitOfWork
from .dependencies import System, UnitOfWork
from .schemas import Disqualification, EntryCreate, EntryPublic, EntryUpdate, SubmissionWindowPublic

router = APIRouter()


async def _entry_for(uow: SubmissionsUnitOfWork, entry_id: UUID, caller: Principal) -> Entry:
    """The entry, if the caller acts for its KIM (staff act for all)."""
    async with uow:
        entry = await uow.entries.require(entry_id)
    caller.require_kim(entry.kim_id, EntryOfAnotherKim)
    return entry


@router.get(
    "/editions/{edition_id}/submission-window",
    tags=["editions"],
    summary="When entries are accepted for an edition, and under which rules",
)
async def submission_window(edition_id: UUID, system: System, uow: UnitOfWork) -> SubmissionWindowPublic:
    async with uow:
        edition = await uow.editions.require(edition_id)
    return SubmissionWindowPublic.of(edition, system.clock())


@router.post("/editions/{edition_id}/entries", status_code=201, tags=["entries"], summary="Submit an entry")
async def submit_entry(
    edition_id: UUID, body: EntryCreate, system: System, uow: UnitOfWork, caller: Caller
) -> EntryPublic:
    caller.require_kim(body.kim_id)
    entry = await services.submit_entry(
        uow, system.clock, SubmitEntry(**body.model_dump(), edition_id=edition_id)
    )
    return EntryPublic.model_validate(entry)


@router.get("/editions/{edition_id}/entries", tags=["entries"], summary="Entries of an edition, oldest first")
async def list_entries(
    edition_id: UUID,
    uow: UnitOfWork,
    caller: Caller,
    kim_id: UUID | None = None,
    status: Literal["submitted", "withdrawn", "disqualified"] | None = None,
    film_check: Literal["pending", "ok", "needs_review"] | None = None,
) -> list[EntryPublic]:
    """Staff see every entry; a KIM representative, their KIM's. `film_check=needs_review`:
    the entries whose film staff must look at."""
    if not caller.is_staff:
        kim_id = caller.kim_id
    async with uow:
        entries = await uow.entries.of_edition(
            edition_id, kim_id=kim_id, status=status, film_check=film_check
        )
    return [EntryPublic.model_validate(entry) for entry in entries]


@router.get("/entries/{entry_id}", tags=["entries"], summary="One entry")
async def get_entry(entry_id: UUID, uow: UnitOfWork, caller: Caller) -> EntryPublic:
    return EntryPublic.model_validate(await _entry_for(uow, entry_id, caller))


@router.patch("/entries/{entry_id}", tags=["entries"], summary="Revise an entry before the deadline")
async def revise_entry(
    entry_id: UUID, body: EntryUpdate, system: System, uow: UnitOfWork, caller: Caller
) -> EntryPublic:
    await _entry_for(uow, entry_id, caller)
    command = ReviseEntry(**body.model_dump(), entry_id=entry_id)
    return EntryPublic.model_validate(await services.revise_entry(uow, system.clock, command))


@router.post(
    "/entries/{entry_id}/withdrawal", tags=["entries"], summary="Withdraw an entry before the deadline"
)
async def withdraw_entry(entry_id: UUID, system: System, uow: UnitOfWork, caller: Caller) -> EntryPublic:
    await _entry_for(uow, entry_id, caller)
    entry = await services.withdraw_entry(uow, system.clock, WithdrawEntry(entry_id=entry_id))
    return EntryPublic.model_validate(entry)


@router.post(
    "/entries/{entry_id}/disqualification", tags=["entries"], summary="Staff: disqualify, with a reason"
)
async def disqualify_entry(
    entry_id: UUID, body: Disqualification, system: System, uow: UnitOfWork
) -> EntryPublic:
    command = DisqualifyEntry(**body.model_dump(), entry_id=entry_id)
    return EntryPublic.model_validate(await services.disqualify_entry(uow, system.clock, command))
