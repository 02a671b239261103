"""The browser tier: the whole system with its console, once for the session, and a
real Chromium per test (a fresh profile each time) at a phone and a desktop size.

Run it apart with `scripts/test -m browser`, or leave it out with `-m "not browser"`.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from playwright.async_api import Page, Playwright, async_playwright

from devstack.demo import DemoOutcome, replay_2024
from devstack.mail_sink import MailSink
from devstack.stack import Credentials, LocalStack, console_installed
from devstack.whatsapp_gateway import WhatsAppGateway

from .harness import CHROMIUM, RECORD, ROOT, SCREENSHOTS, VIEWPORTS, Viewport, chromium_page

STAFF_EMAIL = "staf@diskominfo.malangkota.example"


@pytest.fixture(scope="session")
def console_stack(
    tmp_path_factory: pytest.TempPathFactory, mail_sink: MailSink, whatsapp_gateway: WhatsAppGateway
) -> Iterator[LocalStack]:
    """RabbitMQ, SecantusDB, the services and the console, of their own (no other
    test resets this broker under them), stopped by their pids at the end. Notifications
    sends WhatsApp messages to the local gateway (voters' codes); voting looks for fraud
    every second and takes a vote within a minute of its code as inhumanly fast (so a
    test's scripted vote is flagged)."""
    if not console_installed():
        pytest.skip("the console package (services/console) is not installed")
    stack = LocalStack(tmp_path_factory.mktemp("browser-stack"), database_suffix="_" + uuid.uuid4().hex[:8])
    stack.service_env = {
        "registry": {"REGISTRY_SMTP_HOST": mail_sink.host, "REGISTRY_SMTP_PORT": str(mail_sink.port)},
        # WhatsApp to the local gateway; email (a voter's code asked for by email) to the sink.
        "notifications": {
            **whatsapp_gateway.settings(),
            "NOTIFICATIONS_SMTP_HOST": mail_sink.host,
            "NOTIFICATIONS_SMTP_PORT": str(mail_sink.port),
        },
        "voting": {"VOTING_FRAUD_POLL_SECONDS": "1", "VOTING_FRAUD_INHUMAN_SECONDS": "60"},
    }
    stack.start()
    try:
        assert stack.console_url, "the stack started without its console"
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def mail_sink() -> Iterator[MailSink]:
    """Where the browser stack's registry and notifications send their mail
    (confirmation and reset links; voters' codes asked for by email)."""
    sink = MailSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def whatsapp_gateway() -> Iterator[WhatsAppGateway]:
    """The local stand-in for the WhatsApp Cloud API the browser stack's notifications
    sends to: a test reads what a number received from `messages`."""
    gateway = WhatsAppGateway()
    gateway.start()
    yield gateway
    gateway.stop()


@pytest.fixture(scope="session")
def staff(console_stack: LocalStack) -> Credentials:
    """The stack's first staff account."""
    return console_stack.admin


@pytest.fixture(scope="session")
async def demo_edition(console_stack: LocalStack) -> DemoOutcome:
    """The 2024 Malang edition, replayed up to its announcement (as `scripts/run --demo`)."""
    return await replay_2024(
        console_stack.urls(),
        admin=console_stack.admin,
        staff_email=STAFF_EMAIL,
        console_url=console_stack.console_url,
        say=lambda _: None,
    )


@pytest.fixture(scope="session")
async def playwright() -> AsyncIterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/setup installs Debian's chromium package")
    async with async_playwright() as running:
        yield running


@pytest.fixture(params=VIEWPORTS, ids=[viewport.name for viewport in VIEWPORTS])
def viewport(request: pytest.FixtureRequest) -> Viewport:
    return request.param


@pytest.fixture
def base_url() -> str | None:
    """Where page.goto("/path") goes; console tests override it with the console's URL."""
    return None


@pytest.fixture
async def page(
    playwright: Playwright, viewport: Viewport, base_url: str | None, tmp_path: Path
) -> AsyncIterator[Page]:
    """A page in a Chromium of its own at this viewport (see `chromium_page`)."""
    async with chromium_page(playwright, viewport, tmp_path / "chromium-profile", base_url) as page:
        yield page


# --- the summary at the end of the run ------------------------------------------------------


class Tally:
    def __init__(self) -> None:
        self.outcomes: dict[str, str] = {}
        self.seconds = 0.0


TALLY = Tally()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "browser" not in report.keywords:
        return
    TALLY.seconds += report.duration
    if report.when == "call" or report.outcome != "passed":
        # The call's outcome, or a setup/teardown that failed or skipped.
        previous = TALLY.outcomes.get(report.nodeid)
        if previous in (None, "passed"):
            TALLY.outcomes[report.nodeid] = report.outcome


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not TALLY.outcomes:
        return
    counts = {o: sum(1 for v in TALLY.outcomes.values() if v == o) for o in ("passed", "failed", "skipped")}
    write = terminalreporter.write_line
    terminalreporter.section("browser tests")
    write(
        f"{len(TALLY.outcomes)} browser tests ran in Chromium ({CHROMIUM}): "
        f"{counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped; "
        f"{TALLY.seconds:.1f} s in setup, calls and teardown"
    )
    if RECORD.accessibility:
        totals = {
            impact: sum(check["by_impact"][impact] for check in RECORD.accessibility)
            for impact in ("critical", "serious", "moderate", "minor")
        }
        write(
            f"axe-core on {len(RECORD.accessibility)} page views: "
            + ", ".join(f"{n} {impact}" for impact, n in totals.items())
            + " violations (serious or critical fail the test)"
        )
    shots = sorted({shot for shot in RECORD.screenshots if shot.is_relative_to(SCREENSHOTS)})
    if shots:
        write(f"{len(shots)} screenshots in {SCREENSHOTS.relative_to(ROOT)}/:")
        for shot in shots:
            write(f"  {shot.relative_to(ROOT)}")
