"""The registry's HTTP API for accounts: log in, who am I, staff open accounts."""

from __future__ import annotations

from fastapi import APIRouter, Request

from shared.platform.http import Caller

from ..domain.errors import AccountNotFound
from ..service_layer import accounts
from .dependencies import System, UnitOfWork
from .schemas import AccountCreate, AccountPublic, LoginIn, SessionPublic

router = APIRouter()


@router.post(
    "/auth/login",
    tags=["accounts"],
    summary="Log in with email and password: a short-lived bearer token for every service",
)
async def log_in(body: LoginIn, request: Request, system: System, uow: UnitOfWork) -> SessionPublic:
    session = await accounts.log_in(
        uow,
        system.clock,
        system.login,
        email=str(body.email),
        password=body.password.get_secret_value(),
        client=request.client.host if request.client else "unknown",
    )
    return SessionPublic(
        access_token=session.access_token,
        expires_in=session.expires_in_seconds,
        account=AccountPublic.of(session.account),
    )


@router.get("/accounts/me", tags=["accounts"], summary="The account the token belongs to")
async def me(caller: Caller, uow: UnitOfWork) -> AccountPublic:
    assert caller.account_id is not None
    async with uow:
        account = await uow.accounts.get(caller.account_id)
    if account is None:
        raise AccountNotFound(account_id=caller.account_id)
    return AccountPublic.of(account)


@router.get("/accounts", tags=["accounts"], summary="Staff: every account, oldest first")
async def list_accounts(uow: UnitOfWork) -> list[AccountPublic]:
    async with uow:
        return [AccountPublic.of(a) for a in await uow.accounts.list()]


@router.post(
    "/accounts",
    status_code=201,
    tags=["accounts"],
    summary="Staff: open an account for staff, a judge (the email judging appoints them by) "
    "or a KIM's representative",
)
async def open_account(body: AccountCreate, system: System, uow: UnitOfWork) -> AccountPublic:
    account = await accounts.open_account(
        uow,
        system.clock,
        system.passwords,
        email=str(body.email),
        name=body.name,
        role=body.role,
        password=body.password.get_secret_value(),
        kim_id=body.kim_id,
    )
    return AccountPublic.of(account)
