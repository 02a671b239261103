"""The voting use cases on fakes: a vote is accepted once, every refusal by name,
wrong tries count, codes through throttles and the proof-of-work, freezing and
refreezing, the fraud pass and staff decisions with their audit records."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID, uuid4

import pytest
from voting.domain.errors import (
    AlreadyVoted,
    ChallengeInvalid,
    ChannelAddressMismatch,
    ChannelNotAvailable,
    CodeExpired,
    CodeRequestNotFound,
    CodeUsed,
    CodeVoid,
    CodeWrong,
    EntryNotInCompetition,
    TooManyCodeRequests,
    VoteWindowClosed,
    VoteWindowStillOpen,
)
from voting.domain.fraud import Thresholds
from voting.domain.throttle import Limit, Throttle
from voting.domain.voter import Vote as VoteCast
from voting.service_layer import projections, services
from voting.service_layer.ballots import Ballots
from voting.service_layer.commands import CastVote, DismissFlag, RequestCode, VoidVote
from voting.service_layer.services import CodePolicy

from shared import contracts as c

from .fakes import KEY, Clock, FakeVotingUnitOfWork, an_edition, an_entry

POLICY = CodePolicy(key=KEY, ttl=timedelta(minutes=5), most_attempts=3, default_channel="whatsapp")


class Challenges:
    def __init__(self, solve_ms: int = 1500) -> None:
        self.solve_ms = solve_ms

    async def redeem(self, payload: str | None, now: datetime) -> int:
        if payload != "solved":
            raise ChallengeInvalid()
        return self.solve_ms


class Counters:
    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    async def hit(self, key: str, expires_at: datetime) -> int:
        self.counts[key] = self.counts.get(key, 0) + 1
        return self.counts[key]


THROTTLE = Throttle((Limit("address", 2), Limit("ip", 10), Limit("block", 20)), window_seconds=600)


class Vote:
    """An edition open for votes, two entries, and a voter's way through it."""

    def __init__(self) -> None:
        self.uow = FakeVotingUnitOfWork()
        self.clock = Clock()
        self.edition = an_edition()
        self.first, self.second = an_entry(self.edition, "Tempe"), an_entry(self.edition, "Topeng", minutes=5)
        self.gone = an_entry(self.edition, "Ditarik", status="withdrawn")
        self.uow.editions.add(self.edition)
        for entry in (self.first, self.second, self.gone):
            self.uow.entries.add(entry)
        self.counters = Counters()
        self.ballots = Ballots(fresh_for=60.0)

    async def ask(
        self, address: str = "081234567890", altcha: str | None = "solved", **given: object
    ) -> tuple[str, str]:
        command = RequestCode(
            edition_id=self.edition.edition_id,
            address=address,
            channel=given.get("channel"),  # type: ignore[arg-type]
            altcha=altcha,
            client_ip=str(given.get("ip", "10.0.0.1")),
            language="id",
        )
        request = await services.request_code(
            self.uow,
            self.clock,
            command,
            challenges=Challenges(),
            throttle=THROTTLE,
            counters=self.counters,
            policy=POLICY,
        )
        sent = self.uow.published[-1]
        assert isinstance(sent, c.VoterCodeRequested) and sent.data.request_id == request.request_id
        return str(request.request_id), sent.data.code

    async def vote(self, request_id: UUID, code: str, entry_id: UUID | None = None) -> VoteCast:
        command = CastVote(
            edition_id=self.edition.edition_id,
            request_id=request_id,
            code=code,
            entry_id=entry_id or self.first.entry_id,
            client_ip="10.0.0.1",
        )
        return await services.cast_vote(self.uow, self.clock, command, POLICY, self.ballots)


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


async def test_a_vote_is_one_insert_and_the_same_request_again_answers_the_same_vote() -> None:
    vote = Vote()
    request_id, code = await vote.ask()
    cast = await vote.vote(UUID(request_id), code)
    again = await vote.vote(UUID(request_id), code)
    assert again.vote_id == cast.vote_id
    assert len(vote.uow.votes.items) == 1
    with pytest.raises(CodeUsed):
        await vote.vote(UUID(request_id), code, vote.second.entry_id)


async def test_a_vote_in_an_open_window_is_stored_without_a_transaction() -> None:
    vote = Vote()
    request_id, code = await vote.ask()
    commits = vote.uow.commits
    cast = await vote.vote(UUID(request_id), code)
    assert vote.uow.commits == commits  # the vote inserted on its own: no transaction
    stored = vote.uow.votes.items[cast.vote_id]
    assert (stored.voter, stored.request_id, stored.entry_id) == (
        "+6281234567890",
        UUID(request_id),
        vote.first.entry_id,
    )


