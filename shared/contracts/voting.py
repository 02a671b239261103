"""Events the voting service publishes: a voter's one-time code, the frozen tally."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from .envelope import Envelope, Payload
from .registry import Region


class VoterCode(Payload):
    """A one-time code a voter asked for, to be sent to the address they gave.

    The code is short-lived and single-use; notifications sends it and keeps no copy
    in what it shows."""

    request_id: UUID
    edition_id: UUID
    edition_title: str
    channel: Literal["whatsapp", "email"]
    address: str = Field(description="A WhatsApp number in E.164 (+62...) or an email address.")
    code: str = Field(pattern=r"^[0-9]{6}$", examples=["482913"])
    expires_at: AwareDatetime
    language: Literal["id", "en"] = "id"
    at: AwareDatetime


class VoterCodeRequested(Envelope[VoterCode]):
    """Someone asked to vote: send them this code (WhatsApp, or email where WhatsApp is not configured)."""

    event_type = "voter.code_requested"


class TallyLine(Payload):
    rank: int
    entry_id: UUID
    entry_title: str
    kim_id: UUID
    kim_name: str
    kelurahan: Region
    votes: int = Field(description="Counted votes (flagged but not voided ones included).")


class Tally(Payload):
    edition_id: UUID
    edition_title: str
    category_code: str = Field(description='The edition\'s favourite category, e.g. "juara-favorit".')
    counted: int
    voided: int
    flagged: int
    standings: list[TallyLine] = Field(description="Every entry in competition, most votes first.")
    tie_break: list[str] = Field(description="The declared rule(s) that order equal counts.")
    version: int = Field(description="1, then one more each time staff freeze it again after voiding votes.")
    content_hash: str = Field(description="SHA-256 of the frozen tally (canonical JSON).")
    frozen_at: AwareDatetime


class VotesTallied(Envelope[Tally]):
    """The vote closed and its tally is frozen: judging announces it as the favourite category."""

    event_type = "votes.tallied"
