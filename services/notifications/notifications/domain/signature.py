"""How webhook bodies are signed, so a receiver can tell they came from us unaltered.

The signature is `sha256=` + hex HMAC-SHA256 of `<timestamp>.<raw body>` under
the recipient's secret; the timestamp (unix seconds) is sent beside it, so a
receiver can also refuse old, replayed requests.
"""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "sha256="


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return PREFIX + digest.hexdigest()


def verify(secret: str, timestamp: int | str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, timestamp, body), signature)
