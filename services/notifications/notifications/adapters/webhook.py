"""Webhook deliveries: a signed JSON POST; any 2xx answer means delivered."""

from __future__ import annotations

import json
import time

import httpx

from ..domain.delivery import Delivery
from ..domain.recipient import Recipient
from ..domain.signature import sign


class WebhookRefused(Exception):
    def __init__(self, status: int, url: str) -> None:
        super().__init__(f"HTTP {status} from {url}")


def webhook_body(delivery: Delivery) -> bytes:
    return json.dumps(
        {
            "delivery_id": str(delivery.delivery_id),
            "event_id": str(delivery.event_id),
            "event_type": delivery.event_type,
            "recipient_id": str(delivery.recipient_id),
            "subject": delivery.subject,
            "text": delivery.text,
            "occurred_at": delivery.occurred_at.isoformat(),
            "data": delivery.data,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


class WebhookPoster:
    def __init__(self, timeout_seconds: float) -> None:
        self._timeout = timeout_seconds

    async def send(self, delivery: Delivery, recipient: Recipient | None) -> None:
        webhook = recipient.webhook if recipient else None
        if webhook is None:
            raise LookupError("the recipient has no webhook any more")
        body = webhook_body(delivery)
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "X-KIM-Event": delivery.event_type,
            "X-KIM-Delivery": str(delivery.delivery_id),
            "X-KIM-Timestamp": str(timestamp),
            "X-KIM-Signature": sign(webhook.secret, timestamp, body),
        }
        async with httpx.AsyncClient(timeout=self._timeout) as client:
            response = await client.post(webhook.url, content=body, headers=headers)
        if not response.is_success:
            raise WebhookRefused(response.status_code, webhook.url)
