"""What the service keeps from other services' events to decide who is told and
whom to remind: each KIM's WhatsApp number, the enrolments and entries of each
KIM, who sits on each panel, each edition's deadline and reminder days, and the
reminders already made. Each keeps the highest revision it has seen."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal
from uuid import UUID, uuid5

from shared.kernel.aggregate import Aggregate

from .errors import RemindersInvalid

SEATS = UUID("5d3e0a4b-7f21-4c9e-b0a6-2e8f3d1c7a55")

#: Reminded this many days before the deadline unless staff choose otherwise.
DEFAULT_DAYS_BEFORE = (3, 1)
MAX_REMINDERS = 5
MAX_DAYS_BEFORE = 60


@dataclass(kw_only=True)
class KimContact(Aggregate):
    kim_id: UUID
    name: str
    whatsapp: str | None
    revision: int = 0


@dataclass(kw_only=True)
class EnrolmentRecord(Aggregate):
    enrolment_id: UUID
    edition_id: UUID
    kim_id: UUID
    kim_name: str
    status: Literal["requested", "approved", "rejected"]
    revision: int = 0

    @property
    def entered(self) -> bool:
        return self.status != "rejected"


@dataclass(kw_only=True)
class EntryRecord(Aggregate):
    entry_id: UUID
    edition_id: UUID
    kim_id: UUID
    #: Withdrawn or disqualified entries do not count as submitted.
    standing: bool
    revision: int = 0


def seat_id(edition_id: UUID, email: str) -> UUID:
    return uuid5(SEATS, f"{edition_id}:{email.strip().lower()}")


@dataclass(kw_only=True)
class PanelSeat(Aggregate):
    seat_id: UUID
    edition_id: UUID
    email: str
    seated: bool
    at: datetime


def days_before(days: list[int] | tuple[int, ...]) -> list[int]:
    """Reminder days, largest first; refuses repeats, more than five, or days outside 1..60."""
    if len(days) > MAX_REMINDERS or len(set(days)) != len(days):
        raise RemindersInvalid()
    if any(not isinstance(d, int) or isinstance(d, bool) or not 1 <= d <= MAX_DAYS_BEFORE for d in days):
        raise RemindersInvalid()
    return sorted(days, reverse=True)


@dataclass(kw_only=True)
class EditionSchedule(Aggregate):
    edition_id: UUID
    title: str = ""
    closes_at: datetime | None = None
    #: Set by staff; None means the default days.
    days_before: list[int] | None = None
    closed: bool = False
    updated_at: datetime

    @staticmethod
    def default_days() -> list[int]:
        return list(DEFAULT_DAYS_BEFORE)

    @property
    def reminder_days(self) -> list[int]:
        return list(self.days_before) if self.days_before is not None else list(DEFAULT_DAYS_BEFORE)

    def due(self, now: datetime) -> int | None:
        """The reminder due now, if any: the nearest of the reminder days whose moment
        (the deadline less that many days) has passed while the deadline has not. A
        job that was away over an earlier reminder sends only the latest one."""
        if self.closed or self.closes_at is None or now >= self.closes_at:
            return None
        passed = [d for d in self.reminder_days if now >= self.closes_at - timedelta(days=d)]
        return min(passed) if passed else None


@dataclass(kw_only=True)
class ReminderSent(Aggregate):
    """One reminder to one KIM for one edition; its id is derived from the three, so it is
    made once, however often and on however many processes the job runs."""

    reminder_id: UUID
    edition_id: UUID
    kim_id: UUID
    kim_name: str
    days_before: int
    closes_at: datetime
    reminded_at: datetime
    #: The recipients told (the KIM's representatives); empty when none had an account yet.
    recipient_ids: list[UUID] = field(default_factory=list)
