"""Property-based fuzzing of every service's OpenAPI with schemathesis.

For each service, schemathesis reads the app's own OpenAPI document and
generates requests for every operation: the document's examples, its coverage
cases (boundary values, missing and wrong-typed fields, values just over each
bound) and hypothesis-generated ones, valid and invalid. They go to the real app
in this process (lifespan included: broker, database, relay, consumers) as a
staff member, who may call every endpoint.

Every answer must be: below 500; free of a stack trace or an exception's class
path; when a 4xx, our JSON error (`{"error": {"code": ...}}`); and one the
document declares: its status code, its content type and its body's schema
(schemathesis' response conformance checks), so the document cannot drift from
what the services answer. Most of
submissions' and judging's data only comes from events, so most of their
answers are 404 or 422: what counts here is that none is a 5xx.

Generation is deterministic (`derandomize`), so CI sends the same requests every
run; the counts are printed at the end of the session (`conftest.py`).
"""

from __future__ import annotations

import asyncio
import copy
import importlib
import json
import re
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import hypothesis
import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase

# `create_test` is how `schema.parametrize()` builds its per-operation hypothesis
# test (examples, coverage and fuzzing phases); called directly, it lets the
# cases be generated here and sent to the app on the test's own event loop.
from schemathesis.generation.hypothesis.builder import HypothesisTestConfig, HypothesisTestMode, create_test
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ..support import bearer_for
from .conftest import FUZZ_TALLIES

SERVICES = ["registry", "submissions", "judging", "notifications", "voting"]

#: Hypothesis-generated requests per operation, on top of the document's
#: examples and schemathesis's coverage cases.
MAX_EXAMPLES = 20
#: Requests in flight at once: the app waits on MongoDB meanwhile.
CONCURRENCY = 4

SETTINGS = hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)

#: The answer is one the operation declares: status code, content type, body schema.
CONFORMANCE = [status_code_conformance, content_type_conformance, response_schema_conformance]

#: What a leaked stack trace looks like in a response body.
TRACE_MARKERS = ("Traceback", 'File "')
#: An exception's class path, e.g. `pymongo.errors.DuplicateKeyError`.
CLASS_PATH = re.compile(r"\b(?:[a-z_][a-z0-9_]*\.)+[A-Z]\w*(?:Error|Exception|Exit|Interrupt)\b")


def collector(into: list[schemathesis.Case]) -> Callable[[schemathesis.Case], None]:
    def collect(case: schemathesis.Case) -> None:
        into.append(case)

    return collect


#: Values the generators rarely make but that once answered 500, sent in every string of
#: the first bodies of each operation: a lone surrogate (not text: it cannot be hashed
#: or stored) and, in every date-time, instants beyond what the database converts.
LONE_SURROGATE = "\udc80abc"
EXTREME_DATES = ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00Z")
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
#: Bodies per operation that get the hostile variants, and variants per body at most.
HOSTILE_BODIES = 2
HOSTILE_VARIANTS = 12


def _with_leaf(body: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copied = copy.copy(body)
    copied[path[0]] = _with_leaf(body[path[0]], path[1:], value)
    return copied


def _string_leaves(body: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], str]]:
    if isinstance(body, str):
        return [(path, body)]
    if isinstance(body, dict):
        return [leaf for key, value in body.items() for leaf in _string_leaves(value, (*path, key))]
    if isinstance(body, list):
        return [leaf for i, value in enumerate(body) for leaf in _string_leaves(value, (*path, i))]
    return []


def _with_body(case: schemathesis.Case, body: Any) -> schemathesis.Case:
    """A copy of `case` with another body (a Case's slots are copied one by one: its
    attribute tracking refuses `copy.copy`)."""
    variant = object.__new__(type(case))
    for cls in type(case).__mro__:
        for name in getattr(cls, "__slots__", ()):
            if hasattr(case, name):
                object.__setattr__(variant, name, getattr(case, name))
    object.__setattr__(variant, "body", body)
    return variant


