"""What the submissions service keeps from other services' events: editions'
windows and rules, and KIMs' enrolments. Each event is applied once."""

from __future__ import annotations

from shared import contracts as c
from shared.kernel.clock import Clock
from shared.platform.persistence.unit_of_work import apply_once

from ..domain.edition import Category, Edition, Rules
from ..domain.enrolment import Enrolment, Region
from ..domain.kim import KimContact
from .services import undo_changes, undo_late_changes
from .unit_of_work import SubmissionsUnitOfWork


async def record_edition(uow: SubmissionsUnitOfWork, event: c.EditionPublished | c.EditionUpdated) -> bool:
    details = event.data
    rules = Rules(
        max_video_seconds=details.rules.max_video_seconds,
        allowed_video_hosts=details.rules.allowed_video_hosts,
        entries_per_kim=details.rules.entries_per_kim,
    )
    categories = [Category(code=c.code, title=c.title, kind=c.kind) for c in details.categories]

    async def effect(uow: SubmissionsUnitOfWork) -> None:
        edition = await uow.editions.get(details.edition_id)
        if edition is None:
            uow.editions.add(
                Edition(
                    edition_id=details.edition_id,
                    title=details.title,
                    opens_at=details.submission_opens_at,
                    closes_at=details.submission_closes_at,
                    rules=rules,
                    categories=categories,
                    revision=details.revision,
                )
            )
        else:
            edition.update(
                title=details.title,
                opens_at=details.submission_opens_at,
                closes_at=details.submission_closes_at,
                rules=rules,
                categories=categories,
                revision=details.revision,
            )

    return await apply_once(uow, event, effect)


async def record_closure(uow: SubmissionsUnitOfWork, event: c.EditionSubmissionsClosed, clock: Clock) -> bool:
    """Staff's close is exact: whatever a KIM changed after the closing instant the
    registry recorded (it reached submissions before this event did) is undone,
    in this unit of work and once more after it committed (see `services`)."""
    closed_at = event.data.closed_at

    async def effect(uow: SubmissionsUnitOfWork) -> None:
        edition = await uow.editions.get(event.data.edition_id)
        # The closure always follows publication at the registry; an unknown
        # edition here means publication has not arrived yet, so retry later.
        if edition is None:
            raise LookupError(f"edition {event.data.edition_id} not known yet")
        edition.close(closed_at, event.data.revision)
        if edition.closed_at == closed_at:
            for enrolment in await uow.enrolments.of_edition(edition.edition_id):
                enrolment.close(closed_at)
            late = await uow.entries.changed_after(edition.edition_id, closed_at)
            await undo_changes(uow, late, closed_at, clock())

    applied = await apply_once(uow, event, effect)
    # A change that committed while the closure was applied, unseen by it.
    await undo_late_changes(uow, clock, event.data.edition_id)
    return applied


async def record_enrolment(
    uow: SubmissionsUnitOfWork,
    event: c.EnrolmentRequested | c.EnrolmentApproved | c.EnrolmentRejected,
) -> bool:
    details = event.data
    kelurahan = Region(code=details.kelurahan.code, name=details.kelurahan.name)

    async def effect(uow: SubmissionsUnitOfWork) -> None:
        enrolment = await uow.enrolments.get(details.enrolment_id)
        if enrolment is None:
            enrolment = Enrolment(
                enrolment_id=details.enrolment_id,
                edition_id=details.edition_id,
                kim_id=details.kim_id,
                kim_name=details.kim_name,
                kelurahan=kelurahan,
                status=details.status,
                reason=details.reason,
                revision=details.revision,
                # Rebuilt by a replay, the projection finds the entries already made.
                entries=await uow.entries.count_against_limit(details.edition_id, details.kim_id),
            )
            edition = await uow.editions.get(details.edition_id)
            if edition is not None:
                edition.enrol(enrolment)
            uow.enrolments.add(enrolment)
        else:
            enrolment.apply(
                status=details.status,
                reason=details.reason,
                kim_name=details.kim_name,
                kelurahan=kelurahan,
                revision=details.revision,
            )

    return await apply_once(uow, event, effect)


async def record_kim(
    uow: SubmissionsUnitOfWork, event: c.KimRegistered | c.KimUpdated | c.KimVerified
) -> bool:
    """Whom to tell about a KIM's entries; a renamed or moved KIM submits future
    entries under its new name."""
    kim = event.data
    kelurahan = Region(code=kim.kelurahan.code, name=kim.kelurahan.name)

    async def effect(uow: SubmissionsUnitOfWork) -> None:
        contact = await uow.kims.get(kim.kim_id)
        if contact is None:
            uow.kims.add(KimContact(kim_id=kim.kim_id, name=kim.name, email=kim.email, revision=kim.revision))
        else:
            contact.apply(name=kim.name, email=kim.email, revision=kim.revision)
        if isinstance(event, c.KimUpdated):
            for enrolment in await uow.enrolments.all_of_kim(kim.kim_id):
                enrolment.rename_kim(kim.name, kelurahan)

    return await apply_once(uow, event, effect)
