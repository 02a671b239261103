"""The voting use cases: the window, codes, votes, the tally and its freezing,
fraud flags and staff decisions on them."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID, uuid4

from shared.kernel.clock import Clock
from shared.platform.persistence.unit_of_work import Cause, retry_on_conflict

from ..domain.edition import Edition, Favourite, VoteWindow
from ..domain.entry import Entry
from ..domain.errors import (
    AlreadyVoted,
    CategoryChosenTwice,
    CategoryRequired,
    ChannelAddressMismatch,
    ChannelNotAvailable,
    CodeExpired,
    CodeRequestNotFound,
    CodeUsed,
    CodeVoid,
    CodeWrong,
    EntryNotInCategory,
    EntryNotInCompetition,
    FlagNotFound,
    VoteNotFound,
)
from ..domain.fraud import AuditAction, AuditRecord, Flag, Thresholds, flag_id_of, suspicions
from ..domain.tally import EntryCount, FrozenTally, Tally, count_votes
from ..domain.throttle import Counters, Throttle
from ..domain.voter import Address, Choice, CodeRequest, Vote, address_block, hash_code, new_code
from .ballots import Ballots, changed
from .commands import CastVote, Chosen, DismissFlag, RequestCode, SetVoteWindow, VoidVote
from .unit_of_work import VotingUnitOfWork

UnitOfWorkFor = Callable[[Cause], VotingUnitOfWork]


class ChallengeCheck(Protocol):
    """What the use cases need of the proof-of-work: redeem a solution, get its solve time (ms)."""

    async def redeem(self, payload: str | None, now: datetime) -> int: ...


@dataclass(frozen=True)
class CodePolicy:
    key: bytes
    ttl: timedelta
    most_attempts: int
    default_channel: str


@retry_on_conflict
async def set_window(uow: VotingUnitOfWork, command: SetVoteWindow) -> tuple[Edition, VoteWindow]:
    async with uow:
        edition = await uow.editions.require(command.edition_id)
        window = edition.set_window(
            opens_at=command.opens_at, closes_at=command.closes_at, public_counts=command.public_counts
        )
        await uow.commit()
    changed()
    return edition, window


@retry_on_conflict
async def close_window(uow: VotingUnitOfWork, clock: Clock, edition_id: UUID) -> Edition:
    async with uow:
        edition = await uow.editions.require(edition_id)
        edition.close(clock())
        await uow.commit()
    changed()
    return edition


async def edition_of(uow: VotingUnitOfWork, edition_id: UUID) -> Edition:
    async with uow:
        return await uow.editions.require(edition_id)


async def request_code(
    uow: VotingUnitOfWork,
    clock: Clock,
    command: RequestCode,
    *,
    challenges: ChallengeCheck,
    throttle: Throttle,
    counters: Counters,
    policy: CodePolicy,
) -> CodeRequest:
    """Check the proof-of-work and the throttles, then store the code's hash and,
    in the same transaction, voter.code_requested for notifications to send."""
    now = clock()
    address = Address.parse(command.address)
    # The channel follows the address: a number gets WhatsApp (where the gateway is
    # configured, VOTING_CODE_CHANNEL=whatsapp), an email address gets email.
    channel = command.channel or address.kind
    if channel != address.kind:
        raise ChannelAddressMismatch(channel=channel, **_NEEDS[channel], **_GIVEN[address.kind])
    if channel == "whatsapp" and policy.default_channel != "whatsapp":
        raise ChannelNotAvailable()
    async with uow:
        edition = await uow.editions.require(command.edition_id)
        edition.require_open(now)
    solve_ms = await challenges.redeem(command.altcha, now)
    await throttle.check(
        counters,
        {"address": address.value, "ip": command.client_ip, "block": address_block(command.client_ip)},
        now,
    )
    async with uow:
        request = CodeRequest.issue(
            request_id=uuid4(),
            edition_id=edition.edition_id,
            edition_title=edition.title,
            address=address,
            channel=channel,
            code=new_code(),
            key=policy.key,
            now=now,
            ttl=policy.ttl,
            client_ip=command.client_ip,
            challenge_solve_ms=solve_ms,
            language=command.language,
        )
        uow.codes.add(request)
        await uow.commit()
    return request


_NEEDS = {
    "whatsapp": {"needed": "nomor WhatsApp", "needed_en": "a WhatsApp number"},
    "email": {"needed": "alamat email", "needed_en": "an email address"},
}
_GIVEN = {
    "whatsapp": {"given": "nomor telepon", "given_en": "a phone number"},
    "email": {"given": "alamat email", "given_en": "an email address"},
}


@dataclass(frozen=True)
class Cast:
    """What a ballot stored: its votes (the same ones when sent again) and the
    favourite categories the voter had already voted in (nothing stored there)."""

    edition_id: UUID
    votes: list[Vote]
    already_voted: list[str]


def _cast(edition_id: UUID, stored: list[Vote], taken: list[str]) -> Cast:
    if not stored:
        raise AlreadyVoted()
    return Cast(edition_id=edition_id, votes=stored, already_voted=taken)


async def cast_vote(
    uow: VotingUnitOfWork, clock: Clock, command: CastVote, policy: CodePolicy, ballots: Ballots
) -> Cast:
    """Accept a ballot (one vote, or one per favourite category). The usual case is
    one read and one write, no transaction: the edition's ballot (window, each
    category's films; kept for a moment) accepts it, the code request is read and
    opens (pending, unexpired, the right code), and the votes are inserted together
    under their unique keys: one vote per (code request, category) and one per
    (edition, category, voter). A category the voter voted in with another code is
    left out and named; if none could be stored, `already_voted`. Anything else (a
    wrong, void or expired code, a closed window, a film not in its category) goes
    the full way, `check_and_cast`, which finds out and says why."""
    now = clock()
    ballot = await ballots.of(uow, command.edition_id)
    accepted = ballot.accepts(command.chosen(), now) if ballot is not None else None
    if accepted:
        async with uow:
            request = await uow.codes.get(command.request_id)
            if request is not None and request.opens(
                edition_id=command.edition_id, code=command.code, key=policy.key, now=now
            ):
                votes = _votes(request, accepted, now=now, client_ip=command.client_ip)
                return _cast(command.edition_id, *await uow.votes.insert_all(votes))
    return await check_and_cast(uow, clock, command, policy)


def _votes(
    request: CodeRequest, chosen: list[tuple[str, UUID]], *, now: datetime, client_ip: str
) -> list[Vote]:
    """A vote, under an id of its own, for each (favourite category, film) chosen."""
    return [
        Vote.cast(
            request, Choice(category=code, entry_id=entry_id, vote_id=uuid4()), now=now, client_ip=client_ip
        )
        for code, entry_id in chosen
    ]


async def _resolve(
    uow: VotingUnitOfWork, edition: Edition, chosen: tuple[Chosen, ...]
) -> list[tuple[str, UUID]]:
    """Each choice's favourite category and film, or the refusal by name."""
    resolved: list[tuple[str, UUID]] = []
    for choice in chosen:
        if choice.category is None and len(edition.favourites) > 1:
            raise CategoryRequired(title=edition.title)
        favourite = edition.favourite(choice.category)
        if any(code == favourite.code for code, _ in resolved):
            raise CategoryChosenTwice(category=favourite.code)
        entry = await uow.entries.get(choice.entry_id)
        if entry is None or entry.edition_id != edition.edition_id or not entry.in_competition:
            raise EntryNotInCompetition(entry_id=choice.entry_id)
        if not favourite.takes(entry):
            raise EntryNotInCategory(entry_id=choice.entry_id, title=favourite.title or favourite.code)
        resolved.append((favourite.code, entry.entry_id))
    if not resolved:
        raise CategoryRequired(title=edition.title)
    return resolved