def hostile_variants(case: schemathesis.Case) -> list[schemathesis.Case]:
    """Copies of `case`, each with one string of its JSON body made a lone surrogate, or one
    date-time an instant beyond the database's range: the class of input, not one instance."""
    if not isinstance(case.body, dict):
        return []
    variants = []
    for path, value in _string_leaves(case.body):
        hostile = [*EXTREME_DATES] if DATE_TIME.match(value) else [LONE_SURROGATE]
        for replacement in hostile:
            variants.append(_with_body(case, _with_leaf(case.body, path, replacement)))
    return variants[:HOSTILE_VARIANTS]


def generated_cases(app: FastAPI) -> dict[str, list[schemathesis.Case]]:
    """Every operation's cases, by "METHOD /path", and the hostile variants of its first bodies."""
    schema = schemathesis.openapi.from_dict(app.openapi())
    cases: dict[str, list[schemathesis.Case]] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        collected = cases[f"{operation.method.upper()} {operation.path}"] = []
        test = create_test(
            operation=operation,
            test_func=collector(collected),
            config=HypothesisTestConfig(
                project=schema.config,
                modes=[HypothesisTestMode.EXAMPLES, HypothesisTestMode.COVERAGE, HypothesisTestMode.FUZZING],
                settings=SETTINGS,
            ),
        )
        test()
        with_body = [case for case in collected if isinstance(case.body, dict)][:HOSTILE_BODIES]
        collected += [variant for case in with_body for variant in hostile_variants(case)]
    return cases


def as_request(case: schemathesis.Case, base_url: str, authorization: str) -> dict[str, Any]:
    """The keyword arguments of `httpx.AsyncClient.request` that send `case`, as
    the staff member (whatever Authorization schemathesis generated)."""
    sent = case.as_transport_kwargs(base_url=base_url)
    headers: list[tuple[bytes, bytes]] = []
    for name, value in sent["headers"].items():
        if name.lower() in {"authorization", "connection"}:
            continue
        # On the wire, header values are latin-1; one that is not could never be sent.
        headers.append((name.encode("latin-1"), str(value).encode("latin-1")))
    headers.append((b"authorization", authorization.encode()))
    if sent.get("cookies"):
        cookie = "; ".join(f"{k}={v}" for k, v in sent["cookies"].items())
        headers.append((b"cookie", cookie.encode("latin-1")))
    request: dict[str, Any] = {
        "method": sent["method"],
        "url": sent["url"],
        "headers": headers,
        "params": sent.get("params") or None,
    }
    if "json" in sent:
        request["content"] = json.dumps(sent["json"]).encode()
    elif isinstance(sent.get("data"), str | bytes):
        request["content"] = sent["data"]
    elif sent.get("data") is not None:
        request["data"] = sent["data"]
    return request


def problems_with(response: httpx.Response, request: httpx.Request) -> list[str]:
    found = []
    if response.status_code >= 500:
        found.append(f"status {response.status_code}")
    text = response.text
    sent = str(request.url) + request.content.decode("utf-8", "replace")
    # A marker the request itself carried may be echoed back; one it did not is a leak.
    found += [f"leaks {marker!r}" for marker in TRACE_MARKERS if marker in text and marker not in sent]
    if response.status_code >= 400:
        leaked = {m for m in CLASS_PATH.findall(text) if m not in sent}
        if leaked:
            found.append(f"leaks {sorted(leaked)}")
    if 400 <= response.status_code < 500:
        try:
            code = response.json()["error"]["code"]
        except (ValueError, KeyError, TypeError):
            code = None
        if not isinstance(code, str) or not code:
            found.append("4xx without our JSON error")
    return found


def nonconforming(case: schemathesis.Case, response: httpx.Response) -> list[str]:
    """What of the answer the operation's OpenAPI does not declare."""
    try:
        case.validate_response(response, checks=CONFORMANCE)
    except BaseExceptionGroup as failure:  # schemathesis' FailureGroup of what did not conform
        title = str(failure).strip().splitlines()
        return ["does not conform to the OpenAPI: " + " | ".join(line for line in title[:6] if line.strip())]
    return []


