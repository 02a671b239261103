"""Calls out to the internet on a user's behalf (a film's host, a webhook)
without being turned against this machine or the network around it.

`PublicFetcher.get` resolves the host of every URL it is asked for and of every
redirect it meets (`Resolver`, injectable), refuses BEFORE connecting when any
address is loopback, private, link-local, CGNAT, multicast, reserved or
otherwise not global (`forbidden_address`), then connects to the checked address
itself (the host stays in the Host header and in TLS SNI), so a name cannot
resolve to something else between the check and the connection. Redirects are
followed by hand, each hop checked, up to a bound. Timeouts: to connect, and for
the whole exchange; the body is read up to a bound and refused beyond it.

`allow_private_addresses` (development and tests, whose fake servers listen on
127.0.0.1) turns the address check off; nothing else changes.
"""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, ip_address

import httpx

Address = IPv4Address | IPv6Address

#: The addresses a host resolves to, for TCP to `port`.
Resolver = Callable[[str, int], Awaitable[list[str]]]

#: 100.64.0.0/10, carrier-grade NAT: not global, but no property of `ipaddress` names it.
SHARED_ADDRESS_SPACE = IPv4Network("100.64.0.0/10")

#: One part of a numeric IPv4 host: hex, octal or decimal.
NUMBER = re.compile(r"0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*")

REDIRECTS = frozenset({301, 302, 303, 307, 308})


def forbidden_address(address: Address) -> str | None:
    """Why nothing may be fetched from `address` (loopback, private, ...), or None."""
    if isinstance(address, IPv6Address):
        if address.ipv4_mapped is not None:
            return forbidden_address(address.ipv4_mapped)
        if address.sixtofour is not None and (reason := forbidden_address(address.sixtofour)):
            return reason
    checks: list[tuple[bool, str]] = [
        (address.is_unspecified, "unspecified"),
        (address.is_loopback, "loopback"),
        (address.is_link_local, "link-local"),
        (address.is_multicast, "multicast"),
        (isinstance(address, IPv4Address) and address in SHARED_ADDRESS_SPACE, "shared"),
        (address.is_reserved, "reserved"),
        (address.is_private, "private"),
        (not address.is_global, "not-global"),
    ]
    return next((reason for matched, reason in checks if matched), None)


def literal_address(host: str) -> Address | None:
    """The address `host` writes out, if it is one (IPv4, IPv6 with brackets or a
    zone, or IPv4 as resolvers also read it: `2130706433`, `0x7f.1`, `127.1`)."""
    host = host.strip().removeprefix("[").removesuffix("]").removesuffix(".")
    try:
        return ip_address(host.split("%", 1)[0])
    except ValueError:
        return numeric_ipv4(host)


def numeric_ipv4(host: str) -> IPv4Address | None:
    """`inet_aton`'s reading of a host: one to four numbers, each decimal, octal
    (leading 0) or hex (0x), the last filling the bytes left."""
    parts = host.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    numbers = []
    for part in parts:
        if not NUMBER.fullmatch(part):
            return None
        if part[:2].lower() == "0x":
            numbers.append(int(part[2:] or "0", 16))
        elif len(part) > 1 and part.startswith("0"):
            numbers.append(int(part[1:], 8))
        else:
            numbers.append(int(part))
    *leading, last = numbers
    if any(n > 255 for n in leading) or last >= 256 ** (4 - len(leading)):
        return None
    value = last
    for index, number in enumerate(leading):
        value += number << (8 * (3 - index))
    return IPv4Address(value)


async def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, each once, in the resolver's order."""
    found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(sockaddr[0]) for *_, sockaddr in found))


class OutboundRefused(Exception):
    """The fetch was not made, and trying again cannot help."""


class AddressNotAllowed(OutboundRefused):
    def __init__(self, host: str, address: str, reason: str) -> None:
        self.host, self.address, self.reason = host, address, reason
        super().__init__(f"{host} resolves to {address} ({reason}): not fetched")


class UrlNotAllowed(OutboundRefused):
    def __init__(self, url: str, why: str) -> None:
        super().__init__(f"{url}: {why}")


class TooManyRedirects(OutboundRefused):
    def __init__(self, url: str, limit: int) -> None:
        super().__init__(f"{url}: more than {limit} redirects")


class BodyTooLarge(OutboundRefused):
    def __init__(self, url: str, limit: int) -> None:
        super().__init__(f"{url}: the answer is longer than {limit} bytes")


