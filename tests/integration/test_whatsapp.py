"""The WhatsApp channel against the real broker and MongoDB wire server and the
local Cloud API gateway (devstack/whatsapp_gateway.py): template messages sent,
receipts from signed status callbacks moving deliveries to delivered and read,
repeated and out-of-order callbacks applied once, unknown ids ignored, bad
signatures refused, 429/5xx retried and sent once, and a number that is not on
WhatsApp emailed instead."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from notifications.main import create_app

from devstack.mail_sink import MailSink
from devstack.processes import free_port
from devstack.whatsapp_gateway import WhatsAppGateway

from ..support import EventTap, bearer_for, eventually
from ..unit.notifications.samples import samples
from .flows import ok
from .test_notifications import producer

APP_SECRET = "rahasia-aplikasi-meta-2024"
VERIFY_TOKEN = "token-verifikasi-kominfo"
KIM_NUMBER = "+6281234567890"
ENGLISH_NUMBER = "+6281398765432"


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def gateway(port: int) -> Iterator[WhatsAppGateway]:
    gateway = WhatsAppGateway(
        app_secret=APP_SECRET, callback_url=f"http://127.0.0.1:{port}/whatsapp/status", callback_delay=0.3
    )
    gateway.start()
    yield gateway
    gateway.stop()


@asynccontextmanager
async def listening(app: FastAPI, port: int) -> AsyncIterator[httpx.AsyncClient]:
    """The app served by uvicorn on 127.0.0.1:`port` (the gateway calls it back
    there), and a staff client for it."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    try:
        await eventually(lambda: server.started or serving.done(), timeout=30)
        assert server.started, "the notifications app did not start"
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}", headers=bearer_for(app), timeout=30
        ) as client:
            yield client
    finally:
        server.should_exit = True
        await asyncio.wait_for(serving, 30)


def settings(settings_for: Any, gateway: WhatsAppGateway, mail_sink: MailSink, **overrides: Any) -> Any:
    return settings_for(
        "notifications",
        smtp_port=mail_sink.port,
        delivery_poll_seconds=0.2,
        delivery_backoff_seconds=0.2,
        whatsapp_base_url=gateway.base_url,
        whatsapp_phone_number_id=gateway.phone_number_id,
        whatsapp_token=gateway.token,
        whatsapp_app_secret=APP_SECRET,
        whatsapp_verify_token=VERIFY_TOKEN,
        console_url="http://konsol.kim.example",
        **overrides,
    )


async def add_person(api: httpx.AsyncClient, number: str, **fields: Any) -> dict[str, Any]:
    body = {
        "name": "KIM Pasreh Jaya",
        "email": "pasreh@kim.example",
        "whatsapp": number,
        "subscriptions": ["entry.submitted"],
        **fields,
    }
    return await ok(await api.post("/recipients", json=body), 201)


