"""Two rounds in a real Chromium, at a phone and a desktop size: on an edition set up
through the APIs up to its entries, staff set a shortlist round on the "Babak" page (a
wrong number refused beside its field), a judge scores round 1 through the API, staff
close round 1 and read the shortlist, then run the final round on its own judging pages
(appoint its judge, share the entries, freeze, verify, announce); the public results are
the final round's, under the edition's id. axe-core on every page, a screenshot of each in
both languages (.run/screenshots/<viewport>-<lang>-staff-rounds*.png, -staff-final-*)."""

from __future__ import annotations

import re

import httpx
from playwright.async_api import Page, expect

from devstack.demo import Api, log_in
from devstack.stack import Credentials, LocalStack

from .harness import sign_in
from .test_staff_judging import Services, base_url, edition_with_entries, flash, look, services

__all__ = ["base_url", "services"]  # the fixtures this module shares with test_staff_judging

FINAL_RUBRIC = ("tema", "kreativitas", "teknis", "promosi_umkm")


async def judge_scores(services: Services, edition_id: str, who: Credentials, scores: list[int]) -> None:
    """The judge `who` fills their sheets through the API: entries in submission order, `scores` each."""
    judging = services["judging"]
    (judge,) = [
        j for j in await judging.call("GET", f"/editions/{edition_id}/judges") if j["email"] == who.email
    ]
    mine = await log_in(services["registry"], who)
    entries = sorted(
        await judging.call("GET", f"/editions/{edition_id}/entries"), key=lambda e: e["submitted_at"]
    )
    for entry, score in zip(entries, scores, strict=True):
        await judging.call(
            "PUT",
            f"/editions/{edition_id}/entries/{entry['entry_id']}/sheets/{judge['judge_id']}",
            json={"scores": dict.fromkeys(FINAL_RUBRIC, score)},
            headers=mine,
        )


