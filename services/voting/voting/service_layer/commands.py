"""What staff and voters ask the voting service to do: one command per use case,
built once from the request (`entrypoints/schemas.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID


@dataclass(frozen=True, kw_only=True)
class SetVoteWindow:
    edition_id: UUID
    opens_at: datetime
    closes_at: datetime
    public_counts: bool


@dataclass(frozen=True, kw_only=True)
class RequestCode:
    edition_id: UUID
    address: str
    channel: Literal["whatsapp", "email"] | None
    altcha: str | None
    client_ip: str
    language: Literal["id", "en"]


@dataclass(frozen=True, kw_only=True)
class Chosen:
    """The film a voter chose in one favourite category (None: the edition's only one)."""

    category: str | None
    entry_id: UUID


@dataclass(frozen=True, kw_only=True)
class CastVote:
    """One code, one ballot: `entry_id` (an edition with one favourite category)
    or `choices` (one per favourite category voted in)."""

    edition_id: UUID
    request_id: UUID
    code: str
    client_ip: str
    entry_id: UUID | None = None
    choices: tuple[Chosen, ...] = ()

    def chosen(self) -> tuple[Chosen, ...]:
        if self.choices:
            return self.choices
        return () if self.entry_id is None else (Chosen(category=None, entry_id=self.entry_id),)


@dataclass(frozen=True, kw_only=True)
class VoidVote:
    edition_id: UUID
    vote_id: UUID
    reason: str


@dataclass(frozen=True, kw_only=True)
class DismissFlag:
    edition_id: UUID
    flag_id: UUID
    reason: str
