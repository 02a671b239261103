"""Recipients: what they may subscribe to, where they are told, and how they change."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from notifications.domain.audience import SCOPES
from notifications.domain.errors import UnknownEventType, WebhookUrlInvalid
from notifications.domain.recipient import Recipient, Webhook

from shared.platform.messaging import NOTIFICATIONS

NOW = datetime(2024, 8, 1, 10, 0, tzinfo=UTC)
SECRET = "rahasia-webhook-kominfo"


def recipient(**overrides: object) -> Recipient:
    fields: dict[str, object] = {
        "name": "Seksi Informasi Publik",
        "email": None,
        "language": "id",
        "subscriptions": ["entry.submitted"],
        "webhook": None,
        "now": NOW,
    }
    return Recipient.create(**{**fields, **overrides})  # type: ignore[arg-type]


def test_every_event_the_queue_handles_can_be_subscribed_to_once_each() -> None:
    # The accounts and the vote's tally are kept, not told; a voter's code goes to its own address.
    # One subscription per type, whatever versions of it the queue reads (winner.announced v1 and v2).
    handled = list(dict.fromkeys(e.event_type for e in NOTIFICATIONS.handles if SCOPES[e.event_type].staff))
    chosen = recipient(subscriptions=[*handled, "entry.submitted"])
    assert chosen.subscriptions == handled


@pytest.mark.parametrize("event_type", ["entry.created", "notification.delivered", "ENTRY.SUBMITTED", ""])
def test_an_unknown_event_type_is_refused_naming_it(event_type: str) -> None:
    with pytest.raises(UnknownEventType) as refused:
        recipient(subscriptions=["enrolment.requested", event_type])
    error = refused.value
    assert (error.code, error.field) == ("unknown_event_type", "subscriptions")
    assert f"'{event_type}'" in error.message("id") and "tidak dikenal" in error.message("id")
    assert f"'{event_type}'" in error.message("en") and "GET /event-types" in error.message("en")


def test_changing_subscriptions_checks_them_too() -> None:
    chosen = recipient()
    with pytest.raises(UnknownEventType):
        chosen.change(now=NOW, subscriptions=["winner.announced", "winners.announced"])
    assert chosen.subscriptions == ["entry.submitted"]


@pytest.mark.parametrize(
    "url",
    [
        "ftp://portal.example.id/hook",
        "https://",
        "portal.example.id/hook",
        "javascript:alert(1)",
        "http://[::1",
    ],
)
def test_a_webhook_needs_an_http_or_https_address_with_a_host(url: str) -> None:
    with pytest.raises(WebhookUrlInvalid) as refused:
        Webhook(url=url, secret=SECRET)
    assert refused.value.field == "webhook.url"
    assert url in refused.value.message("id") and url in refused.value.message("en")


@pytest.mark.parametrize("url", ["https://portal.malangkota.go.id/hooks/kim", "http://127.0.0.1:8099/hooks"])
def test_http_and_https_webhooks_are_accepted(url: str) -> None:
    assert Webhook(url=url, secret=SECRET).url == url


def test_the_inbox_always_email_and_webhook_when_set() -> None:
    assert recipient().channels() == ["inbox"]
    assert recipient(email="ikp@malangkota.go.id").channels() == ["inbox", "email"]
    full = recipient(email="ikp@malangkota.go.id", webhook=Webhook(url="https://x.id/h", secret=SECRET))
    assert full.channels() == ["inbox", "email", "webhook"]


def test_a_change_touches_only_what_is_given_and_none_removes() -> None:
    chosen = recipient(email="ikp@malangkota.go.id", webhook=Webhook(url="https://x.id/h", secret=SECRET))
    later = datetime(2024, 8, 2, tzinfo=UTC)
    chosen.change(now=later, email=None, language="en")
    assert (chosen.email, chosen.language, chosen.webhook, chosen.name) == (
        None,
        "en",
        Webhook(url="https://x.id/h", secret=SECRET),
        "Seksi Informasi Publik",
    )
    chosen.change(now=later, webhook=None, active=False)
    assert (chosen.webhook, chosen.active, chosen.updated_at) == (None, False, later)
