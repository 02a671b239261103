"""The registry's HTTP shapes: XCreate / XUpdate in, each building its command
(`body.command(...)`); XPublic out, read from the aggregate by attribute
(`KimPublic.model_validate(kim)`): a field the aggregate gains reaches the public
shape when the shape names it, and nothing else leaks (a shape reads only the
fields it declares: no password hash, no version)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal, Protocol, Self, TypeVar
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, EmailStr, Field, SecretStr, field_validator

from shared.kernel.i18n import Language
from shared.kernel.principal import Role
from shared.platform.schemas import (
    GivenPassword,
    Hostname,
    LongText,
    Name,
    Password,
    Reason,
    ShortText,
    password_beside_email,
)
from shared.platform.schemas import Input as StrictInput

from ..domain.edition import Category, CategoryKind, Prize, Rules
from ..domain.kim import Achievement, AchievementLevel, AchievementSource, Innovation, Member, Sponsor
from ..domain.regions import Kelurahan, RegionCatalog
from ..service_layer import accounts
from ..service_layer.commands import (
    ChangePassword,
    ConfirmRegistration,
    CopyEdition,
    DraftEdition,
    LogIn,
    OpenAccount,
    RegisterKim,
    RejectEnrolment,
    RequestPasswordReset,
    ResetPassword,
    ReviseEdition,
    UpdateKim,
)

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Input(StrictInput):
    """Unknown fields refused, and values that fit only after a conversion (`shared.platform.schemas`)."""


class Public(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class MemberIn(Input):
    name: Name
    role: ShortText | None = Field(None, examples=["Ketua"])
    expertise: ShortText | None = Field(None, examples=["Kader lingkungan"])

    def to_domain(self) -> Member:
        return Member(**self.model_dump())


class InnovationIn(Input):
    title: ShortText = Field(examples=["Klinik Internet Sehat"])
    description: LongText = ""
    since: int | None = Field(None, examples=[2021], description="the year it began")

    def to_domain(self) -> Innovation:
        return Innovation(**self.model_dump())


class AchievementIn(Input):
    """An achievement the KIM declares (the registry records those from its own competitions)."""

    title: ShortText = Field(examples=["Juara 1 Kampung Smart City"])
    level: AchievementLevel
    year: int = Field(examples=[2023])
    reward: ShortText | None = Field(None, examples=["Rp40.000.000"])

    def to_domain(self) -> Achievement:
        return Achievement(**self.model_dump())


class SponsorIn(Input):
    name: Name
    kind: ShortText | None = Field(None, examples=["sponsor", "iklan web", "event organizer", "hadiah lomba"])

    def to_domain(self) -> Sponsor:
        return Sponsor(**self.model_dump())


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
    _password = field_validator("password")(password_beside_email)

    def command(self) -> RegisterKim:
        return RegisterKim(
            **self.model_dump(exclude={"members", "password"}),
            members=[member.to_domain() for member in self.members],
            representative_password=self.password.get_secret_value() if self.password else None,
        )


class KimUpdate(Input):
    name: Name | None = None
    kelurahan_code: ShortText | None = None
    chair: Name | None = None
    whatsapp: ShortText | None = None
    email: EmailStr | None = None
    members: list[MemberIn] | None = Field(default=None, max_length=200)
    innovations: list[InnovationIn] | None = Field(default=None, max_length=200)
    achievements: list[AchievementIn] | None = Field(
        default=None,
        max_length=200,
        description="the KIM's declared achievements; those from this system's competitions stay",
    )
    sponsors: list[SponsorIn] | None = Field(default=None, max_length=200)

    def command(self, kim_id: UUID) -> UpdateKim:
        return UpdateKim(
            **self.model_dump(exclude={"members", "innovations", "achievements", "sponsors"}),
            members=domain_rows(self.members),
            innovations=domain_rows(self.innovations),
            achievements=domain_rows(self.achievements),
            sponsors=domain_rows(self.sponsors),
            kim_id=kim_id,
        )


class _Row(Protocol[T_co]):
    def to_domain(self) -> T_co: ...


def domain_rows(rows: Sequence[_Row[T]] | None) -> list[T] | None:
    """A list of rows as the domain takes it; None (not given) stays None."""
    return None if rows is None else [row.to_domain() for row in rows]


class RegistrationSent(BaseModel):
    """The answer to a KIM registering itself, the same whatever the email: the
    mail says the rest, to the mailbox's owner."""

    status: Literal["confirmation_sent"] = "confirmation_sent"
    email: str = Field(description="the email as it was understood (lower case); the mail goes there")


class RegistrationConfirmation(Input):
    token: SecretStr = Field(min_length=1, max_length=128, description="from the link in the mail")

    def command(self) -> ConfirmRegistration:
        return ConfirmRegistration(token=self.token.get_secret_value())


class PasswordResetRequest(Input):
    email: EmailStr

    def command(self, *, language: Language, client: str) -> RequestPasswordReset:
        return RequestPasswordReset(email=self.email, language=language, client=client)


