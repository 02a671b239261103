"""ALTCHA proof-of-work challenges (the `altcha` package, MIT), self-hosted: no
third party sees the voters.

A challenge carries, signed inside its salt, when it expires and when it was
issued; a solution is accepted once (its challenge is remembered in
`challenges_used` until it would have expired anyway). How long it took to come
back solved is one fraud signal (`weak_challenge`), never the defence."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import altcha
from motor.motor_asyncio import AsyncIOMotorCollection
from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from ..domain.errors import ChallengeInvalid

USED = "challenges_used"


class Challenges:
    def __init__(
        self, key: str, *, max_number: int, ttl: timedelta, used: AsyncIOMotorCollection | None = None
    ) -> None:
        self._key = key
        self._max_number = max_number
        self._ttl = ttl
        self._used = used

    def issue(self, now: datetime) -> dict[str, Any]:
        """A challenge as the ALTCHA widget reads it."""
        challenge = altcha.create_challenge_v1(
            altcha.ChallengeOptionsV1(
                hmac_key=self._key,
                max_number=self._max_number,
                expires=now + self._ttl,
                params={"issued": str(int(now.timestamp() * 1000))},
            )
        )
        shape = challenge.to_dict()
        shape["maxnumber"] = shape["maxNumber"]  # the widget's older spelling
        return shape

    async def redeem(self, payload: str | None, now: datetime) -> int:
        """Check a solution (the widget's base64 payload) and use it up; the
        milliseconds from issue to solution. A missing, forged, expired or reused
        one is `challenge_invalid`."""
        if not payload or len(payload) > 4096:
            raise ChallengeInvalid()
        try:
            ok, _ = altcha.verify_solution_v1(payload, self._key, check_expires=True)
            parsed = altcha.PayloadV1.from_base64(payload)
            params = altcha.extract_params_v1(parsed.to_dict())
            issued_ms = int(params["issued"][0])
        except (ValueError, KeyError, TypeError, IndexError):
            raise ChallengeInvalid() from None
        if not ok:
            raise ChallengeInvalid()
        if self._used is not None:
            try:
                await self._used.insert_one({"_id": parsed.challenge, "at": now})
            except DuplicateKeyError:
                raise ChallengeInvalid() from None
        return max(0, int(now.timestamp() * 1000) - issued_ms)


async def create_used_index(used: AsyncIOMotorCollection, ttl: timedelta) -> None:
    # A used challenge is kept while it could still be presented (it expires anyway).
    await used.create_index([("at", ASCENDING)], expireAfterSeconds=int(ttl.total_seconds()) + 60)
