"""The staff's judging workspace in a real Chromium, at a phone and a desktop size, on an
edition set up through the APIs up to its entries (as devstack/demo.py does): staff
appoint judges in one form, set the rubric and the options, share the entries, watch the
judges' progress (the judges score through the API), freeze, verify (the hash shown),
announce; the audit trail's CSV downloads; a dead letter is sent again. What the pages
change is read back through the services' APIs. axe-core on every page, a screenshot of
each in both languages (.run/screenshots/<viewport>-<lang>-staff-*.png)."""

from __future__ import annotations

import asyncio
import csv
import io
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import aio_pika
import httpx
import pytest
from playwright.async_api import Page, expect

from devstack.demo import Api, log_in
from devstack.malang_2024 import KIMS, DemoKim
from devstack.stack import Credentials, LocalStack

from .harness import check_accessibility, screenshot, sign_in

#: Three of the 2024 KIMs, renamed per walk (KIM names are unique at the registry).
WALK_KIMS = KIMS[:3]
WIB = ZoneInfo("Asia/Jakarta")
RUBRIC_IDS = ("tema", "kreativitas", "teknis", "promosi_umkm", "dampak")


@pytest.fixture
def base_url(console_stack: LocalStack) -> str:
    assert console_stack.console_url
    return console_stack.console_url


@dataclass
class Walk:
    edition_id: str
    kim_names: list[str]


async def look(page: Page, name: str) -> None:
    await check_accessibility(page)
    await screenshot(page, name)


@dataclass
class Services:
    """The services' APIs, called as staff (one sign-in per walk)."""

    http: httpx.AsyncClient
    urls: dict[str, str]

    def __getitem__(self, name: str) -> Api:
        return Api(self.http, self.urls[name])

    async def get(self, name: str, path: str) -> Any:
        return await self[name].call("GET", path)


@pytest.fixture
async def services(console_stack: LocalStack, staff: Credentials) -> AsyncIterator[Services]:
    async with httpx.AsyncClient(timeout=30, headers={"Accept-Language": "id"}) as http:
        found = Services(http, console_stack.urls())
        http.headers.update(await log_in(found["registry"], staff))
        yield found


