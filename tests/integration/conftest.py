"""Service settings pointing at the session's broker and a fresh database per service per test."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from devstack.mail_sink import MailSink


@pytest.fixture
def settings_for(
    amqp_url_for: Callable[[str], str], mongodb_url: str, database_name: str
) -> Callable[..., Any]:
    """Each service connects as its own broker user, as in compose: it may not
    declare, so it looks up the topology `amqp_url` (the fixture) declared."""

    def make(service: str, **overrides: Any) -> Any:
        settings_class = importlib.import_module(f"{service}.config").Settings
        overrides.setdefault("amqp_url", amqp_url_for(service))
        overrides.setdefault("declare_topology", False)
        return settings_class(
            mongodb_url=mongodb_url,
            mongodb_database=f"{database_name}_{service}"[:60],
            outbox_poll_seconds=0.2,
            **overrides,
        )

    return make


@pytest.fixture
def mail_sink() -> Iterator[MailSink]:
    sink = MailSink()
    sink.start()
    yield sink
    sink.stop()


#: What `test_fuzz_openapi.py` sent each service and how it answered: one dict per
#: service (service, operations, requests, unsendable, statuses, per_operation,
#: failures, generating_seconds, seconds).
FUZZ_TALLIES: list[dict[str, Any]] = []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from .test_access_rules import CHECKED

    if CHECKED:
        terminalreporter.write_sep("=", "access rules (shared/platform/access.py)")
        for what, count in CHECKED.items():
            terminalreporter.write_line(f"{what}: {count}")
    if not FUZZ_TALLIES:
        return
    terminalreporter.write_sep("=", "OpenAPI fuzzing (schemathesis)")
    terminalreporter.write_line(
        "| service | operations | requests | 2xx | 4xx | 5xx | bad answers | not as documented "
        "| not sendable | seconds |\n"
        "|---|---|---|---|---|---|---|---|---|---|"
    )
    for tally in FUZZ_TALLIES:
        by_class = {n: sum(c for s, c in tally["statuses"].items() if s // 100 == n) for n in (2, 4, 5)}
        terminalreporter.write_line(
            f"| {tally['service']} | {tally['operations']} | {tally['requests']} | {by_class[2]} "
            f"| {by_class[4]} | {by_class[5]} | {tally['failures']} "
            f"| {tally['nonconforming']} of {tally['conformance_checked']} | {tally['unsendable']} "
            f"| {tally['seconds']:.1f} ({tally['generating_seconds']:.1f} generating) |"
        )
    if terminalreporter.verbosity > 0:
        terminalreporter.write_line("")
        for tally in FUZZ_TALLIES:
            for operation, (statuses, seconds) in tally["per_operation"].items():
                counted = ", ".join(f"{status}×{count}" for status, count in sorted(statuses.items()))
                total = sum(statuses.values())
                terminalreporter.write_line(
                    f"{tally['service']} {operation}: {total} requests ({counted}) in {seconds:.1f}s"
                )
