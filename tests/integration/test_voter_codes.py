"""A voter's one-time code against the real broker and MongoDB wire server and the local
Cloud API gateway (devstack/whatsapp_gateway.py): `voter.code_requested` published twice
reaches the gateway once, as the `kode_pemilih` template with the code, in the voter's
language, to the number the event names; no recipient is made, no inbox item, and the
delivery log never shows the code (masked once the gateway took it)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from notifications.main import create_app

from devstack.mail_sink import MailSink
from devstack.whatsapp_gateway import WhatsAppGateway
from shared.contracts.voting import VoterCode, VoterCodeRequested

from ..support import EventTap, eventually
from .flows import ok
from .test_notifications import producer
from .test_whatsapp import gateway, listening, port, settings, whatsapp_log

__all__ = ["gateway", "port"]  # fixtures

NUMBER = "+6281234567890"
CODE = "482913"


def code_event(**overrides: Any) -> VoterCodeRequested:
    now = datetime.now(UTC)
    data: dict[str, Any] = {
        "request_id": uuid4(),
        "edition_id": uuid4(),
        "edition_title": "Lomba Film Pendek KIM 2024",
        "channel": "whatsapp",
        "address": NUMBER,
        "code": CODE,
        "expires_at": now + timedelta(minutes=10),
        "language": "id",
        "at": now,
        **overrides,
    }
    return VoterCodeRequested.new(data=VoterCode(**data), producer="voting", correlation_id="pilih-1")


async def test_a_code_delivered_twice_reaches_the_gateway_once_and_the_log_never_shows_it(
    settings_for: Any,
    amqp_url_for: Callable[[str], str],
    tap: EventTap,
    mail_sink: MailSink,
    gateway: WhatsAppGateway,
    port: int,
) -> None:
    app = create_app(settings(settings_for, gateway, mail_sink))
    async with listening(app, port) as api, producer(amqp_url_for) as bus:
        event = code_event()
        english = code_event(address="+6281398765432", code="771204", language="en")
        await bus.publish(event)
        await bus.publish(event)  # at least once: the broker may hand it over again
        await bus.publish(english)

        await eventually(lambda: len(gateway.messages) >= 2 or None, timeout=30)
        await tap.wait_for("notification.delivered", lambda e: e.data["channel"] == "whatsapp", count=2)
        await asyncio.sleep(1.0)  # a second copy, if any, would have been sent by now
        by_number = {m.to: m for m in gateway.messages}
        assert len(gateway.messages) == 2 and sorted(by_number) == sorted([NUMBER, "+6281398765432"])
        indonesian, in_english = by_number[NUMBER], by_number["+6281398765432"]
        assert (indonesian.template, indonesian.language, indonesian.parameters[:2]) == (
            "kode_pemilih",
            "id",
            ["Lomba Film Pendek KIM 2024", CODE],
        )
        assert (in_english.template, in_english.language, in_english.parameters[1]) == (
            "kode_pemilih",
            "en",
            "771204",
        )

        log = await whatsapp_log(api, event_type="voter.code_requested")
        assert len(log) == 2 and {d["address"] for d in log} == {NUMBER, "+6281398765432"}
        assert all(d["status"] == "delivered" and d["attempts"] == 1 for d in log)
        shown = json.dumps(log)
        assert CODE not in shown and "771204" not in shown
        assert await ok(await api.get("/recipients")) == []  # the voter is nobody's recipient
        templates = await ok(await api.get("/whatsapp/templates"))
        assert "kode_pemilih" in {t["name"] for t in templates}
        assert mail_sink.messages == []
