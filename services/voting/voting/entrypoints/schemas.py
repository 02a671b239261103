"""The voting API's request and response shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, Field, model_validator

from shared.platform.schemas import Input, Reason, ShortText

from ..domain.edition import Edition, Status
from ..domain.entry import Entry
from ..domain.fraud import Flag
from ..domain.tally import FrozenTally, Tally
from ..service_layer.commands import CastVote, Chosen, RequestCode, SetVoteWindow
from ..service_layer.services import Cast


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


class FavouritePublic(BaseModel):
    code: str
    title: str
    favourite_of: str | None = Field(
        description="The ranked category whose films it is for; null: every film in competition."
    )


class VoteWindowPublic(BaseModel):
    edition_id: UUID
    edition_title: str
    opens_at: datetime
    closes_at: datetime
    public_counts: bool
    status: Literal["scheduled", "open", "closed", "frozen"]
    category_code: str | None = Field(description="The first (most often the only) favourite category.")
    favourites: list[FavouritePublic] = Field(
        description="The favourite categories voted on: one vote per person in each."
    )

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
            favourites=[
                FavouritePublic(code=f.code, title=f.title, favourite_of=f.favourite_of)
                for f in edition.favourites
            ],
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


class ChoiceIn(Input):
    category: str = Field(max_length=40, description="A favourite category's code.")
    entry_id: UUID


class VoteCreate(Input):
    """`entry_id` (an edition with one favourite category) or `choices` (one per
    favourite category voted in, at least one)."""

    request_id: UUID
    code: str = Field(pattern=r"^[0-9]{6}$")
    entry_id: UUID | None = None
    choices: list[ChoiceIn] = Field(default=[], max_length=30)

    @model_validator(mode="after")
    def _one_way(self) -> VoteCreate:
        if (self.entry_id is None) == (not self.choices):
            raise ValueError("give entry_id or choices (one per favourite category), not both, not neither")
        return self

    def command(self, edition_id: UUID, client_ip: str) -> CastVote:
        return CastVote(
            edition_id=edition_id,
            request_id=self.request_id,
            code=self.code,
            entry_id=self.entry_id,
            choices=tuple(Chosen(category=c.category, entry_id=c.entry_id) for c in self.choices),
            client_ip=client_ip,
        )


class CastVotePublic(BaseModel):
    vote_id: UUID
    category: str
    entry_id: UUID


class VotePublic(BaseModel):
    """The ballot's first vote (an edition's only one, most often), then every vote
    stored and the categories already voted in (nothing stored there)."""

    vote_id: UUID
    entry_id: UUID
    edition_id: UUID
    votes: list[CastVotePublic]
    already_voted: list[str]

    @classmethod
    def of(cls, cast: Cast, default_category: str) -> VotePublic:
        first = cast.votes[0]
        return cls(
            vote_id=first.vote_id,
            entry_id=first.entry_id,
            edition_id=cast.edition_id,
            votes=[
                CastVotePublic(
                    vote_id=v.vote_id, category=v.category or default_category, entry_id=v.entry_id
                )
                for v in cast.votes
            ],
            already_voted=cast.already_voted,
        )


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
    categories: list[str] = Field(description="The ranked categories the entry is entered for.")

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
            categories=entry.categories,
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
    category_code: str
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
            category_code=tally.category_code,
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

    @classmethod
    def of_frozen(cls, frozen: FrozenTally) -> FrozenTallyPublic:
        return cls(
            **TallyPublic.of(frozen.tally).model_dump(),
            version=frozen.number,
            content_hash=frozen.content_hash,
            frozen_at=frozen.frozen_at,
        )


class FrozenTalliesPublic(FrozenTallyPublic):
    """The first favourite category's frozen tally (the only one, most often), and
    every favourite category's in `tallies`, in the edition's order."""

    tallies: list[FrozenTallyPublic]

    @classmethod
    def of_all(cls, frozen: list[FrozenTally]) -> FrozenTalliesPublic:
        shown = [FrozenTallyPublic.of_frozen(tally) for tally in frozen]
        return cls(**shown[0].model_dump(), tallies=shown)


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
    category_code: str
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
            category_code=shown.category_code,
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
