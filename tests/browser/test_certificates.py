"""Certificates in a real Chromium, at a phone and a desktop size, on the replayed 2024
edition: staff find them on the results page (one per place, one per participant)
with their PDFs and the ZIP; a certificate's short URL (/s/<code>) shows anyone its
facts, that it is valid, and the snapshot's SHA-256, in Indonesian and English.
axe-core on every page, a screenshot of each."""

from __future__ import annotations

import io
import re
import zipfile

import httpx
import pytest
from playwright.async_api import Page, expect

from devstack.demo import DemoOutcome
from devstack.stack import Credentials, LocalStack

from .harness import check_accessibility, screenshot, sign_in


@pytest.fixture
def base_url(console_stack: LocalStack) -> str:
    assert console_stack.console_url
    return console_stack.console_url


async def look(page: Page, name: str) -> None:
    await check_accessibility(page)
    await screenshot(page, name)


async def test_staff_list_the_certificates_and_anyone_checks_one_at_its_short_url(
    page: Page, demo_edition: DemoOutcome, staff: Credentials, base_url: str
) -> None:
    await sign_in(page, staff)
    await page.goto(f"/staf/lomba/{demo_edition.edition_id}/hasil")
    await expect(page.get_by_role("heading", level=2, name="Sertifikat")).to_be_visible()
    table = page.get_by_role("table", name="Sertifikat versi 1")
    first = table.get_by_role("row").nth(1)  # after the header row
    await expect(first.get_by_role("rowheader")).to_have_text("KIM Pasreh Jaya")
    await expect(first).to_contain_text("Juara 1")
    # The main ranking's 3 places, the winners of the two ranked categories and of the
    # jury's award (each named with its category), and 19 participants.
    await expect(table.get_by_role("row")).to_have_count(1 + 3 + 3 + 19)
    await expect(
        table.get_by_role("link", name="PDF untuk KIM Pasreh Jaya, Juara 1 (Promosi UMKM Terbaik)")
    ).to_be_visible()
    zip_link = page.get_by_role("link", name="Unduh semua sertifikat (ZIP)")
    await expect(zip_link).to_be_visible()
    await expect(first.get_by_role("link", name="PDF untuk KIM Pasreh Jaya, Juara 1")).to_be_visible()
    await look(page, "staff-certificates")

    code = (await first.get_by_role("link").first.inner_text()).strip()
    assert re.fullmatch(r"[A-Z2-7]{10}", code)
    # The ZIP, as the browser downloads it (the session's cookie).
    cookies = {c["name"]: c["value"] for c in await page.context.cookies()}
    async with httpx.AsyncClient(base_url=base_url, cookies=cookies) as client:
        archive = await client.get(f"/staf/lomba/{demo_edition.edition_id}/sertifikat.zip")
    assert archive.status_code == 200
    with zipfile.ZipFile(io.BytesIO(archive.content)) as zipped:
        assert len(zipped.namelist()) == 25 and f"juara-1-kim-pasreh-jaya-{code}.pdf" in zipped.namelist()

    # Anyone, signed out, at the short URL printed under the QR code.
    await page.context.clear_cookies()
    await page.goto(f"/s/{code}")
    await expect(page.get_by_role("heading", level=1, name="Pemeriksaan sertifikat")).to_be_visible()
    await expect(page.get_by_role("heading", name="Sertifikat ini sah")).to_be_visible()
    await expect(page.get_by_text("KIM Pasreh Jaya", exact=True)).to_be_visible()
    await expect(page.get_by_text("Juara 1", exact=True)).to_be_visible()
    await expect(page.get_by_text(demo_edition.results["content_hash"], exact=True)).to_be_visible()
    await look(page, "certificate")

    await page.get_by_role("link", name="English", exact=True).click()
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await expect(page.get_by_role("heading", name="This certificate is valid")).to_be_visible()
    await expect(page.get_by_text("Winner 1", exact=True)).to_be_visible()
    await look(page, "certificate")

    await page.goto("/s/TIDAKADA22")
    await expect(page.get_by_role("heading", level=1, name="Certificate not found")).to_be_visible()
