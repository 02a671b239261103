"""What KIM representatives and staff do with entries. Each use case takes its
command (`commands.py`) and is one unit of work: the entry and the event it
causes are stored together."""

from __future__ import annotations

from datetime import datetime

from shared.kernel.clock import Clock
from shared.platform.persistence.unit_of_work import retry_on_conflict

from ..domain.entry import Entry
from ..domain.film import FilmLookup
from .commands import DisqualifyEntry, ReviseEntry, SubmitEntry, WithdrawEntry
from .unit_of_work import SubmissionsUnitOfWork


@retry_on_conflict
async def submit_entry(uow: SubmissionsUnitOfWork, clock: Clock, command: SubmitEntry) -> Entry:
    async with uow:
        now = clock()
        edition = await uow.editions.require(command.edition_id)
        entry = Entry.submit(
            edition=edition,
            enrolment=await uow.enrolments.of_kim(command.edition_id, command.kim_id),
            now=now,
            **command.written(),
        )
        edition.accept_entry_change(now)
        uow.entries.add(entry)
        await look_up_film(uow, entry, now)
        await uow.commit()
    return entry


@retry_on_conflict
async def revise_entry(uow: SubmissionsUnitOfWork, clock: Clock, command: ReviseEntry) -> Entry:
    async with uow:
        now = clock()
        entry = await uow.entries.require(command.entry_id)
        edition = await uow.editions.require(entry.edition_id)
        entry.revise(edition=edition, now=now, **command.written())
        if entry.events:  # a real change
            edition.accept_entry_change(now)
            if entry.film_check is None:  # a new link
                await look_up_film(uow, entry, now)
        await uow.commit()
    return entry


@retry_on_conflict
async def withdraw_entry(uow: SubmissionsUnitOfWork, clock: Clock, command: WithdrawEntry) -> Entry:
    async with uow:
        entry = await uow.entries.require(command.entry_id)
        enrolment = await uow.enrolments.of_kim(entry.edition_id, entry.kim_id)
        assert enrolment is not None, "an entry exists only for an enrolment"
        now = clock()
        edition = await uow.editions.require(entry.edition_id)
        entry.withdraw(edition=edition, enrolment=enrolment, now=now)
        edition.accept_entry_change(now)
        await uow.commit()
    return entry


@retry_on_conflict
async def disqualify_entry(uow: SubmissionsUnitOfWork, clock: Clock, command: DisqualifyEntry) -> Entry:
    async with uow:
        entry = await uow.entries.require(command.entry_id)
        entry.disqualify(reason=command.reason, now=clock())
        await uow.commit()
    return entry


async def look_up_film(uow: SubmissionsUnitOfWork, entry: Entry, now: datetime) -> None:
    """Start (or start again) the background check of the entry's film, in the
    same unit of work as the change that calls for it, when checks are on."""
    if not uow.check_films:
        return
    entry.await_film_check()
    lookup = await uow.film_lookups.get(entry.entry_id)
    if lookup is None:
        uow.film_lookups.add(FilmLookup.start(entry.entry_id, entry.video_url, now, uow.cause.correlation_id))
    else:
        lookup.restart(entry.video_url, now, uow.cause.correlation_id)
