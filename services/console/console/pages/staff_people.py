"""The staff workspace's people: the KIM verification queue and the accounts
(open one for staff or a judge, disable, enable)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from ..i18n import N_, gettext
from ..services import ServiceError, idempotency_of
from ..web import ServicesDep, Staff, redirect, render, with_dates

router = APIRouter(prefix="/staf")

ROLES = {"staff": N_("Staff"), "judge": N_("Judge"), "kim_rep": N_("KIM representative")}
#: The roles staff open an account for here (a KIM's representative registers with the KIM).
OPENED_HERE = ("staff", "judge")


@router.get("/kim")
async def kim_queue(request: Request, visitor: Staff, services: ServicesDep) -> Response:
    kims = await services.registry.get("/kims", visitor.caller, params={"verified": "false"})
    return render(request, "pages/staff/kims.html", kims=[with_dates(k, "registered_at") for k in kims])


@router.post("/kim/{kim_id}/verifikasi")
async def verify_kim(request: Request, kim_id: UUID, visitor: Staff, services: ServicesDep) -> Response:
    await services.registry.post(f"/kims/{kim_id}/verification", visitor.caller)
    return redirect(request, "/staf/kim", flash="kim_verified")


@router.get("/akun")
async def accounts(request: Request, visitor: Staff, services: ServicesDep) -> Response:
    found = await services.registry.get("/accounts", visitor.caller)
    return render(
        request,
        "pages/staff/accounts.html",
        accounts=[with_dates(a, "created_at") for a in found],
        roles=ROLES,
        me=str(visitor.session.account_id) if visitor.session else "",
    )


def account_form(
    request: Request, values: dict[str, str], errors: dict[str, str], status_code: int = 200
) -> Response:
    return render(
        request,
        "pages/staff/account_form.html",
        status_code=status_code,
        values=values,
        errors=errors,
        roles=[(role, gettext(ROLES[role])) for role in OPENED_HERE],
    )


@router.get("/akun/baru")
async def new_account(request: Request, visitor: Staff) -> Response:
    return account_form(request, {"role": ""}, {})


ACCOUNT_FIELDS = ("name", "email", "role", "password")


@router.post("/akun/baru")
async def open_account(
    request: Request,
    visitor: Staff,
    services: ServicesDep,
    name: Annotated[str, Form(max_length=200)] = "",
    email: Annotated[str, Form(max_length=320)] = "",
    role: Annotated[str, Form(max_length=20)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    values = {"name": name.strip(), "email": email.strip(), "role": role}
    errors: dict[str, str] = {}
    if len(values["name"]) < 2:
        errors["name"] = gettext("Enter the person's full name.")
    if "@" not in values["email"]:
        errors["email"] = gettext("Enter an email address, such as nama@malangkota.go.id.")
    if role not in OPENED_HERE:
        errors["role"] = gettext("Choose whether the account is for staff or a judge.")
    if len(password) < 10:
        errors["password"] = gettext("Enter a first password of at least 10 characters.")
    if not errors:
        body: dict[str, Any] = {**values, "password": password}
        try:
            await services.registry.post(
                "/accounts", visitor.caller, json=body, headers=await idempotency_of(request)
            )
        except ServiceError as error:
            field = (error.field or "email").split(".")[0]
            errors = {field if field in ACCOUNT_FIELDS else "email": error.message}
        else:
            return redirect(request, "/staf/akun", flash="account_opened")
    return account_form(request, values, errors, status_code=400)


@router.post("/akun/{account_id}/nonaktifkan")
async def disable_account(
    request: Request, account_id: UUID, visitor: Staff, services: ServicesDep
) -> Response:
    await services.registry.post(f"/accounts/{account_id}/disable", visitor.caller)
    return redirect(request, "/staf/akun", flash="account_disabled")


@router.post("/akun/{account_id}/aktifkan")
async def enable_account(
    request: Request, account_id: UUID, visitor: Staff, services: ServicesDep
) -> Response:
    await services.registry.post(f"/accounts/{account_id}/enable", visitor.caller)
    return redirect(request, "/staf/akun", flash="account_enabled")
