"""The registry's use cases. Each takes its command (`commands.py`) and opens one
unit of work: the change and the events it causes are stored together or not at all."""

from __future__ import annotations

from collections import defaultdict
from uuid import UUID

from shared import contracts as c
from shared.contracts.judging import WinnerAnnouncedV2
from shared.contracts.registry import Prize
from shared.kernel.clock import Clock
from shared.platform.persistence.unit_of_work import apply_once, retry_on_conflict

from ..adapters.passwords import Passwords
from ..domain.account import Account, email_key
from ..domain.edition import Edition
from ..domain.enrolment import Enrolment
from ..domain.errors import AccountEmailTaken, AlreadyEnrolled, KimEmailTaken, KimNameTaken
from ..domain.kim import Achievement, Kim
from ..domain.regions import RegionCatalog
from .commands import (
    ApproveEnrolment,
    CloseSubmissions,
    CopyEdition,
    DraftEdition,
    PublishEdition,
    RegisterKim,
    RejectEnrolment,
    RequestEnrolment,
    ReviseEdition,
    UpdateKim,
    VerifyKim,
)
from .unit_of_work import RegistryUnitOfWork


@retry_on_conflict
async def register_kim(
    uow: RegistryUnitOfWork, regions: RegionCatalog, clock: Clock, passwords: Passwords, command: RegisterKim
) -> Kim:
    """Register a KIM; with a password, also its representative's account
    (login: the KIM's email), stored together."""
    kelurahan = regions.kelurahan(command.kelurahan_code)
    password = command.representative_password
    password_hash = await passwords.hash(password) if password else None
    async with uow:
        if await uow.kims.named(command.name) is not None:
            raise KimNameTaken(name=command.name.strip())
        if password_hash is not None and await uow.accounts.with_email(command.email) is not None:
            raise AccountEmailTaken(email=email_key(command.email))
        kim = Kim.register(kelurahan=kelurahan, now=clock(), **command.profile())
        uow.kims.add(kim)
        if password_hash is not None:
            uow.accounts.add(
                Account.open(
                    email=command.email,
                    name=f"{kim.name} ({kim.chair})",
                    role="kim_rep",
                    password_hash=password_hash,
                    now=kim.registered_at,
                    kim_id=kim.kim_id,
                )
            )
        await uow.commit()
    return kim


@retry_on_conflict
async def update_kim(
    uow: RegistryUnitOfWork, regions: RegionCatalog, clock: Clock, command: UpdateKim
) -> Kim:
    code = command.kelurahan_code
    kelurahan = regions.kelurahan(code) if code is not None else None
    async with uow:
        kim = await uow.kims.require(command.kim_id)
        name = command.name
        if name is not None and name.strip().lower() != kim.name.lower() and await uow.kims.named(name):
            raise KimNameTaken(name=name.strip())
        if command.email is not None:
            await _login_follows_email(uow, kim, command.email)
        kim.update(kelurahan=kelurahan, now=clock(), **command.changes())
        await uow.commit()
    return kim


async def record_announcement(uow: RegistryUnitOfWork, event: c.WinnerAnnounced) -> bool:
    """Record on each KIM the places it won in one of the registry's editions:
    "Juara 1, Lomba Video Pendek KIM 2024", level kota, the announcement's year,
    the prize for that rank. A correction (a newer results version) replaces that
    edition's competition achievements on every KIM; an older or repeated version
    changes nothing. Once per event (the inbox)."""
    results = event.data

    async def effect(uow: RegistryUnitOfWork) -> None:
        edition = await uow.editions.get(results.edition_id)
        if edition is None or not edition.take_results(results.version):
            return
        rewards = {prize.rank: prize.reward for prize in edition.prizes}
        won: dict[UUID, list[Achievement]] = defaultdict(list)
        for placing in results.winners:
            won[placing.kim_id].append(
                Achievement(
                    title=f"Juara {placing.rank}, {edition.title}",
                    level="kota",
                    year=results.announced_at.year,
                    reward=rewards.get(placing.rank),
                    source="competition",
                    edition_id=edition.edition_id,
                    rank=placing.rank,
                )
            )
        holding = await uow.kims.with_competition_achievements(edition.edition_id)
        holders = {kim.kim_id: kim for kim in holding}
        for kim_id in [*holders, *(k for k in won if k not in holders)]:
            kim = holders.get(kim_id) or await uow.kims.get(kim_id)
            if kim is not None:
                kim.record_competition_result(edition.edition_id, won.get(kim_id, []))

    return await apply_once(uow, event, effect)


async def record_category_announcement(uow: RegistryUnitOfWork, event: WinnerAnnouncedV2) -> bool:
    """`winner.announced` v2: record on each KIM the places it won in one of an
    edition's categories: "Juara 1 Sinematografi Terbaik, Lomba Video Pendek KIM 2024"
    (a special award or the favourite: "Penghargaan Khusus Juri, ..."), level kota,
    the announcement's year, the place's prize. A correction replaces that category's
    achievements only. The main ranking (category None) is v1's: nothing here. Once
    per event (the inbox)."""
    results = event.data
    category = results.category

    async def effect(uow: RegistryUnitOfWork) -> None:
        if category is None:
            return  # the main ranking: recorded from v1 (`record_announcement`)
        edition = await uow.editions.get(results.edition_id)
        if edition is None or not edition.take_results(results.version, category.code):
            return
        won: dict[UUID, list[Achievement]] = defaultdict(list)
        for placing in results.winners:
            place = f"Juara {placing.rank} {category.title}" if category.kind == "ranked" else category.title
            won[placing.kim_id].append(
                Achievement(
                    title=f"{place}, {edition.title}",
                    level="kota",
                    year=results.announced_at.year,
                    reward=_reward(placing.prize),
                    source="competition",
                    edition_id=edition.edition_id,
                    rank=placing.rank,
                    category=category.code,
                )
            )
        holding = await uow.kims.with_competition_achievements(edition.edition_id)
        holders = {kim.kim_id: kim for kim in holding}
        for kim_id in [*holders, *(k for k in won if k not in holders)]:
            kim = holders.get(kim_id) or await uow.kims.get(kim_id)
            if kim is not None:
                kim.record_competition_result(edition.edition_id, won.get(kim_id, []), category.code)

    return await apply_once(uow, event, effect)


