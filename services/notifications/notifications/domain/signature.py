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


def sign_hub(app_secret: str, body: bytes) -> str:
    """A WhatsApp (Meta) callback's `X-Hub-Signature-256`: `sha256=` + hex HMAC-SHA256
    of the raw body under the app secret (no timestamp)."""
    return PREFIX + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def verify_hub(app_secret: str, body: bytes, signature: str) -> bool:
    """Whether `signature` is the body's, compared in constant time."""
    return hmac.compare_digest(sign_hub(app_secret, body).encode(), signature.strip().encode())