class PasswordResetSent(BaseModel):
    """The same answer whether or not an account has the email."""

    status: Literal["reset_link_sent"] = "reset_link_sent"
    email: str


class PasswordResetConfirmation(Input):
    token: SecretStr = Field(min_length=1, max_length=128, description="from the link in the mail")
    password: Password = Field(description="the new password")

    def command(self) -> ResetPassword:
        return ResetPassword(token=self.token.get_secret_value(), password=self.password.get_secret_value())


class PasswordChange(Input):
    current_password: GivenPassword
    new_password: Password

    def command(self, account_id: UUID) -> ChangePassword:
        return ChangePassword(
            account_id=account_id,
            current_password=self.current_password.get_secret_value(),
            new_password=self.new_password.get_secret_value(),
        )


class RegionPublic(Public):
    code: str
    name: str


class MemberPublic(Public):
    name: str
    role: str | None
    expertise: str | None = None


class InnovationPublic(Public):
    title: str
    description: str
    since: int | None


class AchievementPublic(Public):
    title: str
    level: AchievementLevel
    year: int
    reward: str | None
    source: AchievementSource = Field(
        description="declared by the KIM, or recorded from this system's competition results"
    )
    edition_id: UUID | None
    rank: int | None
    category: str | None = Field(
        default=None, description="The edition's category (code) it was won in; null: the main ranking"
    )


class SponsorPublic(Public):
    name: str
    kind: str | None


# Read from the KIM by attribute: `kecamatan` is its kelurahan's (`Kim.kecamatan`).
class KimPublic(Public):
    kim_id: UUID
    name: str
    kelurahan: RegionPublic
    kecamatan: RegionPublic
    chair: str
    whatsapp: str
    email: str
    members: list[MemberPublic]
    innovations: list[InnovationPublic]
    achievements: list[AchievementPublic]
    sponsors: list[SponsorPublic]
    verified: bool
    registered_at: datetime
    verified_at: datetime | None


class KimProfilePublic(Public):
    """What anyone may read of a verified KIM: no contact details."""

    kim_id: UUID
    name: str
    kelurahan: RegionPublic
    kecamatan: RegionPublic
    members: list[MemberPublic]
    innovations: list[InnovationPublic]
    achievements: list[AchievementPublic] = Field(
        validation_alias="achievements_newest_first", description="newest year first"
    )
    sponsors: list[SponsorPublic]


class RulesIn(Input):
    max_video_seconds: int = Field(ge=10, le=3 * 3600, examples=[300])
    allowed_video_hosts: list[Hostname] = Field(
        min_length=1, max_length=20, examples=[["youtube.com", "youtu.be", "vimeo.com"]]
    )
    entries_per_kim: int = Field(1, ge=1, le=20)

    def to_domain(self) -> Rules:
        return Rules(**self.model_dump())


class PrizeIn(Input):
    rank: int = Field(ge=1, le=50)
    title: ShortText = Field(examples=["Juara 1"])
    reward: ShortText | None = Field(None, examples=["Rp 5.000.000 dan trofi"])
    amount: int | None = Field(None, ge=0, le=10**12, description="Cash in rupiah", examples=[7_500_000])
    non_cash: ShortText | None = Field(None, examples=["Trofi dan sertifikat"])

    def to_domain(self) -> Prize:
        return Prize(**self.model_dump())


class CategoryIn(Input):
    """A category or award beside the main ranking. `ranked`: entries entered for it
    are ranked and `awarded_ranks` places win; `special`: the jury gives it to one
    entry (awarded_ranks 1); `favourite`: the public's choice (several: each names
    the ranked category whose entries it is for, `favourite_of`)."""

    code: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40, examples=["sinematografi"])
    title: ShortText = Field(examples=["Sinematografi Terbaik"])
    kind: CategoryKind = "ranked"
    awarded_ranks: int = Field(1, ge=1, le=50)
    prizes: list[PrizeIn] = Field(default=[], max_length=50)
    description: LongText = ""
    favourite_of: str | None = Field(
        None,
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        max_length=40,
        description="Only on a favourite category: the ranked category whose entries it is voted on among.",
    )

    def to_domain(self) -> Category:
        return Category(
            **self.model_dump(exclude={"prizes"}), prizes=[prize.to_domain() for prize in self.prizes]
        )


class EditionCreate(Input):
    title: Name = Field(examples=["Lomba Video Pendek KIM 2024"])
    theme: ShortText = Field(examples=["Promosi UMKM Kota Malang"])
    description: LongText = ""
    submission_opens_at: AwareDatetime
    submission_closes_at: AwareDatetime
    rules: RulesIn
    awarded_ranks: int = Field(3, ge=1, le=50)
    prizes: list[PrizeIn] = Field(default=[], max_length=50)
    categories: list[CategoryIn] = Field(default=[], max_length=30)

    def command(self) -> DraftEdition:
        return DraftEdition(
            **self.model_dump(exclude={"rules", "prizes", "categories"}),
            rules=self.rules.to_domain(),
            prizes=[prize.to_domain() for prize in self.prizes],
            categories=[category.to_domain() for category in self.categories],
        )


