"""What judging keeps from other services' events: editions (title, awarded
ranks, when submissions closed) and entries. Each event is applied once."""

from __future__ import annotations

from shared import contracts as c
from shared.kernel.clock import Clock
from shared.platform.persistence.unit_of_work import apply_once

from ..domain.edition import Edition
from ..domain.entry import Entry, Region
from .services import complete_if_done, detect_ties
from .unit_of_work import JudgingUnitOfWork


async def record_edition(uow: JudgingUnitOfWork, event: c.EditionPublished | c.EditionUpdated) -> bool:
    details = event.data

    async def effect(uow: JudgingUnitOfWork) -> None:
        edition = await uow.editions.get(details.edition_id)
        if edition is None:
            uow.editions.add(
                Edition(
                    edition_id=details.edition_id,
                    title=details.title,
                    awarded_ranks=details.awarded_ranks,
                    revision=details.revision,
                )
            )
        else:
            edition.apply_registry(
                title=details.title, awarded_ranks=details.awarded_ranks, revision=details.revision
            )

    return await apply_once(uow, event, effect)


async def record_closure(uow: JudgingUnitOfWork, event: c.EditionSubmissionsClosed, clock: Clock) -> bool:
    async def effect(uow: JudgingUnitOfWork) -> None:
        edition = await _known_edition(uow, event.data.edition_id)
        edition.close_submissions(at=event.data.closed_at, revision=event.data.revision)
        await complete_if_done(uow, edition, clock)

    return await apply_once(uow, event, effect)


async def record_entry(
    uow: JudgingUnitOfWork,
    event: c.EntrySubmitted | c.EntryRevised | c.EntryWithdrawn | c.EntryDisqualified,
    clock: Clock,
) -> bool:
    details = event.data
    kelurahan = Region(code=details.kelurahan.code, name=details.kelurahan.name)

    async def effect(uow: JudgingUnitOfWork) -> None:
        edition = await _known_edition(uow, details.edition_id)
        entry = await uow.entries.get(details.entry_id)
        if entry is None:
            entry = Entry(
                entry_id=details.entry_id,
                edition_id=details.edition_id,
                kim_id=details.kim_id,
                kim_name=details.kim_name,
                kelurahan=kelurahan,
                title=details.title,
                status=details.status,
                submitted_at=details.submitted_at,
                revision=details.revision,
            )
            entry.reassess(edition.requirement(entry))
            uow.entries.add(entry)
        elif not entry.apply(
            kim_name=details.kim_name,
            kelurahan=kelurahan,
            title=details.title,
            status=details.status,
            revision=details.revision,
        ):
            return
        if not entry.in_competition:
            now = clock()
            edition.note_left(entry, reason=details.disqualification_reason, by=event.producer, now=now)
            await complete_if_done(uow, edition, clock)
            await detect_ties(uow, edition, now)

    return await apply_once(uow, event, effect)


async def _known_edition(uow: JudgingUnitOfWork, edition_id: object) -> Edition:
    edition = await uow.editions.get(edition_id)  # type: ignore[arg-type]
    # The registry publishes an edition before anything can happen in it; if it
    # is not here yet, its event is still on the way: fail so this one is retried.
    if edition is None:
        raise LookupError(f"edition {edition_id} not known yet")
    return edition
