"""The voting use cases on fakes: a vote is accepted once, every refusal by name,
wrong tries count, codes through throttles and the proof-of-work, freezing and
refreezing, the fraud pass and staff decisions with their audit records."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID, uuid4

import pytest
from voting.domain.edition import Favourite
from voting.domain.errors import (
    AlreadyVoted,
    CategoryChosenTwice,
    CategoryRequired,
    ChallengeInvalid,
    ChannelAddressMismatch,
    ChannelNotAvailable,
    CodeExpired,
    CodeRequestNotFound,
    CodeUsed,
    CodeVoid,
    CodeWrong,
    EntryNotInCategory,
    EntryNotInCompetition,
    FavouriteCategoryUnknown,
    TooManyCodeRequests,
    VoteWindowClosed,
    VoteWindowStillOpen,
)
from voting.domain.fraud import Thresholds
from voting.domain.throttle import Limit, Throttle
from voting.domain.voter import Vote as VoteCast
from voting.service_layer import projections, services
from voting.service_layer.ballots import Ballots
from voting.service_layer.commands import CastVote, Chosen, DismissFlag, RequestCode, VoidVote
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
        """One vote (an edition with one favourite category): the vote stored."""
        command = CastVote(
            edition_id=self.edition.edition_id,
            request_id=request_id,
            code=code,
            entry_id=entry_id or self.first.entry_id,
            client_ip="10.0.0.1",
        )
        cast = await services.cast_vote(self.uow, self.clock, command, POLICY, self.ballots)
        assert len(cast.votes) == 1 and not cast.already_voted
        return cast.votes[0]

    async def ballot(self, request_id: UUID, code: str, *choices: tuple[str, UUID]) -> services.Cast:
        """One code, one vote per favourite category chosen."""
        command = CastVote(
            edition_id=self.edition.edition_id,
            request_id=request_id,
            code=code,
            choices=tuple(Chosen(category=category, entry_id=entry_id) for category, entry_id in choices),
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
    commits, writes = vote.uow.commits, vote.uow.votes.writes
    cast = await vote.vote(UUID(request_id), code)
    assert vote.uow.commits == commits  # the vote inserted on its own: no transaction
    assert vote.uow.votes.writes == writes + 1
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
    [frozen] = await services.freeze(vote.uow, vote.clock, edition_id, "staff:a")
    assert frozen.number == 1 and frozen.tally.standings[0].entry_id == vote.first.entry_id
    tallied = vote.uow.published[-1]
    assert isinstance(tallied, c.VotesTallied)
    assert tallied.data.content_hash == frozen.content_hash and tallied.data.category_code == "juara-favorit"
    assert [t.number for t in await services.freeze(vote.uow, vote.clock, edition_id, "staff:a")] == [1]
    await services.void_vote(
        vote.uow,
        vote.clock,
        VoidVote(edition_id=edition_id, vote_id=cast.vote_id, reason="Nomor palsu"),
        "staff:a",
    )
    [again] = await services.freeze(vote.uow, vote.clock, edition_id, "staff:a")
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


class TwoCategories(Vote):
    """An edition with two favourite categories, each for the films of one ranked category."""

    def __init__(self) -> None:
        super().__init__()
        self.edition.favourites = [
            Favourite(code="favorit-dokumenter", title="Favorit Dokumenter", favourite_of="dokumenter"),
            Favourite(code="favorit-fiksi", title="Favorit Fiksi", favourite_of="fiksi"),
        ]
        self.first.categories = ["dokumenter"]
        self.second.categories = ["fiksi"]


async def test_one_code_two_categories_two_votes_in_one_read_and_one_insert() -> None:
    vote = TwoCategories()
    request_id, code = await vote.ask()
    commits, writes = vote.uow.commits, vote.uow.votes.writes
    cast = await vote.ballot(
        UUID(request_id),
        code,
        ("favorit-dokumenter", vote.first.entry_id),
        ("favorit-fiksi", vote.second.entry_id),
    )
    assert vote.uow.commits == commits and vote.uow.votes.writes == writes + 1  # the fast path
    assert [(v.category, v.entry_id) for v in cast.votes] == [
        ("favorit-dokumenter", vote.first.entry_id),
        ("favorit-fiksi", vote.second.entry_id),
    ]
    assert cast.already_voted == [] and len(vote.uow.votes.items) == 2
    again = await vote.ballot(
        UUID(request_id),
        code,
        ("favorit-fiksi", vote.second.entry_id),
        ("favorit-dokumenter", vote.first.entry_id),
    )
    assert {v.vote_id for v in again.votes} == {v.vote_id for v in cast.votes}
    part = await vote.ballot(UUID(request_id), code, ("favorit-fiksi", vote.second.entry_id))
    assert [v.vote_id for v in part.votes] == [cast.votes[1].vote_id]  # a part of it again: those votes
    assert len(vote.uow.votes.items) == 2
    with pytest.raises(CodeUsed):  # another film in a category the code voted in
        await vote.ballot(UUID(request_id), code, ("favorit-fiksi", vote.first.entry_id))

    await services.close_window(vote.uow, vote.clock, vote.edition.edition_id)
    frozen = await services.freeze(vote.uow, vote.clock, vote.edition.edition_id, "staff:a")
    assert [(t.tally.category_code, t.number, t.tally.counted) for t in frozen] == [
        ("favorit-dokumenter", 1, 1),
        ("favorit-fiksi", 1, 1),
    ]
    assert [[s.entry_id for s in t.tally.standings] for t in frozen] == [
        [vote.first.entry_id],
        [vote.second.entry_id],
    ]
    tallied = [e for e in vote.uow.published if isinstance(e, c.VotesTallied)]
    assert [e.data.category_code for e in tallied] == ["favorit-dokumenter", "favorit-fiksi"]


async def test_a_second_ballot_stores_only_the_category_not_voted_in_yet() -> None:
    vote = TwoCategories()
    first_id, first_code = await vote.ask("081234567890")
    await vote.ballot(UUID(first_id), first_code, ("favorit-dokumenter", vote.first.entry_id))
    second_id, second_code = await vote.ask("+62 812-3456-7890")
    cast = await vote.ballot(
        UUID(second_id),
        second_code,
        ("favorit-dokumenter", vote.first.entry_id),
        ("favorit-fiksi", vote.second.entry_id),
    )
    assert [v.category for v in cast.votes] == ["favorit-fiksi"]
    assert cast.already_voted == ["favorit-dokumenter"]
    third_id, third_code = await vote.ask("sari@example.id")
    await vote.ballot(UUID(third_id), third_code, ("favorit-fiksi", vote.second.entry_id))
    vote.counters = Counters()  # past the per-address throttle
    fourth_id, fourth_code = await vote.ask("0812 3456 7890")
    with pytest.raises(AlreadyVoted):
        await vote.ballot(UUID(fourth_id), fourth_code, ("favorit-fiksi", vote.second.entry_id))
    _, tallies = await services.live_tallies(vote.uow, vote.edition.edition_id)
    assert [(t.category_code, t.counted) for t in tallies] == [
        ("favorit-dokumenter", 1),
        ("favorit-fiksi", 2),
    ]


async def test_the_full_check_also_stores_only_the_category_not_voted_in_yet() -> None:
    vote = TwoCategories()
    first_id, first_code = await vote.ask("081234567890")
    await vote.ballot(UUID(first_id), first_code, ("favorit-fiksi", vote.second.entry_id))
    vote.ballots = Ballots(fresh_for=60.0)
    second_id, second_code = await vote.ask("081234567890")
    command = CastVote(
        edition_id=vote.edition.edition_id,
        request_id=UUID(second_id),
        code=second_code,
        choices=(
            Chosen(category="favorit-dokumenter", entry_id=vote.first.entry_id),
            Chosen(category="favorit-fiksi", entry_id=vote.second.entry_id),
        ),
        client_ip="10.0.0.1",
    )
    cast = await services.check_and_cast(vote.uow, vote.clock, command, POLICY)
    assert ([v.category for v in cast.votes], cast.already_voted) == (
        ["favorit-dokumenter"],
        ["favorit-fiksi"],
    )
    made = await vote.uow.votes.of_request(UUID(second_id))
    assert [v.category for v in made] == ["favorit-dokumenter"]  # what the code was used for


async def test_a_film_not_in_the_category_an_unknown_or_repeated_category_are_refused_by_name() -> None:
    vote = TwoCategories()
    request_id, code = await vote.ask()
    with pytest.raises(EntryNotInCategory) as refused:
        await vote.ballot(UUID(request_id), code, ("favorit-fiksi", vote.first.entry_id))
    assert "Favorit Fiksi" in refused.value.message("id") and refused.value.code == "entry_not_in_category"
    with pytest.raises(FavouriteCategoryUnknown):
        await vote.ballot(UUID(request_id), code, ("sinematografi", vote.first.entry_id))
    with pytest.raises(CategoryChosenTwice):
        await vote.ballot(
            UUID(request_id),
            code,
            ("favorit-fiksi", vote.second.entry_id),
            ("favorit-fiksi", vote.second.entry_id),
        )
    with pytest.raises(CategoryRequired):
        await vote.vote(UUID(request_id), code, vote.first.entry_id)  # one film, no category
    with pytest.raises(EntryNotInCompetition):
        await vote.ballot(UUID(request_id), code, ("favorit-fiksi", vote.gone.entry_id))
    assert not vote.uow.votes.items and vote.uow.codes.items[UUID(request_id)].status == "pending"


async def test_an_edition_with_one_favourite_category_votes_as_before() -> None:
    vote = Vote()
    request_id, code = await vote.ask()
    cast = await vote.vote(UUID(request_id), code, vote.second.entry_id)
    assert cast.category == "juara-favorit"
    other_id, other_code = await vote.ask("0812-3456-7890")
    with pytest.raises(AlreadyVoted):
        await vote.ballot(UUID(other_id), other_code, ("juara-favorit", vote.first.entry_id))
    # A vote stored before votes had a category counts in the only favourite category.
    vote.uow.votes.items[cast.vote_id].category = None
    third_id, third_code = await vote.ask("sari@example.id")
    await vote.vote(UUID(third_id), third_code, vote.second.entry_id)
    _, tally = await services.live_tally(vote.uow, vote.edition.edition_id)
    assert tally.category_code == "juara-favorit" and tally.standings[0].votes == 2
