"""A KIM registers itself in the console at a phone's size, confirms with the link
the registry mails (read from the local mail sink), signs in and lands on its page;
a person who forgot their password resets it by mail and signs in with the new one.
axe-core on every page."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.async_api import Page, expect

from devstack.mail_sink import MailSink
from devstack.stack import Credentials, LocalStack

from ..support import eventually
from .harness import VIEWPORTS, Viewport, check_accessibility, screenshot, sign_in

PHONE = next(v for v in VIEWPORTS if v.name == "phone")


@pytest.fixture
def viewport() -> Viewport:
    return PHONE


@pytest.fixture
def base_url(console_stack: LocalStack) -> str:
    assert console_stack.console_url
    return console_stack.console_url


async def look(page: Page, name: str) -> None:
    await check_accessibility(page)
    await screenshot(page, name)


async def link_mailed_to(sink: MailSink, address: str, path: str) -> str:
    """The path and query of the newest link to `path` in the mail to `address`."""

    def found() -> str | None:
        for mail in reversed(sink.messages):
            if str(mail["To"]) == address:
                match = re.search(r"https?://\S+" + re.escape(path) + r"\?token=\S+", mail.get_content())
                if match:
                    return match.group(0)
        return None

    url = await eventually(found, timeout=30)
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


async def test_a_kim_registers_confirms_by_mail_and_signs_in(
    page: Page, console_stack: LocalStack, mail_sink: MailSink
) -> None:
    tag = uuid.uuid4().hex[:6]
    email, password = f"kim-{tag}@daftar.example", f"topeng-malangan-{tag}"  # not the email's name
    await page.goto("/")
    await page.get_by_role("link", name="Daftarkan KIM").first.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Daftarkan KIM")
    await look(page, "signup-register")

    # Refusals beside their fields, in Indonesian: an empty form, then a bad WhatsApp number.
    await page.get_by_role("button", name="Daftarkan KIM ini").click()
    await expect(page.get_by_text("Isi nama KIM").first).to_be_visible()
    await page.get_by_label("Nama KIM").fill(f"KIM Daftar {tag}")
    await page.get_by_label("Kelurahan KIM").select_option("bumiayu")
    await page.get_by_label("Nama ketua").fill("Siti Aminah")
    await page.get_by_label("Nomor WhatsApp").fill("12345")
    await page.get_by_label("Alamat email KIM").fill(email)
    await page.get_by_label("Kata sandi", exact=True).fill(password)
    await page.get_by_label("Ulangi kata sandi").fill(password)
    await page.get_by_role("button", name="Daftarkan KIM ini").click()
    await expect(page.get_by_text("bukan nomor seluler Indonesia").first).to_be_visible()
    await look(page, "signup-register-errors")
    await page.get_by_label("Nomor WhatsApp").fill("081234567890")
    await page.get_by_label("Kata sandi", exact=True).fill(password)
    await page.get_by_label("Ulangi kata sandi").fill(password)
    await page.get_by_role("button", name="Daftarkan KIM ini").click()
    await expect(page).to_have_url(re.compile(r"/daftar/terkirim$"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Periksa email Anda")
    await look(page, "signup-sent")

    # Opening the link confirms nothing by itself: the button does.
    await page.goto(await link_mailed_to(mail_sink, email, "/daftar/konfirmasi"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Konfirmasi pendaftaran")
    await look(page, "signup-confirm")
    await page.get_by_role("button", name="Konfirmasi dan aktifkan akun").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Akun Anda aktif")
    await look(page, "signup-confirmed")

    await sign_in(page, Credentials(email, password))
    await expect(page).to_have_url(re.compile(r"/kim$"))


async def test_a_forgotten_password_is_reset_by_mail(
    page: Page, console_stack: LocalStack, staff: Credentials, mail_sink: MailSink
) -> None:
    tag = uuid.uuid4().hex[:6]
    email, old, new = f"juri-{tag}@lupa.example", f"sandi-lama-{tag}", f"sandi-baru-{tag}"
    registry = console_stack.urls()["registry"]
    async with httpx.AsyncClient(base_url=registry, timeout=30) as http:
        login = await http.post("/auth/login", json={"email": staff.email, "password": staff.password})
        bearer = {"Authorization": f"Bearer {login.json()['access_token']}"}
        opened = await http.post(
            "/accounts",
            json={"email": email, "name": f"Juri {tag}", "role": "judge", "password": old},
            headers=bearer,
        )
        assert opened.status_code == 201, opened.text

    await page.goto("/masuk")
    await page.get_by_role("link", name="Lupa kata sandi?").click()
    await look(page, "signup-forgot")
    await page.get_by_label("Alamat email").fill(email)
    await page.get_by_role("button", name="Kirim tautan").click()
    await expect(page).to_have_url(re.compile(r"/sandi/lupa/terkirim$"))
    await look(page, "signup-forgot-sent")

    await page.goto(await link_mailed_to(mail_sink, email, "/sandi/atur-ulang"))
    await look(page, "signup-reset")
    await page.get_by_label("Kata sandi baru", exact=True).fill(new)
    await page.get_by_label("Ulangi kata sandi baru").fill(new)
    await page.get_by_role("button", name="Simpan kata sandi baru").click()
    await expect(page).to_have_url(re.compile(r"/masuk$"))
    await expect(page.get_by_text("Kata sandi Anda sudah diganti").first).to_be_visible()

    await sign_in(page, Credentials(email, new))
    await expect(page).to_have_url(re.compile(r"/juri$"))