def describe(request: httpx.Request, response: httpx.Response | None, problems: list[str]) -> str:
    body = request.content.decode("utf-8", "replace")
    answer = "no answer" if response is None else f"{response.status_code} {response.text[:400]}"
    return f"{request.method} {request.url} {body[:400]} -> {answer}: {'; '.join(problems)}"


@asynccontextmanager
async def serving_raw(app: FastAPI, name: str) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its lifespan; an exception it does not handle comes back as the
    500 a server would send, so it is counted rather than raised here."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{name}") as client:
            yield client


@dataclass
class Tally:
    service: str
    statuses: Counter[int] = field(default_factory=Counter)
    per_operation: dict[str, tuple[Counter[int], float]] = field(default_factory=dict)
    unsendable: int = 0
    failures: list[str] = field(default_factory=list)
    #: Answers checked against their operation's status codes, content type and schema.
    conformance_checked: int = 0
    nonconforming: int = 0


async def fuzz(
    client: httpx.AsyncClient, tally: Tally, operation: str, cases: list[schemathesis.Case], auth: str
) -> None:
    """Send one operation's cases, a few at a time, and check every answer."""
    counted: Counter[int] = Counter()
    began = time.monotonic()
    at_once = asyncio.Semaphore(CONCURRENCY)

    async def one(case: schemathesis.Case) -> None:
        try:
            request = client.build_request(**as_request(case, f"http://{tally.service}", auth))
        except (UnicodeEncodeError, httpx.InvalidURL, TypeError, ValueError):
            tally.unsendable += 1  # no HTTP client would carry it to a server
            return
        async with at_once:
            try:
                response = await asyncio.wait_for(client.send(request), timeout=30)
            except TimeoutError:
                tally.failures.append(describe(request, None, ["no answer within 30 s"]))
                return
        counted[response.status_code] += 1
        problems = problems_with(response, request)
        tally.conformance_checked += 1
        conformance = nonconforming(case, response)
        tally.nonconforming += bool(conformance)
        problems += conformance
        if problems:
            tally.failures.append(describe(request, response, problems))

    await asyncio.gather(*(one(case) for case in cases))
    tally.statuses.update(counted)
    tally.per_operation[operation] = (counted, time.monotonic() - began)


@pytest.mark.parametrize("service", SERVICES)
async def test_fuzzing_the_openapi_finds_no_5xx_no_leak_and_nothing_undocumented(
    settings_for: Callable[..., Any], service: str
) -> None:
    started = time.monotonic()
    app: FastAPI = importlib.import_module(f"{service}.main").create_app(settings_for(service))
    # Generated before the app starts: generating blocks the event loop, which the
    # app's broker connection and background jobs share.
    cases = generated_cases(app)
    generated = time.monotonic() - started
    authorization = bearer_for(app)["Authorization"]

    tally = Tally(service)
    async with serving_raw(app, service) as client:
        for operation, operation_cases in cases.items():
            await fuzz(client, tally, operation, operation_cases, authorization)

    requests = sum(tally.statuses.values())
    FUZZ_TALLIES.append(
        {
            "service": service,
            "operations": len(cases),
            "requests": requests,
            "unsendable": tally.unsendable,
            "statuses": dict(tally.statuses),
            "per_operation": {op: (dict(c), secs) for op, (c, secs) in tally.per_operation.items()},
            "failures": len(tally.failures),
            "conformance_checked": tally.conformance_checked,
            "nonconforming": tally.nonconforming,
            "generating_seconds": generated,
            "seconds": time.monotonic() - started,
        }
    )
    assert requests >= len(cases) * MAX_EXAMPLES // 2, f"only {requests} requests for {len(cases)} operations"
    assert not tally.failures, f"{len(tally.failures)} bad answers:\n" + "\n".join(tally.failures[:30])
