"""Hostile input against the real services: every kind is refused with a 4xx
that names the field, and nothing of a refused request is stored.

(a) a body over `max_body_bytes` is a 413 `body_too_large`, whether its
    Content-Length says so or it arrives in chunks without one;
(b) MongoDB operators where a value belongs (`{"$ne": null}` for a string, in a
    body or a query parameter) are a 422 naming the field;
(c) control characters (C0, DEL, C1) in single-line text are a 422 naming the field;
(d) overlong strings and lists are a 422 naming the field;
(e) after each refusal the service's data is what it was, and a refused change
    to a stored KIM, entry or recipient leaves it as it was.
"""

from __future__ import annotations

import copy
import importlib
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import httpx
import pytest
from registry.main import create_app as create_registry
from submissions.main import create_app as create_submissions

from ..support import eventually, serving
from .flows import edition_body, enrolled_kim, entry_body, kim_body, ok, published_edition

#: The body limit these tests give every service (the least it may be set to is 1024).
LIMIT = 2048

#: An edition and a recipient nobody has: paths that need one still validate first.
EDITION = str(uuid4())
ENTRY = str(uuid4())
RECIPIENT = str(uuid4())

RUBRIC = {
    "criteria": [
        {"criterion_id": "tema", "name_id": "Kesesuaian tema", "name_en": "Theme", "weight": 60},
        {"criterion_id": "teknik", "name_id": "Teknik", "name_en": "Technique", "weight": 40},
    ]
}


@dataclass(frozen=True)
class Target:
    """An endpoint that takes input, with a body it would accept."""

    service: str
    method: str
    path: str
    body: dict[str, Any] | None = None
    anonymous: bool = False


@dataclass(frozen=True)
class Case:
    target: Target
    #: The dotted field the error must name (`members.0.name`), and where the value goes.
    field: str
    value: Any
    #: Where the value goes: the body, or a query parameter.
    where: str = "body"
    codes: frozenset[str] = frozenset()

    @property
    def id(self) -> str:
        return f"{self.target.service} {self.target.method} {self.target.path} {self.where}:{self.field}"


KIMS = Target("registry", "POST", "/kims", kim_body("KIM Ganjur", "polowijen"))
LOGIN = Target(
    "registry", "POST", "/auth/login", {"email": "staf@example.id", "password": "x"}, anonymous=True
)
EDITIONS = Target("registry", "POST", "/editions", edition_body())
LIST_KIMS = Target("registry", "GET", "/kims")
LIST_ENROLMENTS = Target("registry", "GET", f"/editions/{EDITION}/enrolments")
ENTRIES = Target("submissions", "POST", f"/editions/{EDITION}/entries", entry_body(str(uuid4())))
REVISE_ENTRY = Target("submissions", "PATCH", f"/entries/{ENTRY}", {"title": "Judul Baru"})
LIST_ENTRIES = Target("submissions", "GET", f"/editions/{EDITION}/entries")
SET_RUBRIC = Target("judging", "PUT", f"/editions/{EDITION}/rubric", RUBRIC)
AUDIT = Target("judging", "GET", f"/editions/{EDITION}/audit")
RECIPIENTS = Target(
    "notifications",
    "POST",
    "/recipients",
    {
        "name": "Seksi Informasi Publik",
        "subscriptions": ["entry.submitted"],
        "webhook": {"url": "https://portal.example.id/hooks/kim", "secret": "rahasia-yang-panjang-sekali"},
    },
)
CHANGE_RECIPIENT = Target("notifications", "PATCH", f"/recipients/{RECIPIENT}", {"name": "Seksi IKP"})
DELIVERIES = Target("notifications", "GET", "/deliveries")
VOTER_CODES = Target(
    "voting",
    "POST",
    f"/editions/{EDITION}/voter-codes",
    {"address": "081234567890", "altcha": "x"},
    anonymous=True,
)
VOTES = Target(
    "voting",
    "POST",
    f"/editions/{EDITION}/votes",
    {"request_id": str(uuid4()), "code": "123456", "entry_id": ENTRY},
    anonymous=True,
)
VOTE_WINDOW = Target(
    "voting",
    "PUT",
    f"/editions/{EDITION}/vote-window",
    {"opens_at": "2024-11-01T19:00:00+07:00", "closes_at": "2024-11-01T21:00:00+07:00"},
)
VOIDING = Target("voting", "POST", f"/editions/{EDITION}/votes/{uuid4()}/voiding", {"reason": "Nomor palsu"})
GALLERY = Target("voting", "GET", "/gallery", anonymous=True)

