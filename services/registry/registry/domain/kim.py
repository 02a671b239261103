"""A KIM (Kelompok Informasi Masyarakat): a community information group of one kelurahan."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, get_args
from uuid import UUID, uuid4

import phonenumbers

from shared.kernel.aggregate import Aggregate

from . import events
from .errors import (
    CompetitionAchievementFixed,
    DuplicateMember,
    InvalidWhatsApp,
    KimAlreadyVerified,
    TitleRequired,
    TooManyItems,
    YearOutOfRange,
)
from .regions import Kelurahan, Region

AchievementLevel = Literal["kelurahan", "kecamatan", "kota", "provinsi", "nasional"]
LEVELS: tuple[str, ...] = get_args(AchievementLevel)
AchievementSource = Literal["declared", "competition"]

#: How long each list of the profile may grow.
MAX_MEMBERS = 50
MAX_INNOVATIONS = 20
MAX_ACHIEVEMENTS = 20  # the KIM's own; competition achievements come on top
MAX_SPONSORS = 20
#: The first year a profile may name (the Republic's); the last is the current one.
EARLIEST_YEAR = 1945


@dataclass(kw_only=True)
class Member:
    name: str
    role: str | None = None
    #: What the member brings, free text: "Kader lingkungan", "UMKM", "PKK" ...
    expertise: str | None = None


@dataclass(kw_only=True)
class Innovation:
    title: str
    description: str = ""
    since: int | None = None


@dataclass(kw_only=True)
class Achievement:
    title: str
    level: AchievementLevel
    year: int
    reward: str | None = None
    #: "declared" by the KIM, or recorded by the registry from one of its own
    #: competitions' announced results ("competition", with the edition's id and
    #: the rank); the representative edits only the declared ones.
    source: AchievementSource = "declared"
    edition_id: UUID | None = None
    rank: int | None = None
    #: The edition's category (its code) a competition achievement is in; None: the main ranking.
    category: str | None = None


@dataclass(kw_only=True)
class Sponsor:
    name: str
    #: How it funds the KIM, free text: sponsor, iklan web, event organizer, hadiah lomba ...
    kind: str | None = None


@dataclass(kw_only=True)
class Kim(Aggregate):
    kim_id: UUID
    name: str
    kelurahan: Kelurahan
    chair: str
    whatsapp: str
    email: str
    members: list[Member] = field(default_factory=list)
    innovations: list[Innovation] = field(default_factory=list)
    achievements: list[Achievement] = field(default_factory=list)
    sponsors: list[Sponsor] = field(default_factory=list)
    registered_at: datetime
    verified_at: datetime | None = None

    @property
    def verified(self) -> bool:
        return self.verified_at is not None

    # Read by attribute, as the integration event and the public shape name them.
    @property
    def kecamatan(self) -> Region:
        return self.kelurahan.kecamatan

    @property
    def declared_achievements(self) -> list[Achievement]:
        return [a for a in self.achievements if a.source == "declared"]

    @property
    def competition_achievements(self) -> list[Achievement]:
        return [a for a in self.achievements if a.source == "competition"]

    @property
    def achievements_newest_first(self) -> list[Achievement]:
        return sorted(self.achievements, key=lambda a: a.year, reverse=True)

    @property
    def revision(self) -> int:
        """Grows by one with every change (the version the KIM is stored at)."""
        return self.version

    @classmethod
    def register(
        cls,
        *,
        name: str,
        kelurahan: Kelurahan,
        chair: str,
        whatsapp: str,
        email: str,
        members: list[Member],
        now: datetime,
    ) -> Kim:
        check_members(members)
        kim = cls(
            kim_id=uuid4(),
            name=name.strip(),
            kelurahan=kelurahan,
            chair=chair.strip(),
            whatsapp=whatsapp_e164(whatsapp),
            email=email,
            members=members,
            registered_at=now,
        )
        kim.events.append(events.KimRegistered(kim))
        return kim

    def update(
        self,
        *,
        name: str | None = None,
        kelurahan: Kelurahan | None = None,
        chair: str | None = None,
        whatsapp: str | None = None,
        email: str | None = None,
        members: list[Member] | None = None,
        innovations: list[Innovation] | None = None,
        achievements: list[Achievement] | None = None,
        sponsors: list[Sponsor] | None = None,
        now: datetime | None = None,
    ) -> None:
        """Change what is given. `achievements` are the KIM's declared ones: they
        replace the declared ones, and the competition achievements stay as the
        registry recorded them. `now` bounds the years (the current year at most)."""
        this_year = (now or datetime.now()).year
        if members is not None:
            check_members(members)
        if innovations is not None:
            check_innovations(innovations, this_year)
        if achievements is not None:
            check_achievements(achievements, this_year)
        if sponsors is not None:
            check_sponsors(sponsors)
        before = copy.copy(self)
        if name is not None:
            self.name = name.strip()
        if kelurahan is not None:
            self.kelurahan = kelurahan
        if chair is not None:
            self.chair = chair.strip()
        if whatsapp is not None:
            self.whatsapp = whatsapp_e164(whatsapp)
        if email is not None:
            self.email = email
        if members is not None:
            self.members = members
        if innovations is not None:
            self.innovations = innovations
        if achievements is not None:
            self.achievements = [*self.competition_achievements, *achievements]
        if sponsors is not None:
            self.sponsors = sponsors
        self._changed_since(before)

    def record_competition_result(
        self, edition_id: UUID, achievements: list[Achievement], category: str | None = None
    ) -> None:
        """Replace what one edition's announced results (its main ranking, or one
        `category`) gave this KIM (none: it lost its place in a correction)."""
        before = copy.copy(self)
        kept = [
            a
            for a in self.achievements
            if a.source != "competition" or a.edition_id != edition_id or a.category != category
        ]
        self.achievements = [*kept, *achievements]
        self._changed_since(before)

    def _changed_since(self, before: Kim) -> None:
        # Compared whole, so a field added to the KIM counts as a change without a word here.
        if self != before:
            self.events.append(events.KimUpdated(self))

    def verify(self, now: datetime) -> None:
        if self.verified:
            raise KimAlreadyVerified(name=self.name)
        self.verified_at = now
        self.events.append(events.KimVerified(self))


def check_members(members: list[Member]) -> None:
    if len(members) > MAX_MEMBERS:
        raise TooManyItems(field="members", most=MAX_MEMBERS, count=len(members))
    seen: set[str] = set()
    for number, member in enumerate(members):
        if not member.name.strip():
            raise TitleRequired(field=f"members.{number}.name")
        key = " ".join(member.name.split()).lower()
        if key in seen:
            raise DuplicateMember(field=f"members.{number}.name", name=member.name.strip())
        seen.add(key)


def check_innovations(innovations: list[Innovation], this_year: int) -> None:
    if len(innovations) > MAX_INNOVATIONS:
        raise TooManyItems(field="innovations", most=MAX_INNOVATIONS, count=len(innovations))
    for number, innovation in enumerate(innovations):
        if not innovation.title.strip():
            raise TitleRequired(field=f"innovations.{number}.title")
        if innovation.since is not None:
            check_year(innovation.since, this_year, f"innovations.{number}.since")


def check_achievements(achievements: list[Achievement], this_year: int) -> None:
    if len(achievements) > MAX_ACHIEVEMENTS:
        raise TooManyItems(field="achievements", most=MAX_ACHIEVEMENTS, count=len(achievements))
    for number, achievement in enumerate(achievements):
        if achievement.source != "declared":
            raise CompetitionAchievementFixed(field=f"achievements.{number}")
        if not achievement.title.strip():
            raise TitleRequired(field=f"achievements.{number}.title")
        check_year(achievement.year, this_year, f"achievements.{number}.year")


def check_sponsors(sponsors: list[Sponsor]) -> None:
    if len(sponsors) > MAX_SPONSORS:
        raise TooManyItems(field="sponsors", most=MAX_SPONSORS, count=len(sponsors))
    for number, sponsor in enumerate(sponsors):
        if not sponsor.name.strip():
            raise TitleRequired(field=f"sponsors.{number}.name")


def check_year(year: int, this_year: int, field: str) -> None:
    if not EARLIEST_YEAR <= year <= this_year:
        raise YearOutOfRange(field=field, year=year, earliest=EARLIEST_YEAR, latest=this_year)


def whatsapp_e164(number: str) -> str:
    """An Indonesian mobile number in E.164 (+62...), the form WhatsApp gateways take."""
    try:
        parsed = phonenumbers.parse(number, "ID")
    except phonenumbers.NumberParseException:
        raise InvalidWhatsApp(number=number) from None
    mobile = phonenumbers.number_type(parsed) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )
    if parsed.country_code != 62 or not phonenumbers.is_valid_number(parsed) or not mobile:
        raise InvalidWhatsApp(number=number)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