async def test_a_code_a_vote_was_made_with_is_used_for_the_full_check_too() -> None:
    vote = Vote()
    request_id, code = await vote.ask()
    cast = await vote.vote(UUID(request_id), code)  # the usual way: the code request is not written
    assert vote.uow.codes.items[UUID(request_id)].status == "pending"
    with pytest.raises(CodeUsed):  # a wrong code now goes the full way, which finds the vote
        await vote.vote(UUID(request_id), wrong(code))
    with pytest.raises(CodeUsed):
        await vote.vote(UUID(request_id), code, vote.second.entry_id)
    vote.clock.advance(hours=2)  # the window closed: the same request again still answers its vote
    assert (await vote.vote(UUID(request_id), code)).vote_id == cast.vote_id


async def test_a_window_closed_or_an_entry_withdrawn_here_is_seen_by_the_next_vote_at_once() -> None:
    vote = Vote()
    first_id, first_code = await vote.ask("081234567890")
    await vote.vote(UUID(first_id), first_code)  # the ballot is kept from here on
    entry = vote.second
    details = c.EntryDetails(
        entry_id=entry.entry_id,
        edition_id=entry.edition_id,
        kim_id=entry.kim_id,
        kim_name=entry.kim_name,
        kelurahan=c.Region(code=entry.kelurahan.code, name=entry.kelurahan.name),
        title=entry.title,
        synopsis="",
        video_url=entry.video_url,
        duration_seconds=0,
        umkm_featured=[],
        status="withdrawn",
        revision=entry.revision + 1,
        submitted_at=entry.submitted_at,
        updated_at=entry.submitted_at,
    )
    withdrawn = c.EntryWithdrawn.new(details, producer="submissions", correlation_id="t")
    await projections.record_entry(vote.uow, withdrawn)
    second_id, second_code = await vote.ask("081234567891")
    with pytest.raises(EntryNotInCompetition):
        await vote.vote(UUID(second_id), second_code, vote.second.entry_id)
    await services.close_window(vote.uow, vote.clock, vote.edition.edition_id)
    with pytest.raises(VoteWindowClosed):
        await vote.vote(UUID(second_id), second_code)


async def test_one_person_one_vote_whatever_the_code() -> None:
    vote = Vote()
    first_id, first_code = await vote.ask("081234567890")
    await vote.vote(UUID(first_id), first_code)
    second_id, second_code = await vote.ask("+62 812-3456-7890")
    with pytest.raises(AlreadyVoted):
        await vote.vote(UUID(second_id), second_code, vote.second.entry_id)


async def test_wrong_codes_count_until_the_code_is_void() -> None:
    vote = Vote()
    request_id, code = await vote.ask()
    with pytest.raises(CodeWrong) as first:
        await vote.vote(UUID(request_id), wrong(code))
    assert first.value.params == {"remaining": 2}
    with pytest.raises(CodeWrong):
        await vote.vote(UUID(request_id), wrong(code))
    with pytest.raises(CodeVoid):
        await vote.vote(UUID(request_id), wrong(code))
    with pytest.raises(CodeVoid):
        await vote.vote(UUID(request_id), code)  # right, but too late


async def test_refusals_by_name() -> None:
    vote = Vote()
    request_id, code = await vote.ask()
    with pytest.raises(EntryNotInCompetition):
        await vote.vote(UUID(request_id), code, vote.gone.entry_id)
    with pytest.raises(EntryNotInCompetition):
        await vote.vote(UUID(request_id), code, uuid4())
    with pytest.raises(CodeRequestNotFound):
        await vote.vote(uuid4(), code)
    vote.clock.advance(minutes=5)
    with pytest.raises(CodeExpired):
        await vote.vote(UUID(request_id), code)
    vote.clock.advance(hours=1)
    with pytest.raises(VoteWindowClosed):
        await vote.vote(UUID(request_id), code)
    with pytest.raises(VoteWindowClosed):
        await vote.ask("081234567899")