async def whatsapp_log(api: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    return await ok(await api.get("/deliveries", params={"channel": "whatsapp", **params}))


async def until_status(api: httpx.AsyncClient, status: str, count: int = 1) -> list[dict[str, Any]]:
    async def found() -> list[dict[str, Any]] | None:
        log = await whatsapp_log(api, status=status)
        return log if len(log) >= count else None

    return await eventually(found, timeout=30)


async def post_status(
    api: httpx.AsyncClient, gateway: WhatsAppGateway, message_id: str, status: str, **extra: Any
) -> httpx.Response:
    body = gateway.status_body(message_id, KIM_NUMBER, status, extra.get("errors"))
    headers = extra.get("headers", gateway.signed(body))
    return await api.post("/whatsapp/status", content=body, headers=headers)


async def test_whatsapp_messages_are_sent_in_each_language_and_receipts_make_them_delivered_and_read(
    settings_for: Any,
    amqp_url_for: Callable[[str], str],
    tap: EventTap,
    mail_sink: MailSink,
    gateway: WhatsAppGateway,
    port: int,
) -> None:
    app = create_app(settings(settings_for, gateway, mail_sink))
    async with listening(app, port) as api, producer(amqp_url_for) as bus:
        refused = await api.post(
            "/recipients", json={"name": "KIM", "whatsapp": "0341-551234"}, headers={"Accept-Language": "en"}
        )
        assert (refused.status_code, refused.json()["error"]["code"], refused.json()["error"]["field"]) == (
            422,
            "whatsapp_number_invalid",
            "whatsapp",
        )
        kim = await add_person(api, "0812-3456-7890")
        assert kim["whatsapp"] == KIM_NUMBER
        english = await add_person(api, "081398765432", name="Liaison", email=None, language="en")
        templates = await ok(await api.get("/whatsapp/templates"))
        assert {t["event_type"] for t in templates} >= {
            "entry.submitted",
            "winner.announced",
            "judge.assigned",
        }

        entry = samples()["entry.submitted"]
        await bus.publish(entry)
        await bus.publish(entry)  # told once however often it comes

        read = await eventually(
            lambda: _all_read(api, 2), timeout=30
        )  # the gateway calls back sent, delivered, read
        assert sorted(d["recipient_id"] for d in read) == sorted(
            [kim["recipient_id"], english["recipient_id"]]
        )
        for delivery in read:
            statuses = [r["status"] for r in delivery["receipts"]]
            assert statuses[-2:] == ["delivered", "read"] and set(statuses) <= {"sent", "delivered", "read"}
            assert delivery["status"] == "delivered" and delivery["provider_message_id"].startswith("wamid.")
            assert delivery["attempts"] == 1
        delivered = await tap.wait_for(
            "notification.delivered", lambda e: e.data["channel"] == "whatsapp", count=2
        )
        assert {(e.correlation_id, e.body["causation_id"]) for e in delivered} == {
            (entry.correlation_id, str(entry.event_id))
        }

        by_number = {m.to: m for m in gateway.messages}
        assert sorted(by_number) == [KIM_NUMBER, ENGLISH_NUMBER] and len(gateway.messages) == 2
        indonesian, in_english = by_number[KIM_NUMBER], by_number[ENGLISH_NUMBER]
        assert (indonesian.template, indonesian.language, in_english.language) == (
            "entry_submitted",
            "id",
            "en",
        )
        assert indonesian.parameters[:2] == ["KIM Pasreh Jaya", "Topeng Malangan dari Tangan-Tangan Istimewa"]
        link = f"http://konsol.kim.example/lomba/{entry.data.edition_id}"
        assert indonesian.parameters[-1] == in_english.parameters[-1] == link
        # WhatsApp instead of email, not both.
        await asyncio.sleep(0.5)
        assert mail_sink.messages == [] and len(gateway.messages) == 2
        assert all(answer == 200 for m in gateway.messages for _, answer in m.callbacks)

        handshake = await api.get(
            "/whatsapp/status",
            params={"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"},
        )
        assert (handshake.status_code, handshake.text) == (200, "1158201444")
        wrong = await api.get(
            "/whatsapp/status",
            params={"hub.mode": "subscribe", "hub.verify_token": "tebakan", "hub.challenge": "1"},
        )
        assert (wrong.status_code, wrong.json()["error"]["code"]) == (403, "whatsapp_verification_refused")


async def _all_read(api: httpx.AsyncClient, count: int) -> list[dict[str, Any]] | None:
    log = await whatsapp_log(api)
    return log if len(log) == count and all(d["read_at"] for d in log) else None


async def test_callbacks_are_checked_applied_once_never_backwards_and_unknown_ids_ignored(
    settings_for: Any,
    amqp_url_for: Callable[[str], str],
    tap: EventTap,
    mail_sink: MailSink,
    gateway: WhatsAppGateway,
    port: int,
) -> None:
    gateway.receipts = ()  # this test calls back itself
    app = create_app(settings(settings_for, gateway, mail_sink))
    async with listening(app, port) as api, producer(amqp_url_for) as bus:
        await add_person(api, KIM_NUMBER)
        await bus.publish(samples()["entry.submitted"])
        (sent,) = await until_status(api, "sent")
        message_id = sent["provider_message_id"]
        assert sent["receipts"] == [] and message_id == gateway.messages[0].message_id

        body = gateway.status_body(message_id, KIM_NUMBER, "delivered")
        missing = await api.post(
            "/whatsapp/status", content=body, headers={"Content-Type": "application/json"}
        )
        assert (missing.status_code, missing.json()["error"]["code"]) == (403, "whatsapp_signature_missing")
        forged = WhatsAppGateway(app_secret="bukan-rahasianya").signed(body)
        bad = await api.post("/whatsapp/status", content=body, headers=forged)
        assert (bad.status_code, bad.json()["error"]["code"]) == (403, "whatsapp_signature_invalid")
        tampered = await api.post(
            "/whatsapp/status", content=body.replace(b"delivered", b"read"), headers=gateway.signed(body)
        )
        assert tampered.status_code == 403
        (unchanged,) = await whatsapp_log(api)
        assert (unchanged["status"], unchanged["receipts"]) == ("sent", [])

        # Read before delivered: both at once; then the late and the repeated ones change nothing.
        first = await ok(await post_status(api, gateway, message_id, "read"))
        assert first == {"applied": 1, "repeated": 0, "unknown": 0, "malformed": 0}
        late = await ok(await post_status(api, gateway, message_id, "delivered"))
        again = await ok(await post_status(api, gateway, message_id, "read"))
        failed_late = await ok(
            await post_status(api, gateway, message_id, "failed", errors=[{"code": 131000, "title": "x"}])
        )
        unknown = await ok(await post_status(api, gateway, "wamid.tidak-dikenal", "delivered"))
        assert (late["applied"], again["repeated"], failed_late["applied"], unknown["unknown"]) == (
            1,
            1,
            1,
            1,
        )

        (now,) = await whatsapp_log(api)
        assert (now["status"], now["failed_at"]) == ("delivered", None)
        assert now["read_at"] is not None and now["delivered_at"] is not None
        assert [r["status"] for r in now["receipts"]] == ["read", "delivered", "failed"]
        await tap.wait_for("notification.delivered", lambda e: e.data["channel"] == "whatsapp")
        await asyncio.sleep(1.0)  # time for a wrong second report to show up
        assert len([e for e in tap.of_type("notification.delivered") if e.data["channel"] == "whatsapp"]) == 1
        assert tap.of_type("notification.failed") == []


async def test_a_failed_receipt_fails_a_sent_delivery_and_says_why(
    settings_for: Any,
    amqp_url_for: Callable[[str], str],
    tap: EventTap,
    mail_sink: MailSink,
    gateway: WhatsAppGateway,
    port: int,
) -> None:
    gateway.receipts = ()
    app = create_app(settings(settings_for, gateway, mail_sink))
    async with listening(app, port) as api, producer(amqp_url_for) as bus:
        await add_person(api, KIM_NUMBER)
        await bus.publish(samples()["entry.submitted"])
        (sent,) = await until_status(api, "sent")
        errors = [{"code": 131049, "title": "This message was not delivered to maintain healthy ecosystem"}]
        await ok(await post_status(api, gateway, sent["provider_message_id"], "failed", errors=errors))
        await ok(await post_status(api, gateway, sent["provider_message_id"], "delivered"))
        (failed,) = await tap.wait_for("notification.failed")
        assert (failed.data["channel"], failed.data["error"]) == (
            "whatsapp",
            "131049: This message was not delivered to maintain healthy ecosystem",
        )
        (logged,) = await whatsapp_log(api)
        assert (logged["status"], logged["delivered_at"]) == ("failed", None)


async def test_a_gateway_answering_429_then_500_is_retried_and_the_message_sent_once(
    settings_for: Any,
    amqp_url_for: Callable[[str], str],
    tap: EventTap,
    mail_sink: MailSink,
    gateway: WhatsAppGateway,
    port: int,
) -> None:
    gateway.plan(KIM_NUMBER, "429", "500")
    app = create_app(settings(settings_for, gateway, mail_sink))
    async with listening(app, port) as api, producer(amqp_url_for) as bus:
        await add_person(api, KIM_NUMBER)
        await bus.publish(samples()["entry.submitted"])
        (delivered,) = await until_status(api, "delivered")
        assert delivered["attempts"] == 3 and delivered["last_error"].startswith(
            "GatewayRefusal: unavailable"
        )
        assert [status for to, status in gateway.requests if to == KIM_NUMBER] == [429, 500, 200]
        await asyncio.sleep(1.0)
        assert len(gateway.messages) == 1 and len(gateway.requests) == 3
        assert len([e for e in tap.of_type("notification.delivered") if e.data["channel"] == "whatsapp"]) == 1


async def test_a_number_not_on_whatsapp_is_emailed_instead_and_the_log_says_so(
    settings_for: Any,
    amqp_url_for: Callable[[str], str],
    tap: EventTap,
    mail_sink: MailSink,
    gateway: WhatsAppGateway,
    port: int,
) -> None:
    gateway.not_on_whatsapp(KIM_NUMBER)
    app = create_app(settings(settings_for, gateway, mail_sink))
    async with listening(app, port) as api, producer(amqp_url_for) as bus:
        kim = await add_person(api, KIM_NUMBER)
        entry = samples()["entry.submitted"]
        await bus.publish(entry)
        (failed,) = await tap.wait_for("notification.failed")
        assert failed.data["channel"] == "whatsapp" and "dialihkan ke email" in failed.data["error"]
        await tap.wait_for("notification.delivered", lambda e: e.data["channel"] == "email")
        await eventually(lambda: mail_sink.messages)
        (mail,) = mail_sink.messages
        assert (mail["To"], str(mail["Subject"])) == (
            "pasreh@kim.example",
            "Karya baru: Topeng Malangan dari Tangan-Tangan Istimewa",
        )
        (logged,) = await whatsapp_log(api)
        assert logged["status"] == "failed" and "131026" in logged["last_error"]
        (emailed,) = await ok(await api.get("/deliveries", params={"channel": "email"}))
        assert (emailed["recipient_id"], emailed["status"]) == (kim["recipient_id"], "delivered")
        assert gateway.messages == [] and gateway.requests == [(KIM_NUMBER, 400)]
