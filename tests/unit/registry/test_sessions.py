"""Sign-in sessions: refresh tokens rotate, a reused one ends its session, sliding
and absolute expiry, sign-out and disabled accounts end sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import jwt
import pytest
from registry.adapters.passwords import Passwords
from registry.domain.account import Account
from registry.domain.errors import AccountDisabled, AccountNotFound, SessionEnded, SessionNotFound
from registry.domain.login_throttle import LoginThrottle
from registry.domain.session import LoginSession, SessionPolicy, token_hash
from registry.service_layer import accounts
from registry.service_layer.commands import (
    DisableAccount,
    EnableAccount,
    LogIn,
    LogOut,
    OpenAccount,
    RegisterKim,
    RenewSession,
)
from registry.service_layer.integration_events import to_integration

from ..fakes import FakeRepository, FakeUnitOfWork

SECRET = "a-test-secret-that-is-long-enough-for-hs256"
START = datetime(2024, 8, 1, 9, 0, tzinfo=UTC)


class FakeAccounts(FakeRepository[Account]):
    async def with_email(self, email: str) -> Account | None:
        found = self.where(lambda a: a.email == email.strip().lower())
        return found[0] if found else None


class FakeSessions(FakeRepository[LoginSession]):
    async def with_token(self, hashed: str) -> LoginSession | None:
        found = self.where(lambda s: hashed == s.token_hash or hashed in s.rotated_hashes)
        return found[0] if found else None

    async def live_of_account(self, account_id: UUID) -> list[LoginSession]:
        return self.where(lambda s: s.account_id == account_id and not s.revoked)


class FakeRegistry(FakeUnitOfWork):
    def __init__(self) -> None:
        super().__init__(to_integration)
        self.accounts = FakeAccounts("account_id", not_found=AccountNotFound)
        self.sessions = FakeSessions("session_id", not_found=SessionNotFound)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def world() -> tuple[FakeRegistry, Clock, accounts.Login]:
    uow, clock = FakeRegistry(), Clock()
    login = accounts.Login(
        passwords=Passwords(),
        throttle=LoginThrottle(allowed=5, pause_seconds=60),
        token_secret=SECRET,
        token_lifetime=timedelta(minutes=15),
    )
    return uow, clock, login


async def renew(uow: FakeRegistry, clock: Clock, login: accounts.Login, token: str) -> accounts.Session:
    return await accounts.renew_session(uow, clock, login, RenewSession(refresh_token=token))


async def open_and_log_in(world: tuple[FakeRegistry, Clock, accounts.Login]) -> accounts.Session:
    uow, clock, login = world
    await accounts.open_account(
        uow,
        clock,
        login.passwords,
        OpenAccount(email="juri@juri.id", name="Juri", role="judge", password="benar-sekali-2024"),
    )
    return await accounts.log_in(
        uow, clock, login, LogIn(email="juri@juri.id", password="benar-sekali-2024", client="127.0.0.1")
    )


async def test_login_starts_a_session_keeping_only_the_hash_of_its_token(world) -> None:
    uow, _, _ = world
    session = await open_and_log_in(world)
    (stored,) = uow.sessions.items.values()
    assert len(session.refresh_token) >= 43  # 256 bits, URL-safe base64
    assert stored.token_hash == token_hash(session.refresh_token) != session.refresh_token
    assert session.refresh_token not in str(vars(stored))
    assert session.refresh_expires_in_seconds == 12 * 3600
    assert stored.ends_at - stored.created_at == timedelta(days=30)


async def test_refresh_rotates_the_token_and_the_old_one_stops_working(world) -> None:
    uow, clock, login = world
    first = await open_and_log_in(world)
    clock.now += timedelta(minutes=14)
    second = await renew(uow, clock, login, first.refresh_token)
    assert second.refresh_token != first.refresh_token
    claims = jwt.decode(
        second.access_token, SECRET, algorithms=["HS256"], options={"verify_exp": False, "verify_aud": False}
    )
    assert claims["email"] == "juri@juri.id" and claims["iat"] == int(clock.now.timestamp())
    third = await renew(uow, clock, login, second.refresh_token)
    assert third.refresh_token not in (first.refresh_token, second.refresh_token)


async def test_a_reused_refresh_token_revokes_the_whole_session(world) -> None:
    uow, clock, login = world
    first = await open_and_log_in(world)
    second = await renew(uow, clock, login, first.refresh_token)
    with pytest.raises(SessionEnded):
        await renew(uow, clock, login, first.refresh_token)  # copied
    (stored,) = uow.sessions.items.values()
    assert stored.revoked and stored.revoked_because == "reused"
    with pytest.raises(SessionEnded):  # the thief's copy ends the holder's session too
        await renew(uow, clock, login, second.refresh_token)


async def test_sessions_slide_for_twelve_hours_but_end_after_thirty_days(world) -> None:
    uow, clock, login = world
    session = await open_and_log_in(world)
    token = session.refresh_token
    for _ in range(65):  # renewed every 11 h: alive for 29 days and 19 h
        clock.now += timedelta(hours=11)
        token = (await renew(uow, clock, login, token)).refresh_token
    clock.now += timedelta(hours=11)  # day 30 and 6 h: past the absolute end
    with pytest.raises(SessionEnded):
        await renew(uow, clock, login, token)

    idle = await accounts.log_in(
        uow, clock, login, LogIn(email="juri@juri.id", password="benar-sekali-2024", client="127.0.0.1")
    )
    clock.now += timedelta(hours=12, seconds=1)
    with pytest.raises(SessionEnded):
        await renew(uow, clock, login, idle.refresh_token)


async def test_the_absolute_end_caps_the_sliding_expiry() -> None:
    session, _ = LoginSession.start(
        UUID(int=1), now=START, policy=SessionPolicy(sliding=timedelta(hours=12), absolute=timedelta(hours=1))
    )
    assert session.expires_at == START + timedelta(hours=1)


async def test_logout_revokes_and_is_idempotent(world) -> None:
    uow, clock, login = world
    session = await open_and_log_in(world)
    await accounts.log_out(uow, clock, LogOut(refresh_token=session.refresh_token))
    await accounts.log_out(uow, clock, LogOut(refresh_token=session.refresh_token))
    await accounts.log_out(uow, clock, LogOut(refresh_token="never-issued"))
    with pytest.raises(SessionEnded):
        await renew(uow, clock, login, session.refresh_token)


async def test_a_disabled_account_cannot_log_in_or_refresh_until_enabled(world) -> None:
    uow, clock, login = world
    session = await open_and_log_in(world)
    account = session.account
    disabled = await accounts.disable_account(uow, clock, DisableAccount(account_id=account.account_id))
    assert disabled.disabled
    assert all(s.revoked for s in uow.sessions.items.values())
    with pytest.raises(SessionEnded):
        await renew(uow, clock, login, session.refresh_token)
    with pytest.raises(AccountDisabled):
        await accounts.log_in(
            uow, clock, login, LogIn(email="juri@juri.id", password="benar-sekali-2024", client="127.0.0.1")
        )
    await accounts.enable_account(uow, EnableAccount(account_id=account.account_id))
    again = await accounts.log_in(
        uow, clock, login, LogIn(email="juri@juri.id", password="benar-sekali-2024", client="127.0.0.1")
    )
    assert (await renew(uow, clock, login, again.refresh_token)).access_token


def test_commands_keep_passwords_and_refresh_tokens_out_of_their_repr() -> None:
    secret = "rahasia-sekali-2024"
    commands = [
        RegisterKim(
            name="KIM Ganjur",
            kelurahan_code="gadang",
            chair="Ketua",
            whatsapp="081298765432",
            email="ganjur@example.id",
            members=[],
            representative_password=secret,
        ),
        OpenAccount(email="juri@juri.id", name="Juri", role="judge", password=secret),
        LogIn(email="juri@juri.id", password=secret, client="127.0.0.1"),
        RenewSession(refresh_token=secret),
        LogOut(refresh_token=secret),
    ]
    assert [secret in repr(command) for command in commands] == [False] * 5
    assert "juri@juri.id" in repr(commands[1])  # the rest still shows
