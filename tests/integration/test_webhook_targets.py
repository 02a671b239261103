"""Webhooks may not point at loopback, private or link-local addresses (the cloud
metadata service among them) unless configuration allows it: refused when set,
through the real HTTP API and MongoDB, and failed for good, never posted, when a
stored webhook's host resolves to one at send time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from notifications.main import create_app

from devstack.webhook_sink import WebhookSink

from ..support import EventTap, eventually, serving
from ..unit.notifications.samples import samples
from .flows import ok
from .test_notifications import SECRET, producer, staff_body, webhook_sink

__all__ = ["webhook_sink"]  # the fixture, shared with the notifications tests
FORBIDDEN = ["https://127.0.0.1/hook", "https://169.254.169.254/latest"]


@pytest.mark.parametrize("url", FORBIDDEN)
async def test_a_webhook_at_a_loopback_or_metadata_address_is_refused(settings_for: Any, url: str) -> None:
    settings = settings_for("notifications", webhook_allow_private_addresses=False)
    async with serving(create_app(settings), "notifications") as api:
        refused = await api.post(
            "/recipients",
            json=staff_body(webhook={"url": url, "secret": SECRET}),
            headers={"Accept-Language": "en"},
        )
        assert refused.status_code == 422, refused.text
        error = refused.json()["error"]
        assert (error["code"], error["field"]) == ("webhook_target_forbidden", "webhook.url")
        assert url in error["message"] and "public address" in error["message"]
        assert await ok(await api.get("/recipients")) == []

        staff = await ok(await api.post("/recipients", json=staff_body()), 201)
        changed = await api.patch(
            f"/recipients/{staff['recipient_id']}", json={"webhook": {"url": url, "secret": SECRET}}
        )
        assert (changed.status_code, changed.json()["error"]["field"]) == (422, "webhook.url")
        assert "tidak boleh" in changed.json()["error"]["message"]  # Indonesian by default
        assert (await ok(await api.get(f"/recipients/{staff['recipient_id']}")))["webhook"] is None


@pytest.mark.parametrize("url", FORBIDDEN)
async def test_configuration_can_allow_private_addresses(settings_for: Any, url: str) -> None:
    settings = settings_for("notifications", webhook_allow_private_addresses=True)
    async with serving(create_app(settings), "notifications") as api:
        staff = await ok(
            await api.post("/recipients", json=staff_body(webhook={"url": url, "secret": SECRET})), 201
        )
        assert staff["webhook"] == {"url": url}


async def test_a_stored_webhook_resolving_to_loopback_fails_at_once_and_is_never_posted(
    settings_for: Any, amqp_url_for: Callable[[str], str], tap: EventTap, webhook_sink: WebhookSink
) -> None:
    # Set while private addresses were allowed (or before the rule existed)...
    allowed = settings_for("notifications", webhook_allow_private_addresses=True)
    async with serving(create_app(allowed), "notifications") as api:
        local_url = webhook_sink.url.replace("127.0.0.1", "localhost")
        await ok(
            await api.post(
                "/recipients", json=staff_body(email=None, webhook={"url": local_url, "secret": SECRET})
            ),
            201,
        )

    # ...and sent after they no longer are: the name resolves to 127.0.0.1.
    strict = settings_for(
        "notifications",
        webhook_allow_private_addresses=False,
        delivery_poll_seconds=0.2,
        delivery_backoff_seconds=0.2,
    )
    async with serving(create_app(strict), "notifications") as api, producer(amqp_url_for) as bus:
        await bus.publish(samples()["entry.submitted"])

        async def failed() -> list[dict[str, Any]]:
            return await ok(await api.get("/deliveries", params={"channel": "webhook", "status": "failed"}))

        (delivery,) = await eventually(failed)
        assert delivery["attempts"] == 1
        assert delivery["last_error"].startswith("WebhookTargetNotAllowed: localhost resolves to ")
        assert "a loopback address" in delivery["last_error"]
        (report,) = await eventually(lambda: tap.of_type("notification.failed"))
        assert (report.data["channel"], report.data["attempts"]) == ("webhook", 1)
        assert webhook_sink.received == []