@retry_on_conflict
async def check_and_cast(uow: VotingUnitOfWork, clock: Clock, command: CastVote, policy: CodePolicy) -> Cast:
    """Every check, read afresh. A code's use is the votes made with it (whichever
    way they came in): the same request sent again answers the same votes, even
    after the close; the code for another film in a category it voted in, or a
    wrong code on a used one, is `code_used`. Otherwise the window, the films and
    the code are checked (a wrong try counts, in a transaction of its own) and the
    votes inserted as `cast_vote` does."""
    async with uow:
        request = await uow.codes.get(command.request_id)
        if request is None or request.edition_id != command.edition_id:
            raise CodeRequestNotFound(request_id=command.request_id)
        edition = await uow.editions.require(command.edition_id)
        default = edition.category_code or ""
        made = {vote.category or default: vote for vote in await uow.votes.of_request(request.request_id)}
        asked = [(choice.category or default, choice.entry_id) for choice in command.chosen()]
        if made:
            if not hmac.compare_digest(
                request.code_hash, hash_code(policy.key, request.request_id, command.code)
            ):
                raise CodeUsed()
            if any(code in made and made[code].entry_id != entry_id for code, entry_id in asked):
                raise CodeUsed()
            if asked and all(code in made for code, _ in asked):
                return Cast(
                    edition_id=command.edition_id, votes=[made[c] for c, _ in asked], already_voted=[]
                )
        now = clock()
        edition.require_open(now)
        resolved = await _resolve(uow, edition, command.chosen())
        if not made:
            request.require_usable(now)
            remaining = request.try_code(
                code=command.code, key=policy.key, most_attempts=policy.most_attempts
            )
            if remaining is not None:
                await uow.commit()  # the wrong try counts
                raise CodeVoid() if remaining == 0 else CodeWrong(remaining=remaining)
        elif now >= request.expires_at:
            raise CodeExpired()
        fresh = [(code, entry_id) for code, entry_id in resolved if code not in made]
        votes = _votes(request, fresh, now=now, client_ip=command.client_ip)
        stored, taken = await uow.votes.insert_all(votes)
    return _cast(command.edition_id, [made[c] for c, _ in resolved if c in made] + stored, taken)


