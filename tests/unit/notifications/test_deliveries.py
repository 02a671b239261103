"""Deliveries: the inbox at once, email and webhook pending until sent; retries
wait longer each time, and the last allowed failure is final."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from notifications.domain import events
from notifications.domain.delivery import Delivery, Notice, RetryPolicy
from notifications.domain.recipient import Recipient, Webhook
from notifications.service_layer.integration_events import to_integration

from shared import contracts as c

from .samples import samples

NOW = datetime(2024, 8, 1, 10, 0, tzinfo=UTC)
POLICY = RetryPolicy(max_attempts=3, first_delay=timedelta(seconds=30))


def staff(language: str = "id", **overrides: object) -> Recipient:
    fields: dict[str, object] = {
        "name": "Seksi Informasi Publik",
        "email": "ikp@malangkota.go.id",
        "language": language,
        "subscriptions": ["entry.submitted"],
        "webhook": Webhook(url="https://portal.example.id/hooks", secret="rahasia-webhook-kominfo"),
        "now": NOW,
    }
    return Recipient.create(**{**fields, **overrides})  # type: ignore[arg-type]


def deliveries(recipient: Recipient) -> dict[str, Delivery]:
    notice = Notice.of(samples()["entry.submitted"])
    return {d.channel: d for d in notice.deliveries_to(recipient, NOW)}


def test_one_delivery_per_channel_the_inbox_delivered_at_once() -> None:
    found = deliveries(staff())
    assert sorted(found) == ["email", "inbox", "webhook"]
    inbox = found["inbox"]
    assert (inbox.status, inbox.attempts, inbox.delivered_at) == ("delivered", 1, NOW)
    assert [type(e) for e in inbox.events] == [events.DeliveryDelivered]
    for channel in ("email", "webhook"):
        assert (found[channel].status, found[channel].next_attempt_at, found[channel].events) == (
            "pending",
            NOW,
            [],
        )


def test_the_message_is_in_the_recipients_language_and_only_the_webhook_carries_data() -> None:
    indonesian, english = deliveries(staff("id")), deliveries(staff("en"))
    assert indonesian["email"].subject.startswith("Karya baru: ")
    assert english["email"].subject.startswith("New entry: ")
    assert (
        indonesian["webhook"].data is not None and indonesian["webhook"].data["kim_name"] == "KIM Pasreh Jaya"
    )
    assert indonesian["email"].data is None and indonesian["inbox"].data is None


def test_a_recipient_without_email_or_webhook_gets_only_the_inbox() -> None:
    assert sorted(deliveries(staff(email=None, webhook=None))) == ["inbox"]


def test_a_sent_delivery_is_delivered_and_says_so() -> None:
    email = deliveries(staff())["email"]
    email.claim(NOW, timedelta(seconds=60))
    assert email.next_attempt_at == NOW + timedelta(seconds=60)
    email.succeeded(NOW + timedelta(seconds=1))
    assert (email.status, email.attempts, email.delivered_at, email.next_attempt_at) == (
        "delivered",
        1,
        NOW + timedelta(seconds=1),
        None,
    )
    event_class, outcome = to_integration(email.events[-1])
    assert event_class is c.NotificationDelivered
    assert (outcome.channel, outcome.attempts, outcome.source_event_type, outcome.error) == (
        "email",
        1,
        "entry.submitted",
        None,
    )


def test_failed_attempts_wait_twice_as_long_each_time_then_fail_for_good() -> None:
    webhook = deliveries(staff())["webhook"]
    webhook.attempt_failed(NOW, "HTTP 500 from https://portal.example.id/hooks", POLICY)
    assert (webhook.status, webhook.attempts, webhook.next_attempt_at) == (
        "pending",
        1,
        NOW + timedelta(seconds=30),
    )
    later = NOW + timedelta(seconds=30)
    webhook.attempt_failed(later, "HTTP 502 from https://portal.example.id/hooks", POLICY)
    assert (webhook.attempts, webhook.next_attempt_at) == (2, later + timedelta(seconds=60))
    assert webhook.events == []
    webhook.attempt_failed(later, "HTTP 503 from https://portal.example.id/hooks", POLICY)
    assert (webhook.status, webhook.attempts, webhook.failed_at, webhook.next_attempt_at) == (
        "failed",
        3,
        later,
        None,
    )
    event_class, outcome = to_integration(webhook.events[-1])
    assert event_class is c.NotificationFailed
    assert (outcome.attempts, outcome.error) == (3, "HTTP 503 from https://portal.example.id/hooks")


def test_the_wait_between_attempts_has_a_bound() -> None:
    policy = RetryPolicy(max_attempts=50, first_delay=timedelta(seconds=30), max_delay=timedelta(hours=1))
    assert [policy.delay(n).total_seconds() for n in (1, 2, 3, 8, 30)] == [30, 60, 120, 3600, 3600]


def test_an_outcome_after_the_delivery_was_settled_changes_nothing() -> None:
    email = deliveries(staff())["email"]
    email.succeeded(NOW)
    email.attempt_failed(NOW, "late timeout", POLICY)
    email.succeeded(NOW + timedelta(seconds=5))
    assert (email.status, email.attempts, email.last_error, len(email.events)) == ("delivered", 1, None, 1)


def test_reading_keeps_the_first_time() -> None:
    inbox = deliveries(staff())["inbox"]
    inbox.mark_read(NOW + timedelta(minutes=1))
    inbox.mark_read(NOW + timedelta(minutes=2))
    assert inbox.read_at == NOW + timedelta(minutes=1)


def test_a_permanent_failure_is_final_at_once() -> None:
    webhook = deliveries(staff())["webhook"]
    webhook.attempt_failed(NOW, "WebhookTargetNotAllowed: x resolves to 10.0.0.1", POLICY, permanent=True)
    assert (webhook.status, webhook.attempts, webhook.failed_at, webhook.next_attempt_at) == (
        "failed",
        1,
        NOW,
        None,
    )
    assert [type(e) for e in webhook.events] == [events.DeliveryFailed]
