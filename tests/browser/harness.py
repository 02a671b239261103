"""What a browser test uses: a real Chromium (Debian's, driven by Playwright),
an accessibility check (axe-core, bundled with axe-playwright-python, offline),
full-page screenshots for people to look at, and signing in through the page.

Tests find things the way a person does, by role and label (`get_by_role`,
`get_by_label`), never by CSS path.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Page, Playwright, expect

from devstack.stack import Credentials

ROOT = Path(__file__).resolve().parents[2]
#: Git-ignored (.run/): `<viewport>-<lang>-<name>.png`, rewritten by every run.
SCREENSHOTS = ROOT / ".run" / "screenshots"
#: Debian's chromium package (scripts/setup installs it); Playwright never downloads one.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # as root, in a container
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Impacts that fail a test; "moderate" and "minor" are counted and reported only.
FAILING_IMPACTS = ("critical", "serious")


@dataclass(frozen=True)
class Viewport:
    name: str
    width: int
    height: int
    mobile: bool


VIEWPORTS = (Viewport("phone", 360, 740, mobile=True), Viewport("desktop", 1280, 800, mobile=False))


@asynccontextmanager
async def chromium_page(
    playwright: Playwright, viewport: Viewport, profile: Path, base_url: str | None = None
) -> AsyncIterator[Page]:
    """A page in a Chromium of its own, with a fresh profile (no cookies, no storage),
    Indonesian and in WIB as a Malang user's would be. A script error on the page fails
    the test when the page closes."""
    context = await playwright.chromium.launch_persistent_context(
        profile,
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        headless=True,
        viewport={"width": viewport.width, "height": viewport.height},
        is_mobile=viewport.mobile,
        has_touch=viewport.mobile,
        base_url=base_url,
        locale="id-ID",
        timezone_id="Asia/Jakarta",
    )
    context.set_default_timeout(15_000)
    errors: list[str] = []
    page = context.pages[0] if context.pages else await context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        await context.close()
    assert not errors, f"script errors on the page: {errors}"


@dataclass
class Record:
    """What the browser tests did, for the summary at the end of the run."""

    accessibility: list[dict[str, Any]] = field(default_factory=list)
    screenshots: list[Path] = field(default_factory=list)


RECORD = Record()


def viewport_of(page: Page) -> str:
    size = page.viewport_size or {"width": 0, "height": 0}
    for viewport in VIEWPORTS:
        if (viewport.width, viewport.height) == (size["width"], size["height"]):
            return viewport.name
    return f"{size['width']}x{size['height']}"


async def language_of(page: Page) -> str:
    """The page's own language, as its <html lang> says (a page without one fails)."""
    lang = await page.evaluate("document.documentElement.lang")
    assert lang, f"{page.url} has no <html lang>"
    return lang.split("-")[0].lower()


async def screenshot(page: Page, name: str) -> Path:
    """A full-page PNG at .run/screenshots/<viewport>-<lang>-<name>.png."""
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", name), f"name screenshots in lower-case-with-dashes: {name!r}"
    path = SCREENSHOTS / f"{viewport_of(page)}-{await language_of(page)}-{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=path, full_page=True)
    RECORD.screenshots.append(path)
    return path


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """One block per rule: impact, rule, what it asks, where it failed and why."""
    blocks = []
    for violation in violations:
        lines = [f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})"]
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n        ")
            if summary:
                lines.append(f"        {summary}")
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


async def check_accessibility(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page as it stands; fail the test on any serious or critical
    violation, listing them readably. Returns the lesser ones (reported at the end)."""
    results = await Axe().run(page)
    violations = results.response["violations"]
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    RECORD.accessibility.append(
        {
            "url": page.url,
            "viewport": viewport_of(page),
            "lang": await language_of(page),
            "by_impact": {
                impact: sum(1 for v in violations if v["impact"] == impact)
                for impact in ("critical", "serious", "moderate", "minor")
            },
        }
    )
    if failing:
        pytest.fail(
            f"axe-core: {len(failing)} serious or critical accessibility violation(s) on {page.url} "
            f"({viewport_of(page)}):\n{describe_violations(failing)}",
            pytrace=False,
        )
    return [v for v in violations if v["impact"] not in FAILING_IMPACTS]


#: The sign-in form's texts in both languages: a person finds the fields by their labels.
EMAIL_LABEL = re.compile(r"^(alamat email|email address)$", re.IGNORECASE)
PASSWORD_LABEL = re.compile(r"^(kata sandi|password)$", re.IGNORECASE)
SIGN_IN_BUTTON = re.compile(r"^(masuk|sign in)$", re.IGNORECASE)


async def sign_in(page: Page, who: Credentials) -> None:
    """Sign in through the real sign-in page (/masuk), as a person does, and wait to
    leave it."""
    await page.goto("/masuk")
    await page.get_by_label(EMAIL_LABEL).fill(who.email)
    await page.get_by_label(PASSWORD_LABEL).fill(who.password)
    await page.get_by_role("button", name=SIGN_IN_BUTTON).click()
    await expect(page).not_to_have_url(re.compile(r"/masuk(\?|$)"))
