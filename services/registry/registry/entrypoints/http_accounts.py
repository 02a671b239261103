"""The registry's HTTP API for accounts: log in, renew, log out, who am I, staff open,
disable and enable accounts."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response

from shared.platform.http import Caller, RequestLanguage
from shared.platform.openapi import may_raise

from ..domain.errors import (
    AccountNotFound,
    CurrentPasswordWrong,
    KimNotFound,
    LinkExpired,
    LinkNotFound,
    LinkUsed,
    TooManyLogins,
    TooManyRequests,
)
from ..service_layer import accounts, credentials
from ..service_layer.commands import DisableAccount, EnableAccount, LogOut, RenewSession
from .dependencies import System, UnitOfWork
from .http import client_of
from .schemas import (
    AccountCreate,
    AccountPublic,
    LoginIn,
    PasswordChange,
    PasswordResetConfirmation,
    PasswordResetRequest,
    PasswordResetSent,
    RefreshIn,
    SessionPublic,
)

router = APIRouter()


@router.post(
    "/auth/login",
    tags=["accounts"],
    summary="Log in with email and password: a short-lived bearer token for every service "
    "and a refresh token that renews it",
    responses=may_raise(TooManyLogins),
)
async def log_in(body: LoginIn, request: Request, system: System, uow: UnitOfWork) -> SessionPublic:
    command = body.command(client=request.client.host if request.client else "unknown")
    return SessionPublic.of(await accounts.log_in(uow, system.clock, system.login, command))


@router.post(
    "/auth/refresh",
    tags=["accounts"],
    summary="Renew: a new access token and a new refresh token for the one given, which stops working "
    "(presenting it again ends the session)",
)
async def refresh(body: RefreshIn, system: System, uow: UnitOfWork) -> SessionPublic:
    command = RenewSession(refresh_token=body.refresh_token.get_secret_value())
    return SessionPublic.of(await accounts.renew_session(uow, system.clock, system.login, command))


@router.post("/auth/logout", status_code=204, tags=["accounts"], summary="End the session of a refresh token")
async def log_out(body: RefreshIn, system: System, uow: UnitOfWork) -> Response:
    await accounts.log_out(uow, system.clock, LogOut(refresh_token=body.refresh_token.get_secret_value()))
    return Response(status_code=204)


@router.post(
    "/accounts/{account_id}/disable",
    tags=["accounts"],
    summary="Staff: disable an account; it can no longer log in and its sessions end",
)
async def disable_account(account_id: UUID, system: System, uow: UnitOfWork) -> AccountPublic:
    command = DisableAccount(account_id=account_id)
    return AccountPublic.model_validate(await accounts.disable_account(uow, system.clock, command))


@router.post("/accounts/{account_id}/enable", tags=["accounts"], summary="Staff: enable a disabled account")
async def enable_account(account_id: UUID, uow: UnitOfWork) -> AccountPublic:
    account = await accounts.enable_account(uow, EnableAccount(account_id=account_id))
    return AccountPublic.model_validate(account)


@router.get(
    "/accounts/me",
    tags=["accounts"],
    summary="The account the token belongs to",
    responses=may_raise(AccountNotFound),
)
async def me(caller: Caller, uow: UnitOfWork) -> AccountPublic:
    assert caller.account_id is not None
    async with uow:
        account = await uow.accounts.require(caller.account_id)
    return AccountPublic.model_validate(account)


@router.get("/accounts", tags=["accounts"], summary="Staff: every account, oldest first")
async def list_accounts(uow: UnitOfWork) -> list[AccountPublic]:
    async with uow:
        return [AccountPublic.model_validate(a) for a in await uow.accounts.list()]


@router.post(
    "/accounts",
    status_code=201,
    tags=["accounts"],
    summary="Staff: open an account for staff, a judge (the email judging appoints them by) "
    "or a KIM's representative",
    responses=may_raise(KimNotFound),
)
async def open_account(body: AccountCreate, system: System, uow: UnitOfWork) -> AccountPublic:
    account = await accounts.open_account(uow, system.clock, system.passwords, body.command())
    return AccountPublic.model_validate(account)


@router.post(
    "/auth/password-reset",
    status_code=202,
    tags=["accounts"],
    summary="Forgot the password: a link to choose a new one is mailed to the account's email "
    "(valid 1 hour, once); the same answer whether or not an account has the email",
    responses=may_raise(TooManyRequests),
)
async def request_password_reset(
    body: PasswordResetRequest, request: Request, system: System, uow: UnitOfWork, language: RequestLanguage
) -> PasswordResetSent:
    command = body.command(language=language, client=client_of(request))
    email = await credentials.request_password_reset(uow, system.clock, system.mailing, command)
    system.mail_written()
    return PasswordResetSent(email=email)


@router.post(
    "/auth/password-reset/confirmation",
    status_code=204,
    tags=["accounts"],
    summary="Set a new password with the token of the reset link; every session of the account ends",
    responses=may_raise(LinkNotFound, LinkUsed, LinkExpired),
)
async def reset_password(body: PasswordResetConfirmation, system: System, uow: UnitOfWork) -> Response:
    await credentials.reset_password(uow, system.clock, system.passwords, body.command())
    return Response(status_code=204)


@router.post(
    "/accounts/me/password",
    status_code=204,
    tags=["accounts"],
    summary="Change one's own password (the current one is asked); every session of the account ends",
    responses=may_raise(CurrentPasswordWrong, AccountNotFound),
)
async def change_password(body: PasswordChange, caller: Caller, system: System, uow: UnitOfWork) -> Response:
    assert caller.account_id is not None
    await credentials.change_password(uow, system.clock, system.passwords, body.command(caller.account_id))
    return Response(status_code=204)
