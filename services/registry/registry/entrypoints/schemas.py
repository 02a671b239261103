"""The registry's HTTP shapes: XCreate / XUpdate in, XPublic out."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Self
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, EmailStr, Field, SecretStr

from shared.auth import Role
from shared.schemas import GivenPassword, Hostname, LongText, Name, Password, Reason, ShortText

from ..domain.account import Account
from ..domain.edition import Edition, Prize, Rules
from ..domain.enrolment import Enrolment
from ..domain.kim import Kim, Member
from ..domain.regions import Kelurahan, RegionCatalog
from ..service_layer import accounts


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MemberIn(Input):
    name: Name
    role: ShortText | None = None

    def to_domain(self) -> Member:
        return Member(name=self.name, role=self.role)


class KimCreate(Input):
    name: Name = Field(examples=["KIM Pasreh Jaya"])
    kelurahan_code: ShortText = Field(examples=["bumiayu"], description="a code from GET /regions")
    chair: Name
    whatsapp: ShortText = Field(examples=["081234567890"])
    email: EmailStr
    members: list[MemberIn] = Field(default=[], max_length=200)
    password: Password | None = Field(
        None,
        description="the KIM representative's password: with the KIM's email it logs in. "
        "Required when a KIM registers itself; staff registering a KIM may leave it out.",
    )


class KimUpdate(Input):
    name: Name | None = None
    kelurahan_code: ShortText | None = None
    chair: Name | None = None
    whatsapp: ShortText | None = None
    email: EmailStr | None = None
    members: list[MemberIn] | None = Field(default=None, max_length=200)


class RegionPublic(BaseModel):
    code: str
    name: str


class MemberPublic(BaseModel):
    name: str
    role: str | None


class KimPublic(BaseModel):
    kim_id: UUID
    name: str
    kelurahan: RegionPublic
    kecamatan: RegionPublic
    chair: str
    whatsapp: str
    email: str
    members: list[MemberPublic]
    verified: bool
    registered_at: datetime
    verified_at: datetime | None

    @classmethod
    def of(cls, kim: Kim) -> Self:
        return cls(
            kim_id=kim.kim_id,
            name=kim.name,
            kelurahan=RegionPublic(code=kim.kelurahan.code, name=kim.kelurahan.name),
            kecamatan=RegionPublic(code=kim.kelurahan.kecamatan.code, name=kim.kelurahan.kecamatan.name),
            chair=kim.chair,
            whatsapp=kim.whatsapp,
            email=kim.email,
            members=[MemberPublic(name=m.name, role=m.role) for m in kim.members],
            verified=kim.verified,
            registered_at=kim.registered_at,
            verified_at=kim.verified_at,
        )


class RulesIn(Input):
    max_video_seconds: int = Field(ge=10, le=3 * 3600, examples=[300])
    allowed_video_hosts: list[Hostname] = Field(
        min_length=1, max_length=20, examples=[["youtube.com", "youtu.be", "vimeo.com"]]
    )
    entries_per_kim: int = Field(1, ge=1, le=20)

    def to_domain(self) -> Rules:
        return Rules(
            max_video_seconds=self.max_video_seconds,
            allowed_video_hosts=list(self.allowed_video_hosts),
            entries_per_kim=self.entries_per_kim,
        )


class PrizeIn(Input):
    rank: int = Field(ge=1, le=50)
    title: ShortText = Field(examples=["Juara 1"])
    reward: ShortText | None = Field(None, examples=["Rp 5.000.000 dan trofi"])

    def to_domain(self) -> Prize:
        return Prize(rank=self.rank, title=self.title, reward=self.reward)


class EditionCreate(Input):
    title: Name = Field(examples=["Lomba Video Pendek KIM 2024"])
    theme: ShortText = Field(examples=["Promosi UMKM Kota Malang"])
    description: LongText = ""
    submission_opens_at: AwareDatetime
    submission_closes_at: AwareDatetime
    rules: RulesIn
    awarded_ranks: int = Field(3, ge=1, le=50)
    prizes: list[PrizeIn] = Field(default=[], max_length=50)


class EditionUpdate(Input):
    title: Name | None = None
    theme: ShortText | None = None
    description: LongText | None = None
    submission_opens_at: AwareDatetime | None = None
    submission_closes_at: AwareDatetime | None = None
    rules: RulesIn | None = None
    awarded_ranks: int | None = Field(None, ge=1, le=50)
    prizes: list[PrizeIn] | None = Field(None, max_length=50)


class RulesPublic(BaseModel):
    max_video_seconds: int
    allowed_video_hosts: list[str]
    entries_per_kim: int


class PrizePublic(BaseModel):
    rank: int
    title: str
    reward: str | None


class EditionPublic(BaseModel):
    edition_id: UUID
    title: str
    theme: str
    description: str
    submission_opens_at: datetime
    submission_closes_at: datetime
    rules: RulesPublic
    awarded_ranks: int
    prizes: list[PrizePublic]
    status: Literal["draft", "published", "submissions_closed"]
    published_at: datetime | None
    closed_at: datetime | None
    closed_by: Literal["staff", "deadline"] | None

    @classmethod
    def of(cls, edition: Edition) -> Self:
        return cls(
            edition_id=edition.edition_id,
            title=edition.title,
            theme=edition.theme,
            description=edition.description,
            submission_opens_at=edition.submission_opens_at,
            submission_closes_at=edition.submission_closes_at,
            rules=RulesPublic(
                max_video_seconds=edition.rules.max_video_seconds,
                allowed_video_hosts=edition.rules.allowed_video_hosts,
                entries_per_kim=edition.rules.entries_per_kim,
            ),
            awarded_ranks=edition.awarded_ranks,
            prizes=[PrizePublic(rank=p.rank, title=p.title, reward=p.reward) for p in edition.prizes],
            status=edition.status,
            published_at=edition.published_at,
            closed_at=edition.closed_at,
            closed_by=edition.closed_by,
        )


class EnrolmentCreate(Input):
    kim_id: UUID


class EnrolmentRejection(Input):
    reason: Reason = Field(examples=["Karya tahun lalu melanggar aturan hak cipta."])


class EnrolmentPublic(BaseModel):
    enrolment_id: UUID
    edition_id: UUID
    kim_id: UUID
    kim_name: str
    kelurahan: RegionPublic
    status: Literal["requested", "approved", "rejected"]
    reason: str | None
    requested_at: datetime
    decided_at: datetime | None

    @classmethod
    def of(cls, enrolment: Enrolment) -> Self:
        return cls(
            enrolment_id=enrolment.enrolment_id,
            edition_id=enrolment.edition_id,
            kim_id=enrolment.kim_id,
            kim_name=enrolment.kim_name,
            kelurahan=RegionPublic(code=enrolment.kelurahan.code, name=enrolment.kelurahan.name),
            status=enrolment.status,
            reason=enrolment.reason,
            requested_at=enrolment.requested_at,
            decided_at=enrolment.decided_at,
        )


class KecamatanPublic(BaseModel):
    code: str
    name: str
    kelurahan: list[RegionPublic]


class RegionsPublic(BaseModel):
    city: str
    province: str
    kecamatan: list[KecamatanPublic]

    @classmethod
    def of(cls, catalog: RegionCatalog) -> Self:
        by_kecamatan: dict[str, list[Kelurahan]] = {}
        for kelurahan in catalog.all_kelurahan():
            by_kecamatan.setdefault(kelurahan.kecamatan.code, []).append(kelurahan)
        return cls(
            city=catalog.city,
            province=catalog.province,
            kecamatan=[
                KecamatanPublic(
                    code=kecamatan.code,
                    name=kecamatan.name,
                    kelurahan=[RegionPublic(code=k.code, name=k.name) for k in by_kecamatan[kecamatan.code]],
                )
                for kecamatan in catalog.kecamatan()
            ],
        )


class LoginIn(Input):
    email: EmailStr
    password: GivenPassword


class RefreshIn(Input):
    refresh_token: SecretStr = Field(min_length=1, max_length=128)


class AccountCreate(Input):
    email: EmailStr
    name: Name
    role: Role
    password: Password
    kim_id: UUID | None = Field(None, description="the KIM a representative acts for (kim_rep only)")


class AccountPublic(BaseModel):
    account_id: UUID
    email: str
    name: str
    role: Role
    kim_id: UUID | None
    active: bool
    disabled: bool = Field(description="staff disabled it: it can neither log in nor renew a session")
    created_at: datetime

    @classmethod
    def of(cls, account: Account) -> Self:
        return cls(
            account_id=account.account_id,
            email=account.email,
            name=account.name,
            role=account.role,
            kim_id=account.kim_id,
            active=account.active,
            disabled=account.disabled,
            created_at=account.created_at,
        )


class SessionPublic(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="seconds until the token expires; renew it with the refresh token")
    refresh_token: str = Field(
        description="opaque; POST /auth/refresh swaps it for a new access token and a new refresh token "
        "(this one then stops working); POST /auth/logout ends the session"
    )
    refresh_expires_in: int = Field(
        description="seconds until the session ends unless renewed (12 hours after its last use, "
        "at most 30 days after login)"
    )
    account: AccountPublic

    @classmethod
    def of(cls, session: accounts.Session) -> Self:
        return cls(
            access_token=session.access_token,
            expires_in=session.expires_in_seconds,
            refresh_token=session.refresh_token,
            refresh_expires_in=session.refresh_expires_in_seconds,
            account=AccountPublic.of(session.account),
        )