#: What each service holds that a refused request must not change.
STATE_PATHS = {
    "registry": ["/kims", "/editions", "/accounts", f"/editions/{EDITION}/enrolments"],
    "submissions": [f"/editions/{EDITION}/entries", f"/entries/{ENTRY}"],
    "judging": [f"/editions/{EDITION}", f"/editions/{EDITION}/audit"],
    "notifications": ["/recipients", f"/recipients/{RECIPIENT}", "/deliveries"],
    "voting": ["/gallery", f"/editions/{EDITION}/flags"],
}

CREATE = {
    service: importlib.import_module(f"{service}.main").create_app
    for service in ("registry", "submissions", "judging", "notifications", "voting")
}


def with_value(body: dict[str, Any] | None, dotted: str, value: Any) -> dict[str, Any]:
    """`body` with `value` at the dotted path (`members.0.name`)."""
    changed = copy.deepcopy(body or {})
    *parents, last = dotted.split(".")
    container: Any = changed
    for part in parents:
        container = container[int(part)] if isinstance(container, list) else container[part]
    if isinstance(container, list):
        container[int(last)] = value
    else:
        container[last] = value
    return changed


#: Sent instead of the staff member's token: an anonymous caller.
ANONYMOUS = {"Authorization": ""}


async def state_of(client: httpx.AsyncClient, service: str) -> list[tuple[int, Any]]:
    found = []
    for path in STATE_PATHS[service]:
        response = await client.get(path)
        found.append((response.status_code, response.json()))
    return found


def assert_refused(response: httpx.Response, field: str, codes: frozenset[str] = frozenset()) -> None:
    """A 422 `invalid_request` whose `field` and `fields` name `field`."""
    where = f"{response.request.method} {response.request.url}: {response.status_code} {response.text[:500]}"
    assert response.status_code == 422, where
    error = response.json()["error"]
    assert error["code"] == "invalid_request", where
    assert error["field"] == field, where
    named = {item["field"]: item["code"] for item in error["fields"]}
    assert field in named, where
    if codes:
        assert named[field] in codes, where
    assert field in error["message"], where


async def send(client: httpx.AsyncClient, case: Case) -> httpx.Response:
    headers = ANONYMOUS if case.target.anonymous else None
    method, path = case.target.method, case.target.path
    if case.where == "query":
        value = case.value if isinstance(case.value, str) else json.dumps(case.value)
        return await client.request(method, path, params={case.field: value}, headers=headers)
    body = with_value(case.target.body, case.field, case.value)
    return await client.request(method, path, json=body, headers=headers)


async def check_each_refused(settings_for: Callable[..., Any], service: str, cases: list[Case]) -> int:
    """Send each of `service`'s cases to one app: each refused naming its field,
    and the service's data the same after each as before them all."""
    mine = [case for case in cases if case.target.service == service]
    assert mine, f"no cases for {service}"
    app = CREATE[service](settings_for(service))
    async with serving(app, service) as staff:
        before = await state_of(staff, service)
        for case in mine:
            assert_refused(await send(staff, case), case.field, case.codes)
            assert await state_of(staff, service) == before, f"{case.id} changed what {service} holds"
    return len(mine)


SERVICES = ["registry", "submissions", "judging", "notifications", "voting"]

# (a) ---------------------------------------------------------------------------

#: Per service, an endpoint that reads a body: with `name` 3000 characters long, over LIMIT.
OVERSIZE = {
    "registry": KIMS,
    "submissions": ENTRIES,
    "judging": SET_RUBRIC,
    "notifications": RECIPIENTS,
    "voting": VOTER_CODES,
}


def oversize_body(target: Target, size: int) -> bytes:
    body = with_value(target.body, "padding", "x")
    padding = size - len(json.dumps(body).encode())
    return json.dumps(with_value(target.body, "padding", "x" * (1 + padding))).encode()


