"""What happens inside the voting service; `integration_events` says which cross the bus."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .tally import FrozenTally
    from .voter import CodeRequest, Vote


@dataclass(frozen=True)
class CodeRequested:
    request: CodeRequest
    edition_title: str
    code: str
    language: Literal["id", "en"]


@dataclass(frozen=True)
class VoteVoided:
    vote: Vote


@dataclass(frozen=True)
class TallyFrozen:
    tally: FrozenTally
