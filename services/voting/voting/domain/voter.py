"""Who a voter is: a WhatsApp number or an email address they prove with a
one-time code, and where their requests come from (client IP, address block)."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from uuid import UUID

from shared.kernel.aggregate import Aggregate

from . import events
from .errors import AddressInvalid, CodeExpired, CodeUsed, CodeVoid, VoteAlreadyVoided

Channel = Literal["whatsapp", "email"]

_EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_SEPARATORS = re.compile(r"[\s\-().]")


@dataclass(frozen=True)
class Address:
    """A voter's address, written one way only, so one person is one key."""

    value: str
    kind: Channel

    @classmethod
    def parse(cls, text: str) -> Address:
        text = text.strip()
        if "@" in text:
            if len(text) > 254 or not _EMAIL.match(text):
                raise AddressInvalid()
            return cls(text.lower(), "email")
        digits = _SEPARATORS.sub("", text)
        if digits.startswith("0"):
            digits = "+62" + digits[1:]  # a local number: 0812... is +62812...
        elif digits.startswith("62"):
            digits = "+" + digits
        if not re.fullmatch(r"\+[1-9][0-9]{7,14}", digits):
            raise AddressInvalid()
        return cls(digits, "whatsapp")


def address_block(client_ip: str) -> str:
    """The network a client address belongs to for throttles and flags: its /24
    (IPv4) or /48 (IPv6); an unreadable address is its own block."""
    try:
        ip = ipaddress.ip_address(client_ip)
    except ValueError:
        return client_ip
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def hash_code(key: bytes, request_id: UUID, code: str) -> str:
    """What is stored of a code: an HMAC, so the database alone does not give it away."""
    return hmac.new(key, f"{request_id}:{code}".encode(), hashlib.sha256).hexdigest()


CodeStatus = Literal["pending", "used", "void"]


@dataclass(frozen=True, kw_only=True)
class Choice:
    """One vote of a ballot: the film chosen in one favourite category, and the
    id its vote is stored under."""

    category: str
    entry_id: UUID
    vote_id: UUID


@dataclass(kw_only=True)
class CodeRequest(Aggregate):
    """One code sent to one address for one edition: single use, short-lived, a few tries."""

    request_id: UUID
    edition_id: UUID
    address: str
    channel: Channel
    code_hash: str
    requested_at: datetime
    expires_at: datetime
    client_ip: str
    ip_block: str
    #: Milliseconds from the challenge being issued to it coming back solved.
    challenge_solve_ms: int | None = None
    attempts: int = 0
    #: "used": a code used before a code's use was its votes (its `vote_id`, `entry_id`);
    #: now a code stays "pending" and the votes made with it say what it was used for.
    status: CodeStatus = "pending"
    vote_id: UUID | None = None
    entry_id: UUID | None = None

    @classmethod
    def issue(
        cls,
        *,
        request_id: UUID,
        edition_id: UUID,
        edition_title: str,
        address: Address,
        channel: Channel,
        code: str,
        key: bytes,
        now: datetime,
        ttl: timedelta,
        client_ip: str,
        challenge_solve_ms: int | None,
        language: Literal["id", "en"],
    ) -> CodeRequest:
        request = cls(
            request_id=request_id,
            edition_id=edition_id,
            address=address.value,
            channel=channel,
            code_hash=hash_code(key, request_id, code),
            requested_at=now,
            expires_at=now + ttl,
            client_ip=client_ip,
            ip_block=address_block(client_ip),
            challenge_solve_ms=challenge_solve_ms,
        )
        # The code itself leaves only in the event, for notifications to send.
        request.events.append(events.CodeRequested(request, edition_title, code, language))
        return request

    def opens(self, *, edition_id: UUID, code: str, key: bytes, now: datetime) -> bool:
        """Whether this code, as it stands, lets a vote in: this edition's, not used or
        void, unexpired, and the right code. (Whether a vote was made with it already
        is the votes' unique key on the request to say.)"""
        return (
            self.edition_id == edition_id
            and self.status == "pending"
            and now < self.expires_at
            and hmac.compare_digest(self.code_hash, hash_code(key, self.request_id, code))
        )

    def require_usable(self, now: datetime) -> None:
        if self.status == "used":
            raise CodeUsed()
        if self.status == "void":
            raise CodeVoid()
        if now >= self.expires_at:
            raise CodeExpired()

    def try_code(self, *, code: str, key: bytes, most_attempts: int) -> int | None:
        """None when the code is right; else count the wrong try and return the
        tries left (0: the code is now void)."""
        if hmac.compare_digest(self.code_hash, hash_code(key, self.request_id, code)):
            return None
        self.attempts += 1
        remaining = max(0, most_attempts - self.attempts)
        if remaining == 0:
            self.status = "void"
        return remaining


VoteStatus = Literal["counted", "voided"]


@dataclass(kw_only=True)
class Vote(Aggregate):
    """One person's one vote in one favourite category of an edition: stored once,
    under a unique (edition, category, voter) key.

    Flagged votes still count until staff void them."""

    vote_id: UUID
    edition_id: UUID
    entry_id: UUID
    #: The favourite category's code. None on a vote stored before several were
    #: possible: it is for the edition's first (then only) favourite category.
    category: str | None = None
    voter: str
    channel: Channel
    request_id: UUID
    cast_at: datetime
    code_requested_at: datetime
    client_ip: str
    ip_block: str
    challenge_solve_ms: int | None = None
    status: VoteStatus = "counted"
    #: In at least one open fraud flag (kept by the fraud pass and by staff decisions).
    flagged: bool = False
    voided_reason: str | None = None
    voided_by: str | None = None
    voided_at: datetime | None = None

    @classmethod
    def cast(cls, request: CodeRequest, choice: Choice, *, now: datetime, client_ip: str) -> Vote:
        return cls(
            vote_id=choice.vote_id,
            edition_id=request.edition_id,
            entry_id=choice.entry_id,
            category=choice.category,
            voter=request.address,
            channel=request.channel,
            request_id=request.request_id,
            cast_at=now,
            code_requested_at=request.requested_at,
            client_ip=client_ip,
            ip_block=address_block(client_ip),
            challenge_solve_ms=request.challenge_solve_ms,
        )

    def void(self, *, reason: str, by: str, now: datetime) -> None:
        if self.status == "voided":
            raise VoteAlreadyVoided(vote_id=self.vote_id)
        self.status, self.voided_reason, self.voided_by, self.voided_at = "voided", reason, by, now
        self.events.append(events.VoteVoided(self))
