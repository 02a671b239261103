"""The console in a real Chromium, at a phone and a desktop size: the public pages,
signing in as staff and out again, both languages, axe-core on every page and a
screenshot of each (.run/screenshots/<viewport>-<lang>-<name>.png)."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from devstack.demo import DemoOutcome, demo_password
from devstack.stack import Credentials, LocalStack

from .harness import check_accessibility, language_of, screenshot, sign_in

EDITION_TITLE = "Lomba Video Pendek KIM 2024"


@pytest.fixture
def base_url(console_stack: LocalStack) -> str:
    assert console_stack.console_url
    return console_stack.console_url


async def switch_language(page: Page, to: str) -> None:
    """The switch in the header, named in the language it switches to."""
    name = {"en": "English", "id": "Bahasa Indonesia"}[to]
    await page.get_by_role("link", name=name, exact=True).click()
    await expect(page.locator("html")).to_have_attribute("lang", to)


async def look(page: Page, name: str) -> None:
    """Every page a test reaches: axe-core on it, then its screenshot."""
    await check_accessibility(page)
    await screenshot(page, name)


async def test_the_public_pages_show_the_announced_edition_in_both_languages(
    page: Page, demo_edition: DemoOutcome
) -> None:
    await page.goto("/")
    assert await language_of(page) == "id"  # Indonesian first, whatever the browser asks
    await expect(page.get_by_role("heading", level=1)).to_be_visible()
    await look(page, "home")

    await page.get_by_role("link", name=EDITION_TITLE).click()
    await expect(page).to_have_url(re.compile(f"/lomba/{demo_edition.edition_id}$"))
    await expect(page.get_by_role("heading", level=1, name=EDITION_TITLE)).to_be_visible()
    await look(page, "edition")

    await switch_language(page, "en")
    await expect(page).to_have_url(re.compile(f"/lomba/{demo_edition.edition_id}$"))  # the same page
    await expect(page.get_by_role("heading", name="Prizes")).to_be_visible()
    await look(page, "edition")
    await page.goto("/")  # the choice is remembered
    assert await language_of(page) == "en"
    await look(page, "home")

    await switch_language(page, "id")
    await expect(page.get_by_role("link", name="English", exact=True)).to_be_visible()


async def test_signing_in_with_nothing_filled_in_says_what_is_missing_beside_each_field(page: Page) -> None:
    await page.goto("/masuk")
    await expect(page.get_by_role("heading", level=1, name="Masuk")).to_be_visible()
    await look(page, "sign-in")

    await page.get_by_role("button", name="Masuk", exact=True).click()
    summary = page.get_by_role("alert")
    await expect(summary).to_be_visible()
    await expect(summary.get_by_role("link")).to_have_count(2)  # one per field, linking to it
    for label in ("Alamat email", "Kata sandi"):
        await expect(page.get_by_label(label, exact=True)).to_have_attribute("aria-invalid", "true")
    await look(page, "sign-in-errors")

    await switch_language(page, "en")
    await expect(page.get_by_label("Email address", exact=True)).to_be_visible()
    await expect(page.get_by_label("Password", exact=True)).to_be_visible()
    await expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    await look(page, "sign-in")


async def test_staff_sign_in_reach_their_workspace_in_both_languages_and_sign_out(
    page: Page, staff: Credentials, demo_edition: DemoOutcome
) -> None:
    await sign_in(page, staff)
    await expect(page).to_have_url(re.compile(r"/staf$"))
    await expect(page.get_by_role("heading", level=1, name="Ruang kerja staf")).to_be_visible()
    await expect(page.get_by_role("status")).to_have_text("Anda sudah masuk.")
    await expect(page.get_by_role("link", name=EDITION_TITLE)).to_be_visible()
    await look(page, "staff-landing")

    await switch_language(page, "en")
    await expect(page.get_by_role("heading", level=1, name="Staff workspace")).to_be_visible()
    await look(page, "staff-landing")
    await switch_language(page, "id")

    await page.get_by_role("button", name="Keluar", exact=True).click()
    await expect(
        page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Masuk", exact=True)
    ).to_be_visible()
    await page.goto("/staf")  # the session has ended: back to the sign-in page
    await expect(page).to_have_url(re.compile(r"/masuk"))
    await expect(page.get_by_role("heading", level=1, name="Masuk")).to_be_visible()


async def test_a_form_posted_without_its_csrf_token_is_refused(page: Page, staff: Credentials) -> None:
    await sign_in(page, staff)
    # The browser's own cookies, but not the form's hidden token: what a forged page sends.
    refused = await page.request.post("/keluar", form={}, max_redirects=0)
    assert refused.status == 403
    assert "Lomba KIM" in await refused.text()  # a page of the console's, not a trace
    await page.goto("/staf")  # still signed in: the forged sign-out did nothing
    await expect(page.get_by_role("heading", level=1, name="Ruang kerja staf")).to_be_visible()


@pytest.mark.parametrize(
    ("who", "landing", "heading", "name"),
    [
        (Credentials("juri1@kim-malang.example", demo_password("juri1")), "/juri", "Meja juri", "judge"),
        (
            Credentials("kim01@kim-malang.example", demo_password("kim01@kim-malang.example")),
            "/kim",
            "KIM Pasreh Jaya",  # the KIM portal's home is headed with the KIM's name
            "kim-rep",
        ),
    ],
    ids=["judge", "kim-rep"],
)
async def test_judges_and_kim_representatives_land_on_their_own_section_and_not_the_staffs(
    page: Page, demo_edition: DemoOutcome, who: Credentials, landing: str, heading: str, name: str
) -> None:
    await sign_in(page, who)  # accounts the 2024 replay opened
    await expect(page).to_have_url(re.compile(f"{landing}$"))
    await expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
    await look(page, f"{name}-landing")
    # The navigation offers their section only; the staff's is refused them.
    navigation = page.get_by_role("navigation")
    await expect(navigation.get_by_role("link", name="Ruang kerja staf")).to_have_count(0)
    refused = await page.goto("/staf")
    assert refused is not None and refused.status == 403
    await expect(page.get_by_role("heading", level=1)).to_be_visible()  # a page of its own, not a trace
    await look(page, "forbidden")