@pytest.mark.parametrize("sending", ["content-length", "chunked"])
@pytest.mark.parametrize("service", SERVICES)
async def test_a_body_over_the_limit_is_refused_with_413(
    settings_for: Callable[..., Any], service: str, sending: str
) -> None:
    target = OVERSIZE[service]
    app = CREATE[service](settings_for(service, max_body_bytes=LIMIT))
    async with serving(app, service) as staff:
        before = await state_of(staff, service)
        body = oversize_body(target, LIMIT + 1000)
        assert len(body) > LIMIT
        if sending == "content-length":
            response = await staff.request(
                target.method, target.path, content=body, headers={"Content-Type": "application/json"}
            )
            assert response.request.headers["content-length"] == str(len(body))
        else:

            async def chunks() -> AsyncIterator[bytes]:
                for start in range(0, len(body), 500):
                    yield body[start : start + 500]

            response = await staff.request(
                target.method, target.path, content=chunks(), headers={"Content-Type": "application/json"}
            )
            assert "content-length" not in response.request.headers
            assert response.request.headers["transfer-encoding"] == "chunked"
        assert response.status_code == 413, response.text
        assert response.json()["error"]["code"] == "body_too_large"
        assert await state_of(staff, service) == before

        # Just under the limit, the body is read: refused for what it says, not its size.
        under = oversize_body(target, LIMIT - 100)
        assert len(under) <= LIMIT
        response = await staff.request(
            target.method, target.path, content=under, headers={"Content-Type": "application/json"}
        )
        assert_refused(response, "padding", frozenset({"extra_forbidden"}))


# (b) ---------------------------------------------------------------------------

INJECTION = [
    Case(KIMS, "name", {"$ne": None}),
    Case(KIMS, "email", {"$gt": ""}),
    Case(KIMS, "kelurahan_code", {"$in": ["bumiayu", "polowijen"]}),
    Case(KIMS, "members.0.name", {"$regex": ".*"}),
    Case(LOGIN, "email", {"$gt": ""}),
    Case(LOGIN, "password", {"$ne": None}),
    Case(EDITIONS, "title", {"$where": "1"}),
    Case(EDITIONS, "rules.allowed_video_hosts", {"$exists": True}),
    Case(LIST_KIMS, "verified", {"$ne": True}, where="query"),
    Case(LIST_ENROLMENTS, "status", {"$ne": None}, where="query"),
    Case(REVISE_ENTRY, "title", {"$where": "1"}),
    Case(ENTRIES, "kim_id", {"$ne": None}),
    Case(ENTRIES, "umkm_featured.0", {"$gt": ""}),
    Case(LIST_ENTRIES, "status", {"$ne": None}, where="query"),
    Case(LIST_ENTRIES, "kim_id", {"$ne": None}, where="query"),
    Case(SET_RUBRIC, "criteria.0.criterion_id", {"$regex": "."}),
    Case(SET_RUBRIC, "criteria.0.weight", {"$gt": 0}),
    Case(AUDIT, "limit", {"$gt": 0}, where="query"),
    Case(RECIPIENTS, "name", {"$ne": None}),
    Case(RECIPIENTS, "subscriptions.0", {"$gt": ""}),
    Case(RECIPIENTS, "webhook.secret", {"$ne": None}),
    Case(CHANGE_RECIPIENT, "email", {"$ne": None}),
    Case(DELIVERIES, "status", {"$ne": None}, where="query"),
    Case(DELIVERIES, "recipient_id", {"$ne": None}, where="query"),
    Case(VOTER_CODES, "address", {"$ne": None}),
    Case(VOTER_CODES, "altcha", {"$gt": ""}),
    Case(VOTES, "code", {"$ne": None}),
    Case(VOTES, "request_id", {"$ne": None}),
    Case(VOTE_WINDOW, "opens_at", {"$gt": ""}),
    Case(VOIDING, "reason", {"$ne": None}),
    Case(GALLERY, "edition_id", {"$ne": None}, where="query"),
    # (`?event_type={"$ne": null}` is not here: a free-text query value is text, and
    # that text is a valid one, matched literally: no query value reaches MongoDB as an operator.)
]


@pytest.mark.parametrize("service", SERVICES)
async def test_a_mongodb_operator_where_a_value_belongs_is_refused_naming_the_field(
    settings_for: Callable[..., Any], service: str
) -> None:
    await check_each_refused(settings_for, service, INJECTION)


async def test_an_operator_in_a_query_parameters_name_is_never_applied(
    settings_for: Callable[..., Any],
) -> None:
    """`?verified[$ne]=true` is not `verified`: FastAPI does not read brackets as
    operators, so the filter is not applied (see the test below for refusing it)."""
    async with serving(create_registry(settings_for("registry")), "registry") as registry:
        ganjur = await ok(await registry.post("/kims", json=kim_body("KIM Ganjur", "polowijen", 1)), 201)
        await ok(await registry.post("/kims", json=kim_body("KIM Pasreh", "bumiayu", 2)), 201)
        await ok(await registry.post(f"/kims/{ganjur['kim_id']}/verification"))

        verified = await ok(await registry.get("/kims", params={"verified": "true"}))
        assert [k["kim_id"] for k in verified] == [ganjur["kim_id"]]
        every = await ok(await registry.get("/kims"))
        response = await registry.get("/kims", params={"verified[$ne]": "true"})
        assert response.status_code in (200, 422), response.text
        if response.status_code == 200:
            assert response.json() == every  # ignored, not applied as "verified is not true"


