"""The KIM's profile in a real Chromium at a phone's size: the demo's representative
of KIM Pasreh Jaya adds a member with their expertise, an innovation and a sponsor
(rows added on the server, no JavaScript needed), saves, and finds them on the KIM's
public page next to the 1st place the registry recorded from the announced results;
axe on both pages. Another KIM's representative edits only their own KIM: Pasreh
Jaya's profile stays as it was."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.async_api import Locator, Page, expect

from devstack.demo import DemoOutcome, demo_password
from devstack.stack import Credentials, LocalStack

from .harness import VIEWPORTS, Viewport, check_accessibility, screenshot, sign_in

#: The demo registers its KIMs in order: KIM Pasreh Jaya is kim01, KIM Ganjur kim02.
PASREH_JAYA = Credentials("kim01@kim-malang.example", demo_password("kim01@kim-malang.example"))
GANJUR = Credentials("kim02@kim-malang.example", demo_password("kim02@kim-malang.example"))


@pytest.fixture
def viewport() -> Viewport:
    """A phone only: representatives are volunteers on their phones."""
    return next(v for v in VIEWPORTS if v.name == "phone")


@pytest.fixture
def base_url(console_stack: LocalStack) -> str:
    assert console_stack.console_url
    return console_stack.console_url


async def add_row(page: Page, button: str, legend: str) -> Locator:
    """Press the section's add button; the new row is the last group with that legend."""
    await page.get_by_role("button", name=button, exact=True).click()
    rows = page.get_by_role("group", name=re.compile(rf"^{legend} \d+$"))
    return rows.last


async def fits_the_screen(page: Page) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width}px wide at a 360px phone"


async def test_a_representative_fills_the_profile_and_the_public_page_shows_it_with_the_1st_place(
    page: Page, console_stack: LocalStack, demo_edition: DemoOutcome
) -> None:
    await sign_in(page, PASREH_JAYA)
    await page.get_by_role("link", name="Profil KIM Anda").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Profil KIM Anda")
    # The competition achievement is shown, read-only.
    await expect(page.get_by_text("Juara 1, Lomba Video Pendek KIM 2024")).to_be_visible()
    assert await page.get_by_role("textbox", name="Judul").evaluate_all(
        "inputs => inputs.every(i => !i.value.startsWith('Juara 1, Lomba'))"
    )

    member = await add_row(page, "Tambah anggota", "Anggota")
    await member.get_by_label("Nama").fill("Dewi Kartika")
    await member.get_by_label("Peran (opsional)").fill("Anggota")
    await member.get_by_label("Keahlian (opsional)").fill("Wirausaha muda")
    innovation = await add_row(page, "Tambah inovasi", "Inovasi")
    await innovation.get_by_label("Judul").fill("Pojok Baca Topeng")
    await innovation.get_by_label("Uraian (opsional)").fill("Buku cerita rakyat Malang di sanggar.")
    await innovation.get_by_label("Sejak (tahun, opsional)").fill("2022")
    sponsor = await add_row(page, "Tambah sponsor", "Sponsor")
    await sponsor.get_by_label("Nama").fill("Percetakan Arjuno")
    await sponsor.get_by_label("Jenis (opsional)").fill("iklan web")
    # A member twice is refused beside the field, in Indonesian, and nothing is lost.
    again = await add_row(page, "Tambah anggota", "Anggota")
    await again.get_by_label("Nama").fill("dewi kartika")
    await page.get_by_role("button", name="Simpan profil").click()
    await expect(page.get_by_role("alert")).to_contain_text("sudah ada di daftar")
    await expect(page.get_by_label("Nama").and_(page.locator("[aria-invalid=true]"))).to_have_value(
        "dewi kartika"
    )
    await check_accessibility(page)
    await (
        page.get_by_role("group", name=re.compile(r"^Anggota \d+$"))
        .last.get_by_role("button", name=re.compile("^Hapus anggota"))
        .click()
    )
    await page.get_by_role("button", name="Simpan profil").click()
    await expect(page.get_by_role("status").filter(has_text="Profil KIM Anda tersimpan")).to_be_visible()
    await fits_the_screen(page)
    await check_accessibility(page)
    await screenshot(page, "kim-profile-edit")

    await page.get_by_role("link", name="Lihat halaman publik KIM Anda").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("KIM Pasreh Jaya")
    member = page.get_by_role("row", name="Dewi Kartika Anggota Wirausaha muda")
    await expect(member).to_be_visible()
    await expect(page.get_by_role("heading", name="Pojok Baca Topeng (sejak 2022)", level=3)).to_be_visible()
    await expect(
        page.get_by_role("listitem").filter(has_text="Percetakan Arjuno – iklan web")
    ).to_be_visible()
    await expect(page.get_by_text("Juara 1, Lomba Video Pendek KIM 2024")).to_be_visible()
    assert await page.locator('meta[property="og:title"]').get_attribute("content") == "KIM Pasreh Jaya"
    await fits_the_screen(page)
    await check_accessibility(page)
    await screenshot(page, "kim-profile-public")

    # Another KIM's representative: the editor is theirs, and saving changes only their KIM.
    await page.get_by_role("button", name="Keluar", exact=True).click()
    await sign_in(page, GANJUR)
    await page.goto("/kim/profil")
    await expect(page.get_by_text("KIM Ganjur", exact=False).first).to_be_visible()
    assert "Dewi Kartika" not in await page.content()
    sponsor = await add_row(page, "Tambah sponsor", "Sponsor")
    await sponsor.get_by_label("Nama").fill("Sponsor Ganjur")
    await page.get_by_role("button", name="Simpan profil").click()
    await expect(page.get_by_role("status").filter(has_text="Profil KIM Anda tersimpan")).to_be_visible()

    pasreh_id = next(
        w["kim_id"] for w in demo_edition.results["winners"] if w["kim_name"] == "KIM Pasreh Jaya"
    )
    async with httpx.AsyncClient() as http:
        profile = (await http.get(f"{console_stack.urls()['registry']}/kims/{pasreh_id}/profile")).json()
    assert [s["name"] for s in profile["sponsors"]][-1] == "Percetakan Arjuno"
    assert "Sponsor Ganjur" not in str(profile)
    assert "Dewi Kartika" in [m["name"] for m in profile["members"]]
