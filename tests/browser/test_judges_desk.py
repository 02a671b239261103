"""The judge's desk in a real Chromium, at a phone and a desktop size: a judge
signs in, finds their panels, sees only their assignments (a conflicted entry
is absent), watches (the privacy-enhanced embed with the right address), drafts
a sheet, reloads and finds the draft, sends it and revises it; judging blind, no
KIM name anywhere in the page, its source or its requests. The 2024 judges see
the 19 films with their sheets. Nothing leaves the machine: every request to a
host other than 127.0.0.1 is blocked."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.async_api import Page, Request, Route, expect

from devstack.demo import Api, DemoOutcome, demo_password, log_in
from devstack.malang_2024 import JUDGES
from devstack.stack import Credentials, LocalStack
from tests.integration.flows import edition_body, kim_body

from .harness import check_accessibility, screenshot, sign_in

BLIND_TITLE = "Lomba Film Pendek KIM Uji Buta"
#: Two KIMs the judge may score (one per viewport) and one from the kelurahan they declared.
KIMS = [
    ("KIM Tunggul Makmur", "tunggulwulung", "https://www.youtube.com/watch?v=tunggul0001"),
    ("KIM Pisang Sejahtera", "pisangcandi", "https://youtu.be/film000072"),
    ("KIM Ketawang Lestari", "ketawanggede", "https://youtu.be/ketawang001"),
]
JUDGE = Credentials("juri.buta@kim-malang.example", "juri-buta-uji-2024")
EMBEDS = [
    "https://www.youtube-nocookie.com/embed/tunggul0001",
    "https://www.youtube-nocookie.com/embed/film000072",
]


@pytest.fixture
def base_url(console_stack: LocalStack) -> str:
    assert console_stack.console_url
    return console_stack.console_url


@pytest.fixture(scope="module")
async def blind_edition(console_stack: LocalStack, demo_edition: DemoOutcome) -> dict[str, Any]:
    """An edition judged blind, in scoring: three entries whose own texts name their KIM,
    a judge who declared the third one's kelurahan."""
    urls = console_stack.urls()
    async with httpx.AsyncClient(timeout=30) as http:
        registry, submissions, judging = (
            Api(http, urls[name]) for name in ("registry", "submissions", "judging")
        )
        http.headers.update(await log_in(registry, console_stack.admin))
        edition = await registry.call("POST", "/editions", 201, json={**edition_body(), "title": BLIND_TITLE})
        e = edition["edition_id"]
        await registry.call("POST", f"/editions/{e}/publication")
        entries = []
        for number, (name, kelurahan, video) in enumerate(KIMS, start=71):
            kim = await registry.call("POST", "/kims", 201, json=kim_body(name, kelurahan, number))
            await registry.call("POST", f"/kims/{kim['kim_id']}/verification")
            enrolment = await registry.call(
                "POST", f"/editions/{e}/enrolments", 201, json={"kim_id": kim["kim_id"]}
            )
            await registry.call("POST", f"/enrolments/{enrolment['enrolment_id']}/approval")
            body = {
                "kim_id": kim["kim_id"],
                "title": f"Cerita {name.removeprefix('KIM ')}",
                "synopsis": f"{name} dari Kelurahan {kelurahan.title()} memperkenalkan UMKM tetangganya.",
                "video_url": video,
                "duration_seconds": 200 + number,
                "umkm_featured": ["Keripik Tempe Bu Sri"],
            }
            response = await submissions.until(
                "POST",
                f"/editions/{e}/entries",
                lambda r: r.status_code == 201 or r.status_code >= 500,
                json=body,
            )
            assert response.status_code == 201, response.text
            entries.append(response.json())
        await judging.until("GET", f"/editions/{e}", lambda r: r.status_code == 200)
        await registry.call(
            "POST",
            "/accounts",
            201,
            json={"email": JUDGE.email, "name": "Juri Uji Buta", "role": "judge", "password": JUDGE.password},
        )
        await judging.call("PUT", f"/editions/{e}/judging-options", json={"blind": True})
        await judging.call(
            "POST",
            f"/editions/{e}/judges",
            201,
            json={
                "name": "Juri Uji Buta",
                "email": JUDGE.email,
                "affiliations": {"kelurahan_codes": ["ketawanggede"]},
            },
        )
        await registry.call("POST", f"/editions/{e}/submissions-closure")
        await judging.until(
            "GET", f"/editions/{e}/entries", lambda r: r.status_code == 200 and len(r.json()) == len(KIMS)
        )
        await judging.until("GET", f"/editions/{e}", lambda r: r.json().get("status") == "scoring")
    return {"edition_id": e, "entries": entries}


async def stay_on_this_machine(page: Page) -> list[str]:
    """Block every request to another host; return every URL the page asked for."""
    asked: list[str] = []

    async def route(route: Route, request: Request) -> None:
        asked.append(request.url)
        if urlsplit(request.url).hostname in ("127.0.0.1", "localhost"):
            await route.continue_()
        else:
            await route.abort()

    await page.context.route("**/*", route)
    return asked


