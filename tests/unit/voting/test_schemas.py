"""The voting API's request bodies refuse what the house refuses everywhere."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from voting.entrypoints.schemas import ReasonIn, VoteCreate, VoterCodeCreate, VoteWindowUpdate


def refused(model: type, body: dict[str, object]) -> set[str]:
    with pytest.raises(ValidationError) as error:
        model.model_validate(body)
    return {problem["type"] for problem in error.value.errors()}


def test_an_address_with_control_or_invisible_characters_is_refused() -> None:
    assert "string_pattern_mismatch" in refused(VoterCodeCreate, {"address": "0812\x00345678"})
    assert "text_spoofing" in refused(VoterCodeCreate, {"address": "0812\u202e345678"})
    assert "extra_forbidden" in refused(VoterCodeCreate, {"address": "081234567890", "admin": True})
    assert "string_type" in refused(VoterCodeCreate, {"address": {"$ne": None}})


def test_a_code_is_six_digits_and_a_reason_is_said_in_words() -> None:
    body = {
        "request_id": "8c5e7a52-1b1e-4c4f-9a51-3d1f2f6a0b11",
        "entry_id": "8c5e7a52-1b1e-4c4f-9a51-3d1f2f6a0b12",
    }
    assert "string_pattern_mismatch" in refused(VoteCreate, {**body, "code": "12345"})
    assert "string_type" in refused(VoteCreate, {**body, "code": 123456})
    assert "string_too_short" in refused(ReasonIn, {"reason": "ok"})


def test_a_window_names_instants_with_a_time_zone_the_database_holds() -> None:
    assert "timezone_aware" in refused(
        VoteWindowUpdate, {"opens_at": "2024-08-01T09:00:00", "closes_at": "2024-08-02T09:00:00+07:00"}
    )
    assert "date_out_of_range" in refused(
        VoteWindowUpdate, {"opens_at": "2024-08-01T09:00:00+07:00", "closes_at": "9999-01-01T00:00:00+00:00"}
    )
    assert "bool_type" in refused(
        VoteWindowUpdate,
        {
            "opens_at": "2024-08-01T09:00:00+07:00",
            "closes_at": "2024-08-02T09:00:00+07:00",
            "public_counts": "yes",
        },
    )
