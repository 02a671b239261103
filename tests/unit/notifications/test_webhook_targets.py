"""Where a webhook may point: public addresses only, unless private ones are
allowed. Checked as written when the webhook is set, and on every address the
host resolves to when it is sent (with a fake resolver and httpx's mock transport)."""

from __future__ import annotations

from datetime import UTC, datetime
from ipaddress import ip_address
from urllib.parse import urlsplit

import httpx
import pytest
from notifications.adapters.webhook import WebhookPoster, WebhookRefused, WebhookTargetNotAllowed
from notifications.domain.delivery import Delivery, Notice
from notifications.domain.errors import WebhookTargetForbidden
from notifications.domain.recipient import Recipient, Webhook
from notifications.domain.webhook_targets import (
    WebhookTargets,
    forbidden_address,
    forbidden_host,
    literal_address,
)
from notifications.service_layer.sending import Undeliverable

from .samples import samples

SECRET = "rahasia-webhook-kominfo"
NOW = datetime(2024, 8, 1, 10, 0, tzinfo=UTC)
STRICT = WebhookTargets()
ALLOWED = WebhookTargets(allow_private_addresses=True)

FORBIDDEN_ADDRESSES = {
    "127.0.0.1": "loopback",
    "127.8.9.10": "loopback",
    "::1": "loopback",
    "10.1.2.3": "private",
    "172.16.0.1": "private",
    "172.31.255.254": "private",
    "192.168.1.10": "private",
    "fc00::1": "private",
    "fd12:3456::1": "private",
    "169.254.169.254": "link-local",
    "169.254.1.1": "link-local",
    "fe80::1": "link-local",
    "0.0.0.0": "unspecified",
    "::": "unspecified",
    "224.0.0.1": "multicast",
    "239.255.255.250": "multicast",
    "ff02::1": "multicast",
    "240.0.0.1": "reserved",
    "255.255.255.255": "reserved",
    "100.64.0.1": "shared",
    "100.127.255.254": "shared",
    "0.1.2.3": "private",  # "this network"
    "192.0.2.1": "private",  # documentation
    # IPv4-mapped IPv6: the IPv4 address inside decides.
    "::ffff:127.0.0.1": "loopback",
    "::ffff:7f00:1": "loopback",
    "::ffff:10.0.0.1": "private",
    "::ffff:169.254.169.254": "link-local",
    "::ffff:100.64.0.1": "shared",
    "::ffff:0.0.0.0": "unspecified",
    # 6to4 around a forbidden IPv4 address; IPv4-compatible and NAT64 forms.
    "2002:7f00:1::": "loopback",
    "2002:a9fe:a9fe::1": "link-local",
    "::127.0.0.1": "reserved",
    "64:ff9b::a9fe:a9fe": "reserved",
}

PUBLIC_ADDRESSES = [
    "93.184.216.34",
    "8.8.8.8",
    "2606:2800:220:1:248:1893:25c8:1946",
    "2001:4860:4860::8888",
    "::ffff:93.184.216.34",
    "172.32.0.1",  # just outside 172.16/12
    "100.128.0.1",  # just outside 100.64/10
]


@pytest.mark.parametrize(("address", "reason"), FORBIDDEN_ADDRESSES.items())
def test_loopback_private_link_local_and_other_special_addresses_are_forbidden(
    address: str, reason: str
) -> None:
    assert forbidden_address(ip_address(address)) == reason
    assert STRICT.check_address(address) == reason
    assert ALLOWED.check_address(address) is None


@pytest.mark.parametrize("address", PUBLIC_ADDRESSES)
def test_public_addresses_are_allowed(address: str) -> None:
    assert forbidden_address(ip_address(address)) is None
    assert STRICT.check_address(address) is None


@pytest.mark.parametrize(
    ("host", "address"),
    [
        # What a URL may write for 127.0.0.1 and what resolvers read as it
        # (httpx passes all but the octal form on to getaddrinfo unchanged).
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("127.0.1", "127.0.0.1"),
        ("127.0.0.1.", "127.0.0.1"),
        ("0", "0.0.0.0"),
        ("[::1]", "::1"),
        ("fe80::1%25eth0", "fe80::1"),
        ("::ffff:127.0.0.1", "::ffff:127.0.0.1"),
        ("93.184.216.34", "93.184.216.34"),
    ],
)
def test_addresses_are_read_in_every_form_a_resolver_reads(host: str, address: str) -> None:
    assert literal_address(host) == ip_address(address)


