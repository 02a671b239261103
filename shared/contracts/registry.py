"""Events the registry publishes: KIMs, editions, enrolments, accounts."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from .envelope import Envelope, Payload


class Region(Payload):
    code: str
    name: str


class Member(Payload):
    name: str
    role: str | None = None
    expertise: str | None = Field(default=None, description="What the member brings: 'Kader lingkungan'.")


class KimProfile(Payload):
    """A KIM as it now stands."""

    kim_id: UUID
    name: str
    kelurahan: Region
    kecamatan: Region
    chair: str
    whatsapp: str = Field(description="E.164, e.g. +6281234567890")
    email: str
    members: list[Member]
    verified: bool
    revision: int = Field(description="Grows by one with every change; consumers keep the highest.")


class KimRegistered(Envelope[KimProfile]):
    """A KIM exists."""

    event_type = "kim.registered"


class KimUpdated(Envelope[KimProfile]):
    """A KIM's profile changed."""

    event_type = "kim.updated"


class KimVerified(Envelope[KimProfile]):
    """Staff checked a KIM; it may now enrol in editions."""

    event_type = "kim.verified"


class EditionRules(Payload):
    max_video_seconds: int
    allowed_video_hosts: list[str]
    entries_per_kim: int


class Prize(Payload):
    rank: int
    title: str
    reward: str | None = Field(
        default=None, description='The prize as the edition words it, e.g. "Rp40.000.000".'
    )
    amount: int | None = Field(default=None, ge=0, description="Cash in rupiah; None when there is no cash.")
    non_cash: str | None = Field(
        default=None, description='What is given besides cash, e.g. "Trofi dan sertifikat".'
    )


class Category(Payload):
    """A category or award of an edition, beside its main ranking.

    `ranked`: the entries entered for it are ranked on the category's rubric
    (judging's; the edition's when it sets none) and `awarded_ranks` places win.
    `special`: the jury gives it to one entry in competition, with a written reason.
    `favourite`: the people's choice (Juara Favorit), decided by the public vote.
    """

    code: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40, description='e.g. "sinematografi"')
    title: str
    kind: Literal["ranked", "special", "favourite"]
    awarded_ranks: int = Field(ge=1, description="Places awarded; 1 for a special award.")
    prizes: list[Prize] = []
    description: str = ""
    favourite_of: str | None = Field(
        default=None,
        description=(
            "Only on a favourite category: the code of the ranked category whose entries it is "
            "voted on among (none: every entry in competition). An edition with several favourite "
            "categories gives each one, each a different ranked category."
        ),
    )


class EditionDetails(Payload):
    """An edition (one competition) as it now stands."""

    edition_id: UUID
    title: str
    theme: str
    description: str
    submission_opens_at: AwareDatetime
    submission_closes_at: AwareDatetime
    rules: EditionRules
    awarded_ranks: int = Field(description="How many places are announced as winners.")
    prizes: list[Prize]
    status: Literal["published", "submissions_closed"]
    revision: int
    categories: list[Category] = Field(
        default=[], description="Categories and awards beside the main ranking, in the edition's order."
    )
    copied_from: UUID | None = Field(
        default=None,
        description="The edition this one was created from: judging and notifications copy their "
        "settings of it (rubric, categories' rubrics, options, panel, reminders).",
    )


class EditionPublished(Envelope[EditionDetails]):
    """An edition is open for enrolment; entries are accepted inside its window."""

    event_type = "edition.published"


class EditionUpdated(Envelope[EditionDetails]):
    """A published edition's details, window or rules changed."""

    event_type = "edition.updated"


class SubmissionsClosure(Payload):
    edition_id: UUID
    closed_at: AwareDatetime
    closed_by: Literal["staff", "deadline"]
    revision: int


class EditionSubmissionsClosed(Envelope[SubmissionsClosure]):
    """No more entries or revisions; judging may begin."""

    event_type = "edition.submissions_closed"


class EnrolmentDetails(Payload):
    enrolment_id: UUID
    edition_id: UUID
    kim_id: UUID
    kim_name: str
    kelurahan: Region
    kecamatan: Region
    status: Literal["requested", "approved", "rejected"]
    reason: str | None = Field(default=None, description="Why staff rejected it.")
    at: AwareDatetime
    revision: int


class EnrolmentRequested(Envelope[EnrolmentDetails]):
    """A KIM asked to take part in an edition; staff decide."""

    event_type = "enrolment.requested"


class EnrolmentApproved(Envelope[EnrolmentDetails]):
    """The KIM may submit entries to the edition."""

    event_type = "enrolment.approved"


class EnrolmentRejected(Envelope[EnrolmentDetails]):
    """The KIM may not submit entries to the edition; `reason` says why."""

    event_type = "enrolment.rejected"


class AccountDetails(Payload):
    """An account as it now stands (never its password). Notifications makes each account a
    recipient from these; every service honours `token_version` when it checks a token."""

    account_id: UUID
    email: str
    name: str
    role: Literal["staff", "judge", "kim_rep"]
    kim_id: UUID | None = Field(default=None, description="The KIM a representative acts for.")
    disabled: bool
    token_version: int = Field(
        default=0, description="Grows when the account's sessions are revoked; older tokens are refused."
    )
    revision: int = Field(description="Grows by one with every change; consumers keep the highest.")


class AccountOpened(Envelope[AccountDetails]):
    """An account exists: staff opened it, or a KIM registered with its representative's account."""

    event_type = "account.opened"


class AccountChanged(Envelope[AccountDetails]):
    """An account changed: its email or name, disabled or enabled, or its sessions revoked."""

    event_type = "account.changed"