async def test_staff_set_a_shortlist_round_close_it_and_announce_the_final_round(
    page: Page, console_stack: LocalStack, staff: Credentials, services: Services
) -> None:
    walk = await edition_with_entries(services)
    edition = f"/staf/lomba/{walk.edition_id}"
    tag = walk.kim_names[0].rsplit(" ", 1)[1]
    await sign_in(page, staff)

    # 1. The rounds: a wrong number is refused beside its field; then the top 2, announced.
    await page.goto(f"{edition}/babak")
    await expect(page.get_by_role("heading", level=1, name="Babak")).to_be_visible()
    await expect(page.get_by_text("Edisi ini dinilai dalam satu babak")).to_be_visible()
    await look(page, "staff-rounds")
    await page.get_by_label(re.compile("^Karya teratas babak penyisihan")).check()
    await page.get_by_label("Jumlah karya yang lolos").fill("0")
    await page.get_by_role("button", name="Simpan babak penilaian").click()
    await expect(page.get_by_role("alert")).to_contain_text("Isi jumlah karya yang lolos ke babak final")
    await look(page, "staff-rounds-errors")
    await page.get_by_label("Jumlah karya yang lolos").fill("2")
    await page.get_by_label("Umumkan karya yang lolos saat babak penyisihan ditutup").check()
    await page.get_by_role("button", name="Simpan babak penilaian").click()
    await flash(page, "Babak penilaian tersimpan.")
    rounds = await services.get("judging", f"/editions/{walk.edition_id}/rounds")
    assert (rounds["rounds"], rounds["rule"]["size"], rounds["rule"]["public"]) == (2, 2, True)

    # 2. Round 1: one judge scores through the API (90, 80, 70 in submission order).
    first = Credentials(f"rina-{tag}@juri.example", f"sandi-juri-{tag}")
    registry, judging = services["registry"], services["judging"]
    await registry.call(
        "POST",
        "/accounts",
        201,
        json={"email": first.email, "name": "Rina", "role": "judge", "password": first.password},
    )
    await judging.call(
        "POST", f"/editions/{walk.edition_id}/judges", 201, json={"name": "Rina", "email": first.email}
    )
    await judge_scores(services, walk.edition_id, first, [90, 80, 70])
    await judging.until(
        "GET", f"/editions/{walk.edition_id}", lambda r: r.json().get("status") == "completed"
    )

    # 3. Close round 1: the shortlist with its rule; the final round opens.
    await page.reload()
    await page.get_by_role("button", name="Tutup babak penyisihan").click()
    await flash(page, "Babak penyisihan ditutup; babak final dibuka.")
    shortlist = page.get_by_role("region", name="2 karya teratas babak penyisihan lolos ke babak final")
    await expect(shortlist.get_by_role("row")).to_have_count(3)  # the header and two entries
    await expect(shortlist).to_contain_text(walk.kim_names[0])
    await expect(shortlist).to_contain_text(walk.kim_names[1])
    await look(page, "staff-rounds-shortlist")
    final_id = (await services.get("judging", f"/editions/{walk.edition_id}/rounds"))["shortlist"][
        "final_edition_id"
    ]

    # 4. The final round's own pages: its judge appointed in the panel form, the entries shared.
    await page.get_by_role("link", name="Juri babak final").click()
    await expect(page.get_by_role("heading", level=1, name="Juri")).to_be_visible()
    await expect(page.get_by_text("Babak final", exact=True)).to_be_visible()
    finalist = Credentials(f"sari-{tag}@juri.example", f"sandi-final-{tag}")
    await page.get_by_label("Nama lengkap").fill("Sari Final")
    await page.get_by_label("Alamat email").fill(finalist.email)
    await page.get_by_label("Kata sandi pertama (boleh kosong)").fill(finalist.password)
    await page.get_by_role("button", name="Angkat juri").click()
    await flash(page, "Juri sudah diangkat.")
    await look(page, "staff-final-judges")
    await page.get_by_role("link", name="Penjurian", exact=True).click()
    await page.get_by_role("button", name="Bagikan karya ke juri").click()
    await flash(page, "Karya sudah dibagikan ke juri; para juri sudah diberi tahu.")
    await look(page, "staff-final-judging")
    # The final reverses round 1: the second entry first.
    await judge_scores(services, final_id, finalist, [75, 95])
    await judging.until("GET", f"/editions/{final_id}", lambda r: r.json().get("status") == "completed")

    # 5. The final round's results: freeze, verify, announce, as for any edition.
    await page.get_by_role("link", name="Hasil", exact=True).click()
    await page.get_by_role("button", name="Bekukan hasil").click()
    await flash(page, "Hasil sudah dibekukan sebagai versi baru.")
    await page.get_by_role("button", name="Verifikasi versi 1").click()
    await expect(page.get_by_role("heading", name="Versi 1 terverifikasi: hash-nya cocok")).to_be_visible()
    await page.get_by_role("link", name="Umumkan hasil").click()
    await page.get_by_role("button", name="Ya, umumkan hasil").click()
    await flash(page, "Hasil sudah diumumkan.")
    await look(page, "staff-final-results")
    async with httpx.AsyncClient() as http:
        public = await Api(http, console_stack.urls()["judging"]).call(
            "GET", f"/editions/{walk.edition_id}/results"
        )
    assert public["edition_id"] == walk.edition_id
    assert [w["kim_name"] for w in public["winners"]] == [walk.kim_names[1], walk.kim_names[0]]

    # 6. The same pages in English.
    await page.goto(f"{edition}/babak")
    await page.get_by_role("link", name="English", exact=True).click()
    await expect(page.get_by_role("heading", level=1, name="Rounds")).to_be_visible()
    await expect(
        page.get_by_role("region", name="The top 2 of the shortlist round go on to the final")
    ).to_be_visible()
    await look(page, "staff-rounds-shortlist")
    await page.get_by_role("link", name="The final round's results: ties, freeze, verify, announce").click()
    await expect(page.get_by_role("heading", level=1, name="Results")).to_be_visible()
    await expect(page.get_by_text("Final round", exact=True)).to_be_visible()
    await look(page, "staff-final-results")
