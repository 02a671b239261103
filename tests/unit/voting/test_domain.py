"""The vote's rules on their own: the window, voters' addresses and codes, the
throttles, the fraud signals, the tally and its tie rule and hash."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from voting.domain.edition import Edition, Favourite
from voting.domain.errors import (
    AddressInvalid,
    CodeExpired,
    CodeUsed,
    CodeVoid,
    FlagAlreadyDecided,
    NoFavouriteCategory,
    TooManyCodeRequests,
    VoteWindowClosed,
    VoteWindowFrozen,
    VoteWindowInvalid,
    VoteWindowNotSet,
    VoteWindowStillOpen,
)
from voting.domain.fraud import Flag, Thresholds, VoteTrace, flag_id_of, suspicions
from voting.domain.tally import EntryCount, FrozenTally, count_votes
from voting.domain.throttle import Limit, Throttle
from voting.domain.voter import Address, CodeRequest, address_block, hash_code

from .fakes import KEY, NOW, an_edition, an_entry


def test_the_window_status_follows_the_time() -> None:
    edition = an_edition()
    assert edition.status(NOW - timedelta(hours=2)) == "scheduled"
    assert edition.status(NOW) == "open"
    assert edition.status(NOW + timedelta(hours=1)) == "closed"
    edition.require_open(NOW)
    with pytest.raises(VoteWindowClosed):
        edition.require_open(NOW + timedelta(hours=1))
    with pytest.raises(VoteWindowStillOpen):
        edition.require_over(NOW)


def test_staff_close_early_and_a_frozen_tally_keeps_its_window() -> None:
    edition = an_edition()
    edition.close(NOW)
    assert edition.status(NOW) == "closed"
    assert edition.require_window().ends_at() == NOW
    edition.frozen_version = 1
    assert edition.status(NOW) == "frozen"
    assert edition.counts_public(NOW)
    with pytest.raises(VoteWindowFrozen):
        edition.set_window(opens_at=NOW, closes_at=NOW + timedelta(hours=1), public_counts=True)


def test_a_window_closes_after_it_opens_and_needs_a_favourite_category() -> None:
    with pytest.raises(VoteWindowInvalid):
        an_edition(window=False).set_window(opens_at=NOW, closes_at=NOW, public_counts=False)
    with pytest.raises(NoFavouriteCategory):
        an_edition(window=False, favourite=False).set_window(
            opens_at=NOW, closes_at=NOW + timedelta(hours=1), public_counts=False
        )
    with pytest.raises(VoteWindowNotSet):
        an_edition(window=False).status(NOW)


def test_an_older_edition_revision_changes_nothing() -> None:
    edition = Edition(edition_id=uuid4(), title="Baru", favourites=[Favourite(code="fav")], revision=3)
    edition.apply_registry(title="Lama", favourites=[], revision=2)
    assert (edition.title, edition.category_code) == ("Baru", "fav")


@pytest.mark.parametrize(
    ("typed", "value", "kind"),
    [
        ("0812-3456-7890", "+6281234567890", "whatsapp"),
        ("62 812 3456 7890", "+6281234567890", "whatsapp"),
        ("+6281234567890", "+6281234567890", "whatsapp"),
        (" Sari@Example.ID ", "sari@example.id", "email"),
    ],
)
def test_an_address_is_written_one_way_so_a_person_is_one_key(typed: str, value: str, kind: str) -> None:
    assert Address.parse(typed) == Address(value, kind)  # type: ignore[arg-type]


@pytest.mark.parametrize("typed", ["12", "+0812345678", "abc", "sari@", "0812345678901234567"])
def test_an_unreadable_address_is_refused(typed: str) -> None:
    with pytest.raises(AddressInvalid):
        Address.parse(typed)


def test_address_blocks_are_24_for_ipv4_and_48_for_ipv6() -> None:
    assert address_block("10.1.2.3") == "10.1.2.0/24"
    assert address_block("::ffff:10.1.2.3") == "10.1.2.0/24"
    assert address_block("2001:db8:1:2::5") == "2001:db8:1::/48"
    assert address_block("not-an-ip") == "not-an-ip"


def a_request(code: str = "123456") -> CodeRequest:
    request = CodeRequest.issue(
        request_id=uuid4(),
        edition_id=uuid4(),
        edition_title="Lomba",
        address=Address.parse("081234567890"),
        channel="whatsapp",
        code=code,
        key=KEY,
        now=NOW,
        ttl=timedelta(minutes=5),
        client_ip="10.0.0.1",
        challenge_solve_ms=900,
        language="id",
    )
    return request


def test_only_a_hash_of_the_code_is_kept_and_the_event_carries_the_code() -> None:
    request = a_request("654321")
    assert "654321" not in repr(vars(request) | {"events": None})
    assert request.code_hash == hash_code(KEY, request.request_id, "654321")
    assert request.events[0].code == "654321"


def test_wrong_tries_count_down_then_the_code_is_void() -> None:
    request = a_request("123456")
    assert request.try_code(code="000000", key=KEY, most_attempts=3) == 2
    assert request.try_code(code="000001", key=KEY, most_attempts=3) == 1
    assert request.try_code(code="000002", key=KEY, most_attempts=3) == 0
    with pytest.raises(CodeVoid):
        request.require_usable(NOW)


def test_a_code_expires_and_opens_a_vote_only_while_pending_unexpired_and_right() -> None:
    request = a_request()
    request.require_usable(NOW + timedelta(minutes=4))
    with pytest.raises(CodeExpired):
        request.require_usable(NOW + timedelta(minutes=5))
    assert request.try_code(code="123456", key=KEY, most_attempts=3) is None
    edition_id = request.edition_id
    assert request.opens(edition_id=edition_id, code="123456", key=KEY, now=NOW)
    assert not request.opens(edition_id=edition_id, code="654321", key=KEY, now=NOW)
    assert not request.opens(edition_id=uuid4(), code="123456", key=KEY, now=NOW)
    assert not request.opens(edition_id=edition_id, code="123456", key=KEY, now=NOW + timedelta(minutes=5))
    request.status = "used"  # a code used before its votes said so
    assert not request.opens(edition_id=edition_id, code="123456", key=KEY, now=NOW)
    with pytest.raises(CodeUsed):
        request.require_usable(NOW)


class Counters:
    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    async def hit(self, key: str, expires_at: datetime) -> int:
        self.counts[key] = self.counts.get(key, 0) + 1
        return self.counts[key]


async def test_throttles_count_per_address_ip_and_block_and_say_how_long_to_wait() -> None:
    throttle = Throttle((Limit("address", 2), Limit("ip", 3), Limit("block", 4)), window_seconds=600)
    counters = Counters()
    at = datetime(2024, 10, 1, 9, 1, 40, tzinfo=UTC)  # 100 s into a window of 600
    keys = {"address": "+62811", "ip": "10.0.0.1", "block": "10.0.0.0/24"}
    await throttle.check(counters, keys, at)
    await throttle.check(counters, keys, at)
    with pytest.raises(TooManyCodeRequests) as refused:
        await throttle.check(counters, keys, at)
    assert refused.value.retry_after_seconds == 500
    assert "number or address" in refused.value.message("en")
    assert "nomor atau alamat" in refused.value.message("id")
    # Other numbers from the same network: the block's limit.
    await throttle.check(counters, {**keys, "address": "+62812", "ip": "10.0.0.2"}, at)
    with pytest.raises(TooManyCodeRequests) as blocked:
        await throttle.check(counters, {**keys, "address": "+62813", "ip": "10.0.0.3"}, at)
    assert "jaringan" in blocked.value.message("id")
    # The next window starts again.
    await throttle.check(counters, keys, at + timedelta(seconds=500))


def trace(
    voter: str,
    *,
    seconds: float = 0,
    after_code: float = 60,
    solve_ms: int | None = 2000,
    block: str = "10.0.0.0/24",
) -> VoteTrace:
    cast = NOW + timedelta(seconds=seconds)
    return VoteTrace(
        vote_id=uuid4(),
        voter=voter,
        channel="email" if "@" in voter else "whatsapp",
        ip_block=block,
        cast_at=cast,
        code_requested_at=cast - timedelta(seconds=after_code),
        challenge_solve_ms=solve_ms,
    )


RULES = Thresholds(
    burst_seconds=60, burst_votes=3, range_digits=3, range_voters=3, inhuman_seconds=4, weak_challenge_ms=150
)


def test_a_burst_from_one_block_is_flagged_and_spread_votes_are_not() -> None:
    burst = [trace(f"v{i}@example.id", seconds=i) for i in range(3)]
    spread = [trace(f"w{i}@example.id", seconds=i * 120, block="10.9.9.0/24") for i in range(3)]
    found = suspicions([*burst, *spread], RULES)
    assert [(s.kind, s.vote_ids) for s in found] == [("address_block_burst", {v.vote_id for v in burst})]
    assert found[0].detail_id == "3 suara dari 10.0.0.0/24 dalam 60 detik"
    assert found[0].detail == "3 votes from 10.0.0.0/24 within 60 s"


def test_sequential_numbers_are_one_range() -> None:
    numbers = [trace(f"+62811223344{i:02d}", block=f"10.0.{i}.0/24", seconds=i * 300) for i in range(3)]
    other = trace("+6289999999999", block="10.8.8.0/24")
    found = suspicions([*numbers, other], RULES)
    assert [(s.kind, s.key, s.vote_ids) for s in found] == [
        ("number_range", "+6281122334", {v.vote_id for v in numbers})
    ]


def test_votes_faster_than_a_person_and_challenges_solved_too_fast_are_flagged() -> None:
    quick = trace("a@example.id", after_code=1.5)
    weak = trace("b@example.id", solve_ms=20, seconds=600, block="10.1.1.0/24")
    calm = trace("c@example.id", seconds=1200, block="10.2.2.0/24")
    kinds = {s.kind: s.vote_ids for s in suspicions([quick, weak, calm], RULES)}
    assert kinds == {"inhuman_rate": {quick.vote_id}, "weak_challenge": {weak.vote_id}}


def test_a_flag_found_again_grows_and_a_decided_one_opens_again_with_new_votes() -> None:
    edition_id = uuid4()
    first = suspicions([trace(f"v{i}@example.id", seconds=i) for i in range(3)], RULES)[0]
    flag = Flag.raise_for(edition_id, first, NOW)
    assert flag.flag_id == flag_id_of(edition_id, "address_block_burst", first.key)
    assert not flag.merge(first, NOW)
    flag.dismiss(reason="Satu kantor kelurahan", by="staff:a", now=NOW)
    with pytest.raises(FlagAlreadyDecided):
        flag.dismiss(reason="lagi", by="staff:a", now=NOW)
    more = type(first)(kind=first.kind, key=first.key, vote_ids=first.vote_ids | {uuid4()}, detail="4 votes")
    assert flag.merge(more, NOW)
    assert flag.status == "open" and len(flag.vote_ids) == 4 and flag.history


def test_a_flag_whose_votes_are_all_void_is_settled() -> None:
    found = suspicions([trace(f"v{i}@example.id", seconds=i) for i in range(3)], RULES)[0]
    flag = Flag.raise_for(uuid4(), found, NOW)
    some = set(list(found.vote_ids)[:2])
    assert not flag.settle(some, reason="x", by="staff:a", now=NOW)
    assert flag.settle(set(found.vote_ids), reason="x", by="staff:a", now=NOW)
    assert flag.status == "voided"


def test_the_tally_ranks_by_votes_then_who_reached_the_count_first_then_submission_order() -> None:
    edition = an_edition()
    early, late, quiet, gone = (
        an_entry(edition, "Awal", minutes=1),
        an_entry(edition, "Akhir", minutes=0),
        an_entry(edition, "Sepi", minutes=2),
        an_entry(edition, "Ditarik", status="withdrawn"),
    )
    silent = an_entry(edition, "Diam", minutes=3)
    counts = {
        early.entry_id: EntryCount(entry_id=early.entry_id, counted=5, last_counted_at=NOW),
        late.entry_id: EntryCount(
            entry_id=late.entry_id, counted=5, flagged=2, last_counted_at=NOW + timedelta(seconds=1)
        ),
        gone.entry_id: EntryCount(entry_id=gone.entry_id, counted=1, voided=2, last_counted_at=NOW),
    }
    tally = count_votes(
        edition_id=edition.edition_id,
        edition_title=edition.title,
        category_code="juara-favorit",
        entries=[silent, quiet, late, early, gone],
        counts=counts,
    )
    assert [(s.rank, s.entry_title, s.votes) for s in tally.standings] == [
        (1, "Awal", 5),
        (2, "Akhir", 5),
        (3, "Sepi", 0),
        (4, "Diam", 0),
    ]
    assert (tally.counted, tally.voided, tally.flagged) == (11, 2, 2)
    assert len(tally.tie_break) == 3


def test_a_frozen_tally_hashes_its_canonical_json() -> None:
    edition = an_edition()
    entry = an_entry(edition, "Awal")
    counts = {entry.entry_id: EntryCount(entry_id=entry.entry_id, counted=3, last_counted_at=NOW)}
    tally = count_votes(
        edition_id=edition.edition_id,
        edition_title="Lomba",
        category_code="fav",
        entries=[entry],
        counts=counts,
    )
    frozen = FrozenTally.freeze(tally, number=1, by="staff:a", now=NOW)
    assert frozen.intact and len(frozen.content_hash) == 64
    assert tally.canonical_json() == tally.canonical_json()
    fewer = {entry.entry_id: EntryCount(entry_id=entry.entry_id, counted=2, voided=1, last_counted_at=NOW)}
    changed = count_votes(
        edition_id=edition.edition_id,
        edition_title="Lomba",
        category_code="fav",
        entries=[entry],
        counts=fewer,
    )
    assert changed.digest() != frozen.content_hash
    frozen.tally = changed  # tampered with after freezing
    assert not frozen.intact
