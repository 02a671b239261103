"""A delivery: one event told to one recipient on one channel.

The inbox is written at once. Email and webhook deliveries wait as pending
until the sender claims them; each failed attempt waits longer before the next,
and after the last allowed attempt (or at once, when trying again cannot help)
the delivery has failed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Literal
from uuid import UUID, uuid4, uuid5

from shared.contracts import Envelope
from shared.kernel.aggregate import Aggregate
from shared.kernel.i18n import DEFAULT_LANGUAGE, LANGUAGES, Language

from . import events
from .personal import DEFAULT_CONSOLE_URL, KIM_EDITION, REMINDER, Reminder, personal, reminder_values
from .recipient import CHANNELS, Channel, Recipient, RecipientRole
from .templates import TEMPLATES, Addressee, Message
from .voter_codes import mask, voter_code_message, voter_id
from .whatsapp_templates import WHATSAPP_TEMPLATES, WhatsAppMessage, reminder_message

#: Which wording a recipient reads: their role's own (a KIM representative's, a
#: judge's) or staff's (None), and their language.
MessageKey = tuple[RecipientRole | None, Language]

#: Reminders are the service's own notices; each gets one stable id, so one
#: delivery per (reminder, recipient, channel) holds across restarts.
REMINDERS = UUID("0b1d6f7e-3c55-4e0a-8d0e-6a1f4c2b9e21")


def reminder_id(reminder: Reminder) -> UUID:
    return uuid5(REMINDERS, f"{reminder.edition_id}:{reminder.kim_id}:{reminder.days_before}")


def message_key(event_type: str, recipient: Recipient) -> MessageKey:
    role = recipient.role if personal(recipient.role, event_type) is not None else None
    return (role, recipient.language)


#: `sent`: handed to a gateway that reports later (WhatsApp) whether it was delivered.
DeliveryStatus = Literal["pending", "sent", "delivered", "failed"]
#: What a WhatsApp status callback says of a message; each is a receipt.
ReceiptStatus = Literal["sent", "delivered", "read", "failed"]

#: How far along each receipt says a message is; a receipt never moves it back.
PROGRESS: dict[ReceiptStatus, int] = {"sent": 1, "delivered": 2, "read": 3}

#: Enough of an error for the delivery log; the rest is in the service's log.
ERROR_LENGTH = 500

#: Addressees are not recipients; each still gets one stable id, from their
#: address, so one delivery per (event, addressee, channel) holds for them too.
ADDRESSEES = UUID("6f0c5c2e-2d3a-4f55-9a53-5d7e1f0b8c11")


def addressee_id(email: str) -> UUID:
    return uuid5(ADDRESSEES, email.strip().lower())


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    first_delay: timedelta
    max_delay: timedelta = timedelta(hours=1)

    def delay(self, attempts: int) -> timedelta:
        """The wait after the `attempts`-th failed attempt: doubles each time, up to a bound."""
        return min(self.first_delay * 2 ** (attempts - 1), self.max_delay)


@dataclass(frozen=True)
class Notice:
    """One event as the recipients are told it: its identity, its data, and its
    message in every language."""

    event_id: UUID
    event_type: str
    occurred_at: datetime
    correlation_id: str
    data: dict[str, Any]
    messages: dict[MessageKey, Message]
    #: The person the event names to tell, if any.
    addressee: Addressee | None = None
    #: The WhatsApp template message in every language rendered, if the event has one.
    whatsapp: dict[Language, WhatsAppMessage] | None = None

    @classmethod
    def of(
        cls,
        event: Envelope[Any],
        languages: Iterable[Language] = LANGUAGES,
        *,
        readers: Iterable[Recipient] = (),
        console_url: str = DEFAULT_CONSOLE_URL,
    ) -> Notice:
        """The notice in staff's words in `languages` (the addressee's, Indonesian, is
        always there when the event names one), and in the words addressed to each of
        `readers` (a KIM representative's, a judge's): rendering costs, and most events
        tell few people."""
        readers = list(readers)
        template = TEMPLATES[event.type]
        addressee = template.addressee_of(event.data)
        wanted = set(languages) | ({DEFAULT_LANGUAGE} if addressee else set())
        messages: dict[MessageKey, Message] = {
            (None, lang): template.render(event.data, lang) for lang in LANGUAGES if lang in wanted
        }
        for reader in readers:
            key = message_key(event.type, reader)
            if key not in messages:
                own = personal(key[0], event.type)
                messages[key] = (
                    own.render(event.data, key[1], console_url)
                    if own
                    else template.render(event.data, key[1])
                )
        on_whatsapp = WHATSAPP_TEMPLATES.get(event.type)
        spoken = wanted | {reader.language for reader in readers}
        return cls(
            event_id=event.event_id,
            event_type=event.type,
            occurred_at=event.occurred_at,
            correlation_id=event.correlation_id,
            data=event.data.model_dump(mode="json"),
            messages=messages,
            addressee=addressee,
            whatsapp=(
                {
                    lang: on_whatsapp.render(event.data, lang, console_url)
                    for lang in LANGUAGES
                    if lang in spoken
                }
                if on_whatsapp is not None
                else None
            ),
        )

    @classmethod
    def of_reminder(
        cls,
        reminder: Reminder,
        *,
        readers: Iterable[Recipient],
        now: datetime,
        correlation_id: str,
        console_url: str = DEFAULT_CONSOLE_URL,
    ) -> Notice:
        """A reminder to submit before the deadline, in each reader's language."""
        own = personal("kim_rep", REMINDER)
        assert own is not None
        languages = {reader.language for reader in readers}
        return cls(
            event_id=reminder_id(reminder),
            event_type=REMINDER,
            occurred_at=now,
            correlation_id=correlation_id,
            data={
                "edition_id": str(reminder.edition_id),
                "kim_id": str(reminder.kim_id),
                "days_before": reminder.days_before,
                "closes_at": reminder.closes_at.isoformat(),
            },
            messages={("kim_rep", lang): own.render(reminder, lang, console_url) for lang in languages},
            whatsapp={
                lang: reminder_message(
                    reminder_values(reminder, lang),
                    lang,
                    console_url.rstrip("/") + KIM_EDITION.format(edition_id=reminder.edition_id),
                )
                for lang in languages
            },
        )

    def message_for(self, recipient: Recipient) -> Message:
        key = message_key(self.event_type, recipient)
        if self.event_type == REMINDER:
            key = ("kim_rep", recipient.language)
        return self.messages.get(key) or self.messages[(None, recipient.language)]

    def deliveries_to(
        self, recipient: Recipient, now: datetime, offered: Collection[Channel] = CHANNELS
    ) -> list[Delivery]:
        channels = recipient.channels(self.event_type, offered)
        if "whatsapp" in channels and self.whatsapp is None:
            # No WhatsApp template for this event: email instead, where it can reach them.
            channels = [c for c in channels if c != "whatsapp"]
            if recipient.email and "email" not in channels and "email" in offered:
                channels.append("email")
        return [Delivery.create(self, recipient, channel, now) for channel in channels]

    def delivery_to_addressee(self, told: list[Recipient], now: datetime) -> Delivery | None:
        """The email to the person the event names, unless a recipient already told has their address."""
        if self.addressee is None:
            return None
        address = self.addressee.email.strip().lower()
        if any(r.email and r.email.strip().lower() == address for r in told):
            return None
        return Delivery.of_notice(
            self,
            self.messages[(None, DEFAULT_LANGUAGE)],
            recipient_id=addressee_id(address),
            address=self.addressee.email,
            channel="email",
            now=now,
        )