@pytest.mark.parametrize(
    "host",
    [
        "portal.malangkota.go.id",
        "example.com",
        "1.2.3.4.5",
        "256.1.1.1",
        "08.1.1.1",
        "0x1g",
        "1_0",
        "١٢٧.0.0.1",
    ],
)
def test_names_are_not_addresses(host: str) -> None:
    assert literal_address(host) is None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://127.0.0.1/hook", "loopback"),
        ("http://127.0.0.1:8099/hooks", "loopback"),
        ("https://169.254.169.254/latest/meta-data/", "link-local"),
        ("https://10.0.0.5/hook", "private"),
        ("https://[::1]/hook", "loopback"),
        ("https://[fe80::1%25eth0]/hook", "link-local"),
        ("https://[::ffff:127.0.0.1]/hook", "loopback"),
        ("https://[::ffff:a9fe:a9fe]/hook", "link-local"),
        ("https://0.0.0.0/hook", "unspecified"),
        ("https://100.64.1.1/hook", "shared"),
        ("http://2130706433/", "loopback"),
        ("http://0x7f.1/", "loopback"),
        ("http://0177.0.0.1/", "loopback"),
        ("https://localhost/hook", "localhost"),
        ("https://LOCALHOST.:8443/hook", "localhost"),
        ("https://foo.localhost/hook", "localhost"),
        ("https://user:pw@127.0.0.1/hook", "loopback"),
    ],
)
def test_a_webhook_url_naming_a_forbidden_host_is_refused(url: str, reason: str) -> None:
    assert forbidden_host(urlsplit(url).hostname or "") == reason
    with pytest.raises(WebhookTargetForbidden) as refused:
        STRICT.check_url(url)
    error = refused.value
    assert (error.code, error.field) == ("webhook_target_forbidden", "webhook.url")
    assert url in error.message("id") and "tidak boleh" in error.message("id")
    assert url in error.message("en") and "public address" in error.message("en")
    ALLOWED.check_url(url)  # allowed by configuration: no error


@pytest.mark.parametrize(
    "url",
    [
        "https://portal.malangkota.go.id/hooks/kim",
        "http://portal.malangkota.go.id/hooks/kim",
        "https://93.184.216.34/hook",
        "https://[2606:2800:220:1:248:1893:25c8:1946]:8443/hook",
        "https://localhost.example.id/hook",
        "https://mylocalhost/hook",
        # A name is not resolved when the webhook is set: the send checks it.
        "https://internal.example.id/hook",
    ],
)
def test_public_hosts_and_names_are_accepted_when_set(url: str) -> None:
    STRICT.check_url(url)


def test_the_refusal_names_the_reason_in_both_languages() -> None:
    with pytest.raises(WebhookTargetForbidden) as refused:
        STRICT.check_url("https://169.254.169.254/latest")
    assert "link-local" in refused.value.message("id") and "metadata cloud" in refused.value.message("id")
    assert "cloud metadata service" in refused.value.message("en")


# --- when sending ----------------------------------------------------------------


def delivery_and_recipient(url: str) -> tuple[Delivery, Recipient]:
    recipient = Recipient.create(
        name="Portal Diskominfo",
        email=None,
        language="id",
        subscriptions=["entry.submitted"],
        webhook=Webhook(url=url, secret=SECRET),
        now=NOW,
    )
    (delivery,) = [
        d
        for d in Notice.of(samples()["entry.submitted"]).deliveries_to(recipient, NOW)
        if d.channel == "webhook"
    ]
    return delivery, recipient


class Resolver:
    """DNS as a dictionary; remembers what it was asked."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.asked: list[tuple[str, int]] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append((host, port))
        return self.answers[host]


class Receiver:
    """httpx's mock transport answering every request with `status`; keeps the requests."""

    def __init__(self, status: int = 200, refuse_connections_to: tuple[str, ...] = ()) -> None:
        self.status = status
        self.refuse = refuse_connections_to
        self.requests: list[httpx.Request] = []
        self.transport = httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.host in self.refuse:
            raise httpx.ConnectError("connection refused", request=request)
        self.requests.append(request)
        if self.status in (301, 302, 307, 308):
            return httpx.Response(self.status, headers={"Location": "http://169.254.169.254/latest"})
        return httpx.Response(self.status)


