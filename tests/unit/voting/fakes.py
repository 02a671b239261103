"""Voting's repositories in memory, on the shared fake unit of work."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from voting.domain.edition import Edition, Favourite
from voting.domain.entry import Entry, Kim, Region
from voting.domain.errors import AlreadyVoted, CodeUsed, EditionNotFound
from voting.domain.fraud import AuditRecord, Flag, VoteTrace
from voting.domain.tally import EntryCount, FrozenTally
from voting.domain.voter import CodeRequest, Vote
from voting.service_layer.integration_events import to_integration

from ..fakes import FakeRepository, FakeUnitOfWork

NOW = datetime(2024, 10, 1, 9, tzinfo=UTC)
KEY = b"voter-code:test"


class FakeEditions(FakeRepository[Edition]):
    async def voting_since(self, now: datetime) -> list[Edition]:
        return self.where(
            lambda e: e.window is not None and e.window.opens_at <= now and not e.frozen_version
        )

    async def all(self) -> list[Edition]:
        return list(self.items.values())


class FakeEntries(FakeRepository[Entry]):
    async def of_edition(self, edition_id: UUID) -> list[Entry]:
        return sorted(self.where(lambda e: e.edition_id == edition_id), key=lambda e: e.submitted_at)

    async def of_kim(self, kim_id: UUID) -> list[Entry]:
        return self.where(lambda e: e.kim_id == kim_id)

    async def gallery(self, **filters: Any) -> list[Entry]:
        return self.where(lambda e: e.in_competition)


class FakeVotes(FakeRepository[Vote]):
    #: How many times votes were written (one insert_all is one write).
    writes = 0

    async def insert_all(self, votes: list[Vote]) -> tuple[list[Vote], list[str]]:
        self.writes += 1
        stored: list[Vote] = []
        taken: list[str] = []
        for vote in votes:
            # The unique (code request, category) index.
            made = [v for v in await self.of_request(vote.request_id) if v.category == vote.category]
            if made:
                if made[0].entry_id != vote.entry_id:
                    raise CodeUsed()
                stored.append(made[0])
                continue
            try:
                self.add(vote)
            except AlreadyVoted:
                taken.append(vote.category or "")
                continue
            vote.version = 1
            stored.append(vote)
        return stored, taken

    async def of_request(self, request_id: UUID) -> list[Vote]:
        return self.where(lambda v: v.request_id == request_id)

    def add(self, aggregate: Vote) -> None:
        # The unique (edition, category, voter) index.
        if self.where(
            lambda v: (
                (v.edition_id, v.category, v.voter)
                == (aggregate.edition_id, aggregate.category, aggregate.voter)
            )
        ):
            raise AlreadyVoted()
        super().add(aggregate)

    async def counts(self, edition_id: UUID, *, default: str) -> dict[str, dict[UUID, EntryCount]]:
        by_category: dict[str, dict[UUID, EntryCount]] = {}
        for vote in self.where(lambda v: v.edition_id == edition_id):
            counts = by_category.setdefault(vote.category or default, {})
            was = counts.get(vote.entry_id, EntryCount(entry_id=vote.entry_id))
            counted = vote.status == "counted"
            last = was.last_counted_at
            if counted and (last is None or vote.cast_at > last):
                last = vote.cast_at
            counts[vote.entry_id] = EntryCount(
                entry_id=vote.entry_id,
                counted=was.counted + counted,
                voided=was.voided + (not counted),
                flagged=was.flagged + (counted and vote.flagged),
                last_counted_at=last,
            )
        return by_category

    async def traces(self, edition_id: UUID, most: int) -> list[VoteTrace]:
        votes = sorted(
            self.where(lambda v: v.edition_id == edition_id and v.status == "counted"),
            key=lambda v: v.cast_at,
        )
        return [
            VoteTrace(
                vote_id=v.vote_id,
                voter=v.voter,
                channel=v.channel,
                ip_block=v.ip_block,
                cast_at=v.cast_at,
                code_requested_at=v.code_requested_at,
                challenge_solve_ms=v.challenge_solve_ms,
            )
            for v in votes[:most]
        ]

    async def voided_among(self, vote_ids: Collection[UUID]) -> set[UUID]:
        return {v.vote_id for v in self.items.values() if v.vote_id in vote_ids and v.status == "voided"}

    async def mark_flagged(self, edition_id: UUID, flagged: Collection[UUID]) -> None:
        for vote in self.where(lambda v: v.edition_id == edition_id):
            vote.flagged = vote.vote_id in flagged


class FakeFlags(FakeRepository[Flag]):
    async def of_edition(self, edition_id: UUID) -> list[Flag]:
        return sorted(self.where(lambda f: f.edition_id == edition_id), key=lambda f: f.raised_at)


class FakeAudit(FakeRepository[AuditRecord]):
    async def of_edition(self, edition_id: UUID) -> list[AuditRecord]:
        return self.where(lambda r: r.edition_id == edition_id)


class FakeTallies(FakeRepository[FrozenTally]):
    async def latest(self, edition_id: UUID, category: str) -> FrozenTally | None:
        found = sorted(
            self.where(lambda t: t.edition_id == edition_id and t.tally.category_code == category),
            key=lambda t: t.number,
        )
        return found[-1] if found else None


class FakeVotingUnitOfWork(FakeUnitOfWork):
    def __init__(self) -> None:
        super().__init__(to_integration)
        self.editions = FakeEditions("edition_id", EditionNotFound)
        self.entries = FakeEntries("entry_id")
        self.kims = FakeRepository[Kim]("kim_id")
        self.codes = FakeRepository[CodeRequest]("request_id")
        self.votes = FakeVotes("vote_id")
        self.flags = FakeFlags("flag_id")
        self.audit = FakeAudit("record_id")
        self.tallies = FakeTallies("tally_id")


class Clock:
    """A clock the test moves."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def an_edition(*, window: bool = True, favourite: bool = True) -> Edition:
    edition = Edition(
        edition_id=uuid4(),
        title="Lomba Video Pendek KIM 2024",
        favourites=[Favourite(code="juara-favorit", title="Juara Favorit")] if favourite else [],
        revision=1,
    )
    if window:
        edition.set_window(
            opens_at=NOW - timedelta(hours=1), closes_at=NOW + timedelta(hours=1), public_counts=False
        )
    return edition


def an_entry(
    edition: Edition,
    title: str,
    *,
    minutes: int = 0,
    status: str = "submitted",
    categories: tuple[str, ...] = (),
) -> Entry:
    return Entry(
        entry_id=uuid4(),
        edition_id=edition.edition_id,
        kim_id=uuid4(),
        kim_name=f"KIM {title}",
        kelurahan=Region(code="polowijen", name="Polowijen"),
        title=title,
        synopsis="",
        video_url="https://www.youtube.com/watch?v=abc",
        umkm_featured=["Keripik Tempe"],
        status=status,  # type: ignore[arg-type]
        revision=1,
        submitted_at=NOW - timedelta(days=30) + timedelta(minutes=minutes),
        categories=list(categories),
    )
