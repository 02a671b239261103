"""A recipient: a person with an account (staff, a judge, a KIM representative),
made and kept in step from the registry's account events, or one made by hand
(staff, or a system listening on a webhook); each is told about the events they
subscribe to, on the channels they chose for each, in their language."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Literal
from urllib.parse import urlsplit
from uuid import UUID, uuid4

from shared.kernel.aggregate import Aggregate
from shared.kernel.i18n import Language

from .errors import ChannelNotOffered, UnknownEventType, WebhookUrlInvalid, WhatsappNumberInvalid
from .phone import whatsapp_e164
from .templates import TEMPLATES

Channel = Literal["inbox", "email", "webhook", "whatsapp"]
CHANNELS: tuple[Channel, ...] = ("inbox", "email", "whatsapp", "webhook")
#: An account's role; None for a recipient made by hand (staff, or a system on a webhook).
RecipientRole = Literal["staff", "judge", "kim_rep"]

#: What each kind of recipient is told on, unless they chose otherwise for an event type.
#: Where a default has both WhatsApp and email, email is WhatsApp's fallback: used only
#: when WhatsApp cannot reach them (no number, or no gateway configured).
DEFAULT_CHANNELS: dict[RecipientRole | None, tuple[Channel, ...]] = {
    "kim_rep": ("inbox", "whatsapp", "email"),
    "judge": ("inbox", "email"),
    "staff": ("inbox", "email"),
    None: ("inbox", "whatsapp", "email", "webhook"),
}
#: The channels each kind of recipient may choose: a webhook is for systems only.
OFFERED_CHANNELS: dict[RecipientRole | None, tuple[Channel, ...]] = {
    "kim_rep": ("inbox", "email", "whatsapp"),
    "judge": ("inbox", "email", "whatsapp"),
    "staff": ("inbox", "email", "whatsapp"),
    None: ("inbox", "email", "whatsapp", "webhook"),
}

E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


def whatsapp_number(number: str | None) -> str | None:
    """An E.164 number ("+6281234567890"), or None; refuses anything else."""
    if number is None or number == "":
        return None
    if not E164.match(number):
        raise WhatsappNumberInvalid(number=number)
    return number


class Keep(Enum):
    """Marks a field a change leaves as it is (None may be a real value: "remove it")."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(kw_only=True)
class Webhook:
    url: str
    #: Signs every request (see `signature`); written, never shown again.
    secret: str

    def __post_init__(self) -> None:
        try:
            parts = urlsplit(self.url)
            host = parts.hostname
        except ValueError:  # e.g. an unclosed IPv6 bracket
            raise WebhookUrlInvalid(url=self.url) from None
        if parts.scheme.lower() not in ("http", "https") or not host:
            raise WebhookUrlInvalid(url=self.url)