async def edition_with_entries(services: Services) -> Walk:
    """Published, three KIMs verified, enrolled and approved, one entry each, submissions
    closed; no judge yet."""
    tag = uuid.uuid4().hex[:6]
    registry, submissions, judging = services["registry"], services["submissions"], services["judging"]
    now = datetime.now(UTC)
    edition = await registry.call(
        "POST",
        "/editions",
        201,
        json={
            "title": f"Lomba Uji Penjurian {tag}",
            "theme": "Promosi UMKM Kota Malang",
            "submission_opens_at": (now - timedelta(minutes=1)).isoformat(),
            "submission_closes_at": (now + timedelta(hours=6)).isoformat(),
            "rules": {"max_video_seconds": 300, "allowed_video_hosts": ["youtu.be"], "entries_per_kim": 1},
            "awarded_ranks": 3,
        },
    )
    edition_id = edition["edition_id"]
    await registry.call("POST", f"/editions/{edition_id}/publication")

    async def take_part(number: int, demo_kim: DemoKim) -> tuple[str, str]:
        """A KIM registers, is verified, enrolled and approved, and submits: its name and entry's time."""
        name, email = f"{demo_kim.name} {tag}", f"kim{number}-{tag}@uji.example"
        password = f"uji-penjurian-{tag}"
        kim = await registry.call(
            "POST",
            "/kims",
            201,
            json={
                "name": name,
                "kelurahan_code": demo_kim.kelurahan_code,
                "chair": f"Ketua {name}",
                "whatsapp": f"08123{number:03d}{number:04d}",
                "email": email,
            },
        )
        account = {"email": email, "name": f"Wakil {name}", "role": "kim_rep", "password": password}
        await registry.call("POST", "/accounts", 201, json={**account, "kim_id": kim["kim_id"]})
        representative = await log_in(registry, Credentials(email, password))
        await registry.call("POST", f"/kims/{kim['kim_id']}/verification")
        enrolment = await registry.call(
            "POST",
            f"/editions/{edition_id}/enrolments",
            201,
            json={"kim_id": kim["kim_id"]},
            headers=representative,
        )
        await registry.call("POST", f"/enrolments/{enrolment['enrolment_id']}/approval")
        response = await submissions.until(
            "POST",
            f"/editions/{edition_id}/entries",
            lambda r: (
                r.status_code == 201
                or r.json().get("error", {}).get("code")
                not in {"edition_not_found", "kim_not_enrolled", "enrolment_not_approved"}
            ),
            json={
                "kim_id": kim["kim_id"],
                "title": demo_kim.film,
                "synopsis": demo_kim.synopsis,
                "video_url": f"https://youtu.be/uji-{tag}-{number}",
                "duration_seconds": demo_kim.duration_seconds,
                "umkm_featured": list(demo_kim.umkm),
            },
            headers=representative,
        )
        assert response.status_code == 201, response.text
        return name, response.json()["submitted_at"]

    taking_part = await asyncio.gather(*(take_part(n, kim) for n, kim in enumerate(WALK_KIMS, start=1)))
    await registry.call("POST", f"/editions/{edition_id}/submissions-closure")
    await judging.until(
        "GET",
        f"/editions/{edition_id}/entries",
        lambda r: r.status_code == 200 and len(r.json()) == len(WALK_KIMS),
    )
    await judging.until(
        "GET", f"/editions/{edition_id}", lambda r: r.status_code == 200 and r.json()["status"] == "scoring"
    )
    # In submission order: the order the scores below rank them in.
    return Walk(edition_id, [name for name, _ in sorted(taking_part, key=lambda part: part[1])])


async def judges_score(services: Services, edition_id: str, who: Credentials, base: int) -> int:
    """A judge fills every sheet assigned to them through the API; how many."""
    judging = services["judging"]
    panel = await judging.call("GET", f"/editions/{edition_id}/judges")
    (judge,) = [j for j in panel if j["email"] == who.email]
    mine = await log_in(services["registry"], who)
    assigned = await judging.call(
        "GET", f"/editions/{edition_id}/judges/{judge['judge_id']}/assignments", headers=mine
    )
    entries = await judging.call("GET", f"/editions/{edition_id}/entries")
    order = {e["entry_id"]: i for i, e in enumerate(sorted(entries, key=lambda e: e["submitted_at"]))}
    for item in assigned:
        entry_id = item["entry"]["entry_id"]
        score = base - 10 * order[entry_id]  # earlier entries higher: no tie
        await judging.call(
            "PUT",
            f"/editions/{edition_id}/entries/{entry_id}/sheets/{judge['judge_id']}",
            json={"scores": dict.fromkeys(RUBRIC_IDS, score)},
            headers=mine,
        )
    return len(assigned)


async def poison(stack: LocalStack, message_id: str) -> None:
    """A malformed edition.published on the bus: its consumers set it aside."""
    assert stack.rabbitmq is not None
    connection = await aio_pika.connect(stack.rabbitmq.url)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.get_exchange("kim.events")
        await exchange.publish(
            aio_pika.Message(
                b'{"event_id": "bukan-uuid", "type": "edition.published", "data": {}}',
                content_type="application/json",
                type="edition.published",
                message_id=message_id,
                headers={"version": 1},
            ),
            routing_key="edition.published",
        )


async def flash(page: Page, text: str) -> None:
    await expect(page.get_by_role("status")).to_have_text(text)


