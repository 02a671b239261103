"""Registration by confirmation, password resets and the login that follows the
KIM's email, with an in-memory unit of work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from registry.adapters.passwords import Passwords
from registry.domain.account import Account
from registry.domain.credentials import PasswordReset, PendingRegistration
from registry.domain.errors import (
    AccountNotFound,
    KimEmailTaken,
    KimNotFound,
    LinkExpired,
    LinkNotFound,
    LinkUsed,
    TooManyRequests,
)
from registry.domain.mail import Mail
from registry.domain.regions import RegionCatalog
from registry.domain.request_throttle import RequestThrottle
from registry.domain.session import LoginSession, SessionPolicy, token_hash
from registry.service_layer import credentials, services
from registry.service_layer.commands import (
    ConfirmRegistration,
    RegisterKim,
    RequestPasswordReset,
    RequestRegistration,
    ResetPassword,
    UpdateKim,
)
from registry.service_layer.integration_events import to_integration

from ..fakes import FakeRepository, FakeUnitOfWork
from .test_services import FakeKims

START = datetime(2024, 8, 1, 9, 0, tzinfo=UTC)
REGIONS = RegionCatalog.load()
PASSWORDS = Passwords()


class FakeAccounts(FakeRepository[Account]):
    async def with_email(self, email: str) -> Account | None:
        found = self.where(lambda a: a.email == email.strip().lower())
        return found[0] if found else None

    async def representatives_of(self, kim_id: UUID) -> list[Account]:
        return self.where(lambda a: a.role == "kim_rep" and a.kim_id == kim_id)


class ByToken(FakeRepository[PendingRegistration]):
    async def with_token(self, hashed: str) -> PendingRegistration | None:
        found = self.where(lambda r: r.token_hash == hashed)
        return found[0] if found else None


class ResetsByToken(FakeRepository[PasswordReset]):
    async def with_token(self, hashed: str) -> PasswordReset | None:
        found = self.where(lambda r: r.token_hash == hashed)
        return found[0] if found else None


class FakeSessions(FakeRepository[LoginSession]):
    async def live_of_account(self, account_id: UUID) -> list[LoginSession]:
        return self.where(lambda s: s.account_id == account_id and not s.revoked)


class FakeRegistry(FakeUnitOfWork):
    def __init__(self) -> None:
        super().__init__(to_integration)
        self.kims = FakeKims("kim_id", not_found=KimNotFound)
        self.accounts = FakeAccounts("account_id", not_found=AccountNotFound)
        self.registrations = ByToken("registration_id", not_found=LinkNotFound)
        self.password_resets = ResetsByToken("reset_id", not_found=LinkNotFound)
        self.sessions = FakeSessions("session_id")
        self.mails = FakeRepository[Mail]("mail_id")


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def mailing(per_email: int = 5, per_client: int = 20) -> credentials.Mailing:
    return credentials.Mailing(
        console_url="http://console.test",
        per_email=RequestThrottle(allowed=per_email, window_seconds=3600),
        per_client=RequestThrottle(allowed=per_client, window_seconds=3600),
    )


def kim(email: str = "Kim@Ganjur.id") -> RegisterKim:
    return RegisterKim(
        name="KIM Ganjur",
        kelurahan_code="gadang",
        chair="Ketua",
        whatsapp="081298765432",
        email=email,
        members=[],
        representative_password="rahasia-ganjur-2024",
    )


def token_of(mail: Mail) -> str:
    return mail.text.split("token=")[1].split()[0]


async def register(
    uow: FakeRegistry, clock: Clock, mail: credentials.Mailing, email: str = "Kim@Ganjur.id"
) -> str:
    command = RequestRegistration(kim=kim(email), language="id", client="10.0.0.1")
    return await credentials.request_registration(uow, REGIONS, clock, PASSWORDS, mail, command)


async def test_a_registration_creates_nothing_until_confirmed_and_then_once() -> None:
    uow, clock = FakeRegistry(), Clock()
    assert await register(uow, clock, mailing()) == "kim@ganjur.id"
    assert not uow.kims.items and not uow.accounts.items
    (mail,) = uow.mails.items.values()
    (pending,) = uow.registrations.items.values()
    token = token_of(mail)
    assert pending.token_hash == token_hash(token) and token not in repr(pending)
    created = await credentials.confirm_registration(uow, REGIONS, clock, ConfirmRegistration(token=token))
    (account,) = uow.accounts.items.values()
    assert (account.email, account.kim_id, account.role) == ("kim@ganjur.id", created.kim_id, "kim_rep")
    with pytest.raises(LinkUsed):
        await credentials.confirm_registration(uow, REGIONS, clock, ConfirmRegistration(token=token))
    assert len(uow.kims.items) == 1
    assert {e.type for e in uow.published} >= {"kim.registered", "account.opened"}


async def test_a_confirmation_link_expires_after_a_day() -> None:
    uow, clock = FakeRegistry(), Clock()
    await register(uow, clock, mailing())
    clock.now += timedelta(hours=24)
    token = token_of(next(iter(uow.mails.items.values())))
    with pytest.raises(LinkExpired):
        await credentials.confirm_registration(uow, REGIONS, clock, ConfirmRegistration(token=token))
    assert not uow.kims.items


async def test_a_taken_email_gets_a_note_and_no_registration() -> None:
    uow, clock = FakeRegistry(), Clock()
    uow.accounts.add(
        Account.open(email="kim@ganjur.id", name="Juri", role="judge", password_hash="x", now=START)
    )
    assert await register(uow, clock, mailing()) == "kim@ganjur.id"
    (mail,) = uow.mails.items.values()
    assert mail.kind == "registration_attempt" and "token=" not in mail.text
    assert not uow.registrations.items


async def test_registrations_are_throttled_per_email() -> None:
    uow, clock, mail = FakeRegistry(), Clock(), mailing(per_email=2)
    await register(uow, clock, mail)
    await register(uow, clock, mail, "KIM@ganjur.id")
    with pytest.raises(TooManyRequests):
        await register(uow, clock, mail)


async def test_a_reset_link_works_once_within_an_hour_and_ends_sessions() -> None:
    uow, clock = FakeRegistry(), Clock()
    account = Account.open(email="juri@juri.id", name="Juri", role="judge", password_hash="x", now=START)
    uow.accounts.add(account)
    session, _ = LoginSession.start(account.account_id, now=START, policy=SessionPolicy())
    uow.sessions.add(session)
    ask = RequestPasswordReset(email="Juri@Juri.id", language="en", client="10.0.0.1")
    await credentials.request_password_reset(uow, clock, mailing(), ask)
    await credentials.request_password_reset(uow, clock, mailing(), ask)
    first, second = (token_of(m) for m in uow.mails.items.values())
    await credentials.reset_password(
        uow, clock, PASSWORDS, ResetPassword(token=first, password="baru-sekali-2024")
    )
    assert session.revoked and account.token_version == 1
    assert await PASSWORDS.matches(account.password_hash, "baru-sekali-2024")
    with pytest.raises(LinkUsed):
        await credentials.reset_password(
            uow, clock, PASSWORDS, ResetPassword(token=first, password="lagi-2024-xx")
        )
    clock.now += timedelta(hours=1)
    with pytest.raises(LinkExpired):
        await credentials.reset_password(
            uow, clock, PASSWORDS, ResetPassword(token=second, password="lagi-2024-xx")
        )


async def test_no_reset_mail_for_an_unknown_email() -> None:
    uow = FakeRegistry()
    ask = RequestPasswordReset(email="siapa@juri.id", language="id", client="10.0.0.1")
    assert await credentials.request_password_reset(uow, Clock(), mailing(), ask) == "siapa@juri.id"
    assert not uow.mails.items and not uow.password_resets.items


async def test_the_representatives_login_follows_the_kims_email() -> None:
    uow, clock = FakeRegistry(), Clock()
    await register(uow, clock, mailing())
    token = token_of(next(iter(uow.mails.items.values())))
    created = await credentials.confirm_registration(uow, REGIONS, clock, ConfirmRegistration(token=token))
    judge = Account.open(email="juri@juri.id", name="Juri", role="judge", password_hash="x", now=START)
    uow.accounts.add(judge)
    with pytest.raises(KimEmailTaken):
        await services.update_kim(uow, REGIONS, clock, UpdateKim(kim_id=created.kim_id, email="juri@juri.id"))
    await services.update_kim(uow, REGIONS, clock, UpdateKim(kim_id=created.kim_id, email="Baru@Ganjur.id"))
    representative = next(a for a in uow.accounts.items.values() if a.role == "kim_rep")
    assert representative.email == "baru@ganjur.id"
    assert "account.changed" in [e.type for e in uow.published]
