"""Notifications against the real broker and MongoDB wire server: staff are told
about what they subscribed to in their inbox, by email (to a local SMTP sink) and
by signed webhook (to a local HTTP sink), once per event however often it comes."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from notifications.domain.audience import SCOPES
from notifications.main import create_app

from devstack.mail_sink import MailSink
from devstack.webhook_sink import WebhookSink
from shared.platform.messaging import NOTIFICATIONS

from ..support import EventTap, OwnerPublisher, eventually, serving
from ..unit.notifications.samples import samples
from .flows import ok

SECRET = "rahasia-webhook-kominfo-2024"


@pytest.fixture
def webhook_sink() -> Iterator[WebhookSink]:
    sink = WebhookSink(secret=SECRET)
    sink.start()
    yield sink
    sink.stop()


#: Publishes contract events onto kim.events as `EventPublisher` does, each as its owner's broker user.
Producer = OwnerPublisher


@asynccontextmanager
async def producer(url_for: Callable[[str], str]) -> AsyncIterator[Producer]:
    async with OwnerPublisher(url_for) as bus:
        yield bus


async def inbox(api: httpx.AsyncClient, recipient_id: str, **params: Any) -> dict[str, Any]:
    return await ok(await api.get(f"/recipients/{recipient_id}/inbox", params=params))


async def inbox_of(api: httpx.AsyncClient, recipient_id: str, count: int) -> dict[str, Any]:
    async def filled() -> dict[str, Any] | None:
        found = await inbox(api, recipient_id)
        return found if len(found["items"]) >= count else None

    return await eventually(filled)


def staff_body(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Seksi Informasi Publik Diskominfo",
        "email": "ikp@malangkota.go.id",
        "subscriptions": ["entry.submitted", "enrolment.requested"],
        **overrides,
    }


async def test_staff_are_told_once_in_their_inbox_by_email_and_by_signed_webhook(
    settings_for: Any,
    amqp_url_for: Callable[[str], str],
    tap: EventTap,
    mail_sink: MailSink,
    webhook_sink: WebhookSink,
) -> None:
    settings = settings_for(
        "notifications",
        smtp_port=mail_sink.port,
        delivery_poll_seconds=0.2,
        webhook_allow_private_addresses=True,  # the webhook sink listens on 127.0.0.1
    )
    async with serving(create_app(settings), "notifications") as api, producer(amqp_url_for) as bus:
        types = await ok(await api.get("/event-types"))
        # Every type the queue brings but those kept, not told (accounts, the vote's tally) and a
        # voter's code (told only to its own address).
        # One each, whatever versions of it the queue reads (winner.announced v1 and v2).
        assert sorted(t["type"] for t in types) == sorted(
            {e.event_type for e in NOTIFICATIONS.handles if SCOPES[e.event_type].staff}
        )
        submitted = next(t for t in types if t["type"] == "entry.submitted")
        assert submitted["about"]["id"] == "Sebuah KIM mengirim karya."
        templates = await ok(await api.get("/templates"))
        assert len(templates) == len(types)
        assert next(t for t in templates if t["event_type"] == "entry.submitted")["id"]["subject"] == (
            "Karya baru: {title}"
        )

        unknown = await api.post("/recipients", json=staff_body(subscriptions=["entry.submited"]))
        assert (unknown.status_code, unknown.json()["error"]["code"]) == (422, "unknown_event_type")
        assert "'entry.submited'" in unknown.json()["error"]["message"]
        bad_hook = await api.post(
            "/recipients",
            json=staff_body(webhook={"url": "ftp://portal.example.id/hook", "secret": SECRET}),
            headers={"Accept-Language": "en"},
        )
        assert (bad_hook.status_code, bad_hook.json()["error"]["field"]) == (422, "webhook.url")
        assert bad_hook.json()["error"]["message"].startswith("The webhook address must start with")

        staff = await ok(
            await api.post(
                "/recipients", json=staff_body(webhook={"url": webhook_sink.url, "secret": SECRET})
            ),
            201,
        )
        assert staff["language"] == "id" and staff["webhook"] == {"url": webhook_sink.url}
        assert SECRET not in json.dumps(await ok(await api.get(f"/recipients/{staff['recipient_id']}")))
        english = await ok(
            await api.post(
                "/recipients", json={"name": "Kominfo liaison", "subscriptions": ["entry.submitted"]}
            ),
            201,
        )
        english = await ok(await api.patch(f"/recipients/{english['recipient_id']}", json={"language": "en"}))
        assert (english["language"], english["email"], english["webhook"]) == ("en", None, None)

        entry, kim, enrolment = (
            samples()[t] for t in ("entry.submitted", "kim.registered", "enrolment.requested")
        )
        # The same message twice at once, then again once it has been handled.
        await bus.publish(entry)
        await bus.publish(entry)
        await inbox_of(api, staff["recipient_id"], 1)
        await bus.publish(entry)
        await bus.publish(kim)  # nobody subscribed
        await bus.publish(enrolment)

        # entry: staff inbox, email, webhook + the English inbox; enrolment: staff inbox, email, webhook.
        delivered = await tap.wait_for("notification.delivered", count=7)
        await eventually(lambda: len(mail_sink.messages) >= 2 and len(webhook_sink.received) >= 2)

        found = await inbox_of(api, staff["recipient_id"], 2)
        assert found["unread"] == 2
        assert [i["event_id"] for i in found["items"]] == [str(enrolment.event_id), str(entry.event_id)]
        assert found["items"][1]["subject"] == "Karya baru: Topeng Malangan dari Tangan-Tangan Istimewa"
        assert "KIM Pasreh Jaya (Kelurahan Bumiayu)" in found["items"][1]["text"]
        told_in_english = await inbox(api, english["recipient_id"])
        assert [i["subject"] for i in told_in_english["items"]] == [
            "New entry: Topeng Malangan dari Tangan-Tangan Istimewa"
        ]

        subjects = sorted(str(m["Subject"]) for m in mail_sink.messages)
        assert subjects == [
            "Karya baru: Topeng Malangan dari Tangan-Tangan Istimewa",
            "Menunggu persetujuan: KIM Ganjur mendaftar lomba",
        ]
        mail = next(m for m in mail_sink.messages if str(m["Subject"]).startswith("Karya baru"))
        assert mail["To"] == "ikp@malangkota.go.id"
        assert "https://youtu.be/pasreh2024" in mail.get_content()
        (email_delivery,) = await ok(
            await api.get(
                "/deliveries",
                params={
                    "recipient_id": staff["recipient_id"],
                    "channel": "email",
                    "event_type": "entry.submitted",
                },
            )
        )
        assert mail["Message-ID"].startswith(f"<{email_delivery['delivery_id']}@")
        assert (email_delivery["status"], email_delivery["attempts"]) == ("delivered", 1)

        assert all(hook.signature_valid for hook in webhook_sink.received)
        hook = next(h for h in webhook_sink.received if h.headers["X-KIM-Event"] == "entry.submitted")
        assert hook.headers["Content-Type"] == "application/json"
        assert hook.json["event_id"] == str(entry.event_id)
        assert hook.json["recipient_id"] == staff["recipient_id"]
        assert hook.json["delivery_id"] == hook.headers["X-KIM-Delivery"]
        assert hook.json["data"]["video_url"] == "https://youtu.be/pasreh2024"
        assert hook.json["subject"].startswith("Karya baru: ")

        entry_reports = [e for e in delivered if e.data["source_event_id"] == str(entry.event_id)]
        assert sorted(
            (e.data["recipient_id"] == staff["recipient_id"], e.data["channel"]) for e in entry_reports
        ) == [(False, "inbox"), (True, "email"), (True, "inbox"), (True, "webhook")]
        assert {(e.correlation_id, e.body["causation_id"]) for e in entry_reports} == {
            (entry.correlation_id, str(entry.event_id))
        }
        assert await ok(await api.get("/deliveries", params={"event_type": "kim.registered"})) == []

        # Give a wrongly repeated delivery time to show up: nothing more comes of the copies.
        await asyncio.sleep(0.5)
        log = await ok(await api.get("/deliveries", params={"event_type": "entry.submitted"}))
        assert sorted((d["recipient_id"] == staff["recipient_id"], d["channel"]) for d in log) == [
            (False, "inbox"),
            (True, "email"),
            (True, "inbox"),
            (True, "webhook"),
        ]
        assert (
            len(mail_sink.messages),
            len(webhook_sink.received),
            len(tap.of_type("notification.delivered")),
        ) == (2, 2, 7)

        read_path = f"/recipients/{staff['recipient_id']}/inbox/{found['items'][1]['delivery_id']}/read"
        first_read = await ok(await api.post(read_path))
        again = await ok(await api.post(read_path))
        assert first_read["read_at"] is not None and again["read_at"] == first_read["read_at"]
        unread = await inbox(api, staff["recipient_id"], unread_only="true")
        assert unread["unread"] == 1 and [i["event_id"] for i in unread["items"]] == [str(enrolment.event_id)]
        elsewhere = await api.post(
            f"/recipients/{english['recipient_id']}/inbox/{found['items'][1]['delivery_id']}/read"
        )
        assert (elsewhere.status_code, elsewhere.json()["error"]["code"]) == (404, "inbox_item_not_found")
        missing = await api.get("/recipients/00000000-0000-4000-8000-000000000000/inbox")
        assert (missing.status_code, missing.json()["error"]["code"]) == (404, "recipient_not_found")


async def test_a_webhook_answering_500_is_retried_then_fails_for_good(
    settings_for: Any,
    amqp_url_for: Callable[[str], str],
    tap: EventTap,
    mail_sink: MailSink,
    webhook_sink: WebhookSink,
) -> None:
    webhook_sink.respond_with = 500
    settings = settings_for(
        "notifications",
        smtp_port=mail_sink.port,
        delivery_poll_seconds=0.1,
        delivery_max_attempts=3,
        delivery_backoff_seconds=0.2,
        webhook_allow_private_addresses=True,
    )
    async with serving(create_app(settings), "notifications") as api, producer(amqp_url_for) as bus:
        staff = await ok(
            await api.post(
                "/recipients",
                json=staff_body(email=None, webhook={"url": webhook_sink.url, "secret": SECRET}),
            ),
            201,
        )
        entry = samples()["entry.submitted"]
        await bus.publish(entry)

        (failed,) = await tap.wait_for("notification.failed")
        assert (failed.data["channel"], failed.data["attempts"], failed.data["source_event_id"]) == (
            "webhook",
            3,
            str(entry.event_id),
        )
        assert failed.data["error"] == f"WebhookRefused: HTTP 500 from {webhook_sink.url}"
        assert len(webhook_sink.received) == 3
        assert len({h.headers["X-KIM-Delivery"] for h in webhook_sink.received}) == 1

        (logged,) = await ok(await api.get("/deliveries", params={"status": "failed"}))
        assert (logged["channel"], logged["attempts"], logged["recipient_id"]) == (
            "webhook",
            3,
            staff["recipient_id"],
        )
        assert "HTTP 500" in logged["last_error"] and logged["failed_at"] is not None
        assert (await inbox(api, staff["recipient_id"]))["unread"] == 1
        assert [e.data["channel"] for e in tap.of_type("notification.delivered")] == ["inbox"]


async def test_a_malformed_message_is_dead_lettered_and_the_next_one_processed(
    settings_for: Any, amqp_url_for: Callable[[str], str], mail_sink: MailSink
) -> None:
    settings = settings_for("notifications", smtp_port=mail_sink.port, delivery_poll_seconds=0.2)
    async with serving(create_app(settings), "notifications") as api, producer(amqp_url_for) as bus:
        staff = await ok(await api.post("/recipients", json=staff_body(email=None)), 201)
        entry = samples()["entry.submitted"]
        poison = entry.model_dump(mode="json")
        del poison["data"]["title"]
        await bus.publish(entry, json.dumps(poison).encode())
        fresh = samples()["entry.submitted"]
        await bus.publish(fresh)

        found = await inbox_of(api, staff["recipient_id"], 1)
        assert [i["event_id"] for i in found["items"]] == [str(fresh.event_id)]

        # Set aside where staff can see it, with what it said.
        listed = await eventually(lambda: _dead_letters(api))
        assert [(d["message_id"], d["reason"], d["queue"]) for d in listed] == [
            (str(entry.event_id), "rejected", NOTIFICATIONS.name)
        ]
        shown = await ok(await api.get(f"/dead-letters/{listed[0]['dead_letter_id']}"))
        assert shown["body_encoding"] == "json" and "title" not in json.loads(shown["body"])["data"]


async def _dead_letters(api: Any) -> list[dict[str, Any]]:
    return (await api.get("/dead-letters")).json()