async def test_a_judge_watches_drafts_sends_and_revises_a_blind_sheet(
    page: Page, blind_edition: dict[str, Any], viewport: Any
) -> None:
    asked = await stay_on_this_machine(page)
    mine = 0 if viewport.name == "phone" else 1  # one entry per viewport: each walk starts afresh
    await sign_in(page, JUDGE)
    await expect(page.get_by_role("heading", level=1, name="Meja juri")).to_be_visible()
    await page.get_by_role("link", name=BLIND_TITLE).click()
    await expect(page.get_by_role("heading", level=1, name=BLIND_TITLE)).to_be_visible()
    table = page.get_by_role("table", name="Karya yang harus dinilai")
    await expect(table.get_by_role("row")).to_have_count(
        3
    )  # the header and two: the conflicted one is absent
    await expect(table.get_by_role("link", name=re.compile("Ketawang"))).to_have_count(0)
    await check_accessibility(page)
    await screenshot(page, "judge-entries")

    # Both titles read "Cerita …": judging blind, the KIM's name is withheld from them too.
    await table.get_by_role("link", name="Cerita …").nth(mine).click()
    await expect(page.get_by_role("heading", level=1)).to_be_visible()
    film = page.locator("iframe")
    await expect(film).to_have_attribute("src", EMBEDS[mine])
    await page.get_by_label("Kesesuaian dengan tema").fill("80")
    await page.get_by_label("Kreativitas").fill("70")
    await page.get_by_label("Kualitas teknis").fill("90")
    await expect(page.get_by_text("Total tertimbang")).to_contain_text("–")  # not every criterion yet
    await page.get_by_label("Promosi UMKM").fill("60")
    # 80×30 + 70×25 + 90×20 + 60×25 = 7450 → 74,50
    await expect(page.locator("output")).to_have_text("74,50")
    await page.get_by_label("Komentar untuk KIM").fill("Gambarnya kuat, ceritanya jujur.")
    await page.get_by_label("Catatan pribadi untuk dewan juri").fill("Audio di menit kedua pecah.")
    await expect(page.get_by_role("status").filter(has_text="Draf tersimpan")).to_be_visible()
    await check_accessibility(page)
    await screenshot(page, "judge-sheet-draft")

    await page.reload()  # the draft survives
    await expect(page.get_by_label("Kesesuaian dengan tema")).to_have_value("80")
    await expect(page.get_by_label("Komentar untuk KIM")).to_have_value("Gambarnya kuat, ceritanya jujur.")
    await expect(page.get_by_text("dipulihkan")).to_be_visible()
    await page.get_by_role("button", name="Kirim lembar nilai").click()
    await expect(page.get_by_role("status").filter(has_text="Lembar nilai Anda tersimpan")).to_be_visible()
    await expect(page.get_by_text("Nilai total 74,50")).to_be_visible()

    await page.get_by_label("Promosi UMKM").fill("100")
    await expect(page.locator("output")).to_have_text("84,50")
    await page.get_by_role("button", name="Simpan perubahan lembar nilai").click()
    await expect(page.get_by_text("Nilai total 84,50")).to_be_visible()
    await expect(page.get_by_label("Promosi UMKM")).to_have_value("100")
    await check_accessibility(page)
    await screenshot(page, "judge-sheet-sent")

    # Judging blind: no KIM name in the page, its source, or anything it asked for.
    html = await page.content()
    for name, kelurahan, _ in KIMS:
        assert name not in html and name.removeprefix("KIM ") not in html and kelurahan.title() not in html
        assert not any(name.removeprefix("KIM ").split()[0] in url for url in asked)
    assert all(
        urlsplit(url).hostname in ("127.0.0.1", "localhost") or "nocookie" in url or "vimeo" in url
        for url in asked
    )

    await page.get_by_role("link", name="English", exact=True).click()
    await expect(page.get_by_role("button", name="Save my changes to the sheet")).to_be_visible()
    await check_accessibility(page)
    await screenshot(page, "judge-sheet-sent")


async def test_a_2024_judge_sees_the_19_films_with_their_sheets(
    page: Page, demo_edition: DemoOutcome
) -> None:
    await stay_on_this_machine(page)
    await sign_in(page, Credentials("juri1@kim-malang.example", demo_password("juri1")))
    await page.get_by_role("link", name="Lomba Video Pendek KIM 2024").first.click()
    table = page.get_by_role("table", name="Karya yang harus dinilai")
    await expect(table.get_by_role("row")).to_have_count(20)
    await expect(table.get_by_text("Terkirim")).to_have_count(19)
    await check_accessibility(page)
    await screenshot(page, "judge-2024-entries")
    await table.get_by_role("link").first.click()
    await expect(page.locator("iframe")).to_have_attribute(
        "src", re.compile(r"^https://www\.youtube-nocookie\.com/embed/")
    )
    await expect(page.get_by_text("Penjurian sudah selesai")).to_be_visible()
    await check_accessibility(page)
    await screenshot(page, "judge-2024-sheet")
    await page.get_by_role("link", name="English", exact=True).click()
    await expect(page.get_by_text("Judging is complete")).to_be_visible()
    await screenshot(page, "judge-2024-sheet")


async def test_after_the_announcement_a_kim_reads_its_judges_scores_and_comments(
    page: Page, demo_edition: DemoOutcome
) -> None:
    await stay_on_this_machine(page)
    kim_login = "kim01@kim-malang.example"
    await sign_in(page, Credentials(kim_login, demo_password(kim_login)))
    await page.get_by_role("link", name="Nilai dan komentar juri").click()
    await page.get_by_role("link", name="Lomba Video Pendek KIM 2024").click()
    table = page.get_by_role("table").first
    await expect(table.get_by_role("row")).to_have_count(4)  # the header and the three judges' sheets
    await expect(table.get_by_role("rowheader", name="Juri 3")).to_be_visible()
    await expect(page.get_by_text("Alur ceritanya rapi.")).to_be_visible()
    html = await page.content()
    for name, _ in JUDGES:
        assert name not in html, "the judges are not named"
    await check_accessibility(page)
    await screenshot(page, "kim-feedback")
    await page.get_by_role("link", name="English", exact=True).click()
    await expect(page.get_by_text("Comments from the judges")).to_be_visible()
    await screenshot(page, "kim-feedback")
