"""Accounts and login: staff open accounts, KIMs open their representative's
account when they register, everyone logs in for a short-lived token and a
refresh token that renews it (a revocable session, `domain/session.py`)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.kernel.clock import Clock
from shared.platform.auth import issue_token
from shared.platform.persistence.unit_of_work import retry_on_conflict

from ..adapters.passwords import Passwords
from ..domain.account import Account, email_key
from ..domain.errors import (
    AccountDisabled,
    AccountEmailTaken,
    LoginFailed,
    SessionEnded,
    TooManyLogins,
)
from ..domain.login_throttle import LoginThrottle
from ..domain.session import LoginSession, SessionPolicy, token_hash
from .commands import DisableAccount, EnableAccount, LogIn, LogOut, OpenAccount, RenewSession
from .unit_of_work import RegistryUnitOfWork


@dataclass(frozen=True)
class Session:
    account: Account
    access_token: str
    expires_in_seconds: int
    refresh_token: str
    refresh_expires_in_seconds: int


@dataclass
class Login:
    """What logging in needs: the hashes, the throttle and the token's signing key."""

    passwords: Passwords
    throttle: LoginThrottle
    token_secret: str
    token_lifetime: timedelta
    sessions: SessionPolicy = SessionPolicy()


@retry_on_conflict
async def open_account(
    uow: RegistryUnitOfWork, clock: Clock, passwords: Passwords, command: OpenAccount
) -> Account:
    password_hash = await passwords.hash(command.password)
    async with uow:
        if await uow.accounts.with_email(command.email) is not None:
            raise AccountEmailTaken(email=email_key(command.email))
        if command.kim_id is not None:
            await uow.kims.require(command.kim_id)
        account = Account.open(password_hash=password_hash, now=clock(), **command.details())
        uow.accounts.add(account)
        await uow.commit()
    return account


async def log_in(uow: RegistryUnitOfWork, clock: Clock, login: Login, command: LogIn) -> Session:
    """A token for the account, if the password matches. Failures count against the
    pair of the account and the client address (and, more loosely, the client alone):
    past the allowance that pair waits (`TooManyLogins`), nobody else does."""
    email, client = email_key(command.email), command.client
    waiting = await login.throttle.wait_seconds(email, client, clock())
    if waiting > 0:
        raise TooManyLogins(retry_after_seconds=max(1, math.ceil(waiting)))
    async with uow:
        account = await uow.accounts.with_email(command.email)
    matches = await login.passwords.matches(account.password_hash if account else None, command.password)
    if account is None or not matches:
        await login.throttle.failed(email, client, clock())
        raise LoginFailed()
    if account.disabled:
        raise AccountDisabled()
    await login.throttle.succeeded(email, client)
    now = clock()
    session, refresh_token = LoginSession.start(account.account_id, now=now, policy=login.sessions)
    async with uow:
        uow.sessions.add(session)
        await uow.commit()
    return _session(login, account, session, refresh_token, now)


def _session(
    login: Login, account: Account, session: LoginSession, refresh_token: str, now: datetime
) -> Session:
    token = issue_token(login.token_secret, account.principal(), now=now, lifetime=login.token_lifetime)
    return Session(
        account,
        token,
        int(login.token_lifetime.total_seconds()),
        refresh_token,
        int((session.expires_at - now).total_seconds()),
    )


@retry_on_conflict
async def renew_session(
    uow: RegistryUnitOfWork, clock: Clock, login: Login, command: RenewSession
) -> Session:
    """A new access token and a rotated refresh token; `SessionEnded` when the session
    is unknown, expired, revoked or its account disabled. A token presented after it
    was rotated revokes its session (and that revocation is stored)."""
    now = clock()
    presented = token_hash(command.refresh_token)
    async with uow:
        session = await uow.sessions.with_token(presented)
        if session is None:
            raise SessionEnded()
        account = await uow.accounts.get(session.account_id)
        if account is None or account.disabled:
            session.revoke(now, because="account disabled")
            await uow.commit()
            raise SessionEnded()
        try:
            new_token = session.rotate(presented, now=now, policy=login.sessions)
        except SessionEnded:
            await uow.commit()  # keeps a revocation for a reused token
            raise
        await uow.commit()
    return _session(login, account, session, new_token, now)


@retry_on_conflict
async def log_out(uow: RegistryUnitOfWork, clock: Clock, command: LogOut) -> None:
    """Revokes the session of the token, and every access token issued to its account
    so far (the account's token version grows): the access token of a signed-out
    device stops working at every service, not only when it expires. The account's
    other sessions renew their access token once with their own refresh token.
    Nothing to do for an unknown or ended session."""
    async with uow:
        session = await uow.sessions.with_token(token_hash(command.refresh_token))
        if session is None or session.revoked:
            return
        session.revoke(clock(), because="signed out")
        account = await uow.accounts.get(session.account_id)
        if account is not None:
            account.end_sessions()
        await uow.commit()


@retry_on_conflict
async def disable_account(uow: RegistryUnitOfWork, clock: Clock, command: DisableAccount) -> Account:
    """Staff disable an account: it can no longer log in, and every session it has ends."""
    async with uow:
        account = await uow.accounts.require(command.account_id)
        account.disable()
        now = clock()
        for session in await uow.sessions.live_of_account(command.account_id):
            session.revoke(now, because="account disabled")
        await uow.commit()
    return account


@retry_on_conflict
async def enable_account(uow: RegistryUnitOfWork, command: EnableAccount) -> Account:
    async with uow:
        account = await uow.accounts.require(command.account_id)
        account.enable()
        await uow.commit()
    return account


async def ensure_first_admin(
    uow: RegistryUnitOfWork, clock: Clock, passwords: Passwords, *, email: str, password: str
) -> Account | None:
    """The first staff account, unless one exists already: an operator's way in."""
    async with uow:
        if await uow.accounts.any_with_role("staff"):
            return None
    return await open_account(
        uow, clock, passwords, OpenAccount(email=email, name="Admin", role="staff", password=password)
    )
