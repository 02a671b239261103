"""Which judges score which entry.

With k judges per entry the assignment is deterministic (entries in
submission order, judges in appointment order, ids breaking equal times) and
as even as the declared conflicts allow:

1. Entries with the fewest judges free of conflict choose first; each takes
   the k eligible judges with the fewest entries so far (earlier appointed
   first among equals).
2. Then, while some judge could hand an entry to a judge with at least two
   fewer — directly, or through a chain of judges each passing one entry on —
   the entry is passed. Each pass lowers the sum of squared loads, so this
   ends; when it ends no judge's load can be lowered without raising another
   judge's to the same or more, so the busiest judge is as little busy as the
   conflicts allow and, without conflicts, loads differ by at most one.
   Where conflicts forbid it (a judge who may score only a few entries), loads
   differ by more; the assignment reports its smallest and largest load.

Pairs that must stay (once scoring has started) are never moved.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from .entry import Entry
from .errors import EntryCannotBeAssigned
from .options import AssignmentMode


@dataclass(frozen=True, kw_only=True)
class EntryAssignment:
    entry_id: UUID
    judge_ids: tuple[UUID, ...]


@dataclass(frozen=True, kw_only=True)
class Assignment:
    """Who scores what, as staff made it; in "all" mode, as it stood when judges were told."""

    mode: AssignmentMode
    judges_per_entry: int | None
    made_at: datetime
    made_by: str
    entries: tuple[EntryAssignment, ...]

    def judges_of(self, entry_id: UUID) -> tuple[UUID, ...]:
        for assigned in self.entries:
            if assigned.entry_id == entry_id:
                return assigned.judge_ids
        return ()

    def entries_of(self, judge_id: UUID) -> list[UUID]:
        return [a.entry_id for a in self.entries if judge_id in a.judge_ids]


class Eligible:
    """The judges (in appointment order) who may score each entry (in submission order)."""

    def __init__(self, entries: Sequence[Entry], judges: Mapping[UUID, Sequence[UUID]]) -> None:
        self.entries = list(entries)
        self.judges = judges


def assign(
    eligible: Eligible, judge_order: Sequence[UUID], k: int, kept: Mapping[UUID, Sequence[UUID]]
) -> dict[UUID, list[UUID]]:
    """k judges per entry: `kept` pairs stay, the rest is chosen as the module says.

    Raises EntryCannotBeAssigned, naming the first entry (in submission order)
    that has fewer than k judges free of conflict.
    """
    rank = {judge_id: position for position, judge_id in enumerate(judge_order)}
    chosen: dict[UUID, list[UUID]] = {}
    for entry in eligible.entries:
        allowed = eligible.judges[entry.entry_id]
        if len(allowed) < k:
            raise EntryCannotBeAssigned(
                entry_title=entry.title, kim_name=entry.kim_name, k=k, available=len(allowed)
            )
        chosen[entry.entry_id] = [j for j in kept.get(entry.entry_id, ()) if j in allowed][:k]
    loads = {judge_id: 0 for judge_id in judge_order}
    for judges in chosen.values():
        for judge_id in judges:
            loads[judge_id] += 1

    by_constraint = sorted(
        enumerate(eligible.entries), key=lambda item: (len(eligible.judges[item[1].entry_id]), item[0])
    )
    for _, entry in by_constraint:
        judges = chosen[entry.entry_id]
        free = [j for j in eligible.judges[entry.entry_id] if j not in judges]
        for judge_id in sorted(free, key=lambda j: (loads[j], rank[j]))[: k - len(judges)]:
            judges.append(judge_id)
            loads[judge_id] += 1

    movable = {
        (entry_id, judge_id)
        for entry_id, judges in chosen.items()
        for judge_id in judges
        if judge_id not in kept.get(entry_id, ())
    }
    while _pass_one_on(eligible, judge_order, chosen, loads, movable):
        pass
    return {entry_id: sorted(judges, key=rank.__getitem__) for entry_id, judges in chosen.items()}


def _pass_one_on(
    eligible: Eligible,
    judge_order: Sequence[UUID],
    chosen: dict[UUID, list[UUID]],
    loads: dict[UUID, int],
    movable: set[tuple[UUID, UUID]],
) -> bool:
    """Find and apply one chain that moves an entry from a busier judge to one
    with at least two fewer; False when there is none."""
    for source in sorted(judge_order, key=lambda j: -loads[j]):
        # Breadth first from `source`: judge -> (previous judge, entry passed on).
        came_from: dict[UUID, tuple[UUID, UUID] | None] = {source: None}
        frontier = deque([source])
        while frontier:
            giver = frontier.popleft()
            for entry in eligible.entries:
                if (entry.entry_id, giver) not in movable:
                    continue
                for taker in eligible.judges[entry.entry_id]:
                    if taker in came_from or taker in chosen[entry.entry_id]:
                        continue
                    came_from[taker] = (giver, entry.entry_id)
                    if loads[taker] <= loads[source] - 2:
                        _apply(taker, came_from, chosen, loads, movable)
                        return True
                    frontier.append(taker)
    return False


def _apply(
    taker: UUID,
    came_from: dict[UUID, tuple[UUID, UUID] | None],
    chosen: dict[UUID, list[UUID]],
    loads: dict[UUID, int],
    movable: set[tuple[UUID, UUID]],
) -> None:
    loads[taker] += 1
    step = came_from[taker]
    while step is not None:
        giver, entry_id = step
        judges = chosen[entry_id]
        judges[judges.index(giver)] = taker
        movable.discard((entry_id, giver))
        movable.add((entry_id, taker))
        taker, step = giver, came_from[giver]
    loads[taker] -= 1