async def test_an_unknown_query_parameter_is_refused_naming_it(settings_for: Callable[..., Any]) -> None:
    async with serving(create_submissions(settings_for("submissions")), "submissions") as submissions:
        response = await submissions.get(f"/editions/{EDITION}/entries", params={"status[$ne]": "x"})
        assert_refused(response, "status[$ne]")


# (c) ---------------------------------------------------------------------------

#: NUL, an ANSI escape (ESC [ 31 m), DEL, a C1 CSI and a C1 NEL, inside otherwise good text.
CONTROL = ["KIM\x00Ganjur", "\x1b[31mKIM Ganjur", "KIM\x7fGanjur", "KIM \x9b31m Ganjur", "KIM\x85Ganjur"]
PATTERN = frozenset({"string_pattern_mismatch"})


def control_cases(target: Target, field: str, where: str = "body", suffix: str = "") -> list[Case]:
    return [Case(target, field, value + suffix, where, PATTERN) for value in CONTROL]


LONG_ENOUGH = " untuk sinopsis yang cukup panjang"
CONTROL_CASES = [
    *control_cases(KIMS, "name"),
    *control_cases(KIMS, "chair"),
    *control_cases(KIMS, "whatsapp"),
    *control_cases(KIMS, "members.0.name"),
    *control_cases(EDITIONS, "title"),
    *control_cases(EDITIONS, "description"),  # multi-line: only newlines and tabs pass
    *control_cases(REVISE_ENTRY, "title"),
    *control_cases(REVISE_ENTRY, "synopsis", suffix=LONG_ENOUGH),
    *control_cases(ENTRIES, "umkm_featured.0"),
    *control_cases(SET_RUBRIC, "criteria.0.name_id"),
    *control_cases(RECIPIENTS, "name"),
    *control_cases(RECIPIENTS, "webhook.url"),
    *control_cases(CHANGE_RECIPIENT, "name"),
    *control_cases(DELIVERIES, "event_type", where="query"),
    *control_cases(VOTER_CODES, "address"),
    *control_cases(VOIDING, "reason"),  # multi-line: only newlines and tabs pass
    *control_cases(GALLERY, "umkm", where="query"),
    *control_cases(GALLERY, "kecamatan", where="query"),
]


@pytest.mark.parametrize("service", SERVICES)
async def test_control_characters_are_refused_naming_the_field(
    settings_for: Callable[..., Any], service: str
) -> None:
    await check_each_refused(settings_for, service, CONTROL_CASES)


# (d) ---------------------------------------------------------------------------

LONG = "K" * 10_000
TOO_LONG = frozenset({"string_too_long", "too_long"})
OVERLONG_CASES = [
    Case(KIMS, "name", LONG, codes=TOO_LONG),
    Case(KIMS, "chair", LONG, codes=TOO_LONG),
    Case(KIMS, "whatsapp", LONG, codes=TOO_LONG),
    Case(KIMS, "kelurahan_code", LONG, codes=TOO_LONG),
    Case(KIMS, "email", LONG.lower() + "@example.id"),
    Case(KIMS, "password", LONG, codes=TOO_LONG),
    Case(KIMS, "members.0.role", LONG, codes=TOO_LONG),
    Case(KIMS, "members", [{"name": f"Anggota {n}"} for n in range(201)], codes=TOO_LONG),
    Case(LOGIN, "email", LONG.lower() + "@example.id"),
    Case(LOGIN, "password", LONG, codes=TOO_LONG),
    Case(EDITIONS, "title", LONG, codes=TOO_LONG),
    Case(EDITIONS, "description", LONG, codes=TOO_LONG),
    Case(EDITIONS, "rules.allowed_video_hosts.0", LONG.lower() + ".com"),
    Case(REVISE_ENTRY, "title", LONG, codes=TOO_LONG),
    Case(REVISE_ENTRY, "synopsis", LONG, codes=TOO_LONG),
    Case(ENTRIES, "video_url", "https://youtu.be/" + LONG, codes=TOO_LONG),
    Case(ENTRIES, "umkm_featured.0", LONG, codes=TOO_LONG),
    Case(ENTRIES, "umkm_featured", [f"UMKM {n}" for n in range(21)], codes=TOO_LONG),
    Case(SET_RUBRIC, "criteria.0.name_en", LONG, codes=TOO_LONG),
    Case(SET_RUBRIC, "criteria.0.criterion_id", LONG.lower()),
    Case(RECIPIENTS, "name", LONG, codes=TOO_LONG),
    Case(RECIPIENTS, "webhook.url", "https://portal.example.id/" + LONG, codes=TOO_LONG),
    Case(RECIPIENTS, "webhook.secret", LONG, codes=TOO_LONG),
    Case(RECIPIENTS, "subscriptions.0", LONG, codes=TOO_LONG),
    Case(CHANGE_RECIPIENT, "name", LONG, codes=TOO_LONG),
    Case(DELIVERIES, "event_type", LONG, where="query", codes=TOO_LONG),
    Case(VOTER_CODES, "address", LONG, codes=TOO_LONG),
    Case(VOTER_CODES, "altcha", LONG, codes=TOO_LONG),
    Case(VOIDING, "reason", LONG, codes=TOO_LONG),
    Case(GALLERY, "umkm", LONG, where="query", codes=TOO_LONG),
]


