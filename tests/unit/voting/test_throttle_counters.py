"""The throttle counters try a conflicting increment again (the benchmark found code
requests from one address block refused as `concurrent_change` under load), as an
increment then a read by id (not `findAndModify`, which SecantusDB runs over the
whole collection)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pymongo.errors import DuplicateKeyError, OperationFailure
from voting.adapters.throttles import ATTEMPTS, MongoCounters

from shared.platform.persistence.mongo import WRITE_CONFLICT


class Collection:
    """An increment that fails as told (None: it went through, but the counter is gone
    when read), then counts; a read by id."""

    def __init__(self, failures: list[Exception | None]) -> None:
        self.failures = failures
        self.calls = 0
        self.count = 0
        self.gone = False

    async def update_one(self, *args: Any, **kwargs: Any) -> None:
        self.calls += 1
        if self.failures:
            failure = self.failures.pop(0)
            if failure is None:
                self.gone = True
                return
            raise failure
        self.count += 1

    async def find_one(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        if self.gone:
            self.gone = False
            return None
        return {"_id": "ip:127.0.0.1", "count": self.count}


def conflict() -> OperationFailure:
    return OperationFailure("WriteConflict", code=WRITE_CONFLICT)


async def test_a_conflicting_or_racing_increment_is_tried_again() -> None:
    # None: the counter expired and was removed between the increment and the read.
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
