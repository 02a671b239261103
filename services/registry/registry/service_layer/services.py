"""The registry's use cases. Each opens one unit of work: the change and the
events it causes are stored together or not at all."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from shared.kernel.clock import Clock
from shared.platform.persistence.unit_of_work import retry_on_conflict

from ..domain.account import Account, email_key
from ..domain.edition import Edition, Prize, Rules
from ..domain.enrolment import Enrolment
from ..domain.errors import (
    AccountEmailTaken,
    AlreadyEnrolled,
    KimNameTaken,
)
from ..domain.kim import Kim, Member
from ..domain.regions import RegionCatalog
from .unit_of_work import RegistryUnitOfWork


@retry_on_conflict
async def register_kim(
    uow: RegistryUnitOfWork,
    regions: RegionCatalog,
    clock: Clock,
    *,
    name: str,
    kelurahan_code: str,
    chair: str,
    whatsapp: str,
    email: str,
    members: list[Member],
    representative_password_hash: str | None = None,
) -> Kim:
    """Register a KIM; with a password hash, also its representative's account
    (login: the KIM's email), stored together."""
    kelurahan = regions.kelurahan(kelurahan_code)
    async with uow:
        if await uow.kims.named(name) is not None:
            raise KimNameTaken(name=name.strip())
        if representative_password_hash is not None and await uow.accounts.with_email(email) is not None:
            raise AccountEmailTaken(email=email_key(email))
        kim = Kim.register(
            name=name,
            kelurahan=kelurahan,
            chair=chair,
            whatsapp=whatsapp,
            email=email,
            members=members,
            now=clock(),
        )
        uow.kims.add(kim)
        if representative_password_hash is not None:
            uow.accounts.add(
                Account.open(
                    email=email,
                    name=f"{kim.name} ({kim.chair})",
                    role="kim_rep",
                    password_hash=representative_password_hash,
                    now=kim.registered_at,
                    kim_id=kim.kim_id,
                )
            )
        await uow.commit()
    return kim


@retry_on_conflict
async def update_kim(
    uow: RegistryUnitOfWork,
    regions: RegionCatalog,
    kim_id: UUID,
    *,
    name: str | None = None,
    kelurahan_code: str | None = None,
    chair: str | None = None,
    whatsapp: str | None = None,
    email: str | None = None,
    members: list[Member] | None = None,
) -> Kim:
    kelurahan = regions.kelurahan(kelurahan_code) if kelurahan_code is not None else None
    async with uow:
        kim = await uow.kims.require(kim_id)
        if name is not None and name.strip().lower() != kim.name.lower() and await uow.kims.named(name):
            raise KimNameTaken(name=name.strip())
        kim.update(
            name=name,
            kelurahan=kelurahan,
            chair=chair,
            whatsapp=whatsapp,
            email=email,
            members=members,
        )
        await uow.commit()
    return kim


@retry_on_conflict
async def verify_kim(uow: RegistryUnitOfWork, clock: Clock, kim_id: UUID) -> Kim:
    async with uow:
        kim = await uow.kims.require(kim_id)
        kim.verify(clock())
        await uow.commit()
    return kim


@retry_on_conflict
async def create_edition(
    uow: RegistryUnitOfWork,
    clock: Clock,
    *,
    title: str,
    theme: str,
    description: str,
    submission_opens_at: datetime,
    submission_closes_at: datetime,
    rules: Rules,
    awarded_ranks: int,
    prizes: list[Prize],
) -> Edition:
    edition = Edition.draft(
        title=title,
        theme=theme,
        description=description,
        submission_opens_at=submission_opens_at,
        submission_closes_at=submission_closes_at,
        rules=rules,
        awarded_ranks=awarded_ranks,
        prizes=prizes,
        now=clock(),
    )
    async with uow:
        uow.editions.add(edition)
        await uow.commit()
    return edition


@retry_on_conflict
async def revise_edition(
    uow: RegistryUnitOfWork,
    edition_id: UUID,
    *,
    title: str | None = None,
    theme: str | None = None,
    description: str | None = None,
    submission_opens_at: datetime | None = None,
    submission_closes_at: datetime | None = None,
    rules: Rules | None = None,
    awarded_ranks: int | None = None,
    prizes: list[Prize] | None = None,
) -> Edition:
    async with uow:
        edition = await uow.editions.require(edition_id)
        edition.revise(
            title=title,
            theme=theme,
            description=description,
            submission_opens_at=submission_opens_at,
            submission_closes_at=submission_closes_at,
            rules=rules,
            awarded_ranks=awarded_ranks,
            prizes=prizes,
        )
        await uow.commit()
    return edition


@retry_on_conflict
async def publish_edition(uow: RegistryUnitOfWork, clock: Clock, edition_id: UUID) -> Edition:
    async with uow:
        edition = await uow.editions.require(edition_id)
        edition.publish(clock())
        await uow.commit()
    return edition


@retry_on_conflict
async def close_submissions(
    uow: RegistryUnitOfWork,
    clock: Clock,
    edition_id: UUID,
    by: Literal["staff", "deadline"] = "staff",
) -> Edition:
    async with uow:
        edition = await uow.editions.require(edition_id)
        edition.close_submissions(clock(), by)
        await uow.commit()
    return edition


async def close_editions_past_deadline(uow: RegistryUnitOfWork, clock: Clock) -> list[UUID]:
    """Close every published edition whose submission deadline has passed."""
    async with uow:
        due = [e.edition_id for e in await uow.editions.past_deadline(clock())]
    closed = []
    for edition_id in due:
        edition = await close_submissions(uow, clock, edition_id, by="deadline")
        closed.append(edition.edition_id)
    return closed


@retry_on_conflict
async def request_enrolment(
    uow: RegistryUnitOfWork, clock: Clock, edition_id: UUID, kim_id: UUID
) -> Enrolment:
    async with uow:
        edition = await uow.editions.require(edition_id)
        kim = await uow.kims.require(kim_id)
        existing = await uow.enrolments.of_kim(edition_id, kim_id)
        if existing is not None:
            raise AlreadyEnrolled(name=kim.name, status=existing.status)
        enrolment = Enrolment.request(edition=edition, kim=kim, now=clock())
        uow.enrolments.add(enrolment)
        await uow.commit()
    return enrolment


@retry_on_conflict
async def approve_enrolment(uow: RegistryUnitOfWork, clock: Clock, enrolment_id: UUID) -> Enrolment:
    async with uow:
        enrolment = await uow.enrolments.require(enrolment_id)
        edition = await uow.editions.require(enrolment.edition_id)
        enrolment.approve(edition=edition, now=clock())
        await uow.commit()
    return enrolment


@retry_on_conflict
async def reject_enrolment(
    uow: RegistryUnitOfWork, clock: Clock, enrolment_id: UUID, reason: str
) -> Enrolment:
    async with uow:
        enrolment = await uow.enrolments.require(enrolment_id)
        edition = await uow.editions.require(enrolment.edition_id)
        enrolment.reject(edition=edition, reason=reason, now=clock())
        await uow.commit()
    return enrolment
