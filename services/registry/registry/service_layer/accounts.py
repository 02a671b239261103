"""Accounts and login: staff open accounts, KIMs open their representative's
account when they register, everyone logs in for a short-lived token and a
refresh token that renews it (a revocable session, `domain/session.py`)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from shared.kernel.clock import Clock
from shared.kernel.principal import Role
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
    uow: RegistryUnitOfWork,
    clock: Clock,
    passwords: Passwords,
    *,
    email: str,
    name: str,
    role: Role,
    password: str,
    kim_id: UUID | None = None,
) -> Account:
    password_hash = await passwords.hash(password)
    async with uow:
        if await uow.accounts.with_email(email) is not None:
            raise AccountEmailTaken(email=email_key(email))
        if kim_id is not None:
            await uow.kims.require(kim_id)
        account = Account.open(
            email=email, name=name, role=role, password_hash=password_hash, now=clock(), kim_id=kim_id
        )
        uow.accounts.add(account)
        await uow.commit()
    return account


async def log_in(
    uow: RegistryUnitOfWork, clock: Clock, login: Login, *, email: str, password: str, client: str
) -> Session:
    """A token for the account, if the password matches. Failures count against the
    account and the client address; past the allowance both wait (`TooManyLogins`)."""
    keys = [f"account:{email_key(email)}", f"client:{client}"]
    waiting = login.throttle.wait_seconds(keys, time.monotonic())
    if waiting > 0:
        raise TooManyLogins(retry_after_seconds=max(1, round(waiting)))
    async with uow:
        account = await uow.accounts.with_email(email)
    matches = await login.passwords.matches(account.password_hash if account else None, password)
    if account is None or not matches:
        login.throttle.failed(keys, time.monotonic())
        raise LoginFailed()
    if account.disabled:
        raise AccountDisabled()
    login.throttle.succeeded(keys[:1])
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
async def refresh(uow: RegistryUnitOfWork, clock: Clock, login: Login, *, refresh_token: str) -> Session:
    """A new access token and a rotated refresh token; `SessionEnded` when the session
    is unknown, expired, revoked or its account disabled. A token presented after it
    was rotated revokes its session (and that revocation is stored)."""
    now = clock()
    async with uow:
        session = await uow.sessions.with_token(token_hash(refresh_token))
        if session is None:
            raise SessionEnded()
        account = await uow.accounts.get(session.account_id)
        if account is None or account.disabled:
            session.revoke(now, because="account disabled")
            await uow.commit()
            raise SessionEnded()
        try:
            new_token = session.rotate(token_hash(refresh_token), now=now, policy=login.sessions)
        except SessionEnded:
            await uow.commit()  # keeps a revocation for a reused token
            raise
        await uow.commit()
    return _session(login, account, session, new_token, now)


@retry_on_conflict
async def log_out(uow: RegistryUnitOfWork, clock: Clock, *, refresh_token: str) -> None:
    """Revokes the session of the token; nothing to do for an unknown or ended one."""
    async with uow:
        session = await uow.sessions.with_token(token_hash(refresh_token))
        if session is None or session.revoked:
            return
        session.revoke(clock(), because="signed out")
        await uow.commit()


@retry_on_conflict
async def set_disabled(uow: RegistryUnitOfWork, clock: Clock, account_id: UUID, *, disabled: bool) -> Account:
    """Staff disable an account (ending every session it has) or enable it again."""
    async with uow:
        account = await uow.accounts.require(account_id)
        if disabled:
            account.disable()
            now = clock()
            for session in await uow.sessions.live_of_account(account_id):
                session.revoke(now, because="account disabled")
        else:
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
        uow, clock, passwords, email=email, name="Admin", role="staff", password=password
    )