@pytest.mark.parametrize("service", SERVICES)
async def test_overlong_strings_are_refused_naming_the_field(
    settings_for: Callable[..., Any], service: str
) -> None:
    await check_each_refused(settings_for, service, OVERLONG_CASES)


# (e) ---------------------------------------------------------------------------

HOSTILE_CHANGES: list[tuple[str, Any]] = [
    ("name", {"$ne": None}),
    ("title", {"$where": "1"}),
    ("name", "KIM\x00Ganjur"),
    ("title", "\x1b[31mJudul"),
    ("name", LONG),
    ("title", LONG),
]


async def test_a_refused_change_leaves_the_stored_kim_entry_and_recipient_as_they_were(
    settings_for: Callable[..., Any],
) -> None:
    async with (
        serving(create_registry(settings_for("registry")), "registry") as registry,
        serving(create_submissions(settings_for("submissions")), "submissions") as submissions,
        serving(CREATE["notifications"](settings_for("notifications")), "notifications") as notifications,
    ):
        edition = await published_edition(registry)
        kim = await enrolled_kim(registry, edition["edition_id"], "KIM Ganjur", "polowijen", 1)

        async def submitted() -> Any:
            response = await submissions.post(
                f"/editions/{edition['edition_id']}/entries", json=entry_body(kim["kim_id"])
            )
            return response.json() if response.status_code == 201 else None

        entry = await eventually(submitted)
        recipient = await ok(await notifications.post("/recipients", json={"name": "Seksi IKP"}), 201)

        stored = [
            (registry, f"/kims/{kim['kim_id']}", "name"),
            (submissions, f"/entries/{entry['entry_id']}", "title"),
            (notifications, f"/recipients/{recipient['recipient_id']}", "name"),
        ]
        for client, path, field_name in stored:
            before = await ok(await client.get(path))
            for hostile_field, value in HOSTILE_CHANGES:
                if hostile_field != field_name:
                    continue
                response = await client.patch(path, json={field_name: value})
                assert_refused(response, field_name)
                assert await ok(await client.get(path)) == before, f"PATCH {path} {value!r:.40} changed it"

        # The KIM's representative cannot log in with an operator either.
        response = await registry.post(
            "/auth/login",
            json={"email": {"$regex": "example"}, "password": {"$ne": None}},
            headers=ANONYMOUS,
        )
        assert_refused(response, "email")
        assert {f["field"] for f in response.json()["error"]["fields"]} == {"email", "password"}


def test_every_case_names_a_field_of_a_real_endpoint() -> None:
    """The tables above stay in step with the APIs: each target is an operation
    of its service's OpenAPI (a renamed path would otherwise 404, not 422)."""
    operations: dict[str, set[tuple[str, str]]] = {}
    for service, create in CREATE.items():
        app = create(None)
        operations[service] = {
            (method.upper(), path) for path, item in app.openapi()["paths"].items() for method in item
        }
    ids = {EDITION: "{edition_id}", ENTRY: "{entry_id}", RECIPIENT: "{recipient_id}"}
    for case in [
        *INJECTION,
        *CONTROL_CASES,
        *OVERLONG_CASES,
        *(Case(t, "", None) for t in OVERSIZE.values()),
    ]:
        path = case.target.path
        for concrete, template in ids.items():
            path = path.replace(concrete, template)
        assert (case.target.method, path) in operations[case.target.service], case.id
