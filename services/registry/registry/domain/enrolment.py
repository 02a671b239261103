"""A KIM's enrolment in an edition: requested by the KIM, approved or rejected by staff.

Staff may change their decision until submissions close; the latest decision holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID, uuid4

from shared.kernel.aggregate import Aggregate

from . import events
from .edition import Edition
from .errors import (
    EditionNotOpenForEnrolment,
    EnrolmentAlreadyDecided,
    EnrolmentDecisionTooLate,
    KimNotVerified,
)
from .kim import Kim
from .regions import Kelurahan, Region

EnrolmentStatus = Literal["requested", "approved", "rejected"]


@dataclass(kw_only=True)
class Enrolment(Aggregate):
    enrolment_id: UUID
    edition_id: UUID
    kim_id: UUID
    kim_name: str
    kelurahan: Kelurahan
    status: EnrolmentStatus = "requested"
    requested_at: datetime
    decided_at: datetime | None = None
    reason: str | None = None

    @classmethod
    def request(cls, *, edition: Edition, kim: Kim, now: datetime) -> Enrolment:
        if edition.status != "published":
            raise EditionNotOpenForEnrolment(title=edition.title, status=edition.status)
        if not kim.verified:
            raise KimNotVerified(name=kim.name)
        enrolment = cls(
            enrolment_id=uuid4(),
            edition_id=edition.edition_id,
            kim_id=kim.kim_id,
            kim_name=kim.name,
            kelurahan=kim.kelurahan,
            requested_at=now,
        )
        enrolment.events.append(events.EnrolmentRequested(enrolment))
        return enrolment

    # Read by attribute, as the integration event and the public shape name them.
    @property
    def kecamatan(self) -> Region:
        return self.kelurahan.kecamatan

    @property
    def at(self) -> datetime:
        """When it last changed: decided, or else requested."""
        return self.decided_at or self.requested_at

    @property
    def revision(self) -> int:
        """Grows by one with every change (the version the enrolment is stored at)."""
        return self.version

    def approve(self, *, edition: Edition, now: datetime) -> None:
        self._decide(edition, "approved", None, now)
        self.events.append(events.EnrolmentApproved(self))

    def reject(self, *, edition: Edition, reason: str, now: datetime) -> None:
        self._decide(edition, "rejected", reason.strip(), now)
        self.events.append(events.EnrolmentRejected(self))

    def _decide(self, edition: Edition, status: EnrolmentStatus, reason: str | None, now: datetime) -> None:
        if edition.status == "submissions_closed":
            raise EnrolmentDecisionTooLate(title=edition.title)
        if self.status == status:
            raise EnrolmentAlreadyDecided(status=status)
        self.status = status
        self.reason = reason
        self.decided_at = now