def _favourites(edition: Edition) -> list[Favourite]:
    # An edition without a favourite category still has a live count of every entry.
    return edition.favourites or [Favourite(code="")]


def _tallies(
    edition: Edition, entries: list[Entry], counts: dict[str, dict[UUID, EntryCount]]
) -> list[Tally]:
    return [
        count_votes(
            edition_id=edition.edition_id,
            edition_title=edition.title,
            category_code=favourite.code,
            entries=[entry for entry in entries if favourite.takes(entry)],
            counts=counts.get(favourite.code, {}),
        )
        for favourite in _favourites(edition)
    ]


async def live_tallies(uow: VotingUnitOfWork, edition_id: UUID) -> tuple[Edition, list[Tally]]:
    """The live tally of each favourite category, in the edition's order: one aggregation."""
    async with uow:
        edition = await uow.editions.require(edition_id)
        entries = await uow.entries.of_edition(edition_id)
        counts = await uow.votes.counts(edition_id, default=edition.category_code or "")
    return edition, _tallies(edition, entries, counts)


async def live_tally(
    uow: VotingUnitOfWork, edition_id: UUID, category: str | None = None
) -> tuple[Edition, Tally]:
    """The live tally of one favourite category (None: the edition's first, its only one)."""
    edition, tallies = await live_tallies(uow, edition_id)
    code = edition.favourite(category).code if edition.favourites else ""
    return edition, next(tally for tally in tallies if tally.category_code == code)


async def latest_frozen(uow: VotingUnitOfWork, edition_id: UUID, category: str) -> FrozenTally | None:
    async with uow:
        return await uow.tallies.latest(edition_id, category)


@retry_on_conflict
async def freeze(uow: VotingUnitOfWork, clock: Clock, edition_id: UUID, by: str) -> list[FrozenTally]:
    """Freeze the tally of every favourite category after the vote closed and
    publish votes.tallied for each. A category frozen again unchanged answers the
    version it froze; changed (votes voided since), it freezes its next version."""
    async with uow:
        now = clock()
        edition = await uow.editions.require(edition_id)
        edition.require_category()
        edition.require_over(now)
        entries = await uow.entries.of_edition(edition_id)
        counts = await uow.votes.counts(edition_id, default=edition.category_code or "")
        frozen: list[FrozenTally] = []
        froze = False
        for tally in _tallies(edition, entries, counts):
            latest = await uow.tallies.latest(edition_id, tally.category_code)
            if latest is not None and latest.content_hash == tally.digest():
                frozen.append(latest)
                continue
            number = (latest.number if latest is not None else 0) + 1
            fresh = FrozenTally.freeze(tally, number=number, by=by, now=now)
            uow.tallies.add(fresh)
            frozen.append(fresh)
            froze = True
        if froze:
            edition.frozen_version += 1
            await uow.commit()
    changed()
    return frozen


