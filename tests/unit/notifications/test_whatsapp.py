"""The WhatsApp channel on in-memory fakes: templates in both languages, the
callback signature, receipts that never move a delivery back, the rate limit,
the gateway's refusals, and the sender (retry, sent once, email fallback)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from notifications.adapters.whatsapp import (
    GatewayRefusal,
    NotOnWhatsApp,
    WhatsAppTransport,
    classify,
    cloud_api_body,
)
from notifications.domain.delivery import Delivery, Notice, RetryPolicy
from notifications.domain.errors import WhatsAppNumberInvalid
from notifications.domain.recipient import Recipient
from notifications.domain.signature import sign_hub, verify_hub
from notifications.domain.templates import TEMPLATES
from notifications.domain.whatsapp_templates import WHATSAPP_TEMPLATES, WhatsAppMessage, placeholders
from notifications.service_layer.notifying import notify
from notifications.service_layer.rate_limit import TokenBucket
from notifications.service_layer.receipts import apply_statuses, status_updates
from notifications.service_layer.sending import FALLBACK_NOTE, DeliverySender

from shared.platform.persistence.unit_of_work import Cause

from .fakes import Clock, FakeNotifications, FakeTransport
from .samples import samples

NOW = datetime(2024, 8, 1, 10, 0, tzinfo=UTC)
NUMBER = "+6281234567890"
CONSOLE = "https://kim.example"


def person(language: str = "id", **overrides: Any) -> Recipient:
    fields: dict[str, Any] = {
        "name": "KIM Pasreh Jaya",
        "email": "pasreh@kim.example",
        "whatsapp": "0812-3456-7890",
        "language": language,
        "subscriptions": ["entry.submitted"],
        "webhook": None,
        "now": NOW,
    }
    return Recipient.create(**{**fields, **overrides})


def whatsapp_delivery(language: str = "id") -> Delivery:
    notice = Notice.of(samples()["entry.submitted"], console_url=CONSOLE)
    (delivery,) = [d for d in notice.deliveries_to(person(language), NOW) if d.channel == "whatsapp"]
    return delivery


# --- numbers and channels --------------------------------------------------------------------


@pytest.mark.parametrize("written", ["081234567890", "+62 812-3456-7890", "6281234567890", "+6281234567890"])
def test_an_indonesian_mobile_number_is_kept_in_e164(written: str) -> None:
    assert person(whatsapp=written).whatsapp == NUMBER


@pytest.mark.parametrize("written", ["0341-551234", "+6512345678", "12", "nomor saya", "+62 812"])
def test_a_number_that_is_not_an_indonesian_mobile_is_refused(written: str) -> None:
    with pytest.raises(WhatsAppNumberInvalid) as refused:
        person(whatsapp=written)
    assert refused.value.field == "whatsapp"
    assert "bukan nomor seluler Indonesia" in refused.value.message("id")


def test_a_number_means_whatsapp_with_email_as_its_fallback_not_both() -> None:
    assert person().channels() == ["inbox", "whatsapp"]
    assert person(whatsapp=None).channels() == ["inbox", "email"]
    changed = person()
    changed.change(now=NOW, whatsapp=None)
    assert changed.channels() == ["inbox", "email"]


# --- templates -------------------------------------------------------------------------------


def test_every_event_a_person_is_told_has_a_whatsapp_template_in_both_languages() -> None:
    assert set(WHATSAPP_TEMPLATES) == set(TEMPLATES)
    names = [t.name for t in WHATSAPP_TEMPLATES.values()]
    assert len(set(names)) == len(names) and all(re.fullmatch(r"[a-z_]+", n) for n in names)
    for template in WHATSAPP_TEMPLATES.values():
        wanted = list(range(1, len(template.parameters) + 2))  # the values, then the link
        assert placeholders(template.id) == wanted, template.name
        assert placeholders(template.en) == wanted, template.name
        assert template.id != template.en


@pytest.mark.parametrize("event_type", sorted(WHATSAPP_TEMPLATES))
def test_each_template_renders_one_line_parameters_and_a_link_into_the_console(event_type: str) -> None:
    event = samples()[event_type]
    template = WHATSAPP_TEMPLATES[event_type]
    for language in ("id", "en"):
        message = template.render(event.data, language, CONSOLE + "/")
        assert message.template == template.name and message.language == language
        assert len(message.parameters) == len(template.parameters) + 1
        for parameter in message.parameters:
            assert parameter and "\n" not in parameter and "\t" not in parameter and "     " not in parameter
        assert message.parameters[-1].startswith(CONSOLE + "/") and "//" not in message.parameters[-1][8:]
        assert "{{" not in message.text and message.parameters[-1] in message.text


def test_the_same_event_reads_in_indonesian_and_in_english() -> None:
    indonesian, english = whatsapp_delivery("id").whatsapp, whatsapp_delivery("en").whatsapp
    assert indonesian is not None and english is not None
    assert indonesian.text.startswith("Karya KIM Pasreh Jaya diterima:")
    assert english.text.startswith("KIM Pasreh Jaya's entry was received:")
    edition_id = samples()["entry.submitted"].data.edition_id
    assert indonesian.parameters[-1] == english.parameters[-1] == f"{CONSOLE}/lomba/{edition_id}"
    assert indonesian.parameters[2] != english.parameters[2]  # the date, each in its language


def test_the_cloud_api_body_is_a_template_message() -> None:
    message = WhatsAppMessage("entry_submitted", "id", ["a", "b"], "a b")
    assert cloud_api_body(NUMBER, message) == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": NUMBER,
        "type": "template",
        "template": {
            "name": "entry_submitted",
            "language": {"code": "id"},
            "components": [
                {"type": "body", "parameters": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}
            ],
        },
    }


# --- the gateway's refusals ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "code", "kind", "retryable"),
    [
        (429, 130429, "rate_limited", True),
        (400, 130429, "rate_limited", True),
        (400, 131056, "rate_limited", True),
        (400, 131026, "not_on_whatsapp", False),
        (401, 190, "unauthorized", True),
        (500, 131000, "unavailable", True),
        (503, None, "unavailable", True),
        (400, 132001, "invalid", False),
    ],
)
def test_the_cloud_api_errors_are_classified(
    status: int, code: int | None, kind: str, retryable: bool
) -> None:
    body = {"error": {"code": code, "message": "words"}} if code is not None else "<html>"
    refusal = classify(status, body)
    assert (refusal.kind, refusal.code, refusal.retryable) == (kind, code, retryable)


# --- the signature of a status callback --------------------------------------------------


def test_a_callback_signature_is_the_bodys_hmac_under_the_app_secret() -> None:
    body = b'{"entry": []}'
    signature = sign_hub("rahasia-aplikasi", body)
    assert signature.startswith("sha256=") and len(signature) == 7 + 64
    assert verify_hub("rahasia-aplikasi", body, signature)
    assert not verify_hub("rahasia-lain", body, signature)
    assert not verify_hub("rahasia-aplikasi", body + b" ", signature)
    assert not verify_hub("rahasia-aplikasi", body, signature[7:])
    assert not verify_hub("rahasia-aplikasi", body, "")


# --- receipts ----------------------------------------------------------------------------


def sent_delivery() -> Delivery:
    delivery = whatsapp_delivery()
    delivery.sent(NOW, "wamid.1")
    return delivery


def at(seconds: int) -> datetime:
    return NOW + timedelta(seconds=seconds)


def test_receipts_move_a_delivery_forward_and_tell_delivered_once() -> None:
    delivery = sent_delivery()
    assert (delivery.status, delivery.attempts, delivery.provider_message_id) == ("sent", 1, "wamid.1")
    assert delivery.receipt("sent", at(1)) and delivery.status == "sent"
    assert delivery.receipt("delivered", at(2)) and delivery.status == "delivered"
    assert delivery.receipt("read", at(3))
    assert (delivery.status, delivery.delivered_at, delivery.read_at) == ("delivered", at(2), at(3))
    assert [type(e).__name__ for e in delivery.events] == ["DeliveryDelivered"]
    assert [r.status for r in delivery.receipts] == ["sent", "delivered", "read"]


def test_a_repeated_receipt_is_applied_once() -> None:
    delivery = sent_delivery()
    assert delivery.receipt("delivered", at(2))
    assert not delivery.receipt("delivered", at(5))
    assert delivery.delivered_at == at(2) and len(delivery.receipts) == 1 and len(delivery.events) == 1


def test_read_before_delivered_is_delivered_and_read_and_the_late_delivered_changes_nothing() -> None:
    delivery = sent_delivery()
    delivery.receipt("read", at(3))
    assert (delivery.status, delivery.delivered_at, delivery.read_at) == ("delivered", at(3), at(3))
    delivery.receipt("delivered", at(2))
    delivery.receipt("sent", at(1))
    assert (delivery.status, delivery.read_at) == ("delivered", at(3))
    assert [type(e).__name__ for e in delivery.events] == ["DeliveryDelivered"]


def test_failed_ends_a_delivery_not_yet_delivered_and_nothing_revives_it() -> None:
    delivery = sent_delivery()
    delivery.receipt("failed", at(2), "131026: Receiver is incapable of receiving this message")
    assert delivery.status == "failed" and delivery.last_error.startswith("131026")  # type: ignore[union-attr]
    delivery.receipt("delivered", at(3))
    delivery.receipt("read", at(4))
    assert delivery.status == "failed" and delivery.read_at is None
    assert [type(e).__name__ for e in delivery.events] == ["DeliveryFailed"]


def test_failed_after_delivered_is_kept_but_does_not_undo_it() -> None:
    delivery = sent_delivery()
    delivery.receipt("delivered", at(2))
    delivery.receipt("failed", at(3), "131000")
    assert delivery.status == "delivered" and delivery.failed_at is None
    assert [r.status for r in delivery.receipts] == ["delivered", "failed"]


@pytest.mark.parametrize("seed", range(20))
def test_in_any_order_and_with_repeats_the_state_never_goes_back(seed: int) -> None:
    import random

    rank = {"sent": 1, "delivered": 2}
    shuffled = random.Random(seed)
    statuses = [shuffled.choice(["sent", "delivered", "read"]) for _ in range(8)]
    delivery = sent_delivery()
    seen = rank[delivery.status]
    for status in statuses:
        delivery.receipt(status, at(1))  # type: ignore[arg-type]
        assert rank[delivery.status] >= seen
        seen = rank[delivery.status]
    assert len(delivery.events) == (1 if {"delivered", "read"} & set(statuses) else 0)
    assert len(delivery.receipts) == len(set(statuses))


def test_a_callback_body_is_read_for_its_statuses_and_the_malformed_counted() -> None:
    body = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "changes": [
                    {
                        "value": {
                            "statuses": [
                                {"id": "wamid.1", "status": "delivered", "timestamp": "1722506400"},
                                {
                                    "id": "wamid.2",
                                    "status": "failed",
                                    "timestamp": "1722506401",
                                    "errors": [{"code": 131026, "title": "Message undeliverable"}],
                                },
                                {"id": "wamid.3", "status": "deleted", "timestamp": "1"},
                                {"status": "read"},
                                "nonsense",
                            ]
                        }
                    },
                    {"value": {"messages": [{"id": "wamid.in"}]}},
                ]
            },
            "nonsense",
        ],
    }
    updates, malformed = status_updates(body, NOW)
    assert [(u.message_id, u.status) for u in updates] == [("wamid.1", "delivered"), ("wamid.2", "failed")]
    assert updates[0].at == datetime(2024, 8, 1, 10, 0, tzinfo=UTC)
    assert updates[1].error == "131026: Message undeliverable"
    assert malformed == 3
    assert status_updates(None, NOW) == ([], 0) and status_updates({"entry": 5}, NOW) == ([], 0)


async def test_statuses_apply_to_the_delivery_with_that_message_id_once_and_unknown_ids_are_left() -> None:
    uow = FakeNotifications()
    delivery = sent_delivery()
    uow.deliveries.add(delivery)
    body = {
        "entry": [
            {
                "changes": [
                    {
                        "value": {
                            "statuses": [
                                {"id": "wamid.1", "status": "read", "timestamp": "1722506400"},
                                {"id": "wamid.1", "status": "delivered", "timestamp": "1722506300"},
                                {"id": "wamid.1", "status": "read", "timestamp": "1722506400"},
                                {"id": "wamid.unknown", "status": "delivered", "timestamp": "1722506400"},
                            ]
                        }
                    }
                ]
            }
        ]
    }
    updates, _ = status_updates(body, NOW)
    tally = await apply_statuses(uow.caused_by, Clock(), updates)
    assert (tally.applied, tally.repeated, tally.unknown) == (2, 1, 1)
    stored = uow.deliveries.items[delivery.delivery_id]
    assert stored.status == "delivered" and stored.read_at is not None
    (told,) = uow.of_type("notification.delivered")
    assert (told.data.channel, told.correlation_id, told.causation_id) == (
        "whatsapp",
        delivery.correlation_id,
        delivery.event_id,
    )


async def test_a_message_whose_sender_died_before_storing_its_id_is_adopted_from_its_callback() -> None:
    """The gateway took the message, then the process died before it stored the id: the
    status callback names the delivery (`biz_opaque_callback_data`), so the delivery takes
    the id and is never sent again; a reference to nothing, or to a delivery that has an
    id already, changes nothing."""
    uow = FakeNotifications()
    orphan = whatsapp_delivery()
    uow.deliveries.add(orphan)
    assert orphan.pending and orphan.provider_message_id is None

    def callback(message_id: str, status: str, reference: str) -> dict[str, Any]:
        entry = {"id": message_id, "status": status, "timestamp": "1722506400"}
        return {
            "entry": [
                {"changes": [{"value": {"statuses": [{**entry, "biz_opaque_callback_data": reference}]}}]}
            ]
        }

    updates, _ = status_updates(callback("wamid.9", "delivered", str(orphan.delivery_id)), NOW)
    assert updates[0].reference == str(orphan.delivery_id)
    tally = await apply_statuses(uow.caused_by, Clock(), updates)
    assert (tally.applied, tally.unknown) == (1, 0)
    stored = uow.deliveries.items[orphan.delivery_id]
    assert (stored.provider_message_id, stored.status) == ("wamid.9", "delivered")

    gateway = FakeGateway()
    sending = whatsapp_sender(uow, Clock(), gateway, FakeTransport(), CountingLimit())
    assert await sending.send_due() == 0 and gateway.calls == 0  # never sent again

    stray, _ = status_updates(callback("wamid.10", "sent", str(uuid4())), NOW)
    other, _ = status_updates(callback("wamid.11", "sent", str(orphan.delivery_id)), NOW)
    tally = await apply_statuses(uow.caused_by, Clock(), [*stray, *other])
    assert tally.unknown == 2 and uow.deliveries.items[orphan.delivery_id].provider_message_id == "wamid.9"


# --- the rate limit ------------------------------------------------------------------------


class ManualTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_the_bucket_lets_a_burst_through_then_one_every_tick() -> None:
    time = ManualTime()
    bucket = TokenBucket(80, monotonic=time.monotonic, sleep=time.sleep)
    for _ in range(80):
        await bucket.take()
    assert time.now == 0.0 and time.slept == []
    for _ in range(40):
        await bucket.take()
    # 40 more at 80 a second: half a second, never faster.
    assert time.now == pytest.approx(0.5)
    assert not bucket.try_take()
    time.now += 1 / 80
    assert bucket.try_take()


async def test_over_any_window_the_bucket_allows_at_most_burst_plus_rate_times_the_window() -> None:
    time = ManualTime()
    bucket = TokenBucket(10, burst=5, monotonic=time.monotonic, sleep=time.sleep)
    stamps = []
    for _ in range(60):
        await bucket.take()
        stamps.append(time.now)
    for start in stamps:
        within = [s for s in stamps if start <= s <= start + 1.0]
        assert len(within) <= 5 + 10 + 1
    assert stamps[-1] == pytest.approx((60 - 5) / 10)


def test_a_bucket_needs_a_positive_rate() -> None:
    with pytest.raises(ValueError):
        TokenBucket(0)


# --- the sender ----------------------------------------------------------------------------


class FakeGateway:
    """Answers per number: planned refusals first, then message ids."""

    sender_id = "106540352242922"

    def __init__(self, *refusals: GatewayRefusal) -> None:
        self.refusals = list(refusals)
        self.sent: list[tuple[str, WhatsAppMessage]] = []
        self.references: list[str | None] = []
        self.calls = 0

    async def send_template(self, to: str, message: WhatsAppMessage, reference: str | None = None) -> str:
        self.calls += 1
        self.references.append(reference)
        if self.refusals:
            raise self.refusals.pop(0)
        self.sent.append((to, message))
        return f"wamid.{len(self.sent)}"


class CountingLimit:
    def __init__(self) -> None:
        self.taken = 0

    async def take(self) -> None:
        self.taken += 1


def whatsapp_sender(
    uow: FakeNotifications, clock: Clock, gateway: FakeGateway, email: FakeTransport, limit: CountingLimit
) -> DeliverySender:
    return DeliverySender(
        uow_for=uow.caused_by,
        transports={"whatsapp": WhatsAppTransport(gateway), "email": email},
        policy=RetryPolicy(max_attempts=5, first_delay=timedelta(seconds=10)),
        clock=clock,
        lease=timedelta(seconds=60),
        poll_seconds=1.0,
        rate_limits={"whatsapp": limit},
    )


async def told(uow: FakeNotifications, clock: Clock, **fields: Any) -> Recipient:
    recipient = person(**fields)
    uow.recipients.add(recipient)
    event = samples()["entry.submitted"]
    await notify(uow.caused_by(Cause.of(event)), event, clock)
    return recipient


async def test_rate_limited_then_taken_is_sent_once_and_waits_for_its_receipts() -> None:
    uow, clock = FakeNotifications(), Clock()
    await told(uow, clock)
    gateway = FakeGateway(GatewayRefusal("rate_limited", 130429, "Rate limit hit", 429))
    email, limit = FakeTransport(), CountingLimit()
    sending = whatsapp_sender(uow, clock, gateway, email, limit)

    assert await sending.send_due() == 1
    (waiting,) = [d for d in uow.deliveries.items.values() if d.channel == "whatsapp"]
    assert (waiting.status, waiting.attempts) == ("pending", 1) and "130429" in (waiting.last_error or "")
    assert await sending.send_due() == 0  # not before the backoff
    clock.advance(10)
    assert await sending.send_due() == 1
    assert (waiting.status, waiting.provider_message_id, waiting.attempts) == ("sent", "wamid.1", 2)
    assert [to for to, _ in gateway.sent] == [NUMBER] and gateway.sent[0][1].template == "entry_submitted"
    assert limit.taken == 2 and email.sent == []
    clock.advance(3600)
    assert await sending.send_due() == 0 and gateway.calls == 2
    assert uow.of_type("notification.delivered") and all(
        e.data.channel == "inbox" for e in uow.of_type("notification.delivered")
    )


async def test_a_delivery_whose_message_id_is_recorded_is_never_sent_again() -> None:
    uow, clock = FakeNotifications(), Clock()
    await told(uow, clock)
    (delivery,) = [d for d in uow.deliveries.items.values() if d.channel == "whatsapp"]
    delivery.provider_message_id = "wamid.before"  # taken, but the outcome was lost
    gateway = FakeGateway()
    assert await whatsapp_sender(uow, clock, gateway, FakeTransport(), CountingLimit()).send_due() == 1
    assert gateway.calls == 0 and (delivery.status, delivery.provider_message_id) == ("sent", "wamid.before")


async def test_a_number_not_on_whatsapp_fails_and_the_recipient_is_emailed_instead() -> None:
    uow, clock = FakeNotifications(), Clock()
    recipient = await told(uow, clock)
    gateway = FakeGateway(GatewayRefusal("not_on_whatsapp", 131026, "Receiver is incapable", 400))
    email = FakeTransport()
    assert await whatsapp_sender(uow, clock, gateway, email, CountingLimit()).send_due() == 2

    by_channel = {d.channel: d for d in uow.deliveries.items.values()}
    assert by_channel["whatsapp"].status == "failed" and by_channel["whatsapp"].attempts == 1
    assert by_channel["whatsapp"].last_error.startswith("NotOnWhatsApp: +6281234567890 is not on WhatsApp")  # type: ignore[union-attr]
    assert FALLBACK_NOTE in (by_channel["whatsapp"].last_error or "")
    assert by_channel["email"].status == "delivered"
    assert [(d.subject, r.email) for d, r in email.sent] == [
        ("Karya baru: Topeng Malangan dari Tangan-Tangan Istimewa", recipient.email)
    ]
    assert [e.data.channel for e in uow.of_type("notification.failed")] == ["whatsapp"]


async def test_without_an_email_address_nothing_takes_over_and_it_says_so() -> None:
    uow, clock = FakeNotifications(), Clock()
    await told(uow, clock, email=None)
    gateway = FakeGateway(GatewayRefusal("not_on_whatsapp", 131026, "Receiver is incapable", 400))
    assert await whatsapp_sender(uow, clock, gateway, FakeTransport(), CountingLimit()).send_due() == 1
    (failed,) = [d for d in uow.deliveries.items.values() if d.channel == "whatsapp"]
    assert failed.status == "failed" and "no email address to fall back to" in (failed.last_error or "")
    assert not [d for d in uow.deliveries.items.values() if d.channel == "email"]


async def test_a_template_the_gateway_refuses_fails_at_once_without_falling_back() -> None:
    uow, clock = FakeNotifications(), Clock()
    await told(uow, clock)
    gateway = FakeGateway(GatewayRefusal("invalid", 132001, "Template name does not exist", 404))
    assert await whatsapp_sender(uow, clock, gateway, FakeTransport(), CountingLimit()).send_due() == 1
    (failed,) = [d for d in uow.deliveries.items.values() if d.channel == "whatsapp"]
    assert failed.status == "failed" and "132001" in (failed.last_error or "")
    assert not [d for d in uow.deliveries.items.values() if d.channel == "email"]


async def test_without_a_configured_gateway_whatsapp_falls_back_to_email() -> None:
    with pytest.raises(NotOnWhatsApp, match="not configured"):
        await WhatsAppTransport(None).send(whatsapp_delivery(), person())


def test_a_list_becomes_one_parameter_of_items() -> None:
    from notifications.domain.whatsapp_templates import one_line

    assert one_line("- Juara 1: KIM A\n- Juara 2: KIM B\n") == "Juara 1: KIM A; Juara 2: KIM B"
    assert one_line("satu\t  dua      tiga") == "satu dua tiga"
    assert len(one_line("x" * 1000)) == 300


async def test_each_outcome_is_recorded_before_the_next_message_goes_out() -> None:
    # A status callback names the message by the id recorded here: recorded only
    # after the whole batch, the first messages' receipts would find nothing.
    uow, clock = FakeNotifications(), Clock()
    for number in ("081234567890", "081398765432", "085712345678"):
        uow.recipients.add(person(whatsapp=number))
    event = samples()["entry.submitted"]
    await notify(uow.caused_by(Cause.of(event)), event, clock)
    recorded_when_sending: list[int] = []

    class Watching(FakeGateway):
        async def send_template(self, to: str, message: WhatsAppMessage, reference: str | None = None) -> str:
            recorded_when_sending.append(
                sum(1 for d in uow.deliveries.items.values() if d.provider_message_id is not None)
            )
            return await super().send_template(to, message, reference)

    sending = whatsapp_sender(uow, clock, Watching(), FakeTransport(), CountingLimit())
    assert await sending.send_due() == 3
    assert recorded_when_sending == [0, 1, 2]