async def test_staff_appoint_judge_set_the_rubric_watch_progress_freeze_verify_announce_audit_and_requeue(
    page: Page, console_stack: LocalStack, staff: Credentials, services: Services
) -> None:
    walk = await edition_with_entries(services)
    edition = f"/staf/lomba/{walk.edition_id}"
    tag = walk.kim_names[0].rsplit(" ", 1)[1]
    first = Credentials(f"ayu-{tag}@juri.example", f"sandi-juri-{tag}")
    await sign_in(page, staff)

    # 1. The panel: one form opens the account and appoints; a kelurahan declared.
    await page.goto(f"{edition}/juri")
    await expect(page.get_by_role("heading", level=1, name="Juri")).to_be_visible()
    await look(page, "staff-judges")
    await page.get_by_label("Nama lengkap").fill("Ayu Lestari")
    await page.get_by_label("Alamat email").fill(first.email)
    await page.get_by_label("Kata sandi pertama (boleh kosong)").fill(first.password)
    await page.get_by_text("Pilih kelurahan", exact=True).click()
    await page.get_by_label("Bumiayu", exact=True).check()
    await page.get_by_role("button", name="Angkat juri").click()
    await flash(page, "Juri sudah diangkat.")
    panel = page.get_by_role("region", name="Juri dalam dewan juri")
    await expect(panel.get_by_role("row", name=re.compile("Ayu Lestari.*Bumiayu"))).to_be_visible()

    # A second judge without a password: the console makes one and shows it once.
    second_email = f"budi-{tag}@juri.example"
    await page.get_by_label("Nama lengkap").fill("Budi Santoso")
    await page.get_by_label("Alamat email").fill(second_email)
    await page.get_by_role("button", name="Angkat juri").click()
    notice = page.get_by_role("status")
    await expect(notice.get_by_role("heading", name="Budi Santoso sudah diangkat")).to_be_visible()
    shown = re.search(r"Kata sandi pertama\s+(\S+)", await notice.inner_text())
    assert shown, await notice.inner_text()
    second = Credentials(second_email, shown.group(1))
    await look(page, "staff-judges-appointed")
    judges = await services.get("judging", f"/editions/{walk.edition_id}/judges")
    assert {(j["email"], tuple(j["affiliations"]["kelurahan_codes"])) for j in judges} == {
        (first.email, ("bumiayu",)),
        (second.email, ()),
    }

    # 2. The rubric: a fifth criterion added and moved up; the weights must add up to 100.
    await page.get_by_role("link", name="Penjurian", exact=True).click()
    await expect(page.get_by_role("heading", level=1, name="Penjurian")).to_be_visible()
    await page.get_by_role("button", name="Tambah kriteria").click()
    fifth = page.get_by_role("group", name="Kriteria 5")
    await fifth.get_by_label("Kode").fill("dampak")
    await fifth.get_by_label("Nama dalam bahasa Indonesia").fill("Dampak bagi warga")
    await fifth.get_by_label("Nama dalam bahasa Inggris").fill("Impact on residents")
    await fifth.get_by_label("Bobot").fill("15")
    await page.get_by_role("group", name="Kriteria 1").get_by_label("Bobot").fill("20")
    await page.get_by_role("button", name="Naikkan kriteria 5").click()
    fourth = page.get_by_role("group", name="Kriteria 4")
    await expect(fourth.get_by_label("Kode")).to_have_value("dampak")
    await page.get_by_role("button", name="Simpan rubrik").click()
    await expect(page.get_by_role("alert")).to_contain_text("Jumlah bobot 105; jumlahnya harus 100.")
    await look(page, "staff-judging-errors")
    await page.get_by_role("group", name="Kriteria 4").get_by_label("Bobot").fill("10")
    await page.get_by_role("button", name="Simpan rubrik").click()
    await flash(page, "Rubrik sudah disimpan.")

    # The options: blind, the tie-break chain (translated), a deadline in WIB.
    await page.get_by_label(re.compile("^Penjurian buta")).check()
    await page.get_by_label("Aturan 1", exact=True).select_option(label="Adu langsung")
    await page.get_by_label("Aturan 2", exact=True).select_option(label="Kriteria prioritas")
    await page.get_by_label("Aturan 3", exact=True).select_option(label="Pengiriman lebih awal")
    await page.get_by_label("Kriteria prioritas", exact=True).select_option(label="Dampak bagi warga")
    deadline = (datetime.now(UTC) + timedelta(days=7)).astimezone(WIB).strftime("%Y-%m-%dT%H:%M")
    await page.get_by_label("Batas waktu penjurian (WIB)").fill(deadline)
    await page.get_by_role("button", name="Simpan opsi penjurian").click()
    await flash(page, "Opsi penjurian sudah disimpan.")
    judging = await services.get("judging", f"/editions/{walk.edition_id}")
    assert [(c["criterion_id"], c["weight"]) for c in judging["rubric"]] == [
        ("tema", 20),
        ("kreativitas", 25),
        ("teknis", 20),
        ("dampak", 10),
        ("promosi_umkm", 25),
    ]
    options = judging["options"]
    assert options["blind"] is True and options["priority_criterion"] == "dampak"
    assert options["tie_break"] == ["head_to_head", "priority_criterion", "earlier_submission"]

    # 3. Share the entries; the judges score through the API while staff watch.
    await page.get_by_role("button", name="Bagikan karya ke juri").click()
    await flash(page, "Karya sudah dibagikan ke juri; para juri sudah diberi tahu.")
    assert await judges_score(services, walk.edition_id, second, 90) == 3
    await page.reload()
    await expect(page.get_by_text("3 dari 5 lembar nilai tercatat; 2 belum.")).to_be_visible()
    by_judge = page.get_by_role("region", name="Kemajuan per juri")
    await expect(by_judge.get_by_role("row", name=re.compile("Ayu Lestari 2 0 2"))).to_be_visible()
    await look(page, "staff-judging")
    assert await judges_score(services, walk.edition_id, first, 88) == 2  # not Bumiayu's entry
    await services["judging"].until(
        "GET", f"/editions/{walk.edition_id}", lambda r: r.json().get("status") == "completed"
    )
    await page.reload()
    await expect(page.get_by_text("5 dari 5 lembar nilai tercatat; 0 belum.")).to_be_visible()

    # 4. Results: freeze, verify (the hash shown), announce after a confirmation.
    await page.get_by_role("link", name="Hasil", exact=True).click()
    await expect(page.get_by_role("heading", level=1, name="Hasil")).to_be_visible()
    await page.get_by_role("button", name="Bekukan hasil").click()
    await flash(page, "Hasil sudah dibekukan sebagai versi baru.")
    (frozen,) = await services.get("judging", f"/editions/{walk.edition_id}/snapshots")
    await page.get_by_role("button", name="Verifikasi versi 1").click()
    verified = page.get_by_role("status")
    await expect(
        verified.get_by_role("heading", name="Versi 1 terverifikasi: hash-nya cocok")
    ).to_be_visible()
    await expect(verified).to_contain_text(frozen["content_hash"])
    await look(page, "staff-results-verified")
    await page.get_by_role("link", name="Umumkan hasil").click()
    await expect(page.get_by_role("heading", name="Umumkan versi 1?")).to_be_visible()
    await look(page, "staff-results-confirm")
    await page.get_by_role("button", name="Ya, umumkan hasil").click()
    await flash(page, "Hasil sudah diumumkan.")
    versions = page.get_by_role("region", name="Versi yang dibekukan, terbaru di atas")
    await expect(versions).to_contain_text(frozen["content_hash"])
    await look(page, "staff-results")
    async with httpx.AsyncClient() as http:
        announced = await Api(http, console_stack.urls()["judging"]).call(
            "GET", f"/editions/{walk.edition_id}/results"
        )
    assert announced["version"] == 1 and announced["content_hash"] == frozen["content_hash"]
    # In the order the judges scored them (earlier submitted at judging, higher: `judges_score`).
    entries = await services["judging"].call("GET", f"/editions/{walk.edition_id}/entries")
    as_scored = [e["kim_name"] for e in sorted(entries, key=lambda e: e["submitted_at"])]
    assert sorted(as_scored) == sorted(walk.kim_names)
    assert [w["kim_name"] for w in announced["winners"]] == as_scored
    public = await page.goto(f"/lomba/{walk.edition_id}/hasil")
    if public is not None and public.status != 404:  # the public results page, where it is built
        await expect(page.get_by_text(as_scored[0]).first).to_be_visible()
    await page.go_back()

    # 5. The audit trail, newest first, and its CSV through the console.
    await page.get_by_role("link", name="Jejak audit", exact=True).click()
    trail = page.get_by_role("region", name=re.compile("^Siapa melakukan apa dan kapan"))
    await expect(trail.get_by_role("row").nth(1)).to_contain_text("Hasil diumumkan")
    await expect(trail).to_contain_text(f"Staf ({staff.email})")
    await look(page, "staff-audit")
    async with page.expect_download() as downloading:
        await page.get_by_role("link", name="Unduh CSV").click()
    download = await downloading.value
    rows = list(csv.reader(io.StringIO((await download.path()).read_text(encoding="utf-8"))))
    assert rows[0] == ["at", "actor", "action", "subject", "details"]
    assert {"judge_appointed", "rubric_set", "options_set", "results_frozen", "results_announced"} <= {
        row[2] for row in rows[1:]
    }

    # 6. A dead letter, read and sent again after a confirmation.
    message_id = f"racun-{tag}"
    await poison(console_stack, message_id)
    letter = await wait_for_dead_letter(services, message_id)
    await page.get_by_role("link", name="Pesan tersisih", exact=True).click()
    await expect(page.get_by_role("heading", level=1, name="Pesan tersisih")).to_be_visible()
    await expect(page.get_by_role("region", name=re.compile("^Pesan yang disisihkan"))).to_contain_text(
        "Penjurian"
    )
    await look(page, "staff-dead-letters")
    await page.goto(f"/staf/pesan-tersisih/judging/{letter['dead_letter_id']}")
    await expect(page.get_by_label("Isi")).to_contain_text("bukan-uuid")
    await page.get_by_role("button", name="Kirim ulang").click()
    await expect(page.get_by_role("alert")).to_contain_text("Pastikan penyebabnya sudah diperbaiki")
    await look(page, "staff-dead-letter")
    await page.get_by_label(re.compile("^Penyebabnya sudah diperbaiki")).check()
    await page.get_by_role("button", name="Kirim ulang").click()
    await flash(page, "Pesan sudah dikirim ulang ke antreannya.")
    requeued = await services.get("judging", f"/dead-letters/{letter['dead_letter_id']}")
    assert len(requeued["requeued_at"]) == 1

    # 7. The same pages in English.
    await page.get_by_role("link", name="English", exact=True).click()
    await expect(page.get_by_role("heading", level=1, name="Dead letters")).to_be_visible()
    await look(page, "staff-dead-letters")
    for path, heading, name in (
        (f"{edition}/juri", "Judges", "staff-judges"),
        (f"{edition}/penilaian", "Judging", "staff-judging"),
        (f"{edition}/hasil", "Results", "staff-results"),
        (f"{edition}/audit", "Audit trail", "staff-audit"),
        (f"/staf/pesan-tersisih/judging/{letter['dead_letter_id']}", "Dead letter", "staff-dead-letter"),
    ):
        await page.goto(path)
        await expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
        await look(page, name)


async def wait_for_dead_letter(services: Services, message_id: str) -> dict[str, Any]:
    for _ in range(100):  # at most ~20 s
        letters = await services.get("judging", "/dead-letters")
        found = [d for d in letters if d["message_id"] == message_id]
        if found:
            return found[0]
        await asyncio.sleep(0.2)
    raise AssertionError(f"{message_id} never reached judging's dead letters")