async def flags_of(uow: VotingUnitOfWork, edition_id: UUID) -> list[Flag]:
    async with uow:
        await uow.editions.require(edition_id)
        return await uow.flags.of_edition(edition_id)


@retry_on_conflict
async def void_vote(uow: VotingUnitOfWork, clock: Clock, command: VoidVote, by: str) -> Vote:
    """Void a vote with a reason (audited); a flag whose votes are now all void is settled."""
    async with uow:
        now = clock()
        await uow.editions.require(command.edition_id)
        vote = await uow.votes.get(command.vote_id)
        if vote is None or vote.edition_id != command.edition_id:
            raise VoteNotFound(vote_id=command.vote_id)
        vote.void(reason=command.reason, by=by, now=now)
        uow.audit.add(_record(command.edition_id, "vote_voided", vote.vote_id, command.reason, by, now))
        for flag in await uow.flags.of_edition(command.edition_id):
            if vote.vote_id in flag.vote_ids and flag.status == "open":
                voided = await uow.votes.voided_among(flag.vote_ids)
                if flag.settle(voided, reason=command.reason, by=by, now=now):
                    uow.audit.add(
                        _record(command.edition_id, "flag_voided", flag.flag_id, command.reason, by, now)
                    )
        await uow.commit()
    changed()
    return vote


@retry_on_conflict
async def dismiss_flag(uow: VotingUnitOfWork, clock: Clock, command: DismissFlag, by: str) -> Flag:
    """Dismiss a flag with a reason (audited): its votes count without a flag,
    unless another open flag holds them."""
    async with uow:
        now = clock()
        flag = await uow.flags.get(command.flag_id)
        if flag is None or flag.edition_id != command.edition_id:
            raise FlagNotFound(flag_id=command.flag_id)
        flag.dismiss(reason=command.reason, by=by, now=now)
        uow.audit.add(_record(command.edition_id, "flag_dismissed", flag.flag_id, command.reason, by, now))
        flags = await uow.flags.of_edition(command.edition_id)
        await uow.votes.mark_flagged(command.edition_id, _open_votes(flags))
        await uow.commit()
    changed()
    return flag


def _open_votes(flags: list[Flag]) -> set[UUID]:
    return {vote_id for flag in flags if flag.status == "open" for vote_id in flag.vote_ids}


def _record(
    edition_id: UUID, action: AuditAction, subject_id: UUID, reason: str, by: str, now: datetime
) -> AuditRecord:
    return AuditRecord(
        record_id=uuid4(),
        edition_id=edition_id,
        action=action,
        subject_id=subject_id,
        reason=reason,
        by=by,
        at=now,
    )


async def raise_flags(uow_for: UnitOfWorkFor, clock: Clock, rules: Thresholds, most_votes: int) -> int:
    """The fraud pass: for each edition voting now, read its counted votes in one
    query, raise or extend flags, and mark the flagged votes. Returns how many
    flags it raised or extended."""
    async with uow_for(Cause.new()) as uow:
        editions = await uow.editions.voting_since(clock())
    raised = 0
    for edition in editions:
        raised += await _flag_edition(uow_for(Cause.new()), clock, edition.edition_id, rules, most_votes)
    return raised


@retry_on_conflict
async def _flag_edition(
    uow: VotingUnitOfWork, clock: Clock, edition_id: UUID, rules: Thresholds, most_votes: int
) -> int:
    async with uow:
        now = clock()
        found = suspicions(await uow.votes.traces(edition_id, most_votes), rules)
        flags = {flag.flag_id: flag for flag in await uow.flags.of_edition(edition_id)}
        raised = 0
        for suspicion in found:
            flag = flags.get(flag_id_of(edition_id, suspicion.kind, suspicion.key))
            if flag is None:
                flag = Flag.raise_for(edition_id, suspicion, now)
                flags[flag.flag_id] = flag
                uow.flags.add(flag)
                raised += 1
            elif flag.merge(suspicion, now):
                raised += 1
        if raised:
            await uow.votes.mark_flagged(edition_id, _open_votes(list(flags.values())))
            await uow.commit()
    if raised:
        changed()
    return raised
