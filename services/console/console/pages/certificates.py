"""Certificates: anyone checks one at its short URL (`/s/<code>`, printed under the QR
code): what it states, whether it is still valid or a later announced version of the
results supersedes it, and the snapshot's SHA-256. Staff download one as a PDF, or all
of the current version as one ZIP, from the list on the staff results page.

Judging issues certificates only when results are announced, so one for results not
yet announced cannot exist: asking is refused by name (judging's `certificate_not_found`
or `results_not_announced`, in the reader's language)."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from .. import certificates
from ..i18n import gettext
from ..services import ServiceError, Services
from ..web import CurrentVisitor, ServicesDep, Staff, Visitor, render, with_dates

router = APIRouter()

#: A code as printed (ten characters of base32), typed in any case; bounded.
Code = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9-]+$")]


async def checked(services: Services, visitor: Visitor, code: str) -> dict[str, Any]:
    """Judging's check of the certificate: its facts, status and the snapshot's hash."""
    return await services.judging.get(f"/certificates/{code}", visitor.anonymous_caller)


def refusal(request: Request, error: ServiceError) -> Response:
    """A refusal by name (unknown code, results not announced) on the error page."""
    return render(
        request,
        "pages/problem.html",
        error.status,
        title=gettext("Certificate not found")
        if error.code == "certificate_not_found"
        else gettext("The request was refused"),
        message=error.message,
    )


@router.get("/s/{code}")
async def check(request: Request, code: Code, visitor: CurrentVisitor, services: ServicesDep) -> Response:
    try:
        found = with_dates(await checked(services, visitor, code), "announced_at", "issued_at")
    except ServiceError as error:
        if error.status in (404, 422):
            return refusal(request, error)
        raise
    response = render(
        request,
        "pages/certificate.html",
        certificate=found,
        prize=certificates.prize_text(found.get("prize")),
        office=request.app.state.settings.office_name,
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


def file_name(certificate: dict[str, Any]) -> str:
    """juara-1-kim-pasreh-jaya-ABCDEFGHJK.pdf / peserta-kim-ganjur-….pdf"""
    standing = f"juara-{certificate['place']}" if certificate["place"] else "peserta"
    kim = re.sub(r"[^a-z0-9]+", "-", certificate["kim_name"].lower()).strip("-")
    category = f"{certificate['category']['code']}-" if certificate.get("category") else ""
    return f"{category}{standing}-{kim}-{certificate['code']}.pdf"


def pdf_of(request: Request, certificate: dict[str, Any]) -> bytes:
    settings = request.app.state.settings
    page = certificates.layout(certificate, office=settings.office_name, public_url=settings.public_url)
    return certificates.render_pdf(page)


@router.get("/staf/lomba/{edition_id}/sertifikat/{code}.pdf")
async def one_pdf(
    request: Request, edition_id: UUID, code: Code, visitor: Staff, services: ServicesDep
) -> Response:
    try:
        found = await checked(services, visitor, code)
    except ServiceError as error:
        if error.status in (404, 422):
            return refusal(request, error)
        raise
    if found["edition_id"] != str(edition_id):
        return refusal(
            request,
            ServiceError(404, "certificate_not_found", gettext("This certificate is of another edition.")),
        )
    return Response(
        pdf_of(request, found),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{file_name(found)}"'},
    )


@router.get("/staf/lomba/{edition_id}/sertifikat.zip")
async def all_pdfs(request: Request, edition_id: UUID, visitor: Staff, services: ServicesDep) -> Response:
    """Every valid certificate (the latest announced version of each results) in one ZIP."""
    try:
        issued = await services.judging.get(f"/editions/{edition_id}/certificates", visitor.caller)
    except ServiceError as error:
        if error.status == 404:
            return refusal(request, error)
        raise
    current = [each for each in issued if each["status"] == "valid"]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for each in current:
            zipped.writestr(file_name(each), pdf_of(request, each))
    return Response(
        archive.getvalue(),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="sertifikat-{edition_id}.zip"'},
    )


async def of_edition(services: Services, visitor: Visitor, edition_id: UUID) -> list[dict[str, Any]]:
    """The certificates for the staff results page: none while nothing is announced."""
    try:
        issued = await services.judging.get(f"/editions/{edition_id}/certificates", visitor.caller)
    except ServiceError as error:
        if error.status == 404:
            return []
        raise
    return [each for each in issued if each["status"] == "valid"]
