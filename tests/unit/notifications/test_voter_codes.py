"""A voter's one-time code (`voter.code_requested`): the `kode_pemilih` WhatsApp template
and the email in the voter's language, told once to the address the event names (no
recipient made, no inbox), and the code masked in the delivery once it is settled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from notifications.adapters.whatsapp import GatewayRefusal, WhatsAppTransport
from notifications.domain.delivery import Delivery, RetryPolicy
from notifications.domain.voter_codes import MASK, TEMPLATE, voter_code_message, voter_id
from notifications.domain.whatsapp_templates import WhatsAppMessage
from notifications.service_layer.notifying import notify
from notifications.service_layer.sending import DeliverySender

from shared.contracts.voting import VoterCode, VoterCodeRequested
from shared.platform.persistence.unit_of_work import Cause

from .fakes import Clock, FakeNotifications, FakeTransport

AT = datetime(2024, 8, 17, 12, 0, tzinfo=UTC)  # 19.00 WIB
NUMBER = "+6281234567890"
CODE = "482913"
POLICY = RetryPolicy(max_attempts=3, first_delay=timedelta(seconds=10))


def code_event(**overrides: Any) -> VoterCodeRequested:
    data: dict[str, Any] = {
        "request_id": uuid4(),
        "edition_id": UUID("7f1c2a57-0b8e-4e0c-9a56-1c8d2e7b1a01"),
        "edition_title": "Lomba Film Pendek KIM 2024",
        "channel": "whatsapp",
        "address": NUMBER,
        "code": CODE,
        "expires_at": AT + timedelta(minutes=10),
        "language": "id",
        "at": AT,
        **overrides,
    }
    return VoterCodeRequested.new(data=VoterCode(**data), producer="voting", correlation_id="pilih-1")


class FakeGateway:
    """Takes every message, or refuses while `refusal` is set."""

    sender_id = "nomor-kominfo"

    def __init__(self, refusal: GatewayRefusal | None = None) -> None:
        self.refusal = refusal
        self.messages: list[tuple[str, WhatsAppMessage]] = []

    async def send_template(self, to: str, message: WhatsAppMessage, reference: str | None = None) -> str:
        if self.refusal is not None:
            raise self.refusal
        self.messages.append((to, message))
        return f"wamid.{len(self.messages)}"


def sender(uow: FakeNotifications, clock: Clock, gateway: FakeGateway, mail: FakeTransport) -> DeliverySender:
    return DeliverySender(
        uow_for=uow.caused_by,
        transports={"whatsapp": WhatsAppTransport(gateway), "email": mail},  # type: ignore[dict-item]
        policy=POLICY,
        clock=clock,
        lease=timedelta(seconds=60),
        poll_seconds=1.0,
    )


def test_the_whatsapp_template_gives_the_code_the_edition_and_the_expiry_in_indonesian_by_default() -> None:
    told = voter_code_message(code_event().data)
    assert told.whatsapp is not None
    assert (told.whatsapp.template, told.whatsapp.language, TEMPLATE) == (
        "kode_pemilih",
        "id",
        "kode_pemilih",
    )
    assert told.whatsapp.parameters == [
        "Lomba Film Pendek KIM 2024",
        CODE,
        "17 Agustus 2024 pukul 19.10 WIB",
    ]
    assert told.whatsapp.text.startswith("Kode pemilih Juara Favorit Lomba Film Pendek KIM 2024: 482913.")
    assert "Jangan berikan kode ini" in told.whatsapp.text
    assert told.message.subject == "Kode pemilih Juara Favorit Lomba Film Pendek KIM 2024"
    assert CODE not in told.message.subject


def test_in_english_when_the_voter_read_the_page_in_english_and_by_email_when_asked() -> None:
    english = voter_code_message(code_event(language="en").data)
    assert english.whatsapp is not None and english.whatsapp.language == "en"
    assert english.whatsapp.text.startswith(
        "Your Juara Favorit voter code for Lomba Film Pendek KIM 2024: 482913."
    )
    assert english.whatsapp.parameters[2] == "17 August 2024, 19:10 WIB"
    by_email = voter_code_message(code_event(channel="email", address="warga@example.id").data)
    assert by_email.whatsapp is None
    assert CODE in by_email.message.text and "17 Agustus 2024 pukul 19.10 WIB" in by_email.message.text
    assert all("\n" not in p for p in english.whatsapp.parameters)


def test_an_email_carries_a_link_to_the_vote_with_the_code_filled_in_masked_once_sent() -> None:
    event = code_event(channel="email", address="warga@example.id")
    data = event.data
    link = (
        f"https://kim.malangkota.go.id/pilih/{data.edition_id}/suara?permintaan={data.request_id}&kode={CODE}"
    )
    told = voter_code_message(data, "https://kim.malangkota.go.id/")
    assert link in told.message.text and "kodenya sudah terisi" in told.message.text
    assert "/suara?" not in voter_code_message(code_event().data).message.text  # WhatsApp: no link
    emailed = Delivery.of_voter_code(event, AT, "https://kim.malangkota.go.id")
    assert link in emailed.text
    emailed.succeeded(AT)
    assert CODE not in emailed.text and f"kode={MASK}" in emailed.text


def test_the_code_is_masked_once_the_gateway_took_it_not_while_it_waits() -> None:
    delivery = Delivery.of_voter_code(code_event(), AT)
    assert (delivery.recipient_id, delivery.address, delivery.channel) == (
        voter_id(NUMBER),
        NUMBER,
        "whatsapp",
    )
    assert delivery.secret == CODE and delivery.whatsapp is not None and CODE in delivery.whatsapp.parameters

    delivery.attempt_failed(AT, "ConnectError", POLICY)  # tried again later: the code must stay
    assert delivery.secret == CODE and delivery.pending

    delivery.sent(AT, "wamid.1")
    assert delivery.secret is None and delivery.whatsapp is not None
    assert CODE not in delivery.whatsapp.text and CODE not in " ".join(delivery.whatsapp.parameters)
    assert delivery.whatsapp.parameters[1] == MASK and CODE not in delivery.text


def test_the_code_is_masked_when_the_delivery_fails_for_good_and_after_an_email_is_sent() -> None:
    failed = Delivery.of_voter_code(code_event(), AT)
    failed.attempt_failed(AT, "not on WhatsApp", POLICY, permanent=True)
    assert failed.status == "failed" and failed.secret is None and CODE not in failed.text

    emailed = Delivery.of_voter_code(code_event(channel="email", address="warga@example.id"), AT)
    assert CODE in emailed.text
    emailed.succeeded(AT)
    assert emailed.status == "delivered" and CODE not in emailed.text and MASK in emailed.text


async def test_a_code_is_told_once_to_its_address_however_often_it_arrives_and_no_recipient_is_made() -> None:
    uow, clock = FakeNotifications(), Clock(AT)
    event = code_event()
    assert await notify(uow.caused_by(Cause.of(event)), event, clock) == 1
    assert await notify(uow.caused_by(Cause.of(event)), event, clock) == 0

    (delivery,) = uow.deliveries.items.values()
    assert (delivery.channel, delivery.address, delivery.status) == ("whatsapp", NUMBER, "pending")
    assert uow.recipients.items == {}
    assert await uow.deliveries.inbox(delivery.recipient_id, unread_only=False, limit=10) == []


async def test_the_sender_gives_the_gateway_the_code_and_keeps_only_the_masked_message() -> None:
    uow, clock, gateway, mail = FakeNotifications(), Clock(AT), FakeGateway(), FakeTransport()
    await notify(uow, code_event(language="en"), clock)
    assert await sender(uow, clock, gateway, mail).send_due() == 1

    ((to, message),) = gateway.messages
    assert (to, message.template, message.language, message.parameters[1]) == (
        NUMBER,
        "kode_pemilih",
        "en",
        CODE,
    )
    (delivery,) = uow.deliveries.items.values()
    assert (delivery.status, delivery.provider_message_id, delivery.secret) == ("sent", "wamid.1", None)
    assert delivery.whatsapp is not None and CODE not in delivery.whatsapp.text and CODE not in delivery.text
    assert mail.sent == []


async def test_a_number_not_on_whatsapp_fails_visibly_with_nowhere_to_fall_back_and_the_code_masked() -> None:
    uow, clock = FakeNotifications(), Clock(AT)
    gateway = FakeGateway(GatewayRefusal("not_on_whatsapp", 131026, "Message undeliverable"))
    await notify(uow, code_event(), clock)
    await sender(uow, clock, gateway, FakeTransport()).send_due()

    (delivery,) = uow.deliveries.items.values()
    assert delivery.status == "failed" and delivery.secret is None and CODE not in delivery.text
    assert delivery.last_error is not None and "no email address to fall back to" in delivery.last_error
    assert [e.data.source_event_type for e in uow.of_type("notification.failed")] == ["voter.code_requested"]


async def test_a_code_that_expired_before_it_could_be_sent_is_not_sent_and_fails_masked() -> None:
    uow, clock, gateway = FakeNotifications(), Clock(AT), FakeGateway()
    await notify(uow, code_event(), clock)
    clock.advance(11 * 60)  # the code was good for ten minutes; the gateway was away meanwhile
    await sender(uow, clock, gateway, FakeTransport()).send_due()

    (delivery,) = uow.deliveries.items.values()
    assert gateway.messages == [] and delivery.status == "failed" and delivery.secret is None
    assert delivery.last_error is not None and "expired" in delivery.last_error
    assert CODE not in delivery.text
