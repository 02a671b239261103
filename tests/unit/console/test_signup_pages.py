"""The registration and password pages, with the registry faked by httpx.MockTransport."""

from __future__ import annotations

import re

import httpx
from console.config import Settings
from console.main import create_app

from .test_pages import NOW, browse

REGIONS = {
    "city": "Kota Malang",
    "kecamatan": [
        {
            "code": "kedungkandang",
            "name": "Kedungkandang",
            "kelurahan": [{"code": "bumiayu", "name": "Bumiayu"}],
        },
        {"code": "klojen", "name": "Klojen", "kelurahan": [{"code": "oro-oro-dowo", "name": "Oro-oro Dowo"}]},
    ],
}


async def test_the_kelurahan_are_grouped_by_kecamatan() -> None:
    def registry(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/regions"
        return httpx.Response(200, json=REGIONS)

    (page,) = await browse(registry, "/daftar")
    assert page.status_code == 200 and page.text.count("<h1>") == 1
    assert '<optgroup label="Kecamatan Kedungkandang">' in page.text
    assert '<option value="bumiayu">Bumiayu</option>' in page.text
    assert 'autocomplete="new-password"' in page.text


async def test_opening_a_link_spends_no_token() -> None:
    asked: list[str] = []

    def registry(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        return httpx.Response(500)

    confirm, reset = await browse(
        registry, "/daftar/konfirmasi?token=abc123", "/sandi/atur-ulang?token=def456"
    )
    assert asked == []  # a mail scanner opening the link changes nothing
    assert confirm.status_code == 200 and 'name="token" value="abc123"' in confirm.text
    assert 'method="post" action="/daftar/konfirmasi"' in confirm.text
    assert reset.status_code == 200 and 'name="token" value="def456"' in reset.text


async def test_the_sign_in_page_offers_a_reset_and_a_registration() -> None:
    (page,) = await browse(lambda r: httpx.Response(500), "/masuk")
    assert 'href="/sandi/lupa"' in page.text and "Lupa kata sandi?" in page.text
    assert 'href="/daftar"' in page.text and "Daftarkan KIM" in page.text


async def test_changing_a_password_needs_a_session() -> None:
    (page,) = await browse(lambda r: httpx.Response(500), "/akun/sandi")
    assert page.status_code == 303 and page.headers["location"].startswith("/masuk")


async def test_registering_sends_the_forms_idempotency_key_so_a_double_send_registers_once() -> None:
    sent: list[str | None] = []

    def registry(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/regions":
            return httpx.Response(200, json=REGIONS)
        assert (request.method, request.url.path) == ("POST", "/kims")
        sent.append(request.headers.get("idempotency-key"))
        return httpx.Response(202, json={"status": "check_your_email"})

    app = create_app(
        Settings(registry_url="http://registry"),
        clock=lambda: NOW,
        http=httpx.AsyncClient(transport=httpx.MockTransport(registry)),
    )
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://console") as browser,
    ):
        form = await browser.get("/daftar")
        fields = dict(re.findall(r'name="(csrf_token|idempotency_key)" value="([^"]+)"', form.text))
        body = {
            **fields,
            "name": "KIM Bumiayu Sejahtera",
            "kelurahan_code": "bumiayu",
            "chair": "Siti Aminah",
            "whatsapp": "081234567890",
            "email": "bumiayu@kim.example",
            "password": "kopi tubruk di teras balai",
            "password_again": "kopi tubruk di teras balai",
        }
        answers = [await browser.post("/daftar", data=body) for _ in range(2)]
    assert [answer.status_code for answer in answers] == [303, 303]
    assert sent == [fields["idempotency_key"]] * 2
