"""What the voting service layer needs from storage; adapters provide it."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol
from uuid import UUID

from shared.platform.persistence.unit_of_work import UnitOfWork

from ..domain.edition import Edition
from ..domain.entry import Entry, Kim
from ..domain.fraud import AuditRecord, Flag, VoteTrace
from ..domain.tally import EntryCount, FrozenTally
from ..domain.voter import CodeRequest, Vote


class EditionRepository(Protocol):
    async def get(self, edition_id: UUID) -> Edition | None: ...
    async def require(self, edition_id: UUID) -> Edition: ...
    def add(self, edition: Edition) -> None: ...
    async def voting_since(self, now: datetime) -> list[Edition]:
        """Editions whose vote has opened and whose tally is not frozen yet."""
        ...

    async def all(self) -> list[Edition]: ...


class EntryRepository(Protocol):
    async def get(self, entry_id: UUID) -> Entry | None: ...
    def add(self, entry: Entry) -> None: ...
    async def of_edition(self, edition_id: UUID) -> list[Entry]: ...
    async def of_kim(self, kim_id: UUID) -> list[Entry]: ...
    async def gallery(
        self, *, edition_id: UUID | None, kecamatan: str | None, kelurahan: str | None, umkm: str | None
    ) -> list[Entry]:
        """Entries in competition, by edition then submission, filtered."""
        ...


class KimRepository(Protocol):
    async def get(self, kim_id: UUID) -> Kim | None: ...
    def add(self, kim: Kim) -> None: ...


class CodeRequestRepository(Protocol):
    async def get(self, request_id: UUID) -> CodeRequest | None: ...
    def add(self, request: CodeRequest) -> None: ...


class VoteRepository(Protocol):
    async def get(self, vote_id: UUID) -> Vote | None: ...
    def add(self, vote: Vote) -> None: ...
    async def insert_all(self, votes: list[Vote]) -> tuple[list[Vote], list[str]]:
        """Store the votes now, in one write of their own (no transaction), each on
        its own: the votes stored, and the categories of those refused because the
        voter has a vote there made with another code. A vote whose code request made
        one in its category already is answered by that vote when it is for the same
        film (the same request again), else `CodeUsed`."""
        ...

    async def of_request(self, request_id: UUID) -> list[Vote]:
        """The votes made with this code request."""
        ...

    async def counts(self, edition_id: UUID, *, default: str) -> dict[str, dict[UUID, EntryCount]]:
        """Per favourite category (a vote without one: `default`), counted, voided
        and flagged votes per entry: one aggregation, no counter documents."""
        ...

    async def traces(self, edition_id: UUID, most: int) -> list[VoteTrace]:
        """The counted votes' traces the fraud pass reads, oldest first, at most `most`."""
        ...

    async def voided_among(self, vote_ids: Collection[UUID]) -> set[UUID]: ...
    async def mark_flagged(self, edition_id: UUID, flagged: Collection[UUID]) -> None:
        """Votes of `flagged` are flagged, every other vote of the edition is not (in this transaction)."""
        ...


class FlagRepository(Protocol):
    async def get(self, flag_id: UUID) -> Flag | None: ...
    def add(self, flag: Flag) -> None: ...
    async def of_edition(self, edition_id: UUID) -> list[Flag]: ...


class AuditRepository(Protocol):
    def add(self, record: AuditRecord) -> None: ...
    async def of_edition(self, edition_id: UUID) -> list[AuditRecord]: ...


class TallyRepository(Protocol):
    def add(self, tally: FrozenTally) -> None: ...
    async def latest(self, edition_id: UUID, category: str) -> FrozenTally | None:
        """The favourite category's latest frozen tally."""
        ...


class VotingUnitOfWork(UnitOfWork):
    editions: EditionRepository
    entries: EntryRepository
    kims: KimRepository
    codes: CodeRequestRepository
    votes: VoteRepository
    flags: FlagRepository
    audit: AuditRepository
    tallies: TallyRepository
