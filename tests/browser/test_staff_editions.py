"""The staff workspace in a real Chromium, at a phone and a desktop size: staff create,
edit and publish an edition (then see it on the public home page), verify a KIM that
registered through the API, approve one enrolment and reject another (first with no
reason: the error beside the field), read the dashboard's counts and next action,
close submissions after confirming, open an account and disable it. Every change is
read back from the registry; axe-core on every page, a screenshot of each in both
languages (.run/screenshots/<viewport>-<lang>-staff-*.png)."""

from __future__ import annotations

import asyncio
import re
import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.async_api import Page, expect

from devstack.stack import Credentials, LocalStack

from .harness import check_accessibility, screenshot, sign_in

WIB = ZoneInfo("Asia/Jakarta")
NEXT_ACTION = re.compile(r"^(Tunjuk dewan juri|\d+ KIM menunggu verifikasi)$")


@pytest.fixture
def base_url(console_stack: LocalStack) -> str:
    assert console_stack.console_url
    return console_stack.console_url


class Registry:
    """The registry's API, for what the test prepares (KIMs registering, asking to enrol)
    and for reading back what the pages changed."""

    def __init__(self, stack: LocalStack) -> None:
        self.url = stack.urls()["registry"]
        self.admin = stack.admin

    async def call(self, method: str, path: str, who: Credentials | None = None, **kwargs: Any) -> Any:
        async with httpx.AsyncClient(
            base_url=self.url, timeout=30, headers={"Accept-Language": "id"}
        ) as http:
            headers = {}
            if who is not None:
                login = await http.post("/auth/login", json={"email": who.email, "password": who.password})
                assert login.status_code == 200, login.text
                headers["Authorization"] = f"Bearer {login.json()['access_token']}"
            answer = await http.request(method, path, headers=headers, **kwargs)
            assert answer.status_code < 300, f"{method} {path}: {answer.status_code} {answer.text}"
            return answer.json() if answer.content else None

    async def register_kim(self, name: str, email: str) -> tuple[dict[str, Any], Credentials]:
        representative = Credentials(email, "kata-sandi-" + uuid.uuid4().hex[:8])
        # Staff register the KIM and open its representative's account (self-registration,
        # confirmed by mail, is test_signup.py's).
        kim = await self.call(
            "POST",
            "/kims",
            self.admin,
            json={
                "name": name,
                "kelurahan_code": "bumiayu",
                "chair": f"Ketua {name}",
                "whatsapp": "081234567890",
                "email": email,
            },
        )
        await self.call(
            "POST",
            "/accounts",
            self.admin,
            json={
                "email": email,
                "name": f"Wakil {name}",
                "role": "kim_rep",
                "password": representative.password,
                "kim_id": kim["kim_id"],
            },
        )
        return kim, representative


async def look(page: Page, name: str, *, both: bool = True) -> None:
    """axe-core and a screenshot in Indonesian, then a screenshot in English (back to Indonesian
    after). axe runs once per page: the English page is the same markup with other words, and
    the machine is shared. A page answering a form (its errors) is looked at in Indonesian only:
    the switch reloads it."""
    await check_accessibility(page)
    await screenshot(page, name)
    if not both:
        return
    await page.get_by_role("link", name="English", exact=True).click()
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await expect(page.get_by_role("heading", level=1)).to_be_visible()
    await screenshot(page, name)
    await page.get_by_role("link", name="Bahasa Indonesia", exact=True).click()
    await expect(page.locator("html")).to_have_attribute("lang", "id")


