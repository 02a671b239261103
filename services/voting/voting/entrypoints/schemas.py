"""The voting API's request and response shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, Field

from shared.platform.schemas import Input, Reason, ShortText

from ..domain.edition import Edition, Status
from ..domain.entry import Entry
from ..domain.fraud import Flag
from ..domain.tally import FrozenTally, Tally
from ..service_layer.commands import CastVote, RequestCode, SetVoteWindow


class VoteWindowUpdate(Input):
    opens_at: AwareDatetime
    closes_at: AwareDatetime
    public_counts: bool = False

    def command(self, edition_id: UUID) -> SetVoteWindow:
        return SetVoteWindow(
            edition_id=edition_id,
            opens_at=self.opens_at,
            closes_at=self.closes_at,
            public_counts=self.public_counts,
        )


class VoteWindowPublic(BaseModel):
    edition_id: UUID
    edition_title: str
    opens_at: datetime
    closes_at: datetime
    public_counts: bool
    status: Literal["scheduled", "open", "closed", "frozen"]
    category_code: str | None

    @classmethod
    def of(cls, edition: Edition, now: datetime) -> VoteWindowPublic:
        window = edition.require_window()
        return cls(
            edition_id=edition.edition_id,
            edition_title=edition.title,
            opens_at=window.opens_at,
            closes_at=window.ends_at(),
            public_counts=window.public_counts,
            status=edition.status(now),
            category_code=edition.category_code,
        )


class VoterCodeCreate(Input):
    address: ShortText = Field(description="A WhatsApp number or an email address.")
    channel: Literal["whatsapp", "email"] | None = None
    altcha: str | None = Field(default=None, max_length=4096, description="The ALTCHA widget's solution.")

    def command(self, edition_id: UUID, client_ip: str, language: Literal["id", "en"]) -> RequestCode:
        return RequestCode(
            edition_id=edition_id,
            address=self.address,
            channel=self.channel,
            altcha=self.altcha,
            client_ip=client_ip,
            language=language,
        )


class VoterCodePublic(BaseModel):
    request_id: UUID
    channel: Literal["whatsapp", "email"]
    expires_at: datetime


class VoteCreate(Input):
    request_id: UUID
    code: str = Field(pattern=r"^[0-9]{6}$")
    entry_id: UUID

    def command(self, edition_id: UUID, client_ip: str) -> CastVote:
        return CastVote(
            edition_id=edition_id,
            request_id=self.request_id,
            code=self.code,
            entry_id=self.entry_id,
            client_ip=client_ip,
        )


class VotePublic(BaseModel):
    vote_id: UUID
    entry_id: UUID
    edition_id: UUID


class RegionPublic(BaseModel):
    code: str
    name: str


class KelurahanPublic(RegionPublic):
    kecamatan: RegionPublic | None


class GalleryItem(BaseModel):
    edition_id: UUID
    edition_title: str
    entry_id: UUID
    title: str
    synopsis: str
    kim_name: str
    kelurahan: KelurahanPublic
    umkm_featured: list[str]
    video_url: str

    @classmethod
    def of(cls, entry: Entry, edition_title: str) -> GalleryItem:
        kecamatan = entry.kecamatan
        return cls(
            edition_id=entry.edition_id,
            edition_title=edition_title,
            entry_id=entry.entry_id,
            title=entry.title,
            synopsis=entry.synopsis,
            kim_name=entry.kim_name,
            kelurahan=KelurahanPublic(
                code=entry.kelurahan.code,
                name=entry.kelurahan.name,
                kecamatan=RegionPublic(code=kecamatan.code, name=kecamatan.name) if kecamatan else None,
            ),
            umkm_featured=entry.umkm_featured,
            video_url=entry.video_url,
        )


class StandingPublic(BaseModel):
    rank: int
    entry_id: UUID
    title: str
    kim_name: str
    votes: int
    flagged: int


class TallyPublic(BaseModel):
    edition_id: UUID
    edition_title: str
    counted: int
    voided: int
    flagged: int
    standings: list[StandingPublic]
    tie_break: list[str]

    @classmethod
    def of(cls, tally: Tally) -> TallyPublic:
        return cls(
            edition_id=tally.edition_id,
            edition_title=tally.edition_title,
            counted=tally.counted,
            voided=tally.voided,
            flagged=tally.flagged,
            standings=[
                StandingPublic(
                    rank=s.rank,
                    entry_id=s.entry_id,
                    title=s.entry_title,
                    kim_name=s.kim_name,
                    votes=s.votes,
                    flagged=s.flagged,
                )
                for s in tally.standings
            ],
            tie_break=tally.tie_break,
        )


class FrozenTallyPublic(TallyPublic):
    version: int
    content_hash: str
    frozen_at: datetime
    category_code: str

    @classmethod
    def of_frozen(cls, frozen: FrozenTally) -> FrozenTallyPublic:
        return cls(
            **TallyPublic.of(frozen.tally).model_dump(),
            version=frozen.number,
            content_hash=frozen.content_hash,
            frozen_at=frozen.frozen_at,
            category_code=frozen.tally.category_code,
        )


class PublicStanding(BaseModel):
    rank: int
    entry_id: UUID
    title: str
    kim_name: str
    votes: int


class PublicTally(BaseModel):
    """What anyone sees: counts without the fraud review; the frozen tally once frozen."""

    edition_id: UUID
    edition_title: str
    status: Literal["scheduled", "open", "closed", "frozen"]
    counted: int
    standings: list[PublicStanding]
    tie_break: list[str]
    version: int | None = None
    content_hash: str | None = None
    frozen_at: datetime | None = None

    @classmethod
    def of(cls, tally: Tally, status: Status, frozen: FrozenTally | None) -> PublicTally:
        shown = frozen.tally if frozen is not None else tally
        return cls(
            edition_id=shown.edition_id,
            edition_title=shown.edition_title,
            status=status,
            counted=shown.counted,
            standings=[
                PublicStanding(
                    rank=s.rank, entry_id=s.entry_id, title=s.entry_title, kim_name=s.kim_name, votes=s.votes
                )
                for s in shown.standings
            ],
            tie_break=shown.tie_break,
            version=frozen.number if frozen else None,
            content_hash=frozen.content_hash if frozen else None,
            frozen_at=frozen.frozen_at if frozen else None,
        )


class FlagPublic(BaseModel):
    flag_id: UUID
    kind: Literal["address_block_burst", "number_range", "inhuman_rate", "weak_challenge"]
    vote_ids: list[UUID]
    detail: str = Field(description="What was seen, in English.")
    detail_id: str = Field(description="What was seen, in Indonesian.")
    raised_at: datetime
    status: Literal["open", "dismissed", "voided"]
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None

    @classmethod
    def of(cls, flag: Flag) -> FlagPublic:
        return cls.model_validate(flag, from_attributes=True)


class ReasonIn(Input):
    reason: Reason


class VoidedVotePublic(BaseModel):
    vote_id: UUID
    entry_id: UUID
    edition_id: UUID
    status: Literal["counted", "voided"]
    voided_reason: str | None
    voided_by: str | None
    voided_at: datetime | None
