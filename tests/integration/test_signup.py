"""A KIM registers itself and confirms by mail; a forgotten password is reset by
mail; a password change ends every session. Against the real broker, MongoDB wire
server and a local SMTP server (`MailSink`)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI
from registry.main import create_app as create_registry

from devstack.mail_sink import MailSink

from ..support import EventTap, eventually, serving
from .flows import kim_body, ok

CONSOLE = "http://console.test"


@pytest.fixture
def registry_app(settings_for: Any, mail_sink: MailSink) -> FastAPI:
    return create_registry(
        settings_for(
            "registry",
            smtp_host=mail_sink.host,
            smtp_port=mail_sink.port,
            console_url=CONSOLE,
            mail_poll_seconds=0.2,
            mail_requests_per_email=3,
            mail_requests_per_client=6,
        )
    )


@asynccontextmanager
async def client_at(app: FastAPI, address: str) -> AsyncIterator[httpx.AsyncClient]:
    """An anonymous client at `address` (the app must be serving already)."""
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://registry") as client:
        yield client


def mails_to(sink: MailSink, address: str) -> list[Any]:
    return [m for m in sink.messages if str(m["To"]) == address]


async def mail_to(sink: MailSink, address: str, count: int = 1) -> Any:
    await eventually(lambda: len(mails_to(sink, address)) >= count, timeout=15)
    return mails_to(sink, address)[count - 1]


def token_in(mail: Any, path: str) -> str:
    found = re.search(re.escape(CONSOLE + path) + r"\?token=(\S+)", mail.get_content())
    assert found, mail.get_content()
    return parse_qs(urlsplit(found.group(0)).query)["token"][0]


def self_registration(name: str, kelurahan: str, number: int, password: str = "kata-sandi-rahasia") -> dict:
    return {**kim_body(name, kelurahan, number), "password": password}


async def test_registration_answers_alike_for_free_taken_and_pending_emails(
    registry_app: FastAPI, mail_sink: MailSink, tap: EventTap
) -> None:
    async with serving(registry_app, "registry") as staff:
        # Staff open a judge's account: its email is taken.
        await ok(
            await staff.post(
                "/accounts",
                json={
                    "email": "juri@juri.id",
                    "name": "Juri",
                    "role": "judge",
                    "password": "rahasia-penilai-2024",
                },
            ),
            201,
        )
        async with client_at(registry_app, "10.0.0.1") as anonymous:
            free = await anonymous.post(
                "/kims", json={**self_registration("KIM Satu", "bumiayu", 1), "email": "baru@kim.id"}
            )
            taken = await anonymous.post(
                "/kims", json={**self_registration("KIM Dua", "gadang", 2), "email": "Juri@Juri.id"}
            )
            pending = await anonymous.post(
                "/kims", json={**self_registration("KIM Tiga", "arjosari", 3), "email": "baru@kim.id"}
            )
        assert free.status_code == taken.status_code == pending.status_code == 202
        assert free.content == pending.content == b'{"status":"confirmation_sent","email":"baru@kim.id"}'
        assert taken.content == b'{"status":"confirmation_sent","email":"juri@juri.id"}'
        assert free.headers.keys() == taken.headers.keys()
        # Nothing was created: no KIM, no account, no event.
        assert await ok(await staff.get("/kims")) == []
        assert [a["email"] for a in await ok(await staff.get("/accounts"))] == ["juri@juri.id"]
        # The mailbox owners learn the rest.
        attempt = await mail_to(mail_sink, "juri@juri.id")
        assert "sudah ada akun" in attempt.get_content()
        assert f"{CONSOLE}/sandi/lupa" in attempt.get_content()
        assert "token=" not in attempt.get_content()
        first = await mail_to(mail_sink, "baru@kim.id", 1)
        assert "KIM Satu" in str(first["Subject"])
        await mail_to(mail_sink, "baru@kim.id", 2)
        assert tap.of_type("kim.registered") == []


async def test_confirmation_creates_the_kim_and_account_once(
    registry_app: FastAPI, mail_sink: MailSink, tap: EventTap
) -> None:
    async with serving(registry_app, "registry") as staff, client_at(registry_app, "10.0.0.2") as anonymous:
        sent = await anonymous.post(
            "/kims",
            json=self_registration("KIM Pasreh Jaya", "bumiayu", 1, "topeng-malangan-2024"),
            headers={"Accept-Language": "en"},
        )
        assert sent.status_code == 202, sent.text
        mail = await mail_to(mail_sink, "kim1@example.id")
        assert str(mail["Subject"]).startswith("Confirm the registration")  # asked in English
        token = token_in(mail, "/daftar/konfirmasi")
        assert (
            await anonymous.post(
                "/auth/login", json={"email": "kim1@example.id", "password": "topeng-malangan-2024"}
            )
        ).status_code == 401

        # Confirmed twice at once: one KIM, one account; the second is refused by name.
        answers = await asyncio.gather(
            *(anonymous.post("/registrations/confirmation", json={"token": token}) for _ in range(2))
        )
        statuses = sorted(a.status_code for a in answers)
        assert statuses == [201, 409], [a.text for a in answers]
        refused = next(a for a in answers if a.status_code == 409)
        assert refused.json()["error"]["code"] == "link_already_used"
        kims = await ok(await staff.get("/kims"))
        assert [k["name"] for k in kims] == ["KIM Pasreh Jaya"]
        accounts = [a for a in await ok(await staff.get("/accounts")) if a["role"] == "kim_rep"]
        assert [(a["email"], a["kim_id"]) for a in accounts] == [("kim1@example.id", kims[0]["kim_id"])]
        await tap.wait_for("kim.registered")
        await tap.wait_for("account.opened")
        login = await anonymous.post(
            "/auth/login", json={"email": "kim1@example.id", "password": "topeng-malangan-2024"}
        )
        assert login.status_code == 200
        again = await anonymous.post("/registrations/confirmation", json={"token": token})
        assert (again.status_code, again.json()["error"]["code"]) == (409, "link_already_used")
        unknown = await anonymous.post("/registrations/confirmation", json={"token": "bukan-token"})
        assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "link_not_valid")


async def test_an_email_claimed_meanwhile_is_refused_at_confirmation(
    registry_app: FastAPI, mail_sink: MailSink
) -> None:
    async with serving(registry_app, "registry") as staff, client_at(registry_app, "10.0.0.3") as anonymous:
        await ok(await anonymous.post("/kims", json=self_registration("KIM Ganjur", "gadang", 2)), 202)
        token = token_in(await mail_to(mail_sink, "kim2@example.id"), "/daftar/konfirmasi")
        await ok(
            await staff.post(
                "/accounts",
                json={
                    "email": "kim2@example.id",
                    "name": "Juri",
                    "role": "judge",
                    "password": "rahasia-penilai-2024",
                },
            ),
            201,
        )
        refused = await anonymous.post("/registrations/confirmation", json={"token": token})
        assert (refused.status_code, refused.json()["error"]["code"]) == (409, "registration_email_taken")
        assert await ok(await staff.get("/kims")) == []


async def test_validation_still_answers_at_once_by_field(registry_app: FastAPI) -> None:
    async with serving(registry_app, "registry"), client_at(registry_app, "10.0.0.4") as anonymous:
        for change, field in (
            ({"kelurahan_code": "atlantis"}, "kelurahan_code"),
            ({"whatsapp": "12345"}, "whatsapp"),
            ({"password": "pendek"}, "password"),
        ):
            answer = await anonymous.post(
                "/kims", json={**self_registration("KIM Salah", "bumiayu", 1), **change}
            )
            assert (answer.status_code, answer.json()["error"]["field"]) == (422, field), answer.text


async def test_registration_and_reset_are_throttled_per_email_and_client(
    registry_app: FastAPI, mail_sink: MailSink
) -> None:
    async with serving(registry_app, "registry"):
        async with client_at(registry_app, "10.0.1.1") as first:
            for number in range(3):
                body = self_registration(f"KIM Throttle {number}", "bumiayu", 1)
                await ok(await first.post("/kims", json=body), 202)
            over = await first.post("/kims", json=self_registration("KIM Throttle 9", "bumiayu", 1))
            assert over.status_code == 429 and int(over.headers["Retry-After"]) > 0, over.text
            assert over.json()["error"]["code"] == "too_many_requests"
        # Per email, from anywhere: the same address from another client is throttled too.
        async with client_at(registry_app, "10.0.1.2") as second:
            over = await second.post("/kims", json=self_registration("KIM Throttle 8", "bumiayu", 1))
            assert over.status_code == 429
            # Per client: six requests from one address, whatever the emails.
            for number in range(6):
                answer = await second.post("/auth/password-reset", json={"email": f"x{number}@kim.id"})
                assert answer.status_code == 202
            assert (await second.post("/auth/password-reset", json={"email": "y@kim.id"})).status_code == 429


async def test_a_reset_ends_every_session_and_works_once(registry_app: FastAPI, mail_sink: MailSink) -> None:
    async with serving(registry_app, "registry") as staff, client_at(registry_app, "10.0.2.1") as anonymous:
        await ok(
            await staff.post(
                "/accounts",
                json={
                    "email": "juri@juri.id",
                    "name": "Juri",
                    "role": "judge",
                    "password": "sandi-lama-2024",
                },
            ),
            201,
        )
        session = await ok(
            await anonymous.post("/auth/login", json={"email": "juri@juri.id", "password": "sandi-lama-2024"})
        )
        known = await anonymous.post("/auth/password-reset", json={"email": "JURI@juri.id"})
        unknown = await anonymous.post("/auth/password-reset", json={"email": "siapa@juri.id"})
        assert known.status_code == unknown.status_code == 202
        assert known.json().keys() == unknown.json().keys()
        token = token_in(await mail_to(mail_sink, "juri@juri.id"), "/sandi/atur-ulang")
        short = await anonymous.post(
            "/auth/password-reset/confirmation", json={"token": token, "password": "x"}
        )
        assert (short.status_code, short.json()["error"]["field"]) == (422, "password")
        done = await anonymous.post(
            "/auth/password-reset/confirmation", json={"token": token, "password": "sandi-baru-2024"}
        )
        assert done.status_code == 204, done.text
        again = await anonymous.post(
            "/auth/password-reset/confirmation", json={"token": token, "password": "sandi-lain-2024"}
        )
        assert (again.status_code, again.json()["error"]["code"]) == (409, "link_already_used")
        # The old refresh token is dead; the old password too; the new one works.
        refreshed = await anonymous.post("/auth/refresh", json={"refresh_token": session["refresh_token"]})
        assert (refreshed.status_code, refreshed.json()["error"]["code"]) == (401, "session_ended")
        old = await anonymous.post(
            "/auth/login", json={"email": "juri@juri.id", "password": "sandi-lama-2024"}
        )
        assert old.status_code == 401
        await ok(
            await anonymous.post("/auth/login", json={"email": "juri@juri.id", "password": "sandi-baru-2024"})
        )
        assert mails_to(mail_sink, "siapa@juri.id") == []


async def test_changing_ones_password_ends_every_session(registry_app: FastAPI, tap: EventTap) -> None:
    async with serving(registry_app, "registry") as staff, client_at(registry_app, "10.0.3.1") as anonymous:
        await ok(
            await staff.post(
                "/accounts",
                json={
                    "email": "juri@juri.id",
                    "name": "Juri",
                    "role": "judge",
                    "password": "sandi-lama-2024",
                },
            ),
            201,
        )
        session = await ok(
            await anonymous.post("/auth/login", json={"email": "juri@juri.id", "password": "sandi-lama-2024"})
        )
        bearer = {"Authorization": f"Bearer {session['access_token']}"}
        wrong = await anonymous.post(
            "/accounts/me/password",
            json={"current_password": "salah-sekali", "new_password": "sandi-baru-2024"},
            headers=bearer,
        )
        assert (wrong.status_code, wrong.json()["error"]["field"]) == (422, "current_password")
        changed = await anonymous.post(
            "/accounts/me/password",
            json={"current_password": "sandi-lama-2024", "new_password": "sandi-baru-2024"},
            headers=bearer,
        )
        assert changed.status_code == 204, changed.text
        refreshed = await anonymous.post("/auth/refresh", json={"refresh_token": session["refresh_token"]})
        assert refreshed.status_code == 401
        changes = await tap.wait_for("account.changed")
        assert changes[-1].data["token_version"] == 1
        await ok(
            await anonymous.post("/auth/login", json={"email": "juri@juri.id", "password": "sandi-baru-2024"})
        )


async def test_the_representatives_login_follows_the_kims_email(registry_app: FastAPI, tap: EventTap) -> None:
    async with serving(registry_app, "registry") as staff:
        kim = await ok(await staff.post("/kims", json=kim_body("KIM Ganjur", "gadang", 2)), 201)
        for email, role in (("kim2@example.id", "kim_rep"), ("juri@juri.id", "judge")):
            await ok(
                await staff.post(
                    "/accounts",
                    json={
                        "email": email,
                        "name": "Seseorang",
                        "role": role,
                        "password": "rahasia-sekali-2024",
                        **({"kim_id": kim["kim_id"]} if role == "kim_rep" else {}),
                    },
                ),
                201,
            )
        taken = await staff.patch(f"/kims/{kim['kim_id']}", json={"email": "juri@juri.id"})
        assert (taken.status_code, taken.json()["error"]["code"]) == (409, "kim_email_taken")
        await ok(await staff.patch(f"/kims/{kim['kim_id']}", json={"email": "Ganjur.Baru@example.id"}))
        emails = sorted(a["email"] for a in await ok(await staff.get("/accounts")))
        assert "ganjur.baru@example.id" in emails and "kim2@example.id" not in emails
        changed = await tap.wait_for("account.changed")
        assert changed[-1].data["email"] == "ganjur.baru@example.id"
        await ok(
            await staff.post(
                "/auth/login", json={"email": "ganjur.baru@example.id", "password": "rahasia-sekali-2024"}
            )
        )
