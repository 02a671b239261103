"""What a vote is checked against before it is stored: the edition's window and
its entries in competition, kept in this process for a moment (`fresh_for`
seconds), so a vote itself costs one read (its code request) and one write
(the votes inserted).

A change this process makes or applies (a window set or closed, an entry
withdrawn or disqualified by an event applied here) is seen at once: the
service layer calls `changed()` after committing it. Another replica's change
is seen within `fresh_for` seconds. A ballot that does not accept a vote is never
the last word: the full check (`services.check_and_cast`) reads everything again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from ..domain.edition import Edition
from .commands import Chosen
from .unit_of_work import VotingUnitOfWork

#: Editions kept at most (then it starts again).
KEPT_BALLOTS = 1000

#: Changes to editions and entries this process has committed (only ever grows).
_changes = 0


def changed() -> None:
    """An edition's window, an entry's status or a vote's standing changed here:
    nothing kept before it (a ballot, a public answer) is served again."""
    global _changes
    _changes += 1


def changes() -> int:
    return _changes


@dataclass(frozen=True)
class Ballot:
    edition: Edition
    #: Per favourite category (its code), the entries it takes votes for.
    films: dict[str, frozenset[UUID]]

    def accepts(self, chosen: tuple[Chosen, ...], now: datetime) -> list[tuple[str, UUID]] | None:
        """The choices by category code, if every one is plainly fine: the window
        open, each category the edition's (named where it has several), none twice,
        each film in its category. None otherwise: the full check says why."""
        edition = self.edition
        if not chosen or edition.window is None or edition.status(now) != "open":
            return None
        accepted: list[tuple[str, UUID]] = []
        for choice in chosen:
            code = choice.category
            if code is None:
                if len(edition.favourites) != 1:
                    return None
                code = edition.favourites[0].code
            if choice.entry_id not in self.films.get(code, ()) or any(c == code for c, _ in accepted):
                return None
            accepted.append((code, choice.entry_id))
        return accepted


class Ballots:
    def __init__(self, fresh_for: float = 1.0, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.fresh_for = fresh_for
        self._monotonic = monotonic
        self._kept: dict[UUID, tuple[float, int, Ballot | None]] = {}

    async def of(self, uow: VotingUnitOfWork, edition_id: UUID) -> Ballot | None:
        """The edition's ballot (None: no such edition), read at most once per `fresh_for`."""
        now, generation = self._monotonic(), _changes  # before reading: a change meanwhile misses
        kept = self._kept.get(edition_id)
        if kept is not None and kept[0] > now and kept[1] == generation:
            return kept[2]
        async with uow:
            edition = await uow.editions.get(edition_id)
            entries = [] if edition is None else await uow.entries.of_edition(edition_id)
        ballot = (
            None
            if edition is None
            else Ballot(
                edition,
                {
                    favourite.code: frozenset(entry.entry_id for entry in entries if favourite.takes(entry))
                    for favourite in edition.favourites
                },
            )
        )
        if len(self._kept) >= KEPT_BALLOTS:
            self._kept.clear()
        self._kept[edition_id] = (now + self.fresh_for, generation, ballot)
        return ballot
