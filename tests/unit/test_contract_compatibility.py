"""Every contract version's JSON Schema is committed (shared/contracts/versions/),
and a change to a version that is not backward compatible fails here: it must be
a new version, published side by side (shared/contracts/compatibility.py)."""

from __future__ import annotations

from typing import Literal

import pytest
from pydantic import Field

from shared.contracts import CATALOG, Envelope, Payload
from shared.contracts.compatibility import (
    VERSIONS,
    breaking_changes,
    committed,
    file_of,
    standalone_schema,
)

FIX = "a compatible change (an optional field added): run `python -m shared.contracts.compatibility`"


@pytest.mark.parametrize("key", sorted(CATALOG), ids=lambda key: f"{key[0]}.v{key[1]}")
def test_every_contract_version_is_committed_and_unbroken(key: tuple[str, int]) -> None:
    event = CATALOG[key]
    before = committed(event)
    assert before is not None, f"{file_of(event)} is missing: run `python -m shared.contracts.compatibility`"
    breaking = breaking_changes(before, standalone_schema(event))
    assert breaking == [], f"{event.event_type} v{event.event_version} changed incompatibly; publish v" + (
        f"{event.event_version + 1} side by side instead: {breaking}"
    )
    assert before == standalone_schema(event), FIX


def test_no_schema_is_committed_for_a_version_that_does_not_exist() -> None:
    files = {path.name for path in VERSIONS.glob("*.json")}
    assert files == {file_of(event).name for event in CATALOG.values()}


# --- the checker, on real contracts ----------------------------------------------------------


class Place(Payload):
    code: str
    name: str


class Before(Payload):
    entry_id: str
    title: str
    score: int | None = None
    status: Literal["submitted", "withdrawn"]
    place: Place
    tags: list[str]


class BeforeEvent(Envelope[Before]):
    event_type = "thing.happened"


def schema_of(payload: type[Payload]) -> dict[str, object]:
    class Changed(Envelope[payload]):  # type: ignore[valid-type]
        event_type = "thing.happened"

    return standalone_schema(Changed)


BEFORE = standalone_schema(BeforeEvent)


def test_the_same_contract_and_an_added_optional_field_are_compatible() -> None:
    assert breaking_changes(BEFORE, schema_of(Before)) == []

    class WithOptional(Before):
        synopsis: str | None = Field(None, description="a new optional field")

    assert breaking_changes(BEFORE, schema_of(WithOptional)) == []


def test_a_removed_field_breaks() -> None:
    class Removed(Payload):
        entry_id: str
        score: int | None = None
        status: Literal["submitted", "withdrawn"]
        place: Place
        tags: list[str]

    assert breaking_changes(BEFORE, schema_of(Removed)) == ["data: field 'title' removed"]


def test_a_required_field_added_or_an_optional_one_made_required_breaks() -> None:
    class Added(Before):
        kim_id: str

    assert breaking_changes(BEFORE, schema_of(Added)) == ["data: 'kim_id' added as a required field"]

    class Required(Before):
        score: int  # type: ignore[assignment]

    assert "data: 'score' made required" in breaking_changes(BEFORE, schema_of(Required))


def test_a_narrowed_type_breaks_at_any_depth() -> None:
    class Narrowed(Before):
        status: Literal["submitted"]  # type: ignore[assignment]

    assert breaking_changes(BEFORE, schema_of(Narrowed)) != []

    class NotNullable(Before):
        score: int = 0  # type: ignore[assignment]

    assert any("no longer accepted" in change for change in breaking_changes(BEFORE, schema_of(NotNullable)))

    class NarrowPlace(Payload):
        code: int
        name: str

    class Deeper(Before):
        place: NarrowPlace  # type: ignore[assignment]

    assert breaking_changes(BEFORE, schema_of(Deeper)) == ["data.place.code: type 'string' became 'integer'"]

    class Items(Before):
        tags: list[int]  # type: ignore[assignment]

    assert breaking_changes(BEFORE, schema_of(Items)) == ["data.tags[]: type 'string' became 'integer'"]
