"""The service layer on in-memory fakes: notifying subscribers once, sending
what is due, and recording each outcome with the event it causes."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from notifications.adapters.email import SmtpMailer
from notifications.config import Settings
from notifications.domain.delivery import Delivery, RetryPolicy, addressee_id
from notifications.domain.errors import InboxItemNotFound, RecipientNotFound, WebhookTargetForbidden
from notifications.domain.recipient import Recipient, Webhook
from notifications.domain.webhook_targets import WebhookTargets
from notifications.service_layer import services
from notifications.service_layer.commands import ChangeRecipient, CreateRecipient, MarkRead
from notifications.service_layer.notifying import notify
from notifications.service_layer.sending import DeliverySender, Transport, Undeliverable, claim_due

from shared import contracts as c
from shared.platform.persistence.unit_of_work import Cause

from .fakes import Clock, FakeNotifications, FakeTransport
from .samples import JUDGE_EMAIL, samples

SECRET = "rahasia-webhook-kominfo"
WEBHOOK = Webhook(url="https://portal.example.id/hooks", secret=SECRET)
LEASE = timedelta(seconds=60)


async def add_staff(uow: FakeNotifications, clock: Clock, subscriptions: list[str], **fields: Any) -> UUID:
    recipient = await services.create_recipient(
        uow,
        clock,
        CreateRecipient(
            name=fields.get("name", "Seksi Informasi Publik"),
            email=fields.get("email", "ikp@malangkota.go.id"),
            language=fields.get("language", "id"),
            subscriptions=subscriptions,
            webhook=fields.get("webhook", WEBHOOK),
            active=fields.get("active", True),
        ),
    )
    return recipient.recipient_id


def sender(uow: FakeNotifications, clock: Clock, **transports: Transport) -> DeliverySender:
    return DeliverySender(
        uow_for=uow.caused_by,
        transports=transports,  # type: ignore[arg-type]
        policy=RetryPolicy(max_attempts=3, first_delay=timedelta(seconds=10)),
        clock=clock,
        lease=LEASE,
        poll_seconds=1.0,
    )


async def test_subscribers_are_told_once_however_often_the_event_arrives() -> None:
    uow, clock = FakeNotifications(), Clock()
    subscribed = await add_staff(uow, clock, ["entry.submitted"])
    await add_staff(uow, clock, ["enrolment.requested"], name="Tidak berlangganan")
    await add_staff(uow, clock, ["entry.submitted"], name="Nonaktif", active=False)
    event = samples()["entry.submitted"]

    assert await notify(uow.caused_by(Cause.of(event)), event, clock) == 2  # email and webhook wait
    assert await notify(uow.caused_by(Cause.of(event)), event, clock) == 0

    assert sorted((d.recipient_id, d.channel) for d in uow.deliveries.items.values()) == [
        (subscribed, "email"),
        (subscribed, "inbox"),
        (subscribed, "webhook"),
    ]
    assert [
        (e.data.channel, e.correlation_id, e.causation_id) for e in uow.of_type("notification.delivered")
    ] == [("inbox", event.correlation_id, event.event_id)]


async def test_an_event_nobody_subscribed_to_creates_nothing() -> None:
    uow, clock = FakeNotifications(), Clock()
    await add_staff(uow, clock, ["entry.submitted"])
    event = samples()["kim.registered"]
    assert await notify(uow, event, clock) == 0
    assert uow.deliveries.items == {} and event.event_id in uow.processed


async def test_the_inbox_is_newest_first_and_reading_is_idempotent() -> None:
    uow, clock = FakeNotifications(), Clock()
    staff = await add_staff(uow, clock, ["entry.submitted", "enrolment.requested"], email=None, webhook=None)
    first, second = samples()["entry.submitted"], samples()["enrolment.requested"]
    await notify(uow, first, clock)
    clock.advance(1)
    await notify(uow, second, clock)

    items = await uow.deliveries.inbox(staff, unread_only=False, limit=10)
    assert [i.event_id for i in items] == [second.event_id, first.event_id]
    for _ in range(2):
        read = await services.mark_read(
            uow, clock, MarkRead(recipient_id=staff, delivery_id=items[1].delivery_id)
        )
        clock.advance(5)
    assert read.read_at == clock.now - timedelta(seconds=10)
    assert await uow.deliveries.unread(staff) == 1

    someone_else = await add_staff(uow, clock, [])
    with pytest.raises(InboxItemNotFound):
        await services.mark_read(
            uow, clock, MarkRead(recipient_id=someone_else, delivery_id=items[0].delivery_id)
        )
    with pytest.raises(RecipientNotFound):
        await services.mark_read(
            uow, clock, MarkRead(recipient_id=UUID(int=1), delivery_id=items[0].delivery_id)
        )


async def test_due_deliveries_are_sent_and_the_outcome_published_with_the_events_cause() -> None:
    uow, clock = FakeNotifications(), Clock()
    await add_staff(uow, clock, ["entry.submitted"], language="en")
    event = samples()["entry.submitted"]
    await notify(uow.caused_by(Cause.of(event)), event, clock)
    email, webhook = FakeTransport(), FakeTransport()

    assert await sender(uow.caused_by(Cause.new()), clock, email=email, webhook=webhook).send_due() == 2
    assert [d.subject for d, _ in email.sent] == ["New entry: Topeng Malangan dari Tangan-Tangan Istimewa"]
    assert [r.webhook for _, r in webhook.sent] == [WEBHOOK]
    assert {d.channel: d.status for d in uow.deliveries.items.values()} == {
        "inbox": "delivered",
        "email": "delivered",
        "webhook": "delivered",
    }
    delivered = uow.of_type("notification.delivered")
    assert sorted(e.data.channel for e in delivered) == ["email", "inbox", "webhook"]
    assert {(e.correlation_id, e.causation_id) for e in delivered} == {(event.correlation_id, event.event_id)}
    assert await sender(uow, clock, email=email, webhook=webhook).send_due() == 0


class SlowTransport(FakeTransport):
    """Takes a moment per message, like a gateway held to its rate limit."""

    async def send(self, delivery: Delivery, recipient: Recipient | None) -> None:
        await asyncio.sleep(0.01)
        await super().send(delivery, recipient)


async def test_a_stop_ends_the_backlog_after_the_batch_in_flight_and_the_rest_waits() -> None:
    uow, clock = FakeNotifications(), Clock()
    await add_staff(uow, clock, ["entry.submitted"], webhook=None)
    for _ in range(30):  # a backlog of 30 emails, sent in batches of 5
        event = samples()["entry.submitted"].model_copy(update={"event_id": uuid4()})
        await notify(uow.caused_by(Cause.of(event)), event, clock)
    email = SlowTransport()
    sending = sender(uow, clock, email=email)
    sending._batch_size = 5
    sending.start()
    for _ in range(500):  # bounded: until the first batch is under way
        if email.attempts:
            break
        await asyncio.sleep(0.01)
    await asyncio.wait_for(sending.stop(), timeout=5)
    assert 0 < len(email.sent) < 30 and len(email.sent) % 5 == 0  # whole batches, then stopped
    waiting = [d for d in uow.deliveries.items.values() if d.channel == "email" and d.status == "pending"]
    assert len(waiting) == 30 - len(email.sent)  # nothing lost: the rest is sent after a restart
    assert await sender(uow, clock, email=email).send_due() == len(waiting)
    assert len(email.sent) == 30


async def test_a_failing_channel_is_retried_after_the_backoff_then_failed() -> None:
    uow, clock = FakeNotifications(), Clock()
    await add_staff(uow, clock, ["entry.submitted"])
    await notify(uow, samples()["entry.submitted"], clock)
    webhook = FakeTransport(failing=True)
    sending = sender(uow, clock, email=FakeTransport(), webhook=webhook)

    await sending.send_due()
    (hook,) = uow.deliveries.where(lambda d: d.channel == "webhook")
    assert (hook.status, hook.attempts, hook.last_error) == (
        "pending",
        1,
        "ConnectionError: connection refused",
    )
    assert hook.next_attempt_at == clock.now + timedelta(seconds=10)

    clock.advance(9)
    assert await sending.send_due() == 0  # not due yet
    clock.advance(1)
    assert await sending.send_due() == 1
    assert hook.next_attempt_at == clock.now + timedelta(seconds=20)
    clock.advance(20)
    assert await sending.send_due() == 1
    assert (hook.status, hook.attempts, webhook.attempts) == ("failed", 3, 3)
    (report,) = uow.of_type("notification.failed")
    assert (report.data.channel, report.data.attempts, report.data.error) == (
        "webhook",
        3,
        "ConnectionError: connection refused",
    )
    clock.advance(3600)
    assert await sending.send_due() == 0


async def test_a_claimed_delivery_is_not_sent_twice_until_its_lease_ends() -> None:
    uow, clock = FakeNotifications(), Clock()
    await add_staff(uow, clock, ["entry.submitted"], webhook=None)
    await notify(uow, samples()["entry.submitted"], clock)

    ((claimed, _),) = await claim_due(uow, clock, LEASE, 10)
    assert claimed.channel == "email"
    # The sender died before recording an outcome: nobody takes it during the lease...
    assert await claim_due(uow, clock, LEASE, 10) == []
    clock.advance(LEASE.total_seconds())
    # ...and it is tried again after.
    assert [d.delivery_id for d, _ in await claim_due(uow, clock, LEASE, 10)] == [claimed.delivery_id]


async def test_a_recipient_that_removed_the_channel_makes_the_attempt_fail() -> None:
    uow, clock = FakeNotifications(), Clock()
    staff = await add_staff(uow, clock, ["entry.submitted"], webhook=None)
    await notify(uow, samples()["entry.submitted"], clock)
    await services.change_recipient(uow, clock, ChangeRecipient(recipient_id=staff, email=None))
    for _ in range(3):
        await sender(uow, clock, email=SmtpMailer(Settings(smtp_port=9))).send_due()
        clock.advance(60)
    (failed,) = uow.of_type("notification.failed")
    assert failed.data.error == "LookupError: the recipient has no email address any more"


async def test_a_judge_the_event_names_is_emailed_once_even_without_subscribers() -> None:
    uow, clock = FakeNotifications(), Clock()
    event = samples()["judge.assigned"]
    assert await notify(uow.caused_by(Cause.of(event)), event, clock) == 1
    assert await notify(uow.caused_by(Cause.of(event)), event, clock) == 0  # redelivered

    (delivery,) = uow.deliveries.items.values()
    assert (delivery.channel, delivery.address, delivery.recipient_id) == (
        "email",
        JUDGE_EMAIL,
        addressee_id(JUDGE_EMAIL),
    )
    assert delivery.subject == "Tugas penilaian Lomba Video Pendek KIM 2024: 2 karya"
    assert "Yth. Dimas Sutradara" in delivery.text and "KIM Pasreh Jaya (Kelurahan Bumiayu)" in delivery.text

    email = FakeTransport()
    assert await sender(uow.caused_by(Cause.new()), clock, email=email).send_due() == 1
    assert [(d.address, r) for d, r in email.sent] == [(JUDGE_EMAIL, None)]
    assert [e.data.channel for e in uow.of_type("notification.delivered")] == ["email"]
    assert SmtpMailer(Settings()).message(delivery, JUDGE_EMAIL)["To"] == JUDGE_EMAIL


async def test_subscribed_staff_are_told_as_well_and_nobody_twice() -> None:
    uow, clock = FakeNotifications(), Clock()
    staff = await add_staff(uow, clock, ["judge.reminded"])
    judge_also_staff = await add_staff(
        uow, clock, ["judge.reminded"], email=JUDGE_EMAIL.upper(), webhook=None
    )
    event = samples()["judge.reminded"]
    # Staff: inbox (at once), email and webhook; the judge's address is a recipient's
    # already (inbox and email), so no separate email to the judge.
    assert await notify(uow, event, clock) == 3
    assert sorted((d.recipient_id == staff, d.channel) for d in uow.deliveries.items.values()) == [
        (False, "email"),
        (False, "inbox"),
        (True, "email"),
        (True, "inbox"),
        (True, "webhook"),
    ]
    assert all(d.address is None for d in uow.deliveries.items.values())
    assert judge_also_staff in {d.recipient_id for d in uow.deliveries.items.values()}


async def test_a_judge_without_an_address_is_not_emailed() -> None:
    uow, clock = FakeNotifications(), Clock()
    assert await notify(uow, samples(sparse=True)["judge.assigned"], clock) == 0
    assert uow.deliveries.items == {}


async def test_a_webhook_at_a_loopback_or_metadata_address_is_refused_when_set() -> None:
    uow, clock = FakeNotifications(), Clock()
    for url in ("https://127.0.0.1/hook", "https://169.254.169.254/latest", "https://localhost/hook"):
        with pytest.raises(WebhookTargetForbidden) as refused:
            await add_staff(uow, clock, [], webhook=Webhook(url=url, secret=SECRET))
        assert refused.value.field == "webhook.url"
    assert uow.recipients.items == {}

    staff = await add_staff(uow, clock, [])
    with pytest.raises(WebhookTargetForbidden):
        await services.change_recipient(
            uow,
            clock,
            ChangeRecipient(
                recipient_id=staff, webhook=Webhook(url="http://[::ffff:10.0.0.1]/hook", secret=SECRET)
            ),
        )
    assert uow.recipients.items[staff].webhook == WEBHOOK
    # Removing the webhook, or leaving it, is not a target to check.
    await services.change_recipient(uow, clock, ChangeRecipient(recipient_id=staff, name="Seksi IKP"))
    await services.change_recipient(uow, clock, ChangeRecipient(recipient_id=staff, webhook=None))
    assert uow.recipients.items[staff].webhook is None


async def test_private_webhook_addresses_are_accepted_when_configuration_allows_them() -> None:
    uow, clock = FakeNotifications(WebhookTargets(allow_private_addresses=True)), Clock()
    local = Webhook(url="http://127.0.0.1:8099/hooks", secret=SECRET)
    staff = await add_staff(uow, clock, [], webhook=local)
    await services.change_recipient(
        uow,
        clock,
        ChangeRecipient(recipient_id=staff, webhook=Webhook(url="https://169.254.169.254/x", secret=SECRET)),
    )
    assert uow.recipients.items[staff].webhook == Webhook(url="https://169.254.169.254/x", secret=SECRET)


class ForbiddenTarget:
    """A webhook transport whose target is not allowed: it never will be."""

    def __init__(self) -> None:
        self.attempts = 0

    async def send(self, delivery: Delivery, recipient: Recipient | None) -> None:
        self.attempts += 1
        raise Undeliverable("hooks.example.id resolves to 10.0.0.7, a private network address")


async def test_an_undeliverable_webhook_fails_at_once_and_is_not_retried() -> None:
    uow, clock = FakeNotifications(), Clock()
    await add_staff(uow, clock, ["entry.submitted"], email=None)
    await notify(uow, samples()["entry.submitted"], clock)
    webhook = ForbiddenTarget()
    sending = sender(uow, clock, webhook=webhook)

    assert await sending.send_due() == 1
    (hook,) = uow.deliveries.where(lambda d: d.channel == "webhook")
    assert (hook.status, hook.attempts, hook.failed_at, hook.next_attempt_at) == (
        "failed",
        1,
        clock.now,
        None,
    )
    (report,) = uow.of_type("notification.failed")
    assert (report.data.channel, report.data.attempts, report.data.error) == (
        "webhook",
        1,
        "Undeliverable: hooks.example.id resolves to 10.0.0.7, a private network address",
    )
    clock.advance(3600)
    assert await sending.send_due() == 0
    assert webhook.attempts == 1


class SlowCommits(FakeNotifications):
    """A commit that takes a moment, as a real one does: sends finishing meanwhile wait."""

    async def commit(self) -> None:
        await asyncio.sleep(0.01)
        await super().commit()


async def test_outcomes_known_while_one_is_recorded_are_recorded_together_each_under_its_cause() -> None:
    uow, clock = SlowCommits(), Clock()
    await add_staff(uow, clock, ["entry.submitted"], language="en")
    sample = samples()["entry.submitted"]
    events = [
        sample.model_copy(update={"event_id": uuid4(), "correlation_id": f"action-{n}"}) for n in range(3)
    ]
    for event in events:
        await notify(uow.caused_by(Cause.of(event)), event, clock)
    uow.published.clear()
    commits = uow.commits

    sending = sender(uow.caused_by(Cause.new()), clock, email=FakeTransport(), webhook=FakeTransport())
    assert await sending.send_due() == 6  # email and webhook for each event
    # The claim, the first outcome alone, then the five that finished meanwhile together.
    assert uow.commits - commits == 3
    assert {d.status for d in uow.deliveries.items.values()} == {"delivered"}
    delivered = uow.of_type("notification.delivered")
    assert sorted((e.correlation_id, e.causation_id, e.data.channel) for e in delivered) == sorted(
        (event.correlation_id, event.event_id, channel)
        for event in events
        for channel in ("email", "webhook")
    )


async def test_winner_announced_v2_is_kept_but_not_told_beside_v1() -> None:
    uow, clock = FakeNotifications(), Clock()
    await add_staff(uow, clock, ["winner.announced"])
    v1 = samples()["winner.announced"]
    data = v1.data
    v2 = c.WinnerAnnouncedV2.new(
        c.CategoryAnnouncement(
            edition_id=data.edition_id,
            edition_title=data.edition_title,
            category=None,
            winners=[c.AwardedPlacing(**w.model_dump()) for w in data.winners],
            ranking=[c.AwardedPlacing(**p.model_dump()) for p in data.ranking],
            tie_break=data.tie_break,
            announced_at=data.announced_at,
            version=1,
            content_hash="0" * 64,
        ),
        producer="judging",
        correlation_id=v1.correlation_id,
    )
    # The main ranking is told once, from v1; v2 goes beside it until the templates move.
    assert await notify(uow.caused_by(Cause.of(v2)), v2, clock) == 0
    assert uow.deliveries.items == {}
    assert await notify(uow.caused_by(Cause.of(v1)), v1, clock) == 2
