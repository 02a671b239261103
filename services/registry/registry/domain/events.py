"""What happened inside the registry. Each event names the aggregate as it now
stands; the service layer turns them into the integration events of `shared.contracts`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .account import Account
    from .edition import Edition
    from .enrolment import Enrolment
    from .kim import Kim


@dataclass(frozen=True)
class KimRegistered:
    kim: Kim


@dataclass(frozen=True)
class KimUpdated:
    kim: Kim


@dataclass(frozen=True)
class KimVerified:
    kim: Kim


@dataclass(frozen=True)
class EditionPublished:
    edition: Edition


@dataclass(frozen=True)
class EditionUpdated:
    edition: Edition


@dataclass(frozen=True)
class SubmissionsClosed:
    edition: Edition


@dataclass(frozen=True)
class EnrolmentRequested:
    enrolment: Enrolment


@dataclass(frozen=True)
class EnrolmentApproved:
    enrolment: Enrolment


@dataclass(frozen=True)
class EnrolmentRejected:
    enrolment: Enrolment


@dataclass(frozen=True)
class AccountOpened:
    account: Account


@dataclass(frozen=True)
class AccountChanged:
    account: Account
