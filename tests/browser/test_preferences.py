"""Notification settings in a real Chromium at a phone size: a KIM representative
(an account the 2024 replay opened, so a recipient that followed it) opens
/pengaturan/pemberitahuan, turns email off for one kind of news, saves, and finds
the choice kept after a reload; axe-core on the page before and after."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from devstack.demo import DemoOutcome, demo_password
from devstack.stack import Credentials, LocalStack

from .harness import VIEWPORTS, Viewport, check_accessibility, screenshot, sign_in

PHONE = next(v for v in VIEWPORTS if v.name == "phone")
KIM_REP = Credentials("kim02@kim-malang.example", demo_password("kim02@kim-malang.example"))
ENTRY_RECEIVED = "Karya KIM Anda sudah diterima."


@pytest.fixture
def base_url(console_stack: LocalStack) -> str:
    assert console_stack.console_url
    return console_stack.console_url


@pytest.fixture
def viewport() -> Viewport:
    return PHONE


async def test_a_kim_representative_changes_a_preference_and_finds_it_kept(
    page: Page, demo_edition: DemoOutcome
) -> None:
    await sign_in(page, KIM_REP)
    await page.goto("/pengaturan/pemberitahuan")
    await expect(page.get_by_role("heading", level=1, name="Pengaturan pemberitahuan")).to_be_visible()
    await expect(page.get_by_role("radio", name="Bahasa Indonesia")).to_be_checked()
    email = page.get_by_role("checkbox", name=f"Surel (email): {ENTRY_RECEIVED}")
    inbox = page.get_by_role("checkbox", name=f"Kotak masuk: {ENTRY_RECEIVED}")
    await expect(email).to_be_checked()
    await expect(inbox).to_be_checked()
    await check_accessibility(page)
    await screenshot(page, "preferences")

    await email.uncheck()
    await page.get_by_role("button", name="Simpan pengaturan pemberitahuan").click()
    await expect(page.get_by_text("Pengaturan pemberitahuan Anda tersimpan.")).to_be_visible()
    await page.reload()
    await expect(page.get_by_role("checkbox", name=f"Surel (email): {ENTRY_RECEIVED}")).not_to_be_checked()
    await expect(page.get_by_role("checkbox", name=f"Kotak masuk: {ENTRY_RECEIVED}")).to_be_checked()
    await check_accessibility(page)
    await screenshot(page, "preferences-saved")
