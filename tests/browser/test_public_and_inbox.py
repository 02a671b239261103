"""The public results page and the live staff inbox in a real Chromium, at a phone
and a desktop size: the 2024 winners with every version and its SHA-256, the
results' cache validators (a plain HTTP client gets 304), and a notification that
arrives on an open inbox page without a reload, raising the header's unread count.
axe-core on every page, a screenshot of each in both languages."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from devstack.demo import DemoOutcome
from devstack.stack import Credentials, LocalStack

from .harness import check_accessibility, screenshot, sign_in

RESULTS_HEADING = "Hasil: Lomba Video Pendek KIM 2024"
INBOX_LINK = re.compile(r"^Kotak masuk")
NOTIFICATIONS = "Pemberitahuan, terbaru di atas"


@pytest.fixture
def base_url(console_stack: LocalStack) -> str:
    assert console_stack.console_url
    return console_stack.console_url


async def look(page: Page, name: str) -> None:
    await check_accessibility(page)
    await screenshot(page, name)


async def switch_language(page: Page, to: str) -> None:
    name = {"en": "English", "id": "Bahasa Indonesia"}[to]
    await page.get_by_role("link", name=name, exact=True).click()
    await expect(page.locator("html")).to_have_attribute("lang", to)


async def test_the_public_results_show_the_winners_every_version_and_its_hash(
    page: Page, demo_edition: DemoOutcome, base_url: str
) -> None:
    await page.goto("/")
    await page.get_by_role("link", name="Lihat pemenang", exact=True).click()
    await expect(page).to_have_url(re.compile(f"/lomba/{demo_edition.edition_id}/hasil$"))
    await expect(page.get_by_role("heading", level=1, name=RESULTS_HEADING)).to_be_visible()
    ranking = page.get_by_role("table", name=re.compile(r"^Peringkat, versi 1"))
    first = ranking.get_by_role("row").nth(1)  # after the header row
    await expect(first.get_by_role("cell").first).to_have_text("1")
    await expect(first.get_by_role("rowheader")).to_have_text("KIM Pasreh Jaya")
    await expect(first).to_contain_text("92,95")
    await expect(first).to_contain_text("Juara 1")
    await expect(page.get_by_role("heading", name="Versi yang diterbitkan")).to_be_visible()
    await expect(page.get_by_text(demo_edition.results["content_hash"], exact=True)).to_be_visible()
    await look(page, "results")

    await switch_language(page, "en")
    await expect(
        page.get_by_role("heading", level=1, name="Results: Lomba Video Pendek KIM 2024")
    ).to_be_visible()
    ranking = page.get_by_role("table", name=re.compile(r"^Ranking, version 1"))
    await expect(ranking.get_by_role("row").nth(1)).to_contain_text("92.95")
    await look(page, "results")
    await switch_language(page, "id")

    # Cache-friendly, as a plain HTTP client sees it: a validator, then 304.
    url = f"{base_url}/lomba/{demo_edition.edition_id}/hasil"
    async with httpx.AsyncClient() as client:
        answer = await client.get(url)
        assert answer.status_code == 200 and "KIM Pasreh Jaya" in answer.text
        assert answer.headers["cache-control"] == "public, max-age=60, stale-while-revalidate=300"
        tag = answer.headers["etag"]
        assert tag.startswith('"') and demo_edition.results["content_hash"][:32] in tag
        again = await client.get(url, headers={"If-None-Match": tag})
        assert again.status_code == 304 and again.content == b""


async def staff_api(stack: LocalStack, staff: Credentials, service: str) -> httpx.AsyncClient:
    """A plain HTTP client on a service's API, signed in as staff (to cause things and read them back)."""
    async with httpx.AsyncClient(timeout=30) as http:
        login = await http.post(
            f"{stack.urls()['registry']}/auth/login", json={"email": staff.email, "password": staff.password}
        )
    token = login.json()["access_token"]
    return httpx.AsyncClient(
        base_url=stack.urls()[service], timeout=30, headers={"Authorization": f"Bearer {token}"}
    )


