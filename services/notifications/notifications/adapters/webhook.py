"""Webhook deliveries: a signed JSON POST; any 2xx answer means delivered.

Unless private addresses are allowed, the host is resolved first and every
address it resolves to is checked (`domain/webhook_targets.py`); one that is not
allowed fails the delivery for good. The POST then goes to a checked address
itself (the URL's host stays in the Host header and in TLS SNI, and the
certificate is verified against it), so a name cannot resolve to something else
between the check and the connection. Redirects are not followed.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import Awaitable, Callable

import httpx

from ..domain.delivery import Delivery
from ..domain.recipient import Recipient
from ..domain.signature import sign
from ..domain.webhook_targets import REASONS, WebhookTargets
from ..service_layer.sending import Undeliverable

#: The addresses a host resolves to, for TCP to `port`.
Resolver = Callable[[str, int], Awaitable[list[str]]]


class WebhookRefused(Exception):
    def __init__(self, status: int, url: str) -> None:
        super().__init__(f"HTTP {status} from {url}")


class WebhookTargetNotAllowed(Undeliverable):
    def __init__(self, host: str, address: str, reason: str) -> None:
        super().__init__(
            f"{host} resolves to {address}, {REASONS[reason]['en']}: webhooks are not sent there "
            "(NOTIFICATIONS_WEBHOOK_ALLOW_PRIVATE_ADDRESSES=true allows it)"
        )


class WebhookUrlUnusable(Undeliverable):
    def __init__(self, url: str, why: str) -> None:
        super().__init__(f"cannot send to {url}: {why}")


async def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, each once, in the resolver's order."""
    found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(sockaddr[0]) for *_, sockaddr in found))


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
    def __init__(
        self,
        timeout_seconds: float,
        targets: WebhookTargets | None = None,
        *,
        resolver: Resolver = resolve,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._timeout = timeout_seconds
        self._targets = targets or WebhookTargets()
        self._resolve = resolver
        #: Only tests give one; otherwise httpx's own.
        self._transport = transport

    async def send(self, delivery: Delivery, recipient: Recipient | None) -> None:
        webhook = recipient.webhook if recipient else None
        if webhook is None:
            raise LookupError("the recipient has no webhook any more")
        try:
            url = httpx.URL(webhook.url)
        except httpx.InvalidURL as error:
            raise WebhookUrlUnusable(webhook.url, str(error)) from None
        body = webhook_body(delivery)
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "X-KIM-Event": delivery.event_type,
            "X-KIM-Delivery": str(delivery.delivery_id),
            "X-KIM-Timestamp": str(timestamp),
            "X-KIM-Signature": sign(webhook.secret, timestamp, body),
        }
        if self._targets.allow_private_addresses:
            async with self._client(trust_env=True) as client:
                response = await client.post(url, content=body, headers=headers)
        else:
            response = await self._post_to_checked_address(url, body, headers)
        if not response.is_success:
            raise WebhookRefused(response.status_code, webhook.url)

    def _client(self, *, trust_env: bool) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            timeout=self._timeout, follow_redirects=False, trust_env=trust_env, transport=self._transport
        )

    async def _post_to_checked_address(
        self, url: httpx.URL, body: bytes, headers: dict[str, str]
    ) -> httpx.Response:
        host = url.raw_host.decode("ascii")  # IDNA-encoded, what DNS is asked
        if not host:
            raise WebhookUrlUnusable(str(url), "no host")
        port = url.port or (443 if url.scheme == "https" else 80)
        addresses = await asyncio.wait_for(self._resolve(host, port), self._timeout)
        if not addresses:
            raise LookupError(f"{host} resolves to no address")
        for address in addresses:
            if reason := self._targets.check_address(address):
                raise WebhookTargetNotAllowed(host, address, reason)
        pinned_headers = {**headers, "Host": url.netloc.decode("ascii")}
        # Straight to the checked address: a proxy from the environment would
        # connect on its own, and would not keep the SNI.
        async with self._client(trust_env=False) as client:

            async def post_to(address: str) -> httpx.Response:
                return await client.post(
                    url.copy_with(host=address),
                    content=body,
                    headers=pinned_headers,
                    extensions={"sni_hostname": host},
                )

            *others, last = addresses
            for address in others:
                try:
                    return await post_to(address)
                except httpx.ConnectError:
                    continue  # the next address, as a client connecting by name would
            return await post_to(last)
