"""What KIM representatives and staff do with entries. Each use case is one
unit of work: the entry and the event it causes are stored together."""

from __future__ import annotations

from uuid import UUID

from shared.kernel.clock import Clock
from shared.platform.persistence.unit_of_work import retry_on_conflict

from ..domain.edition import Edition
from ..domain.entry import Entry, Video
from ..domain.errors import EditionNotFound, EntryNotFound
from .unit_of_work import SubmissionsUnitOfWork


@retry_on_conflict
async def submit_entry(
    uow: SubmissionsUnitOfWork,
    clock: Clock,
    *,
    edition_id: UUID,
    kim_id: UUID,
    title: str,
    synopsis: str,
    video_url: str,
    duration_seconds: int,
    umkm_featured: list[str],
) -> Entry:
    async with uow:
        edition = await _edition(uow, edition_id)
        entry = Entry.submit(
            edition=edition,
            enrolment=await uow.enrolments.of_kim(edition_id, kim_id),
            title=title,
            synopsis=synopsis,
            video=Video(url=video_url, duration_seconds=duration_seconds),
            umkm_featured=umkm_featured,
            now=clock(),
        )
        uow.entries.add(entry)
        await uow.commit()
    return entry


@retry_on_conflict
async def revise_entry(
    uow: SubmissionsUnitOfWork,
    clock: Clock,
    entry_id: UUID,
    *,
    title: str | None = None,
    synopsis: str | None = None,
    video_url: str | None = None,
    duration_seconds: int | None = None,
    umkm_featured: list[str] | None = None,
) -> Entry:
    async with uow:
        entry = await _entry(uow, entry_id)
        entry.revise(
            edition=await _edition(uow, entry.edition_id),
            now=clock(),
            title=title,
            synopsis=synopsis,
            video_url=video_url,
            duration_seconds=duration_seconds,
            umkm_featured=umkm_featured,
        )
        await uow.commit()
    return entry


@retry_on_conflict
async def withdraw_entry(uow: SubmissionsUnitOfWork, clock: Clock, entry_id: UUID) -> Entry:
    async with uow:
        entry = await _entry(uow, entry_id)
        enrolment = await uow.enrolments.of_kim(entry.edition_id, entry.kim_id)
        assert enrolment is not None, "an entry exists only for an enrolment"
        entry.withdraw(edition=await _edition(uow, entry.edition_id), enrolment=enrolment, now=clock())
        await uow.commit()
    return entry


@retry_on_conflict
async def disqualify_entry(uow: SubmissionsUnitOfWork, clock: Clock, entry_id: UUID, reason: str) -> Entry:
    async with uow:
        entry = await _entry(uow, entry_id)
        entry.disqualify(reason=reason, now=clock())
        await uow.commit()
    return entry


async def _edition(uow: SubmissionsUnitOfWork, edition_id: UUID) -> Edition:
    edition = await uow.editions.get(edition_id)
    if edition is None:
        raise EditionNotFound(edition_id=edition_id)
    return edition


async def _entry(uow: SubmissionsUnitOfWork, entry_id: UUID) -> Entry:
    entry = await uow.entries.get(entry_id)
    if entry is None:
        raise EntryNotFound(entry_id=entry_id)
    return entry