@pytest.mark.parametrize(
    "addresses",
    [
        ["10.0.0.7"],
        ["93.184.216.34", "127.0.0.1"],
        ["2606:2800:220:1::1", "::ffff:192.168.0.1"],
        ["fd00:ec2::254"],
    ],
)
async def test_a_host_resolving_to_any_forbidden_address_is_not_sent_to(addresses: list[str]) -> None:
    delivery, recipient = delivery_and_recipient("https://hooks.example.id/kim")
    resolver, receiver = Resolver({"hooks.example.id": addresses}), Receiver()
    poster = WebhookPoster(5.0, STRICT, resolver=resolver, transport=receiver.transport)

    with pytest.raises(WebhookTargetNotAllowed) as refused:
        await poster.send(delivery, recipient)
    assert isinstance(refused.value, Undeliverable)  # failed for good, not retried
    assert str(refused.value).startswith("hooks.example.id resolves to ")
    assert "NOTIFICATIONS_WEBHOOK_ALLOW_PRIVATE_ADDRESSES" in str(refused.value)
    assert resolver.asked == [("hooks.example.id", 443)]
    assert receiver.requests == []


async def test_a_public_host_is_sent_to_at_the_checked_address_keeping_host_and_sni() -> None:
    delivery, recipient = delivery_and_recipient("https://hooks.example.id:8443/kim?x=1")
    resolver, receiver = Resolver({"hooks.example.id": ["93.184.216.34"]}), Receiver()
    await WebhookPoster(5.0, STRICT, resolver=resolver, transport=receiver.transport).send(
        delivery, recipient
    )

    (request,) = receiver.requests
    assert str(request.url) == "https://93.184.216.34:8443/kim?x=1"
    assert request.headers["Host"] == "hooks.example.id:8443"
    assert request.extensions["sni_hostname"] == "hooks.example.id"
    assert request.headers["X-KIM-Delivery"] == str(delivery.delivery_id)
    assert resolver.asked == [("hooks.example.id", 8443)]


async def test_an_ipv6_address_is_bracketed_and_the_next_address_tried_when_one_does_not_connect() -> None:
    delivery, recipient = delivery_and_recipient("http://hooks.example.id/kim")
    resolver = Resolver({"hooks.example.id": ["2606:2800:220:1::1", "93.184.216.34"]})
    receiver = Receiver(refuse_connections_to=("2606:2800:220:1::1",))
    await WebhookPoster(5.0, STRICT, resolver=resolver, transport=receiver.transport).send(
        delivery, recipient
    )
    assert [str(r.url) for r in receiver.requests] == ["http://93.184.216.34/kim"]
    assert resolver.asked == [("hooks.example.id", 80)]

    receiver = Receiver(refuse_connections_to=("2606:2800:220:1::1", "93.184.216.34"))
    with pytest.raises(httpx.ConnectError):  # an ordinary failure: tried again later
        await WebhookPoster(5.0, STRICT, resolver=resolver, transport=receiver.transport).send(
            delivery, recipient
        )


async def test_redirects_are_not_followed() -> None:
    delivery, recipient = delivery_and_recipient("https://hooks.example.id/kim")
    resolver, receiver = Resolver({"hooks.example.id": ["93.184.216.34"]}), Receiver(status=302)
    with pytest.raises(WebhookRefused, match="HTTP 302 from https://hooks.example.id/kim"):
        await WebhookPoster(5.0, STRICT, resolver=resolver, transport=receiver.transport).send(
            delivery, recipient
        )
    assert len(receiver.requests) == 1


async def test_with_private_addresses_allowed_the_url_is_posted_as_it_is() -> None:
    delivery, recipient = delivery_and_recipient("http://127.0.0.1:8099/hooks/kim")
    resolver, receiver = Resolver({}), Receiver()
    await WebhookPoster(5.0, ALLOWED, resolver=resolver, transport=receiver.transport).send(
        delivery, recipient
    )
    assert [str(r.url) for r in receiver.requests] == ["http://127.0.0.1:8099/hooks/kim"]
    assert resolver.asked == []


async def test_a_url_httpx_cannot_read_fails_for_good() -> None:
    delivery, recipient = delivery_and_recipient("http://0177.0.0.1/hook")
    with pytest.raises(Undeliverable, match="cannot send to http://0177.0.0.1/hook"):
        await WebhookPoster(5.0, ALLOWED, resolver=Resolver({}), transport=Receiver().transport).send(
            delivery, recipient
        )