@dataclass(kw_only=True)
class Recipient(Aggregate):
    recipient_id: UUID
    name: str
    email: str | None = None
    #: An Indonesian mobile number in E.164 (+6281234567890), told on WhatsApp; a KIM
    #: representative's is their KIM's number.
    whatsapp: str | None = None
    language: Language = "id"
    #: Event types (routing keys) this recipient is told about.
    subscriptions: list[str] = field(default_factory=list)
    webhook: Webhook | None = None
    active: bool = True
    created_at: datetime
    updated_at: datetime
    #: The account this recipient follows (None: made by hand).
    account_id: UUID | None = None
    role: RecipientRole | None = None
    #: The KIM a representative acts for.
    kim_id: UUID | None = None
    #: The highest account revision followed; an older account event changes nothing.
    revision: int = 0
    #: Per event type, the channels chosen; a subscribed type not here uses the role's default.
    channel_choices: dict[str, list[Channel]] = field(default_factory=dict)

    @classmethod
    def create(
        cls,
        *,
        name: str,
        email: str | None,
        language: Language,
        subscriptions: Iterable[str],
        webhook: Webhook | None,
        whatsapp: str | None = None,
        active: bool = True,
        now: datetime,
    ) -> Recipient:
        return cls(
            recipient_id=uuid4(),
            name=name.strip(),
            email=email,
            whatsapp=whatsapp_e164(whatsapp) if whatsapp is not None else None,
            language=language,
            subscriptions=subscribable(subscriptions),
            webhook=webhook,
            active=active,
            created_at=now,
            updated_at=now,
        )

    def change(
        self,
        *,
        now: datetime,
        name: str | Keep = KEEP,
        email: str | None | Keep = KEEP,
        language: Language | Keep = KEEP,
        subscriptions: Iterable[str] | Keep = KEEP,
        webhook: Webhook | None | Keep = KEEP,
        whatsapp: str | None | Keep = KEEP,
        active: bool | Keep = KEEP,
    ) -> None:
        if not isinstance(subscriptions, Keep):
            self.subscriptions = subscribable(subscriptions)
        if not isinstance(name, Keep):
            self.name = name.strip()
        if not isinstance(email, Keep):
            self.email = email
        if not isinstance(language, Keep):
            self.language = language
        if not isinstance(webhook, Keep):
            self.webhook = webhook
        if not isinstance(whatsapp, Keep):
            self.whatsapp = whatsapp_e164(whatsapp) if whatsapp is not None else None
        if not isinstance(active, Keep):
            self.active = active
        self.updated_at = now

    @classmethod
    def for_account(
        cls,
        *,
        account_id: UUID,
        role: RecipientRole,
        name: str,
        email: str,
        kim_id: UUID | None,
        whatsapp: str | None,
        active: bool,
        revision: int,
        now: datetime,
    ) -> Recipient:
        """The recipient of an account, subscribed to what its role is told by default."""
        from .audience import default_subscriptions  # audience reads recipients

        return cls(
            recipient_id=uuid4(),
            name=name.strip(),
            email=email,
            language="id",
            subscriptions=list(default_subscriptions(role)),
            account_id=account_id,
            role=role,
            kim_id=kim_id,
            whatsapp=whatsapp_number(whatsapp),
            active=active,
            revision=revision,
            created_at=now,
            updated_at=now,
        )

    def follow_account(
        self,
        *,
        account_id: UUID,
        role: RecipientRole,
        name: str,
        email: str,
        kim_id: UUID | None,
        active: bool,
        revision: int,
        now: datetime,
    ) -> bool:
        """Take the account as it now stands, unless this is an older revision of it;
        a hand-made recipient with the account's email becomes the account's.
        Returns whether anything was taken."""
        if self.account_id == account_id and revision <= self.revision:
            return False
        if self.account_id is None and self.role is None and role != "staff" and not self.subscriptions:
            # Adopting a hand-made recipient keeps its subscriptions; an empty one gets the role's.
            from .audience import default_subscriptions

            self.subscriptions = list(default_subscriptions(role))
        self.account_id = account_id
        self.role = role
        self.name = name.strip()
        self.email = email
        self.kim_id = kim_id
        self.active = active
        self.revision = max(self.revision, revision)
        self.updated_at = now
        return True

    def choose(
        self,
        *,
        now: datetime,
        channels: Mapping[str, Iterable[str]],
        menu: Iterable[str],
        language: Language | Keep = KEEP,
    ) -> None:
        """Per event type of `menu` (what this recipient may be told), the channels
        to be told on; none means not told. Types left out keep their choice."""
        offered = OFFERED_CHANNELS[self.role]
        allowed = list(menu)
        for event_type, chosen in channels.items():
            if event_type not in allowed:
                raise UnknownEventType(event_type=event_type)
            picked: list[Channel] = []
            for channel in chosen:
                if channel not in offered:
                    raise ChannelNotOffered(channel=channel)
                if channel not in picked:
                    picked.append(channel)
            self.channel_choices[event_type] = picked
            if picked and event_type not in self.subscriptions:
                self.subscriptions.append(event_type)
            if not picked and event_type in self.subscriptions:
                self.subscriptions.remove(event_type)
        if not isinstance(language, Keep):
            self.language = language
        self.updated_at = now

    def chosen(self, event_type: str) -> list[Channel]:
        """The channels chosen for `event_type`, before what is reachable: the role's
        default unless chosen (whether it is subscribed to is `audience.concerns`'s)."""
        if event_type in self.channel_choices:
            return list(self.channel_choices[event_type])
        return list(DEFAULT_CHANNELS[self.role])

    def channels(self, event_type: str | None = None, offered: Iterable[Channel] = CHANNELS) -> list[Channel]:
        """Where this recipient is told about `event_type`: the channels chosen (the
        role's default if none were) that can reach them (email, WhatsApp and webhook
        when set) and that the service sends on (`offered`). Without an event type:
        every channel that can reach them."""
        wanted = list(CHANNELS) if event_type is None else self.chosen(event_type)
        reachable = {
            "inbox": True,
            "email": bool(self.email),
            "whatsapp": bool(self.whatsapp),
            "webhook": self.webhook is not None,
        }
        sent = set(offered)
        found = [channel for channel in wanted if reachable[channel] and channel in sent]
        chose = event_type is not None and event_type in self.channel_choices
        if not chose and "whatsapp" in found and "email" in found:
            found.remove("email")  # by default email is WhatsApp's fallback, not a second copy
        return found


def subscribable(event_types: Iterable[str]) -> list[str]:
    """The types, each once, in the order given; refuses one we cannot tell about."""
    chosen: list[str] = []
    for event_type in event_types:
        if event_type not in TEMPLATES:
            raise UnknownEventType(event_type=event_type)
        if event_type not in chosen:
            chosen.append(event_type)
    return chosen
