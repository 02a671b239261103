"""Accounts and login: staff open accounts, KIMs open their representative's
account when they register, everyone logs in for a short-lived token."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from shared.kernel.clock import Clock
from shared.kernel.principal import Role
from shared.platform.auth import issue_token
from shared.platform.persistence.unit_of_work import retry_on_conflict

from ..adapters.passwords import Passwords
from ..domain.account import Account, email_key
from ..domain.errors import AccountEmailTaken, KimNotFound, LoginFailed, TooManyLogins
from ..domain.login_throttle import LoginThrottle
from .unit_of_work import RegistryUnitOfWork


@dataclass(frozen=True)
class Session:
    account: Account
    access_token: str
    expires_in_seconds: int


@dataclass
class Login:
    """What logging in needs: the hashes, the throttle and the token's signing key."""

    passwords: Passwords
    throttle: LoginThrottle
    token_secret: str
    token_lifetime: timedelta


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
        if kim_id is not None and await uow.kims.get(kim_id) is None:
            raise KimNotFound(kim_id=kim_id)
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
    if account is None or not matches or not account.active:
        login.throttle.failed(keys, time.monotonic())
        raise LoginFailed()
    login.throttle.succeeded(keys[:1])
    token = issue_token(login.token_secret, account.principal(), now=clock(), lifetime=login.token_lifetime)
    return Session(account, token, int(login.token_lifetime.total_seconds()))


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
