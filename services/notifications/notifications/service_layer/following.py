"""What the service keeps from the events it consumes, before it tells anyone:
accounts become recipients and stay in step with them, KIMs' WhatsApp numbers,
enrolments, entries, panel seats and each edition's deadline. All of it runs in
the unit of work that records the event as processed, and keeps the highest
revision it has seen, so a redelivered or late event changes nothing."""

from __future__ import annotations

from typing import Any

from shared import contracts as c
from shared.contracts import Envelope
from shared.kernel.clock import Clock

from ..domain.audience import Knowledge
from ..domain.projections import (
    EditionSchedule,
    EnrolmentRecord,
    EntryRecord,
    KimContact,
    PanelSeat,
    seat_id,
)
from ..domain.recipient import Recipient
from .unit_of_work import NotificationsUnitOfWork


async def follow(uow: NotificationsUnitOfWork, event: Envelope[Any], clock: Clock) -> None:
    data = event.data
    if isinstance(data, c.AccountDetails):
        await follow_account(uow, data, clock)
    elif isinstance(data, c.KimProfile):
        await follow_kim(uow, data, clock)
    elif isinstance(data, c.EnrolmentDetails):
        await follow_enrolment(uow, data)
    elif isinstance(data, c.EntryDetails):
        await follow_entry(uow, event.type, data)
    elif isinstance(data, c.JudgeAppointment):
        await follow_seat(uow, event.type, data)
    elif isinstance(data, c.EditionDetails):
        await follow_edition(uow, data, clock)
    elif isinstance(data, c.SubmissionsClosure):
        schedule = await uow.edition_schedules.get(data.edition_id)
        if schedule is not None and not schedule.closed:
            schedule.closed = True
            schedule.updated_at = clock()


async def follow_account(uow: NotificationsUnitOfWork, account: c.AccountDetails, clock: Clock) -> Recipient:
    now = clock()
    recipient = await uow.recipients.of_account(account.account_id)
    if recipient is None:
        recipient = await uow.recipients.made_by_hand_for(account.email)
    active = not account.disabled
    if recipient is None:
        contact = await uow.kim_contacts.get(account.kim_id) if account.kim_id else None
        recipient = Recipient.for_account(
            account_id=account.account_id,
            role=account.role,
            name=account.name,
            email=account.email,
            kim_id=account.kim_id,
            whatsapp=contact.whatsapp if contact else None,
            active=active,
            revision=account.revision,
            now=now,
        )
        uow.recipients.add(recipient)
        return recipient
    recipient.follow_account(
        account_id=account.account_id,
        role=account.role,
        name=account.name,
        email=account.email,
        kim_id=account.kim_id,
        active=active,
        revision=account.revision,
        now=now,
    )
    if recipient.role == "kim_rep" and recipient.kim_id and recipient.whatsapp is None:
        contact = await uow.kim_contacts.get(recipient.kim_id)
        if contact is not None and contact.whatsapp:
            recipient.whatsapp = contact.whatsapp
    return recipient


async def follow_kim(uow: NotificationsUnitOfWork, kim: c.KimProfile, clock: Clock) -> None:
    contact = await uow.kim_contacts.get(kim.kim_id)
    if contact is None:
        uow.kim_contacts.add(
            KimContact(kim_id=kim.kim_id, name=kim.name, whatsapp=kim.whatsapp or None, revision=kim.revision)
        )
    elif kim.revision > contact.revision:
        contact.name, contact.whatsapp, contact.revision = kim.name, kim.whatsapp or None, kim.revision
    else:
        return
    for recipient in await uow.recipients.of_kim(kim.kim_id):
        if recipient.role == "kim_rep" and recipient.whatsapp != (kim.whatsapp or None):
            recipient.whatsapp = kim.whatsapp or None
            recipient.updated_at = clock()


async def follow_enrolment(uow: NotificationsUnitOfWork, enrolment: c.EnrolmentDetails) -> None:
    record = await uow.enrolments.get(enrolment.enrolment_id)
    if record is None:
        uow.enrolments.add(
            EnrolmentRecord(
                enrolment_id=enrolment.enrolment_id,
                edition_id=enrolment.edition_id,
                kim_id=enrolment.kim_id,
                kim_name=enrolment.kim_name,
                status=enrolment.status,
                revision=enrolment.revision,
            )
        )
    elif enrolment.revision > record.revision:
        record.status, record.revision = enrolment.status, enrolment.revision
        record.kim_name = enrolment.kim_name


async def follow_entry(uow: NotificationsUnitOfWork, event_type: str, entry: c.EntryDetails) -> None:
    standing = event_type in ("entry.submitted", "entry.revised")
    record = await uow.entries.get(entry.entry_id)
    if record is None:
        uow.entries.add(
            EntryRecord(
                entry_id=entry.entry_id,
                edition_id=entry.edition_id,
                kim_id=entry.kim_id,
                standing=standing,
                revision=entry.revision,
            )
        )
    elif entry.revision > record.revision or (entry.revision == record.revision and not standing):
        record.standing, record.revision = standing, max(record.revision, entry.revision)


async def follow_seat(uow: NotificationsUnitOfWork, event_type: str, appointment: c.JudgeAppointment) -> None:
    if not appointment.email:
        return
    seated = event_type == "judge.appointed"
    key = seat_id(appointment.edition_id, appointment.email)
    seat = await uow.panel_seats.get(key)
    if seat is None:
        uow.panel_seats.add(
            PanelSeat(
                seat_id=key,
                edition_id=appointment.edition_id,
                email=appointment.email.strip().lower(),
                seated=seated,
                at=appointment.at,
            )
        )
    elif appointment.at >= seat.at:
        seat.seated, seat.at = seated, appointment.at


async def follow_edition(uow: NotificationsUnitOfWork, edition: c.EditionDetails, clock: Clock) -> None:
    schedule = await uow.edition_schedules.get(edition.edition_id)
    if schedule is None:
        uow.edition_schedules.add(
            EditionSchedule(
                edition_id=edition.edition_id,
                title=edition.title,
                closes_at=edition.submission_closes_at,
                updated_at=clock(),
            )
        )
    else:
        schedule.title, schedule.closes_at, schedule.updated_at = (
            edition.title,
            edition.submission_closes_at,
            clock(),
        )


async def knowledge_of(uow: NotificationsUnitOfWork, data: dict[str, Any]) -> Knowledge:
    """What the audience rule needs to know of the event's edition."""
    edition_id = data.get("edition_id")
    if edition_id is None:
        return Knowledge()
    from uuid import UUID

    edition = UUID(str(edition_id))
    enrolments = await uow.enrolments.of_edition(edition)
    seats = await uow.panel_seats.of_edition(edition)
    return Knowledge(
        entered=frozenset(str(e.kim_id) for e in enrolments if e.entered),
        panel=frozenset(s.email for s in seats if s.seated),
    )
