"""What happened to an entry; each names the entry as it now stands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .entry import Entry


@dataclass(frozen=True)
class EntrySubmitted:
    entry: Entry


@dataclass(frozen=True)
class EntryRevised:
    entry: Entry


@dataclass(frozen=True)
class EntryWithdrawn:
    entry: Entry


@dataclass(frozen=True)
class EntryDisqualified:
    entry: Entry


@dataclass(frozen=True)
class EntryFilmChecked:
    entry: Entry
    #: The KIM's contact email, to tell it when its film needs review.
    kim_email: str | None = None
