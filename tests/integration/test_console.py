"""The console against the real registry (in process): sign in, the access token
renewed when it is about to expire and when a service answers 401, sign out and
refused afterwards, a session ended elsewhere sends the person to /masuk, and a
form posted without its CSRF token is refused."""

from __future__ import annotations

import re
from typing import Any

import httpx
from console.config import Settings as ConsoleSettings
from console.main import create_app as create_console
from registry.main import create_app as create_registry

from ..support import serving
from .flows import edition_body, ok

ADMIN = {"email": "admin@malangkota.go.id", "password": "admin-pertama-2024"}


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


async def test_sign_in_renew_sign_out_and_csrf(settings_for: Any) -> None:
    registry_settings = settings_for(
        "registry", first_admin_email=ADMIN["email"], first_admin_password=ADMIN["password"]
    )
    registry_app = create_registry(registry_settings)
    async with serving(registry_app, "registry") as registry:
        await ok(await registry.post("/editions", json=edition_body()), 201)
        to_registry = httpx.AsyncClient(transport=httpx.ASGITransport(app=registry_app))
        console_app = create_console(ConsoleSettings(registry_url="http://registry"), http=to_registry)
        async with (
            console_app.router.lifespan_context(console_app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=console_app), base_url="http://console"
            ) as browser,
        ):
            form = await browser.get("/masuk")
            assert form.status_code == 200 and "<h1>Masuk</h1>" in form.text

            # Without its CSRF token: refused with a page saying so.
            forged = await browser.post("/masuk", data=ADMIN)
            assert forged.status_code == 403 and "Formulir ini sudah kedaluwarsa" in forged.text

            wrong = await browser.post(
                "/masuk", data={**ADMIN, "password": "salah", "csrf_token": csrf_of(form)}
            )
            assert wrong.status_code == 400
            assert "Ada masalah" in wrong.text and "Email atau kata sandi salah." in wrong.text
            assert 'aria-invalid="true"' in wrong.text

            signed_in = await browser.post("/masuk", data={**ADMIN, "csrf_token": csrf_of(form)})
            assert signed_in.status_code == 303 and signed_in.headers["location"] == "/staf"
            cookie = signed_in.headers["set-cookie"]
            assert "kim_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
            assert "access_token" not in cookie and "eyJ" not in cookie  # no token in the browser
            staff_page = await browser.get("/staf")
            assert staff_page.status_code == 200 and "Lomba Video Pendek KIM 2024" in staff_page.text
            assert "Anda sudah masuk." in staff_page.text

            (session,) = console_app.state.sessions
            # The access token is about to expire: renewed before the call.
            first_refresh = session.refresh_token
            session.access_expires_at = console_app.state.sessions.clock() + 30
            assert (await browser.get("/staf")).status_code == 200
            assert session.refresh_token != first_refresh
            # A service answers 401 (here: a spoilt token): renewed, and the call made again.
            second_refresh, session.access_token = session.refresh_token, "spoilt"
            assert (await browser.get("/staf")).status_code == 200
            assert session.refresh_token != second_refresh and session.access_token != "spoilt"
            # The earlier refresh tokens stopped working at the registry.
            rotated = await registry.post("/auth/refresh", json={"refresh_token": first_refresh}, headers={})
            assert rotated.status_code == 401 and rotated.json()["error"]["code"] == "session_ended"

            # That reuse ended the whole session: the next renewal sends the person to /masuk.
            session.access_expires_at = 0
            sent_away = await browser.get("/staf")
            assert sent_away.status_code == 303 and sent_away.headers["location"] == "/masuk?kembali=/staf"
            again = await browser.get(sent_away.headers["location"])
            assert "Sesi Anda sudah berakhir. Silakan masuk lagi." in again.text

            # Sign in, sign out: the registry's session ends and /staf asks to sign in.
            await browser.post("/masuk", data={**ADMIN, "csrf_token": csrf_of(again)})
            staff_page = await browser.get("/staf")
            assert staff_page.status_code == 200
            (session,) = console_app.state.sessions
            refresh_token = session.refresh_token
            out = await browser.post("/keluar", data={"csrf_token": csrf_of(staff_page)})
            assert out.status_code == 303 and out.headers["location"] == "/"
            assert (await browser.get("/staf")).status_code == 303
            refused = await registry.post("/auth/refresh", json={"refresh_token": refresh_token}, headers={})
            assert refused.status_code == 401
            assert len(console_app.state.sessions) == 0

            # The public pages, in English one click away.
            home = await browser.get("/")
            assert home.status_code == 200 and 'lang="id"' in home.text
            english = await browser.get("/bahasa/en?kembali=/masuk", follow_redirects=True)
            assert 'lang="en"' in english.text and "<h1>Sign in</h1>" in english.text
            assert "Masuk" not in english.text.split("<main", 1)[1]