async def publish_an_edition(stack: LocalStack, staff: Credentials) -> None:
    """Something staff are told about: a new edition published, through the registry's API."""
    now = datetime.now(UTC)
    async with await staff_api(stack, staff, "registry") as http:
        created = await http.post(
            "/editions",
            json={
                "title": f"Lomba Foto KIM {now:%H%M%S%f}",
                "theme": "Wajah kampung",
                "description": "Foto karya KIM.",
                "submission_opens_at": now.isoformat(),
                "submission_closes_at": (now + timedelta(days=3)).isoformat(),
                "rules": {
                    "max_video_seconds": 300,
                    "allowed_video_hosts": ["youtube.com"],
                    "entries_per_kim": 1,
                },
                "awarded_ranks": 1,
                "prizes": [{"rank": 1, "title": "Juara 1", "reward": "Trofi"}],
            },
        )
        assert created.status_code == 201, created.text
        published = await http.post(f"/editions/{created.json()['edition_id']}/publication")
        assert published.status_code == 200, published.text


async def staff_inbox(stack: LocalStack, staff: Credentials) -> dict[str, Any]:
    """The staff member's recipient and inbox, read back from the notifications service."""
    async with await staff_api(stack, staff, "notifications") as http:
        recipients = (await http.get("/recipients")).json()
        (mine,) = [r for r in recipients if r["email"] == staff.email]
        inbox = (await http.get(f"/recipients/{mine['recipient_id']}/inbox")).json()
    return {"recipient": mine, **inbox}


async def test_the_staff_inbox_receives_a_notification_without_a_reload(
    page: Page, staff: Credentials, console_stack: LocalStack, demo_edition: DemoOutcome
) -> None:
    await sign_in(page, staff)
    navigation = page.get_by_role("navigation")
    await navigation.get_by_role("link", name=INBOX_LINK).click()
    await expect(page.get_by_role("heading", level=1, name="Kotak masuk")).to_be_visible()
    turn_on = page.get_by_role("button", name="Aktifkan pemberitahuan")
    if await turn_on.count():  # the first viewport's run: this staff account has no inbox yet
        await look(page, "inbox-off")
        await turn_on.click()
        await expect(page.get_by_role("status")).to_contain_text("Pemberitahuan sudah aktif")

    # Turned on at the service: a recipient with this account's email, told of new editions.
    assert "edition.published" in (await staff_inbox(console_stack, staff))["recipient"]["subscriptions"]

    badge = navigation.get_by_role("link", name=INBOX_LINK)
    await expect(badge).to_have_attribute("data-live-state", "listening")  # the stream is open
    items = page.get_by_role("list", name=NOTIFICATIONS).get_by_role("listitem")
    before = await items.count()
    unread = int(re.sub(r"\D", "", await badge.inner_text()))
    await look(page, "inbox")

    await publish_an_edition(console_stack, staff)
    # No reload: the item arrives over the stream, and the header's count goes up.
    await expect(items).to_have_count(before + 1, timeout=30_000)
    await expect(items.first.get_by_role("heading")).to_contain_text("Lomba Foto KIM")
    await expect(badge).to_contain_text(str(unread + 1))
    await expect(page.get_by_text(f"{unread + 1} pemberitahuan belum dibaca")).to_be_visible()
    await look(page, "inbox-live")

    await items.first.get_by_role("button", name=re.compile("^Tandai sudah dibaca")).click()
    await expect(page.get_by_role("status")).to_have_text("Sudah ditandai dibaca.")
    await expect(badge).to_contain_text(str(unread))
    newest = (await staff_inbox(console_stack, staff))["items"][0]
    assert newest["subject"].endswith(title_in(await items.first.get_by_role("heading").inner_text()))
    assert newest["read_at"] is not None  # marked read at the service
    await switch_language(page, "en")
    await expect(page.get_by_role("heading", level=1, name="Inbox")).to_be_visible()
    await look(page, "inbox")
    await switch_language(page, "id")


def title_in(heading: str) -> str:
    """The edition's title in an inbox item's heading ("Baru" and the subject)."""
    found = re.search(r"Lomba Foto KIM \d+", heading)
    assert found, heading
    return found.group(0)
