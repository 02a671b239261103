"""Judging's HTTP API for certificates: staff list every certificate of the
announced results; anyone checks one by its code (valid, superseded by a later
announced version, or invalid when the announced snapshot no longer hashes to it)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, Self
from uuid import UUID

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from ..service_layer import certificates as use_cases
from ..service_layer.certificates import CheckedCertificate
from ..service_layer.shapes import by_attribute
from .dependencies import UnitOfWork

router = APIRouter()

#: A certificate's code as typed or scanned: bounded, any case.
Code = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9 -]+$")]


class Public(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class CategoryRefPublic(Public):
    code: str
    title: str
    kind: str


class PrizePublic(Public):
    rank: int
    title: str
    reward: str | None
    amount: int | None = Field(description="Cash in rupiah; null when there is no cash.")
    non_cash: str | None


class CertificatePublic(Public):
    code: str
    edition_id: UUID
    edition_title: str
    category: CategoryRefPublic | None = Field(description="null: the edition's main ranking.")
    version: int = Field(description="The announced results version it was issued for.")
    kim_id: UUID
    kim_name: str
    entry_id: UUID
    entry_title: str
    place: int | None = Field(description='The awarded place; null for a participant ("Peserta").')
    prize: PrizePublic | None
    content_hash: str = Field(description="SHA-256 of the announced snapshot it was issued from.")
    announced_at: datetime
    issued_at: datetime
    status: Literal["valid", "superseded", "invalid"] = Field(
        description="valid; superseded: a later version of the same results was announced; "
        "invalid: the announced snapshot no longer hashes to content_hash."
    )
    superseded_by: int | None = Field(description="The latest announced version, when later than this one.")

    @classmethod
    def of(cls, checked: CheckedCertificate) -> Self:
        certificate = checked.certificate
        return by_attribute(
            cls,
            certificate,
            version=certificate.results_version,
            status=checked.status,
            superseded_by=checked.superseded_by,
        )


class CertificateCheckPublic(CertificatePublic):
    snapshot_intact: bool | None = Field(
        description="The announced snapshot still hashes to content_hash (checked on every request); "
        "null when not checked here."
    )

    @classmethod
    def of(cls, checked: CheckedCertificate) -> Self:
        certificate = checked.certificate
        return by_attribute(
            cls,
            certificate,
            version=certificate.results_version,
            status=checked.status,
            superseded_by=checked.superseded_by,
            snapshot_intact=checked.snapshot_intact,
        )


@router.get(
    "/editions/{edition_id}/certificates",
    tags=["certificates"],
    summary="Staff: every certificate of the announced results (every version), with its status",
)
async def certificates(edition_id: UUID, uow: UnitOfWork) -> list[CertificatePublic]:
    return [CertificatePublic.of(each) for each in await use_cases.of_edition(uow, edition_id)]


@router.get(
    "/certificates/{code}",
    tags=["certificates"],
    summary="Public: check a certificate by its code against the announced results",
)
async def certificate(code: Code, uow: UnitOfWork) -> CertificateCheckPublic:
    return CertificateCheckPublic.of(await use_cases.check(uow, code))
