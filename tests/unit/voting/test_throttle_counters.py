"""The throttle counters try a conflicting increment again (the benchmark found code
requests from one address block refused as `concurrent_change` under load)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pymongo.errors import DuplicateKeyError, OperationFailure
from voting.adapters.throttles import ATTEMPTS, MongoCounters

from shared.platform.persistence.mongo import WRITE_CONFLICT


class Collection:
    """find_one_and_update that fails as told, then counts."""

    def __init__(self, failures: list[Exception | None]) -> None:
        self.failures = failures
        self.calls = 0
        self.count = 0

    async def find_one_and_update(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        self.calls += 1
        if self.failures:
            failure = self.failures.pop(0)
            if failure is None:
                return None
            raise failure
        self.count += 1
        return {"_id": "ip:127.0.0.1", "count": self.count}


def conflict() -> OperationFailure:
    return OperationFailure("WriteConflict", code=WRITE_CONFLICT)


async def test_a_conflicting_or_racing_increment_is_tried_again() -> None:
    # None: an upsert answered with no document (SecantusDB under load; it was a 500).
    collection = Collection([conflict(), DuplicateKeyError("E11000"), None, conflict()])
    counted = await MongoCounters(collection).hit("ip:127.0.0.1", datetime.now(UTC))  # type: ignore[arg-type]
    assert (counted, collection.calls) == (1, 5)


async def test_a_conflict_that_never_ends_and_other_errors_are_raised() -> None:
    endless = Collection([conflict() for _ in range(ATTEMPTS)])
    with pytest.raises(OperationFailure):
        await MongoCounters(endless).hit("ip:127.0.0.1", datetime.now(UTC))  # type: ignore[arg-type]
    assert endless.calls == ATTEMPTS
    other = Collection([OperationFailure("Unauthorized", code=13)])
    with pytest.raises(OperationFailure):
        await MongoCounters(other).hit("ip:127.0.0.1", datetime.now(UTC))  # type: ignore[arg-type]
    assert other.calls == 1
