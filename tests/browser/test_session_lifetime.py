"""A session outlives its access token: with tokens that last one minute (the shortest
the registry issues), staff who sign in and come back after it has expired are still
signed in (the console renewed it with the refresh token); signing out ends it."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from pathlib import Path

import pytest
from playwright.async_api import Page, Playwright, expect

from devstack.stack import LocalStack, console_installed

from .harness import VIEWPORTS, check_accessibility, chromium_page, sign_in

TOKEN_LIFETIME_MINUTES = 1


@pytest.fixture(scope="module")
def short_token_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    """A stack of its own whose access tokens last one minute."""
    if not console_installed():
        pytest.skip("the console package (services/console) is not installed")
    stack = LocalStack(
        tmp_path_factory.mktemp("short-tokens"),
        database_suffix="_" + uuid.uuid4().hex[:8],
        token_lifetime_minutes=TOKEN_LIFETIME_MINUTES,
    )
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()


@pytest.fixture
async def pages(
    playwright: Playwright, short_token_stack: LocalStack, tmp_path: Path
) -> AsyncIterator[list[Page]]:
    """One page per viewport, side by side, so that both wait out the token together."""
    async with AsyncExitStack() as opened:
        yield [
            await opened.enter_async_context(
                chromium_page(playwright, viewport, tmp_path / viewport.name, short_token_stack.console_url)
            )
            for viewport in VIEWPORTS
        ]


async def test_a_session_outlives_its_access_token_and_ends_at_sign_out(
    pages: list[Page], short_token_stack: LocalStack
) -> None:
    for page in pages:
        await sign_in(page, short_token_stack.admin)
        await expect(page.get_by_role("heading", level=1, name="Ruang kerja staf")).to_be_visible()

    await asyncio.sleep(TOKEN_LIFETIME_MINUTES * 60 + 5)  # every access token issued so far has expired

    for page in pages:
        await page.goto("/staf")
        await expect(page).to_have_url(re.compile(r"/staf$"))  # not sent to sign in again
        await expect(page.get_by_role("heading", level=1, name="Ruang kerja staf")).to_be_visible()
        await check_accessibility(page)
        await page.get_by_role("button", name="Keluar", exact=True).click()
        menu = page.get_by_role("navigation", name="Menu utama")
        await expect(menu.get_by_role("link", name="Masuk", exact=True)).to_be_visible()
        await page.goto("/staf")
        await expect(page).to_have_url(re.compile(r"/masuk"))
