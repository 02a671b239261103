"""Every service's OpenAPI document lists the errors its routes answer with, as
the one error body the services send (`shared/platform/openapi.py`)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from fastapi import APIRouter

from shared.platform.access import DENY, rules_for
from shared.platform.openapi import count_responses

SERVICES = ["registry", "submissions", "judging", "notifications", "voting"]
ERROR_BODY = {"$ref": "#/components/schemas/ErrorBody"}


def app_of(service: str) -> Any:
    settings = importlib.import_module(f"{service}.config").Settings(
        amqp_url="amqp://127.0.0.1:1/", mongodb_url="mongodb://127.0.0.1:1/", mongodb_database="unused"
    )
    return importlib.import_module(f"{service}.main").create_app(settings)


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_documents_its_errors_with_the_real_body(service: str) -> None:
    app = app_of(service)
    document = app.openapi()
    assert "HTTPValidationError" not in str(document), "FastAPI's {'detail': [...]} is never sent"
    rules = rules_for(service)
    for method, path, operation in operations(document):
        responses = operation["responses"]
        where = f"{service} {method} {path}"
        for status in ("401", "422"):
            assert responses[status]["content"]["application/json"]["schema"] == ERROR_BODY, where
        denied = [role for role in ("staff", "judge", "kim_rep") if rules[(method, path)].of(role) is DENY]
        if denied:
            assert "role_not_allowed" in responses["403"]["content"]["application/json"]["examples"], where
        if "{" in path:
            assert "404" in responses, where
        if method != "GET":
            assert "409" in responses, where
    operations_count, documented = count_responses(document)
    assert documented >= operations_count * 4


def test_the_login_documents_its_throttle() -> None:
    login = app_of("registry").openapi()["paths"]["/auth/login"]["post"]["responses"]
    assert "too_many_logins" in str(login["429"]) and login["429"]["content"]["application/json"]["schema"]


def test_a_reason_names_its_rule_in_each_language() -> None:
    judging = app_of("judging").openapi()
    sheet = judging["paths"]["/editions/{edition_id}/entries/{entry_id}/sheets/{judge_id}"]["put"]
    examples = sheet["responses"]["403"]["content"]["application/json"]["examples"]
    assert {"not_on_this_panel", "not_your_sheet", "role_not_allowed"} <= examples.keys()
    assert examples["not_your_sheet"]["value"]["error"]["message"].startswith("Anda hanya")
    entry = app_of("submissions").openapi()["paths"]["/entries/{entry_id}"]["get"]["responses"]["403"]
    assert "entry_of_another_kim" in entry["content"]["application/json"]["examples"]


def test_a_route_added_later_is_documented_the_same_way() -> None:
    app = app_of("notifications")
    later = APIRouter()

    @later.post("/later/{thing_id}")
    async def added_later(thing_id: int, body: dict[str, int]) -> dict[str, int]:
        return body

    app.include_router(later)
    app.state.access_rules = {
        **app.state.access_rules,
        ("POST", "/later/{thing_id}"): rules_for("registry")[("POST", "/accounts")],
    }
    responses = app.openapi()["paths"]["/later/{thing_id}"]["post"]["responses"]
    assert {"200", "401", "403", "404", "409", "413", "422", "503"} <= responses.keys()
