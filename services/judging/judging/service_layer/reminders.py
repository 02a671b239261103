"""Reminding judges who are behind as the judging deadline nears: every pass
finds the editions whose deadline falls within the window, and in each, in a
unit of work of its own, reminds every judge with missing sheets once per
deadline. The reminder is recorded on the edition with its event, so a
restart does not send it again."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from uuid import UUID

from shared.kernel.clock import Clock
from shared.platform.persistence.unit_of_work import Cause, retry_on_conflict

from ..domain.edition import Reminder
from ..domain.progress import progress
from .unit_of_work import JudgingUnitOfWork

log = logging.getLogger("kim.judging.reminders")

UnitOfWorkFor = Callable[[Cause], JudgingUnitOfWork]


async def remind_judges(
    uow_for: UnitOfWorkFor, clock: Clock, window: timedelta, final_uow_for: UnitOfWorkFor | None = None
) -> int:
    """One pass over the editions due; returns how many judges were reminded.
    A final round (`rounds.py`) is read with `final_uow_for`'s unit of work."""
    now = clock()
    async with uow_for(Cause.new()) as uow:
        due = [
            (e.edition_id, e.round_of is not None)
            for e in await uow.editions.with_deadline_between(now, now + window)
        ]
    sent = 0
    for edition_id, final in due:
        each = (final_uow_for or uow_for) if final else uow_for
        sent += len(await remind_behind(each(Cause.new()), clock, edition_id, window))
    return sent


@retry_on_conflict
async def remind_behind(
    uow: JudgingUnitOfWork, clock: Clock, edition_id: UUID, window: timedelta
) -> list[Reminder]:
    async with uow:
        edition = await uow.editions.require(edition_id)
        now = clock()
        if not edition.reminding(now, window):
            return []
        entries = await uow.entries.in_competition(edition_id)
        by_id = {entry.entry_id: entry for entry in entries}
        behind = [
            (p.judge, [by_id[e] for e in p.missing], len(p.assigned))
            for p in progress(edition, entries).judges
        ]
        sent = edition.remind(behind, now=now, window=window)
        await uow.commit()
    if sent:
        log.info(
            "reminded %d judges of %s before %s", len(sent), edition_id, edition.options.judging_deadline
        )
    return sent