def _reward(prize: Prize | None) -> str | None:
    """The prize as worded, or else its cash ("Rp2.000.000") and what comes with it."""
    if prize is None:
        return None
    if prize.reward:
        return prize.reward
    parts = [f"Rp{prize.amount:,}".replace(",", ".")] if prize.amount is not None else []
    parts += [prize.non_cash] if prize.non_cash else []
    return ", ".join(parts) or None


async def _login_follows_email(uow: RegistryUnitOfWork, kim: Kim, email: str) -> None:
    """The representative whose login is the KIM's contact email keeps it so: their
    login changes with it. `KimEmailTaken` if another account has the new email."""
    before, after = email_key(kim.email), email_key(email)
    if before == after:
        return
    following = [a for a in await uow.accounts.representatives_of(kim.kim_id) if a.email == before]
    if not following:
        return
    other = await uow.accounts.with_email(after)
    if other is not None:
        raise KimEmailTaken(email=after)
    for account in following:
        account.change_email(after)


@retry_on_conflict
async def verify_kim(uow: RegistryUnitOfWork, clock: Clock, command: VerifyKim) -> Kim:
    async with uow:
        kim = await uow.kims.require(command.kim_id)
        kim.verify(clock())
        await uow.commit()
    return kim


@retry_on_conflict
async def draft_edition(uow: RegistryUnitOfWork, clock: Clock, command: DraftEdition) -> Edition:
    edition = Edition.draft(now=clock(), **command.details())
    async with uow:
        uow.editions.add(edition)
        await uow.commit()
    return edition


@retry_on_conflict
async def copy_edition(uow: RegistryUnitOfWork, clock: Clock, command: CopyEdition) -> Edition:
    """Next year's edition: a draft copied from the source (`Edition.copy_of`)."""
    async with uow:
        source = await uow.editions.require(command.source_id)
        edition = Edition.copy_of(source, now=clock(), **command.window())
        uow.editions.add(edition)
        await uow.commit()
    return edition


@retry_on_conflict
async def revise_edition(uow: RegistryUnitOfWork, command: ReviseEdition) -> Edition:
    async with uow:
        edition = await uow.editions.require(command.edition_id)
        edition.revise(**command.changes())
        await uow.commit()
    return edition


@retry_on_conflict
async def publish_edition(uow: RegistryUnitOfWork, clock: Clock, command: PublishEdition) -> Edition:
    async with uow:
        edition = await uow.editions.require(command.edition_id)
        edition.publish(clock())
        await uow.commit()
    return edition


@retry_on_conflict
async def close_submissions(uow: RegistryUnitOfWork, clock: Clock, command: CloseSubmissions) -> Edition:
    async with uow:
        edition = await uow.editions.require(command.edition_id)
        edition.close_submissions(clock(), command.by)
        await uow.commit()
    return edition


async def close_editions_past_deadline(uow: RegistryUnitOfWork, clock: Clock) -> list[UUID]:
    """Close every published edition whose submission deadline has passed."""
    async with uow:
        due = [e.edition_id for e in await uow.editions.past_deadline(clock())]
    closed = []
    for edition_id in due:
        edition = await close_submissions(uow, clock, CloseSubmissions(edition_id=edition_id, by="deadline"))
        closed.append(edition.edition_id)
    return closed


@retry_on_conflict
async def request_enrolment(uow: RegistryUnitOfWork, clock: Clock, command: RequestEnrolment) -> Enrolment:
    async with uow:
        edition = await uow.editions.require(command.edition_id)
        kim = await uow.kims.require(command.kim_id)
        existing = await uow.enrolments.of_kim(command.edition_id, command.kim_id)
        if existing is not None:
            raise AlreadyEnrolled(name=kim.name, status=existing.status)
        enrolment = Enrolment.request(edition=edition, kim=kim, now=clock())
        uow.enrolments.add(enrolment)
        await uow.commit()
    return enrolment


@retry_on_conflict
async def approve_enrolment(uow: RegistryUnitOfWork, clock: Clock, command: ApproveEnrolment) -> Enrolment:
    async with uow:
        enrolment = await uow.enrolments.require(command.enrolment_id)
        edition = await uow.editions.require(enrolment.edition_id)
        enrolment.approve(edition=edition, now=clock())
        await uow.commit()
    return enrolment


@retry_on_conflict
async def reject_enrolment(uow: RegistryUnitOfWork, clock: Clock, command: RejectEnrolment) -> Enrolment:
    async with uow:
        enrolment = await uow.enrolments.require(command.enrolment_id)
        edition = await uow.editions.require(enrolment.edition_id)
        enrolment.reject(edition=edition, reason=command.reason, now=clock())
        await uow.commit()
    return enrolment
