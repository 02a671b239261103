"""The count: votes per entry, the declared tie rule, and the frozen tally with its hash.

Equal counts are ordered by the declared rule (`TIE_BREAK`): the entry that
reached its count first (its last counted vote came earlier) ranks higher; if
that is equal too (no votes at all), the entry submitted first. Ranks are
therefore 1, 2, 3, ... with no two alike.

Freezing hashes the tally's canonical JSON (keys sorted, no spaces, UTF-8, ids
as text, times in UTC to the millisecond) with SHA-256, as judging's snapshots do.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from shared.kernel.aggregate import Aggregate

from . import events
from .entry import Entry, Region

TIE_BREAK = [
    "most counted votes first (flagged votes count until staff void them)",
    "on equal votes: the entry that reached its count first (its last counted vote earlier)",
    "then: the entry submitted first",
]


@dataclass(frozen=True, kw_only=True)
class EntryCount:
    """What the votes of one entry add up to (the adapter aggregates them)."""

    entry_id: UUID
    counted: int = 0
    voided: int = 0
    #: Counted votes in an open fraud flag.
    flagged: int = 0
    #: When its last counted vote was cast.
    last_counted_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class Standing:
    rank: int
    entry_id: UUID
    entry_title: str
    kim_id: UUID
    kim_name: str
    kelurahan: Region
    votes: int
    flagged: int
    reached_at: datetime | None


@dataclass(frozen=True, kw_only=True)
class Tally:
    edition_id: UUID
    edition_title: str
    category_code: str
    counted: int
    voided: int
    flagged: int
    standings: list[Standing]
    tie_break: list[str]

    def canonical_json(self) -> bytes:
        return json.dumps(
            dataclasses.asdict(self),
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
            default=_plain,
        ).encode()

    def digest(self) -> str:
        return hashlib.sha256(self.canonical_json()).hexdigest()


def _plain(value: Any) -> str:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="milliseconds")
    raise TypeError(f"not part of a canonical tally: {value!r}")


def count_votes(
    *,
    edition_id: UUID,
    edition_title: str,
    category_code: str,
    entries: Iterable[Entry],
    counts: Mapping[UUID, EntryCount],
) -> Tally:
    """Every entry in competition, ranked by the declared rule. Votes for an entry
    no longer in competition are not in the standings, but are in the totals."""
    competing = [entry for entry in entries if entry.in_competition]
    never = datetime.max.replace(tzinfo=UTC)

    def order(entry: Entry) -> tuple[int, datetime, datetime, str]:
        count = counts.get(entry.entry_id, EntryCount(entry_id=entry.entry_id))
        return (-count.counted, count.last_counted_at or never, entry.submitted_at, str(entry.entry_id))

    standings = []
    for rank, entry in enumerate(sorted(competing, key=order), start=1):
        count = counts.get(entry.entry_id, EntryCount(entry_id=entry.entry_id))
        standings.append(
            Standing(
                rank=rank,
                entry_id=entry.entry_id,
                entry_title=entry.title,
                kim_id=entry.kim_id,
                kim_name=entry.kim_name,
                kelurahan=entry.kelurahan,
                votes=count.counted,
                flagged=count.flagged,
                reached_at=count.last_counted_at if count.counted else None,
            )
        )
    return Tally(
        edition_id=edition_id,
        edition_title=edition_title,
        category_code=category_code,
        counted=sum(c.counted for c in counts.values()),
        voided=sum(c.voided for c in counts.values()),
        flagged=sum(c.flagged for c in counts.values()),
        standings=standings,
        tie_break=list(TIE_BREAK),
    )


@dataclass(kw_only=True)
class FrozenTally(Aggregate):
    """A tally staff froze after the vote closed; its content never changes. A
    later freeze (after voiding more votes) is the next version."""

    tally_id: UUID
    edition_id: UUID
    #: 1, then one more per freeze. (`version` is the aggregate's optimistic lock.)
    number: int
    tally: Tally
    content_hash: str
    frozen_at: datetime
    frozen_by: str

    @classmethod
    def freeze(cls, tally: Tally, *, number: int, by: str, now: datetime) -> FrozenTally:
        frozen = cls(
            tally_id=uuid4(),
            edition_id=tally.edition_id,
            number=number,
            tally=tally,
            content_hash=tally.digest(),
            frozen_at=now,
            frozen_by=by,
        )
        frozen.events.append(events.TallyFrozen(frozen))
        return frozen

    @property
    def intact(self) -> bool:
        return self.tally.digest() == self.content_hash
