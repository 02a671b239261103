"""A snapshot: results frozen by staff, with the SHA-256 of their canonical
JSON. Its content never changes; it is verified (the stored content still
hashes to its hash, and the sheets still give the same results), then
announced. A correction is a new snapshot, one version up, with its reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from shared.kernel.aggregate import Aggregate

from .errors import SnapshotStale, SnapshotTampered
from .results import Results


@dataclass(frozen=True, kw_only=True)
class Verification:
    version: int
    #: The hash taken when the results were frozen.
    stored: str
    #: The hash of the content as stored now.
    content: str
    #: The hash of the results the stored sheets give now.
    recomputed: str

    @property
    def intact(self) -> bool:
        return self.content == self.stored

    @property
    def current(self) -> bool:
        return self.recomputed == self.stored

    @property
    def ok(self) -> bool:
        return self.intact and self.current

    def require_ok(self) -> None:
        """Refuse a snapshot whose stored content, or whose sheets, no longer match its hash."""
        if not self.intact:
            raise SnapshotTampered(version=self.version, stored=self.stored, actual=self.content)
        if not self.current:
            raise SnapshotStale(version=self.version, stored=self.stored, recomputed=self.recomputed)


@dataclass(kw_only=True)
class Snapshot(Aggregate):
    snapshot_id: UUID
    edition_id: UUID
    #: The results version: 1, then one more per freeze. (`version` is the
    #: aggregate's optimistic lock, as on every aggregate.)
    number: int
    edition_title: str
    results: Results
    content_hash: str
    frozen_at: datetime
    frozen_by: str
    #: The announced version this one corrects.
    supersedes: int | None = None
    reason: str | None = None
    verified_at: datetime | None = None
    verified_by: str | None = None
    announced_at: datetime | None = None
    announced_by: str | None = None
    #: The category these are the results of (its code); None: the main ranking.
    category: str | None = None

    @classmethod
    def freeze(
        cls,
        *,
        edition_id: UUID,
        edition_title: str,
        number: int,
        results: Results,
        supersedes: int | None,
        reason: str | None,
        by: str,
        now: datetime,
    ) -> Snapshot:
        return cls(
            snapshot_id=uuid4(),
            edition_id=edition_id,
            number=number,
            edition_title=edition_title,
            results=results,
            content_hash=results.digest(),
            frozen_at=now,
            frozen_by=by,
            supersedes=supersedes,
            reason=reason,
        )

    def check(self, recomputed: Results) -> Verification:
        return Verification(
            version=self.number,
            stored=self.content_hash,
            content=self.results.digest(),
            recomputed=recomputed.digest(),
        )

    def verify(self, recomputed: Results, *, by: str, now: datetime) -> Verification:
        """Check the snapshot; it counts as verified only when both hashes match."""
        verification = self.check(recomputed)
        if verification.ok:
            self.verified_at, self.verified_by = now, by
        return verification

    def announce(self, *, by: str, now: datetime) -> None:
        self.announced_at, self.announced_by = now, by
