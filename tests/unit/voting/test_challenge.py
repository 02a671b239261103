"""The ALTCHA proof-of-work (the real `altcha` package): issued, solved, redeemed
once; forged, expired and reused solutions are `challenge_invalid`."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import altcha
import pytest
from pymongo.errors import DuplicateKeyError
from voting.adapters.challenge import Challenges
from voting.domain.errors import ChallengeInvalid


class UsedChallenges:
    """The `challenges_used` collection's unique _id, in memory."""

    def __init__(self) -> None:
        self.ids: set[str] = set()

    async def insert_one(self, doc: dict[str, Any]) -> None:
        if doc["_id"] in self.ids:
            raise DuplicateKeyError("duplicate")
        self.ids.add(doc["_id"])


def solve(challenge: dict[str, Any], **changed: Any) -> str:
    solution = altcha.solve_challenge_v1(
        challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["maxnumber"]
    )
    assert solution is not None
    payload = {k: challenge[k] for k in ("algorithm", "challenge", "salt", "signature")}
    payload |= {"number": solution.number, **changed}
    return base64.b64encode(json.dumps(payload).encode()).decode()


def challenges(used: UsedChallenges | None = None, key: str = "k" * 32) -> Challenges:
    return Challenges(key, max_number=500, ttl=timedelta(minutes=10), used=used)  # type: ignore[arg-type]


async def test_a_solution_is_redeemed_once_with_its_solve_time() -> None:
    now = datetime.now(UTC)
    issuer = challenges(UsedChallenges())
    challenge = issuer.issue(now)
    assert challenge["maxnumber"] == 500 and challenge["algorithm"] == "SHA-256"
    payload = solve(challenge)
    assert await issuer.redeem(payload, now + timedelta(seconds=2)) == 2000
    with pytest.raises(ChallengeInvalid):
        await issuer.redeem(payload, now + timedelta(seconds=3))


@pytest.mark.parametrize(
    "payload", [None, "", "not base64 at all", base64.b64encode(b"{}").decode(), "x" * 5000]
)
async def test_a_missing_or_malformed_solution_is_refused(payload: str | None) -> None:
    with pytest.raises(ChallengeInvalid):
        await challenges().redeem(payload, datetime.now(UTC))


async def test_a_wrong_number_or_another_key_is_refused() -> None:
    now = datetime.now(UTC)
    challenge = challenges().issue(now)
    with pytest.raises(ChallengeInvalid):
        await challenges().redeem(solve(challenge, number=10_000), now)
    with pytest.raises(ChallengeInvalid):
        await challenges(key="another-key-" + "x" * 32).redeem(solve(challenge), now)


async def test_an_expired_challenge_is_refused() -> None:
    issued = datetime.now(UTC) - timedelta(hours=1)  # its 10 minutes are over
    challenge = challenges().issue(issued)
    with pytest.raises(ChallengeInvalid):
        await challenges().redeem(solve(challenge), datetime.now(UTC))