@dataclass(frozen=True)
class Fetched:
    status: int
    #: Where the answer came from, after the redirects.
    url: str
    content_type: str
    body: bytes
    #: A redirect's Location ("" otherwise).
    location: str = ""

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class OutboundLimits:
    connect_seconds: float = 3.0
    total_seconds: float = 10.0
    max_body_bytes: int = 2_000_000
    max_redirects: int = 5


class PublicFetcher:
    """GETs public URLs, each hop's addresses checked before connecting."""

    def __init__(
        self,
        limits: OutboundLimits | None = None,
        *,
        allow_private_addresses: bool = False,
        resolver: Resolver = resolve,
        transport: httpx.AsyncBaseTransport | None = None,
        user_agent: str = "KIM-Contest-film-check/1.0",
    ) -> None:
        self.limits = limits or OutboundLimits()
        self.allow_private_addresses = allow_private_addresses
        self._resolve = resolver
        #: Only tests give one; otherwise httpx's own.
        self._transport = transport
        self._user_agent = user_agent

    async def get(self, url: str) -> Fetched:
        """The answer to a GET of `url` (any status), redirects followed and checked.
        Raises `OutboundRefused` (never retried), `TimeoutError` or `httpx.HTTPError`."""
        async with asyncio.timeout(self.limits.total_seconds):
            return await self._get(url)

    async def _get(self, url: str) -> Fetched:
        timeout = httpx.Timeout(self.limits.total_seconds, connect=self.limits.connect_seconds)
        async with httpx.AsyncClient(
            timeout=timeout, follow_redirects=False, trust_env=False, transport=self._transport
        ) as client:
            current = self._parse(url)
            for _ in range(self.limits.max_redirects + 1):
                response = await self._one_hop(client, current)
                if response.status not in REDIRECTS:
                    return response
                if not response.location:
                    return response
                current = self._parse(str(current.join(response.location)))
            raise TooManyRedirects(url, self.limits.max_redirects)

    @staticmethod
    def _parse(url: str) -> httpx.URL:
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as error:
            raise UrlNotAllowed(url, str(error)) from None
        if parsed.scheme not in ("http", "https") or not parsed.raw_host:
            raise UrlNotAllowed(url, "only http(s) URLs with a host are fetched")
        if parsed.userinfo:
            raise UrlNotAllowed(url, "no credentials in URLs")
        return parsed

    async def _addresses(self, url: httpx.URL) -> list[str]:
        host = url.raw_host.decode("ascii")
        name = host.lower().removesuffix(".")
        if self.allow_private_addresses:
            return [host]
        if name == "localhost" or name.endswith(".localhost"):
            raise AddressNotAllowed(host, host, "localhost")
        written = literal_address(name)
        port = url.port or (443 if url.scheme == "https" else 80)
        addresses = [str(written)] if written is not None else await self._resolve(host, port)
        if not addresses:
            raise httpx.ConnectError(f"{host} resolves to no address")
        for address in addresses:
            parsed = literal_address(address)
            reason = "not-global" if parsed is None else forbidden_address(parsed)
            if reason:
                raise AddressNotAllowed(host, address, reason)
        return addresses

    async def _one_hop(self, client: httpx.AsyncClient, url: httpx.URL) -> Fetched:
        """One request, to each checked address in turn until one connects."""
        addresses = await self._addresses(url)
        host = url.raw_host.decode("ascii")
        headers = {"User-Agent": self._user_agent, "Accept-Language": "en"}
        last_error: httpx.ConnectError | None = None
        for address in addresses:
            if self.allow_private_addresses:
                target, extensions = url, {}
            else:
                headers["Host"] = url.netloc.decode("ascii")
                target, extensions = url.copy_with(host=address), {"sni_hostname": host}
            request = client.build_request("GET", target, headers=headers, extensions=extensions)
            try:
                response = await client.send(request, stream=True)
            except httpx.ConnectError as error:
                last_error = error
                continue  # the next address, as a client connecting by name would
            try:
                if response.status_code in REDIRECTS:
                    location = response.headers.get("location", "")
                    return Fetched(response.status_code, str(url), "", b"", location)
                body = await self._bounded_body(response, str(url))
                return Fetched(response.status_code, str(url), response.headers.get("content-type", ""), body)
            finally:
                await response.aclose()
        assert last_error is not None
        raise last_error

    async def _bounded_body(self, response: httpx.Response, url: str) -> bytes:
        limit = self.limits.max_body_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise BodyTooLarge(url, limit)
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge(url, limit)
            chunks.append(chunk)
        return b"".join(chunks)
