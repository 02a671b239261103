"""Webhook signatures: what we sign, a receiver verifies; anything altered fails."""

from __future__ import annotations

import hashlib
import hmac

from notifications.domain.signature import sign, verify

SECRET = "rahasia-webhook-kominfo"
BODY = b'{"event_type":"entry.submitted","subject":"Karya baru: Topeng Malangan"}'


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    expected = hmac.new(SECRET.encode(), b"1722506400." + BODY, hashlib.sha256).hexdigest()
    assert sign(SECRET, 1722506400, BODY) == "sha256=" + expected


def test_a_signature_verifies_with_the_same_secret_timestamp_and_body() -> None:
    signature = sign(SECRET, 1722506400, BODY)
    assert verify(SECRET, "1722506400", BODY, signature)


def test_a_tampered_body_another_secret_or_timestamp_fail() -> None:
    signature = sign(SECRET, 1722506400, BODY)
    assert not verify(SECRET, 1722506400, BODY.replace(b"Topeng", b"Tepong"), signature)
    assert not verify("another-secret-entirely", 1722506400, BODY, signature)
    assert not verify(SECRET, 1722506401, BODY, signature)
    assert not verify(SECRET, 1722506400, BODY, "")