async def test_a_code_request_needs_the_proof_of_work_and_is_throttled() -> None:
    vote = Vote()
    with pytest.raises(ChallengeInvalid):
        await vote.ask(altcha=None)
    with pytest.raises(ChannelAddressMismatch) as mismatch:
        await vote.ask("sari@example.id", channel="whatsapp")
    assert mismatch.value.message("id") == (
        "Kode lewat whatsapp memerlukan nomor WhatsApp; yang Anda tulis adalah alamat email."
    )
    await vote.ask()
    await vote.ask()
    with pytest.raises(TooManyCodeRequests) as refused:
        await vote.ask()
    assert 0 < refused.value.retry_after_seconds <= 600
    request_id, _ = await vote.ask("Sari@Example.id")
    assert vote.uow.published[-1].data.channel == "email"
    assert vote.uow.published[-1].data.address == "sari@example.id"


async def test_freezing_waits_for_the_close_then_refreezes_only_when_the_count_changed() -> None:
    vote = Vote()
    request_id, code = await vote.ask()
    cast = await vote.vote(UUID(request_id), code)
    edition_id = vote.edition.edition_id
    with pytest.raises(VoteWindowStillOpen):
        await services.freeze(vote.uow, vote.clock, edition_id, "staff:a")
    await services.close_window(vote.uow, vote.clock, edition_id)
    frozen = await services.freeze(vote.uow, vote.clock, edition_id, "staff:a")
    assert frozen.number == 1 and frozen.tally.standings[0].entry_id == vote.first.entry_id
    tallied = vote.uow.published[-1]
    assert isinstance(tallied, c.VotesTallied)
    assert tallied.data.content_hash == frozen.content_hash and tallied.data.category_code == "juara-favorit"
    assert (await services.freeze(vote.uow, vote.clock, edition_id, "staff:a")).number == 1
    await services.void_vote(
        vote.uow,
        vote.clock,
        VoidVote(edition_id=edition_id, vote_id=cast.vote_id, reason="Nomor palsu"),
        "staff:a",
    )
    again = await services.freeze(vote.uow, vote.clock, edition_id, "staff:a")
    assert again.number == 2 and (again.tally.counted, again.tally.voided) == (0, 1)
    assert [r.action for r in vote.uow.audit.items.values()] == ["vote_voided"]


async def test_the_fraud_pass_flags_votes_which_still_count_until_staff_decide() -> None:
    vote = Vote()
    cast = []
    for n in range(3):
        request_id, code = await vote.ask(f"08123456780{n}", ip=f"10.0.0.{n + 1}")
        cast.append(await vote.vote(UUID(request_id), code))  # seconds after the code: inhuman
    rules = Thresholds(burst_votes=3, range_voters=3)
    raised = await services.raise_flags(lambda cause: vote.uow, vote.clock, rules, 1000)
    flags = await services.flags_of(vote.uow, vote.edition.edition_id)
    assert raised == len(flags) and {f.kind for f in flags} == {
        "address_block_burst",
        "number_range",
        "inhuman_rate",
    }
    assert all(v.flagged for v in cast)
    _, live = await services.live_tally(vote.uow, vote.edition.edition_id)
    assert (live.counted, live.flagged) == (3, 3)
    assert await services.raise_flags(lambda cause: vote.uow, vote.clock, rules, 1000) == 0  # nothing new

    edition_id = vote.edition.edition_id
    for flag in flags:
        await services.dismiss_flag(
            vote.uow,
            vote.clock,
            DismissFlag(edition_id=edition_id, flag_id=flag.flag_id, reason="Satu keluarga"),
            "staff:b",
        )
    assert not any(v.flagged for v in cast)
    assert {r.action for r in vote.uow.audit.items.values()} == {"flag_dismissed"}
    _, after = await services.live_tally(vote.uow, edition_id)
    assert (after.counted, after.flagged) == (3, 0)


async def test_without_the_whatsapp_gateway_a_number_is_refused_and_email_is_asked_for() -> None:
    vote = Vote()
    email_only = CodePolicy(key=KEY, ttl=timedelta(minutes=5), most_attempts=3, default_channel="email")
    command = RequestCode(
        edition_id=vote.edition.edition_id,
        address="081234567890",
        channel=None,
        altcha="solved",
        client_ip="10.0.0.1",
        language="id",
    )
    with pytest.raises(ChannelNotAvailable) as refused:
        await services.request_code(
            vote.uow,
            vote.clock,
            command,
            challenges=Challenges(),
            throttle=THROTTLE,
            counters=vote.counters,
            policy=email_only,
        )
    assert "alamat email" in refused.value.message("id")
    by_email = RequestCode(**{**vars(command), "address": "sari@example.id"})
    request = await services.request_code(
        vote.uow,
        vote.clock,
        by_email,
        challenges=Challenges(),
        throttle=THROTTLE,
        counters=vote.counters,
        policy=email_only,
    )
    assert request.channel == "email"
