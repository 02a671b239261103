"""Fraud signals, raised in batches by a background pass: flagged, never dropped.

- `address_block_burst`: many votes from one address block (/24, /48) within one
  window of `burst_seconds` (windows are fixed: [0, 60), [60, 120), ...).
- `number_range`: many voters whose WhatsApp numbers differ only in their last
  `range_digits` digits (sequential or bought-in-bulk numbers).
- `inhuman_rate`: a vote cast sooner after its code was requested than a person
  reads a WhatsApp message and types six digits.
- `weak_challenge`: a proof-of-work challenge that came back solved sooner after
  it was issued than a phone solves it (solved elsewhere in advance, or farmed).

Each flag has a key (the block and window, the range, the hour), so a pass run
again finds the flag it raised before and adds only the votes new to it; a flag
staff decided on opens again when new votes join it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from uuid import NAMESPACE_URL, UUID, uuid5

from shared.kernel.aggregate import Aggregate

from .errors import FlagAlreadyDecided

FlagKind = Literal["address_block_burst", "number_range", "inhuman_rate", "weak_challenge"]
FlagStatus = Literal["open", "dismissed", "voided"]
AuditAction = Literal["vote_voided", "flag_dismissed", "flag_voided"]


@dataclass(frozen=True, kw_only=True)
class VoteTrace:
    """What the pass reads of a counted vote."""

    vote_id: UUID
    voter: str
    channel: Literal["whatsapp", "email"]
    ip_block: str
    cast_at: datetime
    code_requested_at: datetime
    challenge_solve_ms: int | None


@dataclass(frozen=True, kw_only=True)
class Thresholds:
    burst_seconds: int = 60
    burst_votes: int = 10
    range_digits: int = 3
    range_voters: int = 5
    inhuman_seconds: float = 4.0
    weak_challenge_ms: int = 150


@dataclass(frozen=True, kw_only=True)
class Suspicion:
    kind: FlagKind
    key: str
    vote_ids: frozenset[UUID]
    detail: str
    #: The same in Indonesian, for the staff pages.
    detail_id: str = ""


def suspicions(votes: Iterable[VoteTrace], rules: Thresholds) -> list[Suspicion]:
    by_burst: dict[tuple[str, int], set[UUID]] = defaultdict(set)
    by_range: dict[str, dict[str, set[UUID]]] = defaultdict(lambda: defaultdict(set))
    inhuman: dict[str, set[UUID]] = defaultdict(set)
    weak: dict[str, set[UUID]] = defaultdict(set)
    for vote in votes:
        window = int(vote.cast_at.timestamp()) // rules.burst_seconds
        by_burst[(vote.ip_block, window)].add(vote.vote_id)
        if vote.channel == "whatsapp" and len(vote.voter) > rules.range_digits + 4:
            by_range[vote.voter[: -rules.range_digits]][vote.voter].add(vote.vote_id)
        hour = vote.cast_at.strftime("%Y-%m-%dT%H")
        if (vote.cast_at - vote.code_requested_at).total_seconds() < rules.inhuman_seconds:
            inhuman[hour].add(vote.vote_id)
        if vote.challenge_solve_ms is not None and vote.challenge_solve_ms < rules.weak_challenge_ms:
            weak[hour].add(vote.vote_id)
    found: list[Suspicion] = []
    for (block, window), ids in sorted(by_burst.items()):
        if len(ids) >= rules.burst_votes:
            start = window * rules.burst_seconds
            found.append(
                Suspicion(
                    kind="address_block_burst",
                    key=f"{block}@{start}",
                    vote_ids=frozenset(ids),
                    detail=f"{len(ids)} votes from {block} within {rules.burst_seconds} s",
                    detail_id=f"{len(ids)} suara dari {block} dalam {rules.burst_seconds} detik",
                )
            )
    for prefix, voters in sorted(by_range.items()):
        if len(voters) >= rules.range_voters:
            ids = {vote_id for vote_ids in voters.values() for vote_id in vote_ids}
            found.append(
                Suspicion(
                    kind="number_range",
                    key=prefix,
                    vote_ids=frozenset(ids),
                    detail=f"{len(voters)} numbers in {prefix}{'x' * rules.range_digits}",
                    detail_id=f"{len(voters)} nomor dalam rentang {prefix}{'x' * rules.range_digits}",
                )
            )
    for hour, ids in sorted(inhuman.items()):
        found.append(
            Suspicion(
                kind="inhuman_rate",
                key=hour,
                vote_ids=frozenset(ids),
                detail=f"{len(ids)} votes cast under {rules.inhuman_seconds:g} s after their code was sent",
                detail_id=f"{len(ids)} suara diberikan kurang dari {rules.inhuman_seconds:g} detik "
                "sesudah kodenya dikirim",
            )
        )
    for hour, ids in sorted(weak.items()):
        found.append(
            Suspicion(
                kind="weak_challenge",
                key=hour,
                vote_ids=frozenset(ids),
                detail=f"{len(ids)} votes whose challenge was solved in under {rules.weak_challenge_ms} ms",
                detail_id=f"{len(ids)} suara yang tantangan anti-robotnya terpecahkan dalam kurang dari "
                f"{rules.weak_challenge_ms} ms",
            )
        )
    return found


def flag_id_of(edition_id: UUID, kind: FlagKind, key: str) -> UUID:
    """A flag's id follows from what it is about: a pass run again finds it."""
    return uuid5(NAMESPACE_URL, f"kim-contest:voting:{edition_id}:{kind}:{key}")


