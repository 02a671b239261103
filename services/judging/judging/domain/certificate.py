"""Certificates: one per awarded place and one "Peserta" per participating KIM
(every KIM with an entry in the ranking), issued when results are announced
(and again for each announced correction), in the same transaction.

Each carries a short code, random and URL-safe, not derivable from anything
public, under which anyone can check it: the facts it states, whether a later
announced version of the same results supersedes it, and whether the announced
snapshot still hashes to the hash it carries."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID

from shared.kernel.aggregate import Aggregate

from .prizes import CategoryRef, Prize, prize_for
from .results import Standing
from .snapshot import Snapshot

#: Characters of a code: base32 (A–Z, 2–7), 5 bits each, 50 bits in all.
CODE_LENGTH = 10
CertificateStatus = Literal["valid", "superseded", "invalid"]


def new_code() -> str:
    """Ten characters of base32 from the operating system's random source."""
    return base64.b32encode(secrets.token_bytes(7)).decode()[:CODE_LENGTH]


def normal_code(text: str) -> str:
    """A code as typed or scanned: any case, spaces and dashes ignored."""
    return "".join(ch for ch in text.upper() if ch not in " -")


@dataclass(kw_only=True)
class Certificate(Aggregate):
    code: str
    edition_id: UUID
    edition_title: str
    #: None: the edition's main ranking.
    category: CategoryRef | None = None
    #: The announced results version it was issued for.
    results_version: int
    kim_id: UUID
    kim_name: str
    entry_id: UUID
    entry_title: str
    #: The awarded place; None for a participant's ("Peserta") certificate.
    place: int | None
    prize: Prize | None = None
    #: The SHA-256 of the announced snapshot it was issued from.
    content_hash: str
    #: The judging edition whose snapshot it was issued from, when not `edition_id`
    #: itself: the final round of an edition judged in two rounds.
    results_of: UUID | None = None
    announced_at: datetime
    issued_at: datetime

    @property
    def category_code(self) -> str | None:
        return None if self.category is None else self.category.code

    def status(self, latest_version: int, snapshot_intact: bool) -> CertificateStatus:
        """`invalid` when the announced snapshot no longer hashes to this certificate's
        hash; `superseded` when a later version of the same results was announced."""
        if not snapshot_intact:
            return "invalid"
        return "superseded" if latest_version > self.results_version else "valid"


def issue(
    snapshot: Snapshot,
    *,
    prizes: Iterable[Prize] = (),
    category: CategoryRef | None = None,
    edition_id: UUID | None = None,
    participants: bool = True,
    now: datetime,
) -> list[Certificate]:
    """The certificates of an announced snapshot: one per awarded place, best first,
    then, with `participants`, one "Peserta" per KIM in the ranking (winners too), in
    ranking order (a category's give its winners only: participants have the main
    ranking's). `edition_id`: the edition they are of, when the snapshot is of its
    final round."""
    announced_at = snapshot.announced_at
    assert announced_at is not None, "certificates are issued only for announced results"
    prizes = list(prizes)
    results = snapshot.results

    def certificate(standing: Standing, place: int | None) -> Certificate:
        return Certificate(
            code=new_code(),
            edition_id=edition_id or snapshot.edition_id,
            edition_title=snapshot.edition_title,
            category=category,
            results_version=snapshot.number,
            kim_id=standing.kim_id,
            kim_name=standing.kim_name,
            entry_id=standing.entry_id,
            entry_title=standing.entry_title,
            place=place,
            prize=prize_for(prizes, place),
            content_hash=snapshot.content_hash,
            results_of=None if edition_id in (None, snapshot.edition_id) else snapshot.edition_id,
            announced_at=announced_at,
            issued_at=now,
        )

    winners = [certificate(standing, standing.rank) for standing in results.winners]
    if not participants:
        return winners
    return winners + [certificate(standing, None) for standing in results.standings]