@dataclass(frozen=True)
class Receipt:
    """What the gateway said of a sent message, and when."""

    status: ReceiptStatus
    at: datetime
    #: For a failed message: the gateway's error (code and title).
    error: str | None = None


@dataclass(kw_only=True)
class Delivery(Aggregate):
    delivery_id: UUID
    event_id: UUID
    event_type: str
    occurred_at: datetime
    #: The user action the event belongs to; the outcome event carries it on.
    correlation_id: str
    recipient_id: UUID
    #: Set when the delivery goes to the person the event names rather than to a
    #: recipient: their email address (`recipient_id` is then derived from it).
    address: str | None = None
    channel: Channel
    subject: str
    text: str
    #: The email's HTML part, when the message has one.
    html: str | None = None
    #: The event's data as JSON, for the webhook body; other channels do not need it.
    data: dict[str, Any] | None = None
    status: DeliveryStatus
    attempts: int = 0
    last_error: str | None = None
    created_at: datetime
    #: When a pending delivery is due; while it is being sent, the end of the
    #: sender's lease, after which a crashed attempt is tried again.
    next_attempt_at: datetime | None = None
    delivered_at: datetime | None = None
    failed_at: datetime | None = None
    read_at: datetime | None = None
    #: A WhatsApp delivery's template message, as the gateway is sent it.
    whatsapp: WhatsAppMessage | None = None
    #: The gateway's id of the message once it took it: the delivery is never
    #: sent again, and status callbacks find it by this id.
    provider_message_id: str | None = None
    #: The gateway's status callbacks, once each, in the order they came.
    receipts: list[Receipt] = field(default_factory=list)
    #: The trace context (W3C `traceparent`) of the user action that caused it, kept
    #: as it came; the send is a span of that trace.
    trace_context: str | None = None
    #: A secret the message carries (a voter's one-time code), kept only until the
    #: delivery is settled; then every copy of it in the delivery is masked.
    secret: str | None = None
    #: When what the message carries stops being of use (a voter's code): not sent after.
    expires_at: datetime | None = None

    @classmethod
    def of_voter_code(
        cls, event: Envelope[Any], now: datetime, console_url: str = DEFAULT_CONSOLE_URL
    ) -> Delivery:
        """The voter's code, to the address they gave, on the channel they chose; the
        voter is no recipient (see `voter_codes`)."""
        data = event.data
        told = voter_code_message(data, console_url)
        return cls(
            delivery_id=uuid4(),
            event_id=event.event_id,
            event_type=event.type,
            occurred_at=event.occurred_at,
            correlation_id=event.correlation_id,
            recipient_id=voter_id(data.address),
            address=data.address,
            channel=data.channel,
            subject=told.message.subject,
            text=told.message.text,
            whatsapp=told.whatsapp,
            status="pending",
            created_at=now,
            next_attempt_at=now,
            secret=data.code,
            expires_at=data.expires_at,
        )

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at

    def forget_secret(self) -> None:
        """Mask the secret wherever the delivery holds it: it was sent, or never will be."""
        if self.secret is None:
            return
        code, self.secret = self.secret, None
        self.text = mask(self.text, code)
        self.html = mask(self.html, code) if self.html is not None else None
        if self.whatsapp is not None:
            self.whatsapp = replace(
                self.whatsapp,
                parameters=[mask(p, code) for p in self.whatsapp.parameters],
                text=mask(self.whatsapp.text, code),
            )

    @classmethod
    def create(cls, notice: Notice, recipient: Recipient, channel: Channel, now: datetime) -> Delivery:
        delivery = cls.of_notice(
            notice,
            notice.message_for(recipient),
            recipient_id=recipient.recipient_id,
            channel=channel,
            data=notice.data if channel == "webhook" else None,
            now=now,
        )
        if channel == "whatsapp":
            assert notice.whatsapp is not None
            delivery.whatsapp = notice.whatsapp[recipient.language]
        if channel == "inbox":
            # Writing it is delivering it.
            delivery.succeeded(now)
        return delivery

    @classmethod
    def of_notice(
        cls,
        notice: Notice,
        message: Message,
        *,
        recipient_id: UUID,
        channel: Channel,
        now: datetime,
        address: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> Delivery:
        """A pending delivery of `notice` in `message`'s words: the one place the
        notice's fields are copied onto a delivery."""
        return cls(
            delivery_id=uuid4(),
            event_id=notice.event_id,
            event_type=notice.event_type,
            occurred_at=notice.occurred_at,
            correlation_id=notice.correlation_id,
            recipient_id=recipient_id,
            address=address,
            channel=channel,
            subject=message.subject,
            text=message.text,
            html=message.html if channel == "email" else None,
            data=data,
            status="pending",
            created_at=now,
            next_attempt_at=now,
        )

    @property
    def pending(self) -> bool:
        return self.status == "pending"

    def claim(self, now: datetime, lease: timedelta) -> None:
        """Taken for sending until `now + lease`; nobody else sends it meanwhile."""
        assert self.pending and self.next_attempt_at is not None and self.next_attempt_at <= now
        self.next_attempt_at = now + lease

    def succeeded(self, now: datetime) -> None:
        # An outcome that arrives after another attempt settled the delivery changes nothing.
        if not self.pending:
            return
        self.attempts += 1
        self.status = "delivered"
        self.delivered_at = now
        self.next_attempt_at = None
        self.forget_secret()
        self.events.append(events.DeliveryDelivered(self))

    def attempt_failed(
        self, now: datetime, error: str, policy: RetryPolicy, *, permanent: bool = False
    ) -> None:
        """A failed attempt: tried again later, unless it was the last one allowed
        or the failure is `permanent` (trying again cannot help)."""
        if not self.pending:
            return
        self.attempts += 1
        self.last_error = error[:ERROR_LENGTH]
        if permanent or self.attempts >= policy.max_attempts:
            self.status = "failed"
            self.failed_at = now
            self.next_attempt_at = None
            self.forget_secret()
            self.events.append(events.DeliveryFailed(self))
        else:
            self.next_attempt_at = now + policy.delay(self.attempts)

    def sent(self, now: datetime, provider_message_id: str) -> None:
        """The gateway took the message under `provider_message_id`; its receipts say the rest."""
        if not self.pending:
            return
        self.attempts += 1
        self.status = "sent"
        self.provider_message_id = provider_message_id
        self.next_attempt_at = None
        self.forget_secret()

    def receipt(self, status: ReceiptStatus, at: datetime, error: str | None = None) -> bool:
        """Apply a status callback; False when it was already applied (a repeat).

        Kept once per status. The state only moves forward: sent, then delivered
        (`notification.delivered`, once), then read; `read` before `delivered`
        means both. `failed` ends a delivery that was not yet delivered
        (`notification.failed`); after delivered it is only kept as a receipt.
        """
        if any(r.status == status for r in self.receipts):
            return False
        self.receipts.append(Receipt(status=status, at=at, error=error[:ERROR_LENGTH] if error else None))
        if status == "failed":
            if self.status in ("pending", "sent"):
                self.status = "failed"
                self.failed_at = at
                self.next_attempt_at = None
                self.last_error = (error or "failed")[:ERROR_LENGTH]
                self.forget_secret()
                self.events.append(events.DeliveryFailed(self))
            return True
        if self.status == "failed":
            return True
        if PROGRESS[status] >= PROGRESS["delivered"] and self.status != "delivered":
            self.status = "delivered"
            self.delivered_at = at
            self.next_attempt_at = None
            self.events.append(events.DeliveryDelivered(self))
        if status == "read" and self.read_at is None:
            self.read_at = at
        return True

    def fallback_to_email(self, recipient: Recipient | None, now: datetime) -> Delivery | None:
        """An email with this delivery's words to `recipient`, when this WhatsApp
        delivery failed because the number is not on WhatsApp; None when they have no address."""
        if recipient is None or not recipient.email:
            return None
        return Delivery(
            delivery_id=uuid4(),
            event_id=self.event_id,
            event_type=self.event_type,
            occurred_at=self.occurred_at,
            correlation_id=self.correlation_id,
            trace_context=self.trace_context,
            recipient_id=self.recipient_id,
            channel="email",
            subject=self.subject,
            text=self.text,
            status="pending",
            created_at=now,
            next_attempt_at=now,
        )

    def mark_read(self, now: datetime) -> None:
        """Read once; reading again keeps the first time."""
        if self.read_at is None:
            self.read_at = now
