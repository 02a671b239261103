"""An edition: one competition, e.g. "Lomba Video Pendek KIM 2024".

Draft → published (enrolment and entries open inside the submission window)
→ submissions closed (by staff, or at the deadline).
"""

from __future__ import annotations

import copy
import dataclasses
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from uuid import UUID, uuid4

from shared.kernel.aggregate import Aggregate

from . import events
from .errors import (
    CategoryCodeTaken,
    CategoryPrizeRankNotAwarded,
    EditionAlreadyPublished,
    EditionNotPublished,
    FavouriteCategoryTwice,
    FavouriteOfNotFavourite,
    FavouriteOfNotRanked,
    FavouriteOfTwice,
    PrizeRankNotAwarded,
    PrizeRankTwice,
    RulesFixedAfterClosing,
    SpecialAwardOnePlace,
    SubmissionsAlreadyClosed,
    WindowAlreadyOver,
    WindowClosesBeforeItOpens,
    WindowInPast,
)

EditionStatus = Literal["draft", "published", "submissions_closed"]
CategoryKind = Literal["ranked", "special", "favourite"]
#: A year in a title ("Lomba Video Pendek KIM 2024"), moved on in a copy's title.
YEAR = re.compile(r"\b(19|20)\d{2}\b")


@dataclass(kw_only=True)
class Rules:
    max_video_seconds: int
    allowed_video_hosts: list[str]
    entries_per_kim: int


@dataclass(kw_only=True)
class Prize:
    rank: int
    title: str
    #: The prize as the edition words it ("Rp7.500.000 dan trofi").
    reward: str | None = None
    #: Cash in rupiah; None when there is none.
    amount: int | None = None
    #: What is given besides cash ("Trofi dan sertifikat").
    non_cash: str | None = None


@dataclass(kw_only=True)
class Category:
    """A category or award beside the main ranking: `ranked` (entries entered for it
    ranked, `awarded_ranks` places), `special` (the jury gives it to one entry, with
    a reason), `favourite` (the public vote's Juara Favorit)."""

    code: str
    title: str
    kind: CategoryKind
    awarded_ranks: int
    prizes: list[Prize] = field(default_factory=list)
    description: str = ""
    #: Only on a favourite category: the ranked category (its code) whose entries it
    #: is voted on among; None: every entry in competition.
    favourite_of: str | None = None


