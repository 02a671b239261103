"""Signing in and out: /masuk and /keluar."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from .. import session
from ..i18n import N_, gettext
from ..services import ServiceError
from ..web import CurrentVisitor, ServicesDep, local_path, redirect, render

router = APIRouter()

#: Where each role lands after signing in.
LANDING = {"staff": "/staf", "judge": "/juri", "kim_rep": "/kim"}


def sign_in_path(back_to: str) -> str:
    return f"/masuk?kembali={quote(back_to, safe='/')}"


@router.get("/masuk")
async def sign_in_form(request: Request, visitor: CurrentVisitor, kembali: str = "") -> Response:
    return render(request, "pages/sign_in.html", email="", errors={}, back_to=local_path(kembali, ""))


@router.post("/masuk")
async def sign_in(
    request: Request,
    visitor: CurrentVisitor,
    services: ServicesDep,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=128)] = "",
    kembali: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    errors: dict[str, str] = {}
    throttled = False
    if not email.strip():
        errors["email"] = gettext(N_("Enter your email address"))
    if not password:
        errors["password"] = gettext(N_("Enter your password"))
    if not errors:
        try:
            signed_in = await services.log_in(
                email.strip(), password, visitor.language, request.client.host if request.client else None
            )
        except ServiceError as error:
            # The registry's message, in the reader's language; a wrong password names no
            # field, so it goes beside the password (the field to try again).
            field = error.field if error.field in ("email", "password") else "password"
            if error.status == 429:
                field, throttled = "email", True
            errors[field] = error.message
        else:
            response = redirect(
                request, local_path(kembali, LANDING.get(signed_in.role, "/")), flash="signed_in"
            )
            response.set_cookie(
                session.COOKIE,
                request.app.state.sessions.add(signed_in),
                httponly=True,
                samesite="lax",
                secure=request.app.state.settings.secure_cookies,
            )
            return response
    return render(
        request,
        "pages/sign_in.html",
        status_code=429 if throttled else 400,
        email=email,
        errors=errors,
        back_to=local_path(kembali, ""),
    )


@router.post("/keluar")
async def sign_out(request: Request, visitor: CurrentVisitor, services: ServicesDep) -> Response:
    if visitor.session is not None:
        await services.log_out(visitor.session)
    response = redirect(request, "/", flash="signed_out")
    response.delete_cookie(session.COOKIE)
    return response
