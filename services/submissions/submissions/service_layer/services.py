"""What KIM representatives and staff do with entries. Each use case takes its
command (`commands.py`) and is one unit of work: the entry and the event it
causes are stored together.

Staff's close is exact (`undo_late_changes`): a KIM's change that committed after
the closing instant the registry recorded is undone, whichever comes first to
see it: the closure's own pass (twice: in its unit of work, and again after it
committed), or the change itself, which looks once more after committing and,
finding the edition closed before it, undoes itself and is refused. Between the
three, no interleaving lets a late change stand, and entries need no lock."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from shared.kernel.clock import Clock
from shared.kernel.errors import ConcurrentChange, DomainError
from shared.platform.persistence.unit_of_work import retry_on_conflict

from ..domain.edition import Edition
from ..domain.entry import Entry
from ..domain.errors import SubmissionWindowClosed
from ..domain.film import FilmLookup
from .commands import DisqualifyEntry, ReviseEntry, SubmitEntry, WithdrawEntry
from .unit_of_work import SubmissionsUnitOfWork


async def submit_entry(uow: SubmissionsUnitOfWork, clock: Clock, command: SubmitEntry) -> Entry:
    """Exact at staff's close without reading the edition again: the entry's enrolment,
    written with it, carries the close's mark (`Enrolment.closed_at`)."""
    return await _submit_entry(uow, clock, command)


async def revise_entry(uow: SubmissionsUnitOfWork, clock: Clock, command: ReviseEntry) -> Entry:
    entry = await _revise_entry(uow, clock, command)
    await refuse_if_closed_meanwhile(uow, clock, entry)
    return entry


async def withdraw_entry(uow: SubmissionsUnitOfWork, clock: Clock, command: WithdrawEntry) -> Entry:
    entry = await _withdraw_entry(uow, clock, command)
    await refuse_if_closed_meanwhile(uow, clock, entry)
    return entry


@retry_on_conflict
async def _submit_entry(uow: SubmissionsUnitOfWork, clock: Clock, command: SubmitEntry) -> Entry:
    async with uow:
        now = clock()
        enrolment = await uow.enrolments.recent_of_kim(command.edition_id, command.kim_id)
        try:
            entry = Entry.submit(
                edition=await uow.editions.recent(command.edition_id),
                enrolment=enrolment,
                now=now,
                **command.written(),
            )
            uow.entries.add(entry)
            await look_up_film(uow, entry, now)
            await uow.commit()
        except (DomainError, ConcurrentChange):
            # Refused, or the enrolment changed, on what was kept rather than read: read it.
            if uow.enrolments.forget_recent(command.edition_id, command.kim_id):
                raise ConcurrentChange() from None
            raise
    return entry


@retry_on_conflict
async def _revise_entry(uow: SubmissionsUnitOfWork, clock: Clock, command: ReviseEntry) -> Entry:
    async with uow:
        now = clock()
        entry = await uow.entries.require(command.entry_id)
        entry.revise(edition=await uow.editions.recent(entry.edition_id), now=now, **command.written())
        if entry.events and entry.film_check is None:  # a new link (or checks newly on)
            await look_up_film(uow, entry, now)
        await uow.commit()
    return entry


@retry_on_conflict
async def _withdraw_entry(uow: SubmissionsUnitOfWork, clock: Clock, command: WithdrawEntry) -> Entry:
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


async def refuse_if_closed_meanwhile(uow: SubmissionsUnitOfWork, clock: Clock, entry: Entry) -> None:
    """After a KIM's change committed: if staff's close, recorded meanwhile, is
    earlier than the change, the change is undone and refused as too late."""
    edition = await undo_late_changes(uow, clock, entry.edition_id, entry_id=entry.entry_id)
    if edition is not None and edition.closed_at is not None:
        raise SubmissionWindowClosed(title=edition.title, closes_at=edition.closed_at.isoformat())


@retry_on_conflict
async def undo_late_changes(
    uow: SubmissionsUnitOfWork, clock: Clock, edition_id: UUID, *, entry_id: UUID | None = None
) -> Edition | None:
    """Undo what KIMs changed after the edition's closing instant (or only the one
    entry's); returns the edition if anything was undone."""
    async with uow:
        edition = await uow.editions.get(edition_id)
        if edition is None or edition.closed_at is None:
            return None
        late = await uow.entries.changed_after(edition_id, edition.closed_at)
        late = [entry for entry in late if entry_id is None or entry.entry_id == entry_id]
        if not late:
            return None
        await undo_changes(uow, late, edition.closed_at, clock())
        await uow.commit()
    return edition


async def undo_changes(
    uow: SubmissionsUnitOfWork, entries: list[Entry], closed_at: datetime, now: datetime
) -> None:
    """Each entry back to what it was at `closed_at` (`Entry.undo_after`), its KIM's
    entry count following a submission withdrawn or a withdrawal undone."""
    for entry in entries:
        status = entry.status
        if not entry.undo_after(closed_at, now):
            continue
        if status != entry.status:
            enrolment = await uow.enrolments.of_kim(entry.edition_id, entry.kim_id)
            if enrolment is not None:
                if entry.status == "withdrawn":
                    enrolment.release_entry()
                else:
                    enrolment.entries += 1
        if entry.film_check is not None and entry.film_check.status == "pending":
            await look_up_film(uow, entry, now)  # the restored link's check, if it was not done
