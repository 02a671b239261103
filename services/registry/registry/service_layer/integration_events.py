"""The registry's domain events as the integration events other services read."""

from __future__ import annotations

from shared import contracts as c

from ..domain import events
from ..domain.edition import Edition
from ..domain.enrolment import Enrolment
from ..domain.kim import Kim
from ..domain.regions import Kelurahan


def to_integration(event: object) -> tuple[c.EventClass, c.Payload]:
    match event:
        case events.KimRegistered(kim):
            return c.KimRegistered, kim_profile(kim)
        case events.KimUpdated(kim):
            return c.KimUpdated, kim_profile(kim)
        case events.KimVerified(kim):
            return c.KimVerified, kim_profile(kim)
        case events.EditionPublished(edition):
            return c.EditionPublished, edition_details(edition)
        case events.EditionUpdated(edition):
            return c.EditionUpdated, edition_details(edition)
        case events.SubmissionsClosed(edition):
            assert edition.closed_at is not None and edition.closed_by is not None
            return c.EditionSubmissionsClosed, c.SubmissionsClosure(
                edition_id=edition.edition_id,
                closed_at=edition.closed_at,
                closed_by=edition.closed_by,
                revision=edition.version,
            )
        case events.EnrolmentRequested(enrolment):
            return c.EnrolmentRequested, enrolment_details(enrolment)
        case events.EnrolmentApproved(enrolment):
            return c.EnrolmentApproved, enrolment_details(enrolment)
        case events.EnrolmentRejected(enrolment):
            return c.EnrolmentRejected, enrolment_details(enrolment)
    raise TypeError(f"no integration event for {event!r}")


def kelurahan_region(kelurahan: Kelurahan) -> c.Region:
    return c.Region(code=kelurahan.code, name=kelurahan.name)


def kecamatan_region(kelurahan: Kelurahan) -> c.Region:
    return c.Region(code=kelurahan.kecamatan.code, name=kelurahan.kecamatan.name)


def kim_profile(kim: Kim) -> c.KimProfile:
    return c.KimProfile(
        kim_id=kim.kim_id,
        name=kim.name,
        kelurahan=kelurahan_region(kim.kelurahan),
        kecamatan=kecamatan_region(kim.kelurahan),
        chair=kim.chair,
        whatsapp=kim.whatsapp,
        email=kim.email,
        members=[c.Member(name=m.name, role=m.role) for m in kim.members],
        verified=kim.verified,
        revision=kim.version,
    )


def edition_details(edition: Edition) -> c.EditionDetails:
    assert edition.status != "draft", "drafts are not published"
    return c.EditionDetails(
        edition_id=edition.edition_id,
        title=edition.title,
        theme=edition.theme,
        description=edition.description,
        submission_opens_at=edition.submission_opens_at,
        submission_closes_at=edition.submission_closes_at,
        rules=c.EditionRules(
            max_video_seconds=edition.rules.max_video_seconds,
            allowed_video_hosts=edition.rules.allowed_video_hosts,
            entries_per_kim=edition.rules.entries_per_kim,
        ),
        awarded_ranks=edition.awarded_ranks,
        prizes=[c.Prize(rank=p.rank, title=p.title, reward=p.reward) for p in edition.prizes],
        status=edition.status,
        revision=edition.version,
    )


def enrolment_details(enrolment: Enrolment) -> c.EnrolmentDetails:
    return c.EnrolmentDetails(
        enrolment_id=enrolment.enrolment_id,
        edition_id=enrolment.edition_id,
        kim_id=enrolment.kim_id,
        kim_name=enrolment.kim_name,
        kelurahan=kelurahan_region(enrolment.kelurahan),
        kecamatan=kecamatan_region(enrolment.kelurahan),
        status=enrolment.status,
        reason=enrolment.reason,
        at=enrolment.decided_at or enrolment.requested_at,
        revision=enrolment.version,
    )
