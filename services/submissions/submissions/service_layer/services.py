"""What KIM representatives and staff do with entries. Each use case takes its
command (`commands.py`) and is one unit of work: the entry and the event it
causes are stored together."""

from __future__ import annotations

from shared.kernel.clock import Clock
from shared.platform.persistence.unit_of_work import retry_on_conflict

from ..domain.entry import Entry
from .commands import DisqualifyEntry, ReviseEntry, SubmitEntry, WithdrawEntry
from .unit_of_work import SubmissionsUnitOfWork


@retry_on_conflict
async def submit_entry(uow: SubmissionsUnitOfWork, clock: Clock, command: SubmitEntry) -> Entry:
    async with uow:
        entry = Entry.submit(
            edition=await uow.editions.require(command.edition_id),
            enrolment=await uow.enrolments.of_kim(command.edition_id, command.kim_id),
            now=clock(),
            **command.written(),
        )
        uow.entries.add(entry)
        await uow.commit()
    return entry


@retry_on_conflict
async def revise_entry(uow: SubmissionsUnitOfWork, clock: Clock, command: ReviseEntry) -> Entry:
    async with uow:
        entry = await uow.entries.require(command.entry_id)
        entry.revise(edition=await uow.editions.require(entry.edition_id), now=clock(), **command.written())
        await uow.commit()
    return entry


@retry_on_conflict
async def withdraw_entry(uow: SubmissionsUnitOfWork, clock: Clock, command: WithdrawEntry) -> Entry:
    async with uow:
        entry = await uow.entries.require(command.entry_id)
        enrolment = await uow.enrolments.of_kim(entry.edition_id, entry.kim_id)
        assert enrolment is not None, "an entry exists only for an enrolment"
        entry.withdraw(edition=await uow.editions.require(entry.edition_id), enrolment=enrolment, now=clock())
        await uow.commit()
    return entry


@retry_on_conflict
async def disqualify_entry(uow: SubmissionsUnitOfWork, clock: Clock, command: DisqualifyEntry) -> Entry:
    async with uow:
        entry = await uow.entries.require(command.entry_id)
        entry.disqualify(reason=command.reason, now=clock())
        await uow.commit()
    return entry
