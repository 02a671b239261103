"""A KIM registers itself (/daftar), confirms by the link mailed to it
(/daftar/konfirmasi), a forgotten password is reset by mail (/sandi/lupa,
/sandi/atur-ulang), and anyone signed in changes their password (/akun/sandi).

The registry answers a registration and a reset request the same whatever the
email; these pages say so ("check your email"). A confirmation or reset link
opens a page with a button: a GET never spends the token (mail scanners open links).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from .. import session
from ..i18n import N_, gettext
from ..services import Caller, ServiceError, idempotency_of
from ..web import CurrentVisitor, ServicesDep, Visitor, redirect, render, requires

router = APIRouter()

SignedInVisitor = Annotated[Visitor, requires("staff", "judge", "kim_rep")]

REGISTRATION_FIELDS = ("name", "kelurahan_code", "chair", "whatsapp", "email", "password")
MIN_PASSWORD = 10


def _anonymous(visitor: Visitor) -> Caller:
    """Registration and resets go to the registry as nobody, whoever is signed in here."""
    return Caller(visitor.language)


def _new_password_errors(password: str, again: str, field: str = "password") -> dict[str, str]:
    if len(password) < MIN_PASSWORD:
        return {field: gettext(N_("Choose a password of at least 10 characters"))}
    if password != again:
        return {f"{field}_again": gettext(N_("The two passwords are not the same"))}
    return {}


async def _kecamatan(services: Any, visitor: Visitor) -> list[dict[str, Any]]:
    regions = await services.registry.get("/regions", _anonymous(visitor))
    kecamatan: list[dict[str, Any]] = regions["kecamatan"]
    return kecamatan


@router.get("/daftar")
async def registration_form(request: Request, visitor: CurrentVisitor, services: ServicesDep) -> Response:
    return render(
        request,
        "pages/signup/register.html",
        form=dict.fromkeys(REGISTRATION_FIELDS, ""),
        errors={},
        kecamatan=await _kecamatan(services, visitor),
    )


@router.post("/daftar")
async def register(
    request: Request,
    visitor: CurrentVisitor,
    services: ServicesDep,
    name: Annotated[str, Form(max_length=200)] = "",
    kelurahan_code: Annotated[str, Form(max_length=100)] = "",
    chair: Annotated[str, Form(max_length=200)] = "",
    whatsapp: Annotated[str, Form(max_length=50)] = "",
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=128)] = "",
    password_again: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    form = {
        "name": name,
        "kelurahan_code": kelurahan_code,
        "chair": chair,
        "whatsapp": whatsapp,
        "email": email,
    }
    required = {
        "name": N_("Enter the KIM's name"),
        "kelurahan_code": N_("Choose the KIM's kelurahan"),
        "chair": N_("Enter the name of the KIM's chair"),
        "whatsapp": N_("Enter a WhatsApp number"),
        "email": N_("Enter the KIM's email address"),
    }
    errors = {key: gettext(message) for key, message in required.items() if not form[key].strip()}
    errors |= _new_password_errors(password, password_again)
    status = 400
    if not errors:
        body = {key: value.strip() for key, value in form.items()} | {"password": password}
        try:
            await services.registry.post(
                "/kims", _anonymous(visitor), json=body, headers=await idempotency_of(request)
            )
        except ServiceError as error:
            errors[error.field if error.field in REGISTRATION_FIELDS else "name"] = error.message
            status = 429 if error.status == 429 else 400
        else:
            return redirect(request, "/daftar/terkirim")
    return render(
        request,
        "pages/signup/register.html",
        status_code=status,
        form=form,
        errors=errors,
        kecamatan=await _kecamatan(services, visitor),
    )


@router.get("/daftar/terkirim")
async def registration_sent(request: Request, visitor: CurrentVisitor) -> Response:
    return render(request, "pages/signup/sent.html", purpose="registration")


@router.get("/daftar/konfirmasi")
async def confirmation_page(request: Request, visitor: CurrentVisitor, token: str = "") -> Response:
    return render(request, "pages/signup/confirm.html", token=token[:200], error=None, confirmed=False)


@router.post("/daftar/konfirmasi")
async def confirm(
    request: Request,
    visitor: CurrentVisitor,
    services: ServicesDep,
    token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        await services.registry.post(
            "/registrations/confirmation", _anonymous(visitor), json={"token": token}
        )
    except ServiceError as error:
        return render(
            request,
            "pages/signup/confirm.html",
            status_code=400,
            token=token,
            error=error.message,
            confirmed=False,
        )
    return render(request, "pages/signup/confirm.html", token="", error=None, confirmed=True)


@router.get("/sandi/lupa")
async def forgot_form(request: Request, visitor: CurrentVisitor) -> Response:
    return render(request, "pages/signup/forgot.html", email="", errors={})


@router.post("/sandi/lupa")
async def forgot(
    request: Request,
    visitor: CurrentVisitor,
    services: ServicesDep,
    email: Annotated[str, Form(max_length=320)] = "",
) -> Response:
    errors: dict[str, str] = {}
    status = 400
    if not email.strip():
        errors["email"] = gettext(N_("Enter your email address"))
    else:
        try:
            await services.registry.post(
                "/auth/password-reset", _anonymous(visitor), json={"email": email.strip()}
            )
        except ServiceError as error:
            errors["email"] = error.message
            status = 429 if error.status == 429 else 400
        else:
            return redirect(request, "/sandi/lupa/terkirim")
    return render(request, "pages/signup/forgot.html", status_code=status, email=email, errors=errors)


@router.get("/sandi/lupa/terkirim")
async def reset_sent(request: Request, visitor: CurrentVisitor) -> Response:
    return render(request, "pages/signup/sent.html", purpose="reset")


@router.get("/sandi/atur-ulang")
async def reset_form(request: Request, visitor: CurrentVisitor, token: str = "") -> Response:
    return render(request, "pages/signup/reset.html", token=token[:200], errors={})


@router.post("/sandi/atur-ulang")
async def reset(
    request: Request,
    visitor: CurrentVisitor,
    services: ServicesDep,
    token: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=128)] = "",
    password_again: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    errors = _new_password_errors(password, password_again)
    if not errors:
        try:
            await services.registry.post(
                "/auth/password-reset/confirmation",
                _anonymous(visitor),
                json={"token": token, "password": password},
            )
        except ServiceError as error:
            errors["password"] = error.message
        else:
            return redirect(request, "/masuk", flash="password_reset")
    return render(request, "pages/signup/reset.html", status_code=400, token=token, errors=errors)


@router.get("/akun/sandi")
async def change_form(request: Request, visitor: SignedInVisitor) -> Response:
    return render(request, "pages/signup/change.html", errors={})


@router.post("/akun/sandi")
async def change(
    request: Request,
    visitor: SignedInVisitor,
    services: ServicesDep,
    current_password: Annotated[str, Form(max_length=128)] = "",
    new_password: Annotated[str, Form(max_length=128)] = "",
    new_password_again: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    errors: dict[str, str] = {}
    if not current_password:
        errors["current_password"] = gettext(N_("Enter your current password"))
    errors |= _new_password_errors(new_password, new_password_again, "new_password")
    if not errors:
        body = {"current_password": current_password, "new_password": new_password}
        try:
            await services.registry.post("/accounts/me/password", visitor.caller, json=body)
        except ServiceError as error:
            field = error.field if error.field in ("current_password", "new_password") else "current_password"
            errors[field] = error.message
        else:
            # Every session of the account has ended, this one too: sign in with the new password.
            if visitor.session is not None:
                request.app.state.sessions.remove(visitor.session)
            response = redirect(request, "/masuk", flash="password_changed")
            response.delete_cookie(session.COOKIE)
            return response
    return render(request, "pages/signup/change.html", status_code=400, errors=errors)
