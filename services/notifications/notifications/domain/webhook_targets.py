"""Where a webhook may point: at a public address, not at this machine, the
private network around it or the cloud's metadata service (unless the service is
configured to allow it, for development).

Two checks use these rules: when a webhook is set, its host is refused if it is
`localhost` or an address written out in the URL (no DNS: names change, and the
request must stay fast); when a webhook is sent, every address its host resolves
to is checked (see `adapters/webhook.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, ip_address
from urllib.parse import urlsplit

from .errors import WebhookTargetForbidden

Address = IPv4Address | IPv6Address

#: 100.64.0.0/10, carrier-grade NAT: not global, but not one of the ranges
#: `ipaddress` names with a property of its own.
SHARED_ADDRESS_SPACE = IPv4Network("100.64.0.0/10")

#: One part of a numeric IPv4 host: hex, octal or decimal.
NUMBER = re.compile(r"0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*")

#: Why an address is refused, in Indonesian and English.
REASONS: dict[str, dict[str, str]] = {
    "localhost": {"id": "nama localhost", "en": "a localhost name"},
    "unspecified": {"id": "alamat tak-tertentu", "en": "an unspecified address"},
    "loopback": {"id": "alamat loopback (mesin ini sendiri)", "en": "a loopback address (this machine)"},
    "link-local": {
        "id": "alamat link-local (termasuk layanan metadata cloud)",
        "en": "a link-local address (including the cloud metadata service)",
    },
    "multicast": {"id": "alamat multicast", "en": "a multicast address"},
    "shared": {"id": "alamat ruang bersama (CGNAT)", "en": "a shared address space (CGNAT) address"},
    "reserved": {"id": "alamat yang dicadangkan", "en": "a reserved address"},
    "private": {"id": "alamat jaringan privat", "en": "a private network address"},
    "not-global": {"id": "alamat untuk keperluan khusus", "en": "a special-purpose address"},
}


def forbidden_address(address: Address) -> str | None:
    """Why a webhook may not be sent to `address` (a key of REASONS), or None if it may."""
    if isinstance(address, IPv6Address):
        if address.ipv4_mapped is not None:
            # ::ffff:a.b.c.d is the IPv4 address a.b.c.d, whatever the IPv6 flags say.
            return forbidden_address(address.ipv4_mapped)
        if address.sixtofour is not None and (reason := forbidden_address(address.sixtofour)):
            return reason
    if address.is_unspecified:
        return "unspecified"
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if isinstance(address, IPv4Address) and address in SHARED_ADDRESS_SPACE:
        return "shared"
    if address.is_reserved:
        return "reserved"
    if address.is_private:
        return "private"
    if not address.is_global:
        return "not-global"
    return None


def literal_address(host: str) -> Address | None:
    """The address `host` writes out, if it is one: IPv4 or IPv6 (brackets and a
    zone allowed), or an IPv4 address in the forms resolvers also read as one
    (`2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`). None for a name."""
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


def forbidden_host(host: str) -> str | None:
    """Why a webhook may not name `host`, judged without DNS: a localhost name or
    a forbidden address written out. None when the host is allowed so far."""
    name = host.strip().lower().removesuffix(".")
    if name == "localhost" or name.endswith(".localhost"):
        return "localhost"
    address = literal_address(name)
    return forbidden_address(address) if address is not None else None


@dataclass(frozen=True)
class WebhookTargets:
    """The rule as configured: `allow_private_addresses` (for development, where
    test receivers listen on 127.0.0.1) turns both checks off."""

    allow_private_addresses: bool = False

    def check_url(self, url: str) -> None:
        """Refuses a webhook URL whose host is, as written, not allowed (no DNS)."""
        if self.allow_private_addresses:
            return
        host = urlsplit(url).hostname or ""
        if reason := forbidden_host(host):
            raise WebhookTargetForbidden(
                url=url, reason_id=REASONS[reason]["id"], reason_en=REASONS[reason]["en"]
            )

    def check_address(self, address: str) -> str | None:
        """Why a resolved address may not be sent to, or None (always None when allowed)."""
        if self.allow_private_addresses:
            return None
        parsed = literal_address(address)
        if parsed is None:  # not an address at all: never connect to what we cannot judge
            return "not-global"
        return forbidden_address(parsed)