@dataclass(kw_only=True)
class Edition(Aggregate):
    edition_id: UUID
    title: str
    theme: str
    description: str
    submission_opens_at: datetime
    submission_closes_at: datetime
    rules: Rules
    awarded_ranks: int
    prizes: list[Prize] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    #: The edition this one was copied from ("next year's edition"), kept and published.
    copied_from: UUID | None = None
    status: EditionStatus = "draft"
    created_at: datetime
    published_at: datetime | None = None
    closed_at: datetime | None = None
    closed_by: Literal["staff", "deadline"] | None = None
    #: The version of the announced results (`winner.announced`) the KIMs'
    #: competition achievements were last recorded from.
    results_version: int | None = None
    #: The same per category (`winner.announced` v2), by the category's code.
    category_results_versions: dict[str, int] = field(default_factory=dict)

    @classmethod
    def draft(
        cls,
        *,
        title: str,
        theme: str,
        description: str,
        submission_opens_at: datetime,
        submission_closes_at: datetime,
        rules: Rules,
        awarded_ranks: int,
        prizes: list[Prize],
        now: datetime,
        categories: list[Category] | None = None,
    ) -> Edition:
        edition = cls(
            edition_id=uuid4(),
            title=title.strip(),
            theme=theme.strip(),
            description=description.strip(),
            submission_opens_at=submission_opens_at,
            submission_closes_at=submission_closes_at,
            rules=_normalised(rules),
            awarded_ranks=awarded_ranks,
            prizes=sorted(prizes, key=lambda p: p.rank),
            categories=_categories(categories or []),
            created_at=now,
        )
        edition._check_consistency()
        return edition

    @classmethod
    def copy_of(
        cls,
        source: Edition,
        *,
        submission_opens_at: datetime,
        submission_closes_at: datetime | None = None,
        title: str | None = None,
        now: datetime,
    ) -> Edition:
        """Next year's edition: a new draft with the source's theme, description,
        rules, ranks, prizes and categories; its window moved by as much as its
        opening moves (the closing too, unless given); its title the source's with
        its year moved on the same number of years, unless given. Nothing of the
        source's entries or enrolments."""
        if submission_opens_at < now:
            raise WindowInPast(opens_at=submission_opens_at.isoformat())
        shift = submission_opens_at - source.submission_opens_at
        try:
            closes_at = submission_closes_at or source.submission_closes_at + shift
        except OverflowError:  # moved past the calendar's end (year 9999)
            raise WindowClosesBeforeItOpens() from None
        years = submission_opens_at.year - source.submission_opens_at.year
        edition = cls.draft(
            title=title if title is not None else moved_on(source.title, years),
            theme=source.theme,
            description=source.description,
            submission_opens_at=submission_opens_at,
            submission_closes_at=closes_at,
            rules=copy.deepcopy(source.rules),
            awarded_ranks=source.awarded_ranks,
            prizes=copy.deepcopy(source.prizes),
            categories=copy.deepcopy(source.categories),
            now=now,
        )
        edition.copied_from = source.edition_id
        return edition

    def revise(
        self,
        *,
        title: str | None = None,
        theme: str | None = None,
        description: str | None = None,
        submission_opens_at: datetime | None = None,
        submission_closes_at: datetime | None = None,
        rules: Rules | None = None,
        awarded_ranks: int | None = None,
        prizes: list[Prize] | None = None,
        categories: list[Category] | None = None,
    ) -> None:
        if self.status == "submissions_closed":
            raise RulesFixedAfterClosing(title=self.title)
        before = copy.copy(self)
        if title is not None:
            self.title = title.strip()
        if theme is not None:
            self.theme = theme.strip()
        if description is not None:
            self.description = description.strip()
        if submission_opens_at is not None:
            self.submission_opens_at = submission_opens_at
        if submission_closes_at is not None:
            self.submission_closes_at = submission_closes_at
        if rules is not None:
            self.rules = _normalised(rules)
        if awarded_ranks is not None:
            self.awarded_ranks = awarded_ranks
        if prizes is not None:
            self.prizes = sorted(prizes, key=lambda p: p.rank)
        if categories is not None:
            self.categories = _categories(categories)
        self._check_consistency()
        # Compared whole, so a field added to the edition counts as a change without a word here.
        if self.status == "published" and self != before:
            self.events.append(events.EditionUpdated(self))

    def publish(self, now: datetime) -> None:
        if self.status != "draft":
            raise EditionAlreadyPublished(title=self.title)
        if self.submission_closes_at <= now:
            raise WindowAlreadyOver(closes_at=self.submission_closes_at.isoformat())
        self.status = "published"
        self.published_at = now
        self.events.append(events.EditionPublished(self))

    def close_submissions(self, now: datetime, by: Literal["staff", "deadline"]) -> None:
        if self.status == "draft":
            raise EditionNotPublished(title=self.title)
        if self.status == "submissions_closed":
            raise SubmissionsAlreadyClosed(title=self.title)
        self.status = "submissions_closed"
        self.closed_at = now
        self.closed_by = by
        self.events.append(events.SubmissionsClosed(self))

    @property
    def revision(self) -> int:
        """Grows by one with every change (the version the edition is stored at); read
        by attribute into the integration events."""
        return self.version

    def deadline_passed(self, now: datetime) -> bool:
        return self.status == "published" and self.submission_closes_at <= now

    def take_results(self, version: int, category: str | None = None) -> bool:
        """Whether announced results of this `version` (of the main ranking, or of one
        `category`) are newer than those last recorded (and, if so, note them); an
        older or repeated version is not."""
        if category is not None:
            known = self.category_results_versions.get(category)
            if known is not None and version <= known:
                return False
            self.category_results_versions[category] = version
            return True
        if self.results_version is not None and version <= self.results_version:
            return False
        self.results_version = version
        return True

    def _check_consistency(self) -> None:
        if self.submission_closes_at <= self.submission_opens_at:
            raise WindowClosesBeforeItOpens()
        for prize in self.prizes:
            if prize.rank > self.awarded_ranks:
                raise PrizeRankNotAwarded(rank=prize.rank, awarded_ranks=self.awarded_ranks)
        _no_rank_twice(self.prizes, field="prizes")
        codes: set[str] = set()
        for index, category in enumerate(self.categories):
            where = f"categories.{index}"
            if category.code in codes:
                raise CategoryCodeTaken(code=category.code, field=f"{where}.code")
            codes.add(category.code)
            if category.kind == "special" and category.awarded_ranks != 1:
                raise SpecialAwardOnePlace(title=category.title, field=f"{where}.awarded_ranks")
            for prize in category.prizes:
                if prize.rank > category.awarded_ranks:
                    raise CategoryPrizeRankNotAwarded(
                        rank=prize.rank,
                        title=category.title,
                        awarded_ranks=category.awarded_ranks,
                        field=f"{where}.prizes",
                    )
            _no_rank_twice(category.prizes, field=f"{where}.prizes")
        self._check_favourites()

    def _check_favourites(self) -> None:
        """One favourite category votes among every entry in competition (or those of
        the ranked category it names); several each name a different ranked category."""
        ranked = {c.code for c in self.categories if c.kind == "ranked"}
        favourites = [i for i, c in enumerate(self.categories) if c.kind == "favourite"]
        named: dict[str, str] = {}
        for index, category in enumerate(self.categories):
            where = f"categories.{index}.favourite_of"
            if category.favourite_of is None:
                continue
            if category.kind != "favourite":
                raise FavouriteOfNotFavourite(title=category.title, field=where)
            if category.favourite_of not in ranked:
                raise FavouriteOfNotRanked(title=category.title, code=category.favourite_of, field=where)
            if category.favourite_of in named:
                raise FavouriteOfTwice(
                    code=category.favourite_of,
                    titles=f"{named[category.favourite_of]}, {category.title}",
                    field=where,
                )
            named[category.favourite_of] = category.title
        if len(favourites) > 1:
            unnamed = [i for i in favourites if self.categories[i].favourite_of is None]
            if unnamed:
                titles = ", ".join(self.categories[i].title for i in favourites)
                raise FavouriteCategoryTwice(titles=titles, field=f"categories.{unnamed[0]}.favourite_of")


def moved_on(title: str, years: int) -> str:
    """The title with each year in it moved on by `years` ("... 2024" -> "... 2025")."""
    return YEAR.sub(lambda m: str(int(m.group(0)) + years), title)


def _no_rank_twice(prizes: list[Prize], *, field: str) -> None:
    ranks: set[int] = set()
    for prize in prizes:
        if prize.rank in ranks:
            raise PrizeRankTwice(rank=prize.rank, field=field)
        ranks.add(prize.rank)


def _categories(categories: list[Category]) -> list[Category]:
    """In the edition's order; titles trimmed, each category's prizes by rank."""
    return [
        dataclasses.replace(
            c,
            code=c.code.strip(),
            title=c.title.strip(),
            favourite_of=c.favourite_of.strip() if c.favourite_of else None,
            description=c.description.strip(),
            prizes=sorted(c.prizes, key=lambda p: p.rank),
        )
        for c in categories
    ]


def _normalised(rules: Rules) -> Rules:
    hosts = [host.strip().lower().removeprefix("www.") for host in rules.allowed_video_hosts]
    return dataclasses.replace(rules, allowed_video_hosts=list(dict.fromkeys(hosts)))
