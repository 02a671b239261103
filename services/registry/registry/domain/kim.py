"""A KIM (Kelompok Informasi Masyarakat): a community information group of one kelurahan."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID, uuid4

import phonenumbers

from shared.kernel.aggregate import Aggregate

from . import events
from .errors import InvalidWhatsApp, KimAlreadyVerified
from .regions import Kelurahan, Region


@dataclass(kw_only=True)
class Member:
    name: str
    role: str | None = None


@dataclass(kw_only=True)
class Kim(Aggregate):
    kim_id: UUID
    name: str
    kelurahan: Kelurahan
    chair: str
    whatsapp: str
    email: str
    members: list[Member] = field(default_factory=list)
    registered_at: datetime
    verified_at: datetime | None = None

    @property
    def verified(self) -> bool:
        return self.verified_at is not None

    # Read by attribute, as the integration event and the public shape name them.
    @property
    def kecamatan(self) -> Region:
        return self.kelurahan.kecamatan

    @property
    def revision(self) -> int:
        """Grows by one with every change (the version the KIM is stored at)."""
        return self.version

    @classmethod
    def register(
        cls,
        *,
        name: str,
        kelurahan: Kelurahan,
        chair: str,
        whatsapp: str,
        email: str,
        members: list[Member],
        now: datetime,
    ) -> Kim:
        kim = cls(
            kim_id=uuid4(),
            name=name.strip(),
            kelurahan=kelurahan,
            chair=chair.strip(),
            whatsapp=whatsapp_e164(whatsapp),
            email=email,
            members=members,
            registered_at=now,
        )
        kim.events.append(events.KimRegistered(kim))
        return kim

    def update(
        self,
        *,
        name: str | None = None,
        kelurahan: Kelurahan | None = None,
        chair: str | None = None,
        whatsapp: str | None = None,
        email: str | None = None,
        members: list[Member] | None = None,
    ) -> None:
        before = copy.copy(self)
        if name is not None:
            self.name = name.strip()
        if kelurahan is not None:
            self.kelurahan = kelurahan
        if chair is not None:
            self.chair = chair.strip()
        if whatsapp is not None:
            self.whatsapp = whatsapp_e164(whatsapp)
        if email is not None:
            self.email = email
        if members is not None:
            self.members = members
        # Compared whole, so a field added to the KIM counts as a change without a word here.
        if self != before:
            self.events.append(events.KimUpdated(self))

    def verify(self, now: datetime) -> None:
        if self.verified:
            raise KimAlreadyVerified(name=self.name)
        self.verified_at = now
        self.events.append(events.KimVerified(self))


def whatsapp_e164(number: str) -> str:
    """An Indonesian mobile number in E.164 (+62...), the form WhatsApp gateways take."""
    try:
        parsed = phonenumbers.parse(number, "ID")
    except phonenumbers.NumberParseException:
        raise InvalidWhatsApp(number=number) from None
    mobile = phonenumbers.number_type(parsed) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )
    if parsed.country_code != 62 or not phonenumbers.is_valid_number(parsed) or not mobile:
        raise InvalidWhatsApp(number=number)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
