"""WhatsApp deliveries through a gateway.

`WhatsAppGateway` is what the sender needs of one: send a template message to a
number and get the gateway's message id back, or a `GatewayRefusal` that says
what kind of refusal it was (so the sender knows whether to wait and retry, give
up, or fall back to email). `CloudApiGateway`, the default, speaks the WhatsApp
Business Cloud API (Meta's official API). Gateways that drive a phone linked by
QR code (Fonnte, Wablas) would be another implementation of the same protocol.

Cloud API: `POST {base_url}/{api_version}/{phone_number_id}/messages` with a
bearer token; the answer is `{"messages": [{"id": "wamid..."}]}`, or an error
`{"error": {"code": ..., "message": ..., "error_data": {"details": ...}}}`.
Error 130429 (throughput) and 131056 (too many to one number) say "slow down";
131026 says the number cannot receive WhatsApp messages (not on WhatsApp);
190 and other 401s say the token is bad.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

import httpx

from ..domain.delivery import Delivery
from ..domain.recipient import Recipient
from ..domain.whatsapp_templates import WhatsAppMessage
from ..service_layer.sending import FallBack, Undeliverable

RefusalKind = Literal["rate_limited", "not_on_whatsapp", "unauthorized", "unavailable", "invalid"]

RATE_LIMITED = frozenset({130429, 131056, 80007, 4})
NOT_ON_WHATSAPP = frozenset({131026})
UNAUTHORIZED = frozenset({0, 190, 10})
UNAVAILABLE = frozenset({1, 2, 131000, 131016})


class GatewayRefusal(Exception):
    """The gateway did not take a message: what kind of refusal, its code and words."""

    def __init__(self, kind: RefusalKind, code: int | None, message: str, http_status: int | None = None):
        super().__init__(f"{kind} ({code}): {message}" if code is not None else f"{kind}: {message}")
        self.kind = kind
        self.code = code
        self.http_status = http_status

    @property
    def retryable(self) -> bool:
        return self.kind in ("rate_limited", "unavailable", "unauthorized")


class NotOnWhatsApp(FallBack):
    """The number cannot receive WhatsApp messages: the delivery fails and email takes over."""


class WhatsAppGateway(Protocol):
    @property
    def sender_id(self) -> str:
        """The sending number's id: the rate limit is per sending number."""
        ...

    async def send_template(self, to: str, message: WhatsAppMessage, reference: str | None = None) -> str:
        """Send; the gateway's message id, or raise `GatewayRefusal` (or an httpx
        error when it could not be reached). `reference` (the delivery's id) comes
        back in the message's status callbacks."""
        ...


def cloud_api_body(to: str, message: WhatsAppMessage, reference: str | None = None) -> dict[str, Any]:
    """The message as the Cloud API takes it. `reference` goes as `biz_opaque_callback_data`,
    which the API echoes in every status callback of the message: a callback thus names
    the delivery even when the process that sent it died before it stored the message id."""
    body: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "template",
        "template": {
            "name": message.template,
            "language": {"code": message.language},
            "components": [
                {
                    "type": "body",
                    "parameters": [{"type": "text", "text": text} for text in message.parameters],
                }
            ],
        },
    }
    if reference is not None:
        body["biz_opaque_callback_data"] = reference
    return body


def classify(status: int, body: Any) -> GatewayRefusal:
    """A Cloud API error answer as a refusal."""
    error = body.get("error") if isinstance(body, dict) else None
    error = error if isinstance(error, dict) else {}
    code = error.get("code")
    try:
        code = int(code) if code is not None else None
    except (TypeError, ValueError):
        code = None
    data = error.get("error_data")
    details = data.get("details") if isinstance(data, dict) else None
    words = str(details or error.get("message") or f"HTTP {status}")[:300]
    kind: RefusalKind
    if status == 429 or code in RATE_LIMITED:
        kind = "rate_limited"
    elif code in NOT_ON_WHATSAPP:
        kind = "not_on_whatsapp"
    elif status in (401, 403) or code in UNAUTHORIZED:
        kind = "unauthorized"
    elif status >= 500 or code in UNAVAILABLE:
        kind = "unavailable"
    else:
        kind = "invalid"
    return GatewayRefusal(kind, code, words, status)


@dataclass
class CloudApiGateway:
    base_url: str
    api_version: str
    phone_number_id: str
    token: str
    timeout_seconds: float = 10.0

    @property
    def sender_id(self) -> str:
        return self.phone_number_id

    @property
    def url(self) -> str:
        return f"{self.base_url.rstrip('/')}/{self.api_version}/{self.phone_number_id}/messages"

    async def send_template(self, to: str, message: WhatsAppMessage, reference: str | None = None) -> str:
        async with httpx.AsyncClient(timeout=self.timeout_seconds, follow_redirects=False) as client:
            response = await client.post(
                self.url,
                json=cloud_api_body(to, message, reference),
                headers={"Authorization": f"Bearer {self.token}"},
            )
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code // 100 != 2:
            raise classify(response.status_code, body)
        try:
            return str(body["messages"][0]["id"])
        except (TypeError, KeyError, IndexError):
            raise GatewayRefusal(
                "unavailable", None, f"HTTP {response.status_code} without a message id", response.status_code
            ) from None


class WhatsAppTransport:
    """The sender's transport for the `whatsapp` channel, over a gateway (None: not configured)."""

    def __init__(self, gateway: WhatsAppGateway | None) -> None:
        self.gateway = gateway

    @property
    def sender_id(self) -> str:
        return self.gateway.sender_id if self.gateway is not None else "-"

    async def send(self, delivery: Delivery, recipient: Recipient | None) -> str:
        if self.gateway is None:
            raise NotOnWhatsApp("WhatsApp is not configured (NOTIFICATIONS_WHATSAPP_TOKEN, _PHONE_NUMBER_ID)")
        # An addressee who is no recipient (a voter) is sent to the number the event gave.
        to = recipient.whatsapp if recipient is not None else delivery.address
        if not to or delivery.whatsapp is None:
            raise NotOnWhatsApp("the recipient has no WhatsApp number any more")
        try:
            return await self.gateway.send_template(to, delivery.whatsapp, str(delivery.delivery_id))
        except GatewayRefusal as refusal:
            if refusal.kind == "not_on_whatsapp":
                raise NotOnWhatsApp(f"{to} is not on WhatsApp: {refusal}") from None
            if not refusal.retryable:
                raise Undeliverable(f"WhatsApp refused: {refusal}") from None
            raise
