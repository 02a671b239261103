"""The registry's domain events as the integration events other services read,
each payload read from the aggregate by attribute (`Kim.kecamatan`,
`Enrolment.at`, `revision` … name what the contract calls them)."""

from __future__ import annotations

from shared import contracts as c

from ..domain import events
from ..domain.account import Account
from ..domain.edition import Edition
from ..domain.enrolment import Enrolment
from ..domain.kim import Kim


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
            closure = c.SubmissionsClosure.model_validate(edition, from_attributes=True)
            return c.EditionSubmissionsClosed, closure
        case events.EnrolmentRequested(enrolment):
            return c.EnrolmentRequested, enrolment_details(enrolment)
        case events.EnrolmentApproved(enrolment):
            return c.EnrolmentApproved, enrolment_details(enrolment)
        case events.EnrolmentRejected(enrolment):
            return c.EnrolmentRejected, enrolment_details(enrolment)
        case events.AccountOpened(account):
            return c.AccountOpened, account_details(account)
        case events.AccountChanged(account):
            return c.AccountChanged, account_details(account)
    raise TypeError(f"no integration event for {event!r}")


def kim_profile(kim: Kim) -> c.KimProfile:
    """The KIM as it now stands."""
    return c.KimProfile.model_validate(kim, from_attributes=True)


def edition_details(edition: Edition) -> c.EditionDetails:
    assert edition.status != "draft", "drafts are not published"
    return c.EditionDetails.model_validate(edition, from_attributes=True)


def enrolment_details(enrolment: Enrolment) -> c.EnrolmentDetails:
    return c.EnrolmentDetails.model_validate(enrolment, from_attributes=True)


def account_details(account: Account) -> c.AccountDetails:
    """The account as it now stands, never its password hash."""
    return c.AccountDetails.model_validate(account, from_attributes=True)
