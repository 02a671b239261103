"""What judging keeps from other services' events: editions (title, awarded
ranks, when submissions closed) and entries. Each event is applied once."""

from __future__ import annotations

import logging
from uuid import UUID

from shared import contracts as c
from shared.kernel.clock import Clock, utcnow
from shared.platform.persistence.unit_of_work import apply_once

from ..domain.categories import Category
from ..domain.copying import copy_setup
from ..domain.edition import Edition
from ..domain.entry import Entry, Region
from ..domain.prizes import Prize
from .services import complete_if_done, detect_ties
from .unit_of_work import JudgingUnitOfWork

log = logging.getLogger("kim.judging.projections")

#: What judging keeps of an edition from the registry, and takes again from
#: each newer revision (`Edition.apply_registry`).
FROM_REGISTRY = {"title", "awarded_ranks", "revision", "prizes"}
#: What judging keeps of an entry from submissions and takes again from each
#: newer revision (`Entry.apply`), besides its kelurahan; the rest never changes.
FROM_SUBMISSIONS = {
    "kim_name",
    "title",
    "status",
    "revision",
    "video_url",
    "synopsis",
    "duration_seconds",
    "umkm_featured",
    "categories",
}


async def record_edition(
    uow: JudgingUnitOfWork, event: c.EditionPublished | c.EditionUpdated, clock: Clock = utcnow
) -> bool:
    """Keep the edition; published as a copy of another (`copied_from`), copy
    that one's judging setup into it (`copying.copy_setup`), once."""
    details = event.data

    async def effect(uow: JudgingUnitOfWork) -> None:
        kept = {**details.model_dump(include=FROM_REGISTRY), **categories_of(details)}
        edition = await uow.editions.get(details.edition_id)
        if edition is None:
            edition = Edition(edition_id=details.edition_id, **kept)
            uow.editions.add(edition)
        else:
            edition.apply_registry(**kept)
            if edition.rounds is not None and edition.rounds.shortlist is not None:
                # Its final round (`rounds.py`) carries the same title, awarded ranks and
                # prizes; the categories are judged on the edition itself.
                final = await uow.editions.get(edition.rounds.shortlist.final_edition_id)
                if final is not None:
                    final.apply_registry(**{**kept, "categories": []})
        if isinstance(event, c.EditionPublished) and details.copied_from is not None:
            await _copy_setup(uow, edition, details.copied_from, clock)

    return await apply_once(uow, event, effect)


def categories_of(details: c.EditionDetails) -> dict[str, list[Prize] | list[Category]]:
    """The edition's prizes and its categories' definitions, as judging keeps them."""
    return {
        "prizes": [Prize(**prize.model_dump()) for prize in details.prizes],
        "categories": [
            Category(
                code=defined.code,
                title=defined.title,
                kind=defined.kind,
                awarded_ranks=defined.awarded_ranks,
                prizes=[Prize(**prize.model_dump()) for prize in defined.prizes],
                description=defined.description,
            )
            for defined in details.categories
        ],
    }


async def _copy_setup(uow: JudgingUnitOfWork, edition: Edition, source_id: UUID, clock: Clock) -> None:
    if edition.copied_from is not None:
        return
    source = await uow.editions.get(source_id)
    if source is None:
        log.info(
            "edition %s is a copy of %s, which judging does not know: nothing of its judging copied",
            edition.edition_id,
            source_id,
        )
        return
    copy_setup(edition, source, now=clock())


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
    kept = {
        **details.model_dump(include=FROM_SUBMISSIONS),
        "kelurahan": Region(**details.kelurahan.model_dump()),
    }

    async def effect(uow: JudgingUnitOfWork) -> None:
        edition = await _known_edition(uow, details.edition_id)
        entry = await uow.entries.get(details.entry_id)
        if entry is None:
            entry = Entry(
                entry_id=details.entry_id,
                edition_id=details.edition_id,
                kim_id=details.kim_id,
                submitted_at=details.submitted_at,
                # Rebuilt after a reset (`PROJECTIONS`): the sheets are still here.
                scored_by=[sheet.judge_id for sheet in await uow.sheets.of_entry(details.entry_id)],
                **kept,
            )
            entry.reassess(edition.requirement(entry))
            uow.entries.add(entry)
        elif not entry.apply(**kept):
            return
        elif edition.rounds is not None and edition.rounds.shortlist is not None:
            # Shortlisted: the final round's copy takes the change too (`rounds.py`).
            copy = await uow.final_entries.get(details.entry_id)
            if copy is not None:
                copy.apply(**kept)
        if not entry.in_competition:
            now = clock()
            edition.note_left(entry, reason=details.disqualification_reason, by=event.producer, now=now)
            await complete_if_done(uow, edition, clock)
            await detect_ties(uow, edition, now)

    return await apply_once(uow, event, effect)


async def record_film_check(uow: JudgingUnitOfWork, event: c.EntryFilmChecked) -> bool:
    """The film's length as its host tells it, for the judge's desk (the KIM no
    longer types it); a check older than what judging holds changes nothing."""
    check = event.data

    async def effect(uow: JudgingUnitOfWork) -> None:
        entry = await uow.entries.get(check.entry_id)
        if entry is None:  # its entry.submitted is still on the way: retried
            raise LookupError(f"entry {check.entry_id} not known yet")
        known = {"duration_seconds": check.duration_seconds} if check.duration_seconds else {}
        entry.apply(revision=check.revision, **known)

    return await apply_once(uow, event, effect)


async def _known_edition(uow: JudgingUnitOfWork, edition_id: object) -> Edition:
    edition = await uow.editions.get(edition_id)  # type: ignore[arg-type]
    # The registry publishes an edition before anything can happen in it; if it
    # is not here yet, its event is still on the way: fail so this one is retried.
    if edition is None:
        raise LookupError(f"edition {edition_id} not known yet")
    return edition