class EditionUpdate(Input):
    title: Name | None = None
    theme: ShortText | None = None
    description: LongText | None = None
    submission_opens_at: AwareDatetime | None = None
    submission_closes_at: AwareDatetime | None = None
    rules: RulesIn | None = None
    awarded_ranks: int | None = Field(None, ge=1, le=50)
    prizes: list[PrizeIn] | None = Field(None, max_length=50)
    categories: list[CategoryIn] | None = Field(None, max_length=30)

    def command(self, edition_id: UUID) -> ReviseEdition:
        categories = self.categories
        return ReviseEdition(
            **self.model_dump(exclude={"rules", "prizes", "categories"}),
            rules=self.rules.to_domain() if self.rules is not None else None,
            prizes=[prize.to_domain() for prize in self.prizes] if self.prizes is not None else None,
            categories=[c.to_domain() for c in categories] if categories is not None else None,
            edition_id=edition_id,
        )


class EditionCopy(Input):
    """Next year's edition: the new opening (and closing: by default moved as much
    as the opening); the title by default the source's with its year moved on."""

    submission_opens_at: AwareDatetime
    submission_closes_at: AwareDatetime | None = None
    title: Name | None = Field(None, examples=["Lomba Video Pendek KIM 2025"])

    def command(self, source_id: UUID) -> CopyEdition:
        return CopyEdition(**self.model_dump(), source_id=source_id)


class RulesPublic(Public):
    max_video_seconds: int
    allowed_video_hosts: list[str]
    entries_per_kim: int


class PrizePublic(Public):
    rank: int
    title: str
    reward: str | None
    amount: int | None = Field(description="Cash in rupiah")
    non_cash: str | None


class CategoryPublic(Public):
    code: str
    title: str
    kind: Literal["ranked", "special", "favourite"]
    awarded_ranks: int
    prizes: list[PrizePublic]
    description: str
    favourite_of: str | None = None


class EditionPublic(Public):
    edition_id: UUID
    title: str
    theme: str
    description: str
    submission_opens_at: datetime
    submission_closes_at: datetime
    rules: RulesPublic
    awarded_ranks: int
    prizes: list[PrizePublic]
    categories: list[CategoryPublic]
    copied_from: UUID | None = Field(description="The edition this one was copied from")
    status: Literal["draft", "published", "submissions_closed"]
    published_at: datetime | None
    closed_at: datetime | None
    closed_by: Literal["staff", "deadline"] | None


class EnrolmentCreate(Input):
    kim_id: UUID


class EnrolmentRejection(Input):
    reason: Reason = Field(examples=["Karya tahun lalu melanggar aturan hak cipta."])

    def command(self, enrolment_id: UUID) -> RejectEnrolment:
        return RejectEnrolment(**self.model_dump(), enrolment_id=enrolment_id)


class EnrolmentPublic(Public):
    enrolment_id: UUID
    edition_id: UUID
    kim_id: UUID
    kim_name: str
    kelurahan: RegionPublic
    status: Literal["requested", "approved", "rejected"]
    reason: str | None
    requested_at: datetime
    decided_at: datetime | None


class KecamatanPublic(BaseModel):
    code: str
    name: str
    kelurahan: list[RegionPublic]


# Mapped by hand, on purpose: it groups the catalogue's kelurahan under their kecamatan.
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
                    kelurahan=[RegionPublic.model_validate(k) for k in by_kecamatan[kecamatan.code]],
                )
                for kecamatan in catalog.kecamatan()
            ],
        )


class LoginIn(Input):
    email: EmailStr
    password: GivenPassword

    def command(self, client: str) -> LogIn:
        return LogIn(email=self.email, password=self.password.get_secret_value(), client=client)


class RefreshIn(Input):
    refresh_token: SecretStr = Field(min_length=1, max_length=128)


class AccountCreate(Input):
    email: EmailStr
    name: Name
    role: Role
    password: Password
    kim_id: UUID | None = Field(None, description="the KIM a representative acts for (kim_rep only)")
    _password = field_validator("password")(password_beside_email)

    def command(self) -> OpenAccount:
        return OpenAccount(**self.model_dump(exclude={"password"}), password=self.password.get_secret_value())


# Read from the account by attribute; never its password hash.
class AccountPublic(Public):
    account_id: UUID
    email: str
    name: str
    role: Role
    kim_id: UUID | None
    active: bool
    disabled: bool = Field(description="staff disabled it: it can neither log in nor renew a session")
    created_at: datetime


# Mapped by hand, on purpose: the use case's `Session` counts its lifetimes in
# seconds by name (`expires_in_seconds`); the public shape uses OAuth's names
# (`expires_in`) and adds the token type.
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
            account=AccountPublic.model_validate(session.account),
        )
