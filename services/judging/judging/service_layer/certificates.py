"""Certificates: issued with each announcement (see `issued_with`, called by the
unit of work as it stores the announcement, so they are committed together),
listed for staff, and checked by anyone under their code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from ..domain import categories, events
from ..domain.certificate import Certificate, CertificateStatus, issue, normal_code
from ..domain.errors import CertificateNotFound, ResultsNotAnnounced

if TYPE_CHECKING:  # the unit of work calls `issued_with`
    from .unit_of_work import JudgingUnitOfWork


def issued_with(event: object) -> list[Certificate]:
    """The certificates an announcement issues: the main ranking's, with the edition's
    prizes, and a category's winners', with the category's."""
    match event:
        case events.WinnersAnnounced(edition, snapshot):
            assert snapshot.announced_at is not None
            # A final round's results are its edition's (`rounds.py`): so are its certificates.
            of = edition.round_of or edition.edition_id
            return issue(snapshot, prizes=edition.prizes, edition_id=of, now=snapshot.announced_at)
        case categories.ResultsAnnouncedV2(edition, snapshot, category) if category is not None:
            assert snapshot.announced_at is not None
            return issue(
                snapshot,
                prizes=category.prizes,
                category=category.ref,
                participants=False,
                now=snapshot.announced_at,
            )
    return []


@dataclass(frozen=True, kw_only=True)
class CheckedCertificate:
    certificate: Certificate
    status: CertificateStatus
    #: The latest announced version of the same results, when later than the certificate's.
    superseded_by: int | None
    #: The announced snapshot still hashes to the certificate's hash (None: not checked here).
    snapshot_intact: bool | None


async def of_edition(uow: JudgingUnitOfWork, edition_id: UUID) -> list[CheckedCertificate]:
    """Every certificate of the edition's announced results, every version, with its status;
    refused by name while nothing is announced."""
    async with uow:
        edition = await uow.editions.require(edition_id)
        found = await uow.certificates.of_edition(edition_id)
        from .rounds import announced_round  # rounds imports the unit of work, which imports this

        shown = await announced_round(uow, edition)
        if not found and (shown is None or shown.announced_version is None):
            raise ResultsNotAnnounced(title=edition.title)
        latest = _latest_versions(found)
        return [
            CheckedCertificate(
                certificate=each,
                status=each.status(latest[each.category_code], True),
                superseded_by=_later(latest[each.category_code], each),
                snapshot_intact=None,
            )
            for each in found
        ]


async def check(uow: JudgingUnitOfWork, code: str) -> CheckedCertificate:
    """A certificate as anyone may check it: is it still the latest announced version of
    its results, and does the announced snapshot still hash to its hash?"""
    async with uow:
        certificate = await uow.certificates.get(normal_code(code))
        if certificate is None:
            raise CertificateNotFound(code=code)
        same_results = await uow.certificates.of_results(certificate.edition_id, certificate.category_code)
        latest = max(c.results_version for c in same_results)
        intact = await _snapshot_intact(uow, certificate)
        return CheckedCertificate(
            certificate=certificate,
            status=certificate.status(latest, intact is not False),
            superseded_by=_later(latest, certificate),
            snapshot_intact=intact,
        )


async def _snapshot_intact(uow: JudgingUnitOfWork, certificate: Certificate) -> bool:
    category = certificate.category
    if category is None:
        results_of = certificate.results_of or certificate.edition_id
        snapshot = await uow.snapshots.numbered(results_of, certificate.results_version)
    else:
        snapshot = await uow.category_snapshots.numbered(
            certificate.edition_id, category.code, certificate.results_version
        )
    if snapshot is None or snapshot.announced_at is None:
        return False
    if category is not None and category.kind == "favourite":
        # The public vote's tally: hashed by the voting service, which keeps the votes.
        return snapshot.content_hash == certificate.content_hash
    return snapshot.content_hash == certificate.content_hash == snapshot.results.digest()


def _latest_versions(certificates: list[Certificate]) -> dict[str | None, int]:
    latest: dict[str | None, int] = {}
    for each in certificates:
        latest[each.category_code] = max(latest.get(each.category_code, 0), each.results_version)
    return latest


def _later(latest: int, certificate: Certificate) -> int | None:
    return latest if latest > certificate.results_version else None
