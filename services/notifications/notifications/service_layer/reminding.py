"""Reminding KIMs to submit before the deadline.

A KIM whose enrolment is approved and that has no standing entry is reminded
when an edition's deadline is a reminder's number of days away (3 and 1 by
default; staff set them per edition). Each reminder (edition, KIM, days) is
stored under an id derived from the three, in the same transaction as its
deliveries, so it is made once across passes, restarts and processes. The job
runs every `NOTIFICATIONS_REMINDER_POLL_SECONDS`; the clock is injected.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from uuid import UUID

from pymongo.errors import DuplicateKeyError

from shared.kernel.clock import Clock
from shared.kernel.errors import ConcurrentChange
from shared.platform.persistence.unit_of_work import Cause, retry_on_conflict
from shared.service import Periodic

from ..domain.delivery import Notice, reminder_id
from ..domain.personal import REMINDER, Reminder
from ..domain.projections import MAX_DAYS_BEFORE, EditionSchedule, ReminderSent, days_before
from .unit_of_work import NotificationsUnitOfWork

log = logging.getLogger("kim.notifications.reminders")

UnitOfWorkFor = Callable[[Cause], NotificationsUnitOfWork]


@retry_on_conflict
async def remind_due(uow: NotificationsUnitOfWork, clock: Clock) -> int:
    """One pass: make every reminder due now; returns how many deliveries wait to be sent."""
    waiting = 0
    async with uow:
        now = clock()
        for schedule in await uow.edition_schedules.open_before(now + timedelta(days=MAX_DAYS_BEFORE), now):
            days = schedule.due(now)
            if days is None or schedule.closes_at is None:
                continue
            submitted = {e.kim_id for e in await uow.entries.of_edition(schedule.edition_id) if e.standing}
            for enrolment in await uow.enrolments.of_edition(schedule.edition_id):
                if enrolment.status != "approved" or enrolment.kim_id in submitted:
                    continue
                reminder = Reminder(
                    edition_id=schedule.edition_id,
                    edition_title=schedule.title,
                    kim_id=enrolment.kim_id,
                    kim_name=enrolment.kim_name,
                    closes_at=schedule.closes_at,
                    days_before=days,
                )
                key = reminder_id(reminder)
                if await uow.reminders.get(key) is not None:
                    continue
                readers = [
                    r
                    for r in await uow.recipients.of_kim(enrolment.kim_id)
                    if r.role == "kim_rep" and r.active and REMINDER in r.subscriptions
                ]
                notice = Notice.of_reminder(
                    reminder,
                    readers=readers,
                    now=now,
                    correlation_id=f"reminder-{key.hex}",
                    console_url=uow.console_url,
                )
                for reader in readers:
                    for delivery in notice.deliveries_to(reader, now, uow.channels_offered):
                        uow.deliveries.add(delivery)
                        waiting += delivery.pending
                uow.reminders.add(
                    ReminderSent(
                        reminder_id=key,
                        edition_id=schedule.edition_id,
                        kim_id=enrolment.kim_id,
                        kim_name=enrolment.kim_name,
                        days_before=days,
                        closes_at=schedule.closes_at,
                        reminded_at=now,
                        recipient_ids=[r.recipient_id for r in readers],
                    )
                )
        await uow.commit()
    return waiting


@retry_on_conflict
async def set_reminder_days(
    uow: NotificationsUnitOfWork, clock: Clock, edition_id: UUID, days: list[int]
) -> EditionSchedule:
    """Staff choose the days before the deadline a KIM is reminded (none: no reminders).
    An edition not heard of yet keeps the choice until its deadline arrives."""
    chosen = days_before(days)
    async with uow:
        schedule = await uow.edition_schedules.get(edition_id)
        if schedule is None:
            schedule = EditionSchedule(edition_id=edition_id, updated_at=clock())
            uow.edition_schedules.add(schedule)
        schedule.days_before = chosen
        schedule.updated_at = clock()
        await uow.commit()
    return schedule


class ReminderJob:
    """Makes the reminders due every `poll_seconds`; `wake_sender` is called when a pass
    stored deliveries to send."""

    def __init__(
        self, *, uow_for: UnitOfWorkFor, clock: Clock, poll_seconds: float, wake_sender: Callable[[], None]
    ) -> None:
        self._uow_for = uow_for
        self._clock = clock
        self._wake_sender = wake_sender
        self._periodic = Periodic("reminders", self.run_once, poll_seconds)

    def start(self) -> None:
        self._periodic.start()

    async def stop(self) -> None:
        await self._periodic.stop()

    async def run_once(self) -> int:
        try:
            waiting = await remind_due(self._uow_for(Cause.new()), self._clock)
        except (DuplicateKeyError, ConcurrentChange):
            # Another process made the same reminder at the same moment: it is made.
            log.info("a reminder was made elsewhere meanwhile; the next pass skips it")
            return 0
        if waiting:
            self._wake_sender()
        return waiting