async def test_staff_run_an_edition_from_draft_to_closed_and_manage_kims_enrolments_and_accounts(
    page: Page, console_stack: LocalStack
) -> None:
    registry = Registry(console_stack)
    run = uuid.uuid4().hex[:6]
    title = f"Lomba Film Kampung {run}"
    now = datetime.now(WIB)

    # --- staff sign in; the landing lists editions and offers a new one ---------------------
    await sign_in(page, console_stack.admin)
    await expect(page.get_by_role("heading", level=1, name="Ruang kerja staf")).to_be_visible()
    await look(page, "staff-editions")

    # --- create: first with mistakes, then right ---------------------------------------------
    await page.get_by_role("link", name="Buat lomba baru").click()
    await expect(page.get_by_role("heading", level=1, name="Buat lomba baru")).to_be_visible()
    await look(page, "staff-edition-new")
    await page.get_by_label("Judul", exact=True).fill(title)
    await page.get_by_label("Pengiriman karya dibuka tanggal").fill(
        (now - timedelta(days=1)).date().isoformat()
    )
    await page.get_by_label("Pengiriman karya ditutup tanggal").fill(
        (now - timedelta(days=2)).date().isoformat()
    )
    await page.get_by_role("button", name="Simpan sebagai draf").click()
    summary = page.get_by_role("alert")
    await expect(summary.get_by_role("link", name="Isi tema lomba.")).to_be_visible()
    await expect(
        summary.get_by_role("link", name="Pengiriman karya harus ditutup sesudah dibuka.")
    ).to_be_visible()
    await expect(page.get_by_label("Tema", exact=True)).to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_label("Judul", exact=True)).to_have_value(title)  # kept as typed
    await look(page, "staff-edition-errors", both=False)

    await page.get_by_label("Tema", exact=True).fill("Wisata kampung tematik")
    await page.get_by_label("Pengiriman karya ditutup tanggal").fill(
        (now + timedelta(days=14)).date().isoformat()
    )
    await page.get_by_label("Jam ditutup (WIB)").fill("16:00")
    await page.get_by_label("Nama hadiah peringkat 1").fill("Juara 1")
    await page.get_by_label("Hadiah peringkat 1", exact=True).fill("Rp 5.000.000")
    await page.get_by_role("button", name="Simpan sebagai draf").click()
    await expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    await expect(page.get_by_role("status")).to_have_text("Lomba sudah disimpan sebagai draf.")
    edition_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    stored = await registry.call("GET", f"/editions/{edition_id}", console_stack.admin)
    assert stored["status"] == "draft" and stored["prizes"][0]["reward"] == "Rp 5.000.000"
    closes = datetime.fromisoformat(stored["submission_closes_at"]).astimezone(WIB)
    assert (closes.hour, closes.minute) == (16, 0)  # typed in WIB, kept as that moment
    await check_accessibility(page)  # the draft dashboard: its screenshots are the published one's below

    # --- edit, then publish from the dashboard's next action --------------------------------
    await page.get_by_role("link", name="Ubah lomba").click()
    await expect(page.get_by_role("heading", level=1, name="Ubah lomba")).to_be_visible()
    await look(page, "staff-edition-edit")
    await page.get_by_label("Tema", exact=True).fill("Wisata kampung tematik Kota Malang")
    # A prize in rupiah and a category with its own prize.
    await page.get_by_label("Uang tunai peringkat 1 (rupiah)").fill("Rp 5.000.000")
    await page.get_by_label("Hadiah nontunai peringkat 1").fill("Trofi dan sertifikat")
    await page.get_by_label("Judul kategori 1").fill("Sinematografi Terbaik")
    await page.get_by_label("Kode kategori 1").fill("sinematografi")
    await page.get_by_label("Kategori 1: nama hadiah juara 1").fill("Sinematografi Terbaik")
    await page.get_by_label("Kategori 1: uang tunai juara 1 (rupiah)").fill("2.000.000")
    await page.get_by_label("Judul kategori 2").fill("Juara Favorit")
    await page.get_by_label("Kode kategori 2").fill("juara-favorit")
    await page.get_by_label("Jenis kategori 2").select_option("favourite")
    await page.get_by_role("button", name="Simpan lomba").click()
    await expect(page.get_by_role("status")).to_have_text("Lomba sudah disimpan.")
    stored = await registry.call("GET", f"/editions/{edition_id}", console_stack.admin)
    assert (stored["prizes"][0]["amount"], stored["prizes"][0]["non_cash"]) == (
        5_000_000,
        "Trofi dan sertifikat",
    )
    assert [(c["code"], c["kind"]) for c in stored["categories"]] == [
        ("sinematografi", "ranked"),
        ("juara-favorit", "favourite"),
    ]
    assert stored["categories"][0]["prizes"][0]["amount"] == 2_000_000
    next_action = page.get_by_role("region", name="Langkah berikutnya")
    await next_action.get_by_role("button", name="Terbitkan lomba").click()
    await expect(page.get_by_role("status")).to_have_text("Lomba sudah diterbitkan.")
    stored = await registry.call("GET", f"/editions/{edition_id}")  # anonymously: it is public now
    assert stored["status"] == "published" and stored["theme"] == "Wisata kampung tematik Kota Malang"
    await page.goto("/")
    await expect(page.get_by_role("link", name=title)).to_be_visible()

    # --- a KIM registered through the API is verified on the queue page ---------------------
    first, first_rep = await registry.register_kim(f"KIM Sumber {run}", f"sumber-{run}@kim.example")
    second, second_rep = await registry.register_kim(f"KIM Mekar {run}", f"mekar-{run}@kim.example")
    await page.goto("/staf/kim")
    await expect(page.get_by_role("heading", level=1, name="Antrean verifikasi KIM")).to_be_visible()
    await expect(page.get_by_role("heading", name=first["name"])).to_be_visible()
    await look(page, "staff-kim-queue")
    await page.get_by_role("button", name=f"Verifikasi KIM – {first['name']}").click()
    await expect(page.get_by_role("status")).to_have_text("KIM sudah diverifikasi.")
    await expect(page.get_by_role("heading", name=first["name"])).to_have_count(0)
    assert (await registry.call("GET", f"/kims/{first['kim_id']}", console_stack.admin))["verified"] is True
    await page.get_by_role("button", name=f"Verifikasi KIM – {second['name']}").click()
    await expect(page.get_by_role("status")).to_have_text("KIM sudah diverifikasi.")

    # --- both ask to enrol; the dashboard says so as its next action ------------------------
    for kim, rep in ((first, first_rep), (second, second_rep)):
        await registry.call("POST", f"/editions/{edition_id}/enrolments", rep, json={"kim_id": kim["kim_id"]})
    await page.goto(f"/staf/lomba/{edition_id}")
    waiting = next_action.get_by_role("link", name="2 pendaftaran menunggu persetujuan")
    await expect(waiting).to_be_visible()
    await waiting.click()
    await expect(page.get_by_role("heading", level=1, name="Pendaftaran")).to_be_visible()
    await look(page, "staff-enrolments")

    await page.get_by_role("button", name=f"Setujui pendaftaran – {first['name']}").click()
    await expect(page.get_by_role("status")).to_have_text("Pendaftaran sudah disetujui.")
    await page.get_by_text("Tolak dengan alasan").click()
    reject = page.get_by_role("button", name=f"Tolak pendaftaran – {second['name']}")
    await reject.click()  # no reason
    reason = page.get_by_label(f"Alasan menolak {second['name']}")
    await expect(reason).to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_role("alert").get_by_role("link")).to_have_text(
        "Isi alasan penolakan pendaftaran ini."
    )
    await look(page, "staff-enrolments-error", both=False)
    await reason.fill("Profil KIM belum lengkap.")
    await reject.click()
    await expect(page.get_by_role("status")).to_have_text("Pendaftaran sudah ditolak.")
    decided = {
        e["kim_id"]: e
        for e in await registry.call("GET", f"/editions/{edition_id}/enrolments", console_stack.admin)
    }
    assert decided[first["kim_id"]]["status"] == "approved"
    assert decided[second["kim_id"]]["status"] == "rejected"
    assert decided[second["kim_id"]]["reason"] == "Profil KIM belum lengkap."

    # --- the dashboard: counts and the next action (judging learns of the edition by event) -
    await page.get_by_role("link", name="Kembali ke dasbor lomba").click()
    for _ in range(20):
        if await next_action.get_by_role("link", name=NEXT_ACTION).count():
            break
        await asyncio.sleep(0.5)
        await page.reload()
    await expect(next_action.get_by_role("link", name=NEXT_ACTION)).to_be_visible()
    counts = page.locator("dl").filter(has_text="Pendaftaran disetujui")
    await expect(counts).to_contain_text(re.compile(r"Pendaftaran menunggu\s*0"))
    await expect(counts).to_contain_text(re.compile(r"Pendaftaran disetujui\s*1"))
    await expect(counts).to_contain_text(re.compile(r"Pendaftaran ditolak\s*1"))
    for name, path in (
        ("Dewan juri", "juri"),
        ("Pengaturan penilaian, rubrik, dan kemajuan", "penilaian"),
        ("Hasil: nilai seri, bekukan, verifikasi, umumkan", "hasil"),
        ("Jejak audit", "audit"),
    ):
        await expect(page.get_by_role("link", name=name, exact=True)).to_have_attribute(
            "href", f"/staf/lomba/{edition_id}/{path}"
        )
    await look(page, "staff-dashboard")

    # --- close submissions, after a confirmation -------------------------------------------
    await page.get_by_role("link", name="Tutup pengiriman karya").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Tutup pengiriman karya")
    await look(page, "staff-close")
    await page.get_by_role("button", name="Tutup pengiriman karya").click()
    await expect(page.get_by_role("status")).to_have_text("Pengiriman karya sudah ditutup.")
    stored = await registry.call("GET", f"/editions/{edition_id}")
    assert stored["status"] == "submissions_closed" and stored["closed_by"] == "staff"

    # --- next year's edition, copied from the dashboard ----------------------------------------
    copying = page.get_by_role("region", name="Edisi tahun berikutnya")
    opening = datetime.fromisoformat(stored["submission_opens_at"]).astimezone(WIB)
    await expect(copying.get_by_label("Edisi baru: pengiriman karya dibuka tanggal")).to_have_value(
        opening.replace(year=opening.year + 1).date().isoformat()  # suggested: a year on
    )
    await copying.get_by_label("Judul edisi baru").fill(f"{title} (tahun depan)")
    await copying.get_by_role("button", name="Salin untuk edisi berikutnya").click()
    await expect(page.get_by_role("status")).to_have_text(
        "Edisi tahun berikutnya sudah disimpan sebagai draf. Periksa tanggal dan rinciannya, lalu terbitkan."
    )
    await expect(page.get_by_role("heading", level=1, name=f"{title} (tahun depan)")).to_be_visible()
    copy_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    copied = await registry.call("GET", f"/editions/{copy_id}", console_stack.admin)
    assert (copied["status"], copied["copied_from"]) == ("draft", edition_id)
    assert copied["categories"] == stored["categories"] and copied["prizes"] == stored["prizes"]
    assert await registry.call("GET", f"/editions/{copy_id}/enrolments", console_stack.admin) == []
    await look(page, "staff-edition-copy")

    # --- accounts: open one for a judge, then disable it -----------------------------------
    judge_email = f"juri-{run}@kim.example"
    await page.get_by_role("navigation").get_by_role("link", name="Akun", exact=True).click()
    await expect(page.get_by_role("heading", level=1, name="Akun")).to_be_visible()
    await look(page, "staff-accounts")
    await page.get_by_role("link", name="Buka akun", exact=True).click()
    await expect(page.get_by_role("heading", level=1, name="Buka akun")).to_be_visible()
    await look(page, "staff-account-new")
    await page.get_by_label("Nama lengkap").fill(f"Juri {run}")
    await page.get_by_label("Alamat email").fill(judge_email)
    await page.get_by_label("Kata sandi pertama").fill("kata-sandi-juri-1")
    await page.get_by_role("button", name="Buka akun ini").click()  # no role chosen
    await expect(page.get_by_role("alert").get_by_role("link")).to_have_text(
        "Pilih apakah akun ini untuk staf atau juri."
    )
    await look(page, "staff-account-errors", both=False)
    await page.get_by_role("radio", name="Juri").check()
    await page.get_by_label("Kata sandi pertama").fill("kata-sandi-juri-1")
    await page.get_by_role("button", name="Buka akun ini").click()
    await expect(page.get_by_role("status")).to_have_text("Akun sudah dibuka.")
    await page.get_by_role("button", name=f"Nonaktifkan – {judge_email}").click()
    await expect(page.get_by_role("status")).to_have_text("Akun sudah dinonaktifkan.")
    await expect(page.get_by_role("button", name=f"Aktifkan – {judge_email}")).to_be_visible()
    accounts = await registry.call("GET", "/accounts", console_stack.admin)
    (opened,) = [a for a in accounts if a["email"] == judge_email]
    assert opened["role"] == "judge" and opened["disabled"] is True