@dataclass(kw_only=True)
class Flag(Aggregate):
    flag_id: UUID
    edition_id: UUID
    kind: FlagKind
    key: str
    vote_ids: list[UUID]
    detail: str
    raised_at: datetime
    detail_id: str = ""
    status: FlagStatus = "open"
    decided_by: str | None = None
    decided_at: datetime | None = None
    reason: str | None = None
    history: list[str] = field(default_factory=list)

    @classmethod
    def raise_for(cls, edition_id: UUID, suspicion: Suspicion, now: datetime) -> Flag:
        return cls(
            flag_id=flag_id_of(edition_id, suspicion.kind, suspicion.key),
            edition_id=edition_id,
            kind=suspicion.kind,
            key=suspicion.key,
            vote_ids=sorted(suspicion.vote_ids, key=str),
            detail=suspicion.detail,
            detail_id=suspicion.detail_id,
            raised_at=now,
        )

    def merge(self, suspicion: Suspicion, now: datetime) -> bool:
        """Add the votes new to this flag; a decided flag with new votes opens again."""
        new = suspicion.vote_ids - set(self.vote_ids)
        if not new:
            return False
        self.vote_ids = sorted({*self.vote_ids, *new}, key=str)
        self.detail, self.detail_id = suspicion.detail, suspicion.detail_id
        if self.status != "open":
            self.history.append(f"{self.status} by {self.decided_by} at {self.decided_at}: {self.reason}")
            self.status, self.decided_by, self.decided_at, self.reason = "open", None, None, None
            self.raised_at = now
        return True

    def dismiss(self, *, reason: str, by: str, now: datetime) -> None:
        if self.status != "open":
            raise FlagAlreadyDecided(flag_id=self.flag_id, status=self.status)
        self.status, self.reason, self.decided_by, self.decided_at = "dismissed", reason, by, now

    def settle(self, voided: set[UUID], *, reason: str, by: str, now: datetime) -> bool:
        """An open flag whose votes are all void is decided: voided."""
        if self.status != "open" or not set(self.vote_ids) <= voided:
            return False
        self.status, self.reason, self.decided_by, self.decided_at = "voided", reason, by, now
        return True


@dataclass(kw_only=True)
class AuditRecord(Aggregate):
    """Who decided what about a vote or a flag, when and why; never changed."""

    record_id: UUID
    edition_id: UUID
    action: AuditAction
    subject_id: UUID
    reason: str
    by: str
    at: datetime
