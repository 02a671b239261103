"""A KIM's enrolment in an edition, as the registry last decided it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID

from shared.kernel.aggregate import Aggregate

from .edition import Edition
from .errors import EnrolmentNotApproved, EntryLimitReached, SubmissionWindowClosed

EnrolmentStatus = Literal["requested", "approved", "rejected"]

STATUS_TEXT = {
    "requested": ("masih menunggu persetujuan Diskominfo", "is still waiting for staff approval"),
    "rejected": ("ditolak", "was rejected"),
}


@dataclass(kw_only=True)
class Region:
    code: str
    name: str


@dataclass(kw_only=True)
class Enrolment(Aggregate):
    enrolment_id: UUID
    edition_id: UUID
    kim_id: UUID
    kim_name: str
    kelurahan: Region
    status: EnrolmentStatus
    reason: str | None = None
    revision: int
    #: Entries that count against the edition's limit: submitted or disqualified, not withdrawn.
    #: Kept here so two entries sent at once cannot both take the last place.
    entries: int = 0
    #: Staff's closing instant, once submissions has applied it: written with the close
    #: to every enrolment of the edition, so a submission (which writes its enrolment,
    #: expecting the version it read) either commits before the close is applied, and
    #: the close's pass undoes it if late, or meets the mark and is refused.
    closed_at: datetime | None = None

    def reserve_entry(self, edition: Edition) -> None:
        if self.closed_at is not None:
            raise SubmissionWindowClosed(title=edition.title, closes_at=self.closed_at.isoformat())
        self.check_approved(edition)
        if self.entries >= edition.rules.entries_per_kim:
            raise EntryLimitReached(
                kim_name=self.kim_name, count=self.entries, limit=edition.rules.entries_per_kim
            )
        self.entries += 1

    def close(self, closed_at: datetime) -> None:
        self.closed_at = closed_at

    def release_entry(self) -> None:
        self.entries = max(0, self.entries - 1)

    def check_approved(self, edition: Edition) -> None:
        if self.status != "approved":
            status_id, status_en = STATUS_TEXT[self.status]
            if self.reason:
                status_id += f" (alasan: {self.reason})"
                status_en += f" (reason: {self.reason})"
            raise EnrolmentNotApproved(
                kim_name=self.kim_name, title=edition.title, status_id=status_id, status_en=status_en
            )

    def apply(
        self, *, status: EnrolmentStatus, reason: str | None, kim_name: str, kelurahan: Region, revision: int
    ) -> None:
        if revision <= self.revision:
            return
        self.status, self.reason, self.kim_name, self.kelurahan = status, reason, kim_name, kelurahan
        self.revision = revision

    def rename_kim(self, kim_name: str, kelurahan: Region) -> None:
        self.kim_name, self.kelurahan = kim_name, kelurahan
