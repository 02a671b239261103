"""Email deliveries over SMTP: plain UTF-8 text, with an HTML alternative when the
message has one (what KIMs and judges are told), one message per delivery."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

import aiosmtplib

from ..config import Settings
from ..domain.delivery import Delivery
from ..domain.recipient import Recipient


class SmtpMailer:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        # Message-IDs live under the sender's domain.
        self._domain = parseaddr(settings.smtp_from)[1].rpartition("@")[2] or "kim-contest.local"

    def message(self, delivery: Delivery, to: str) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self._settings.smtp_from
        message["To"] = to
        message["Subject"] = delivery.subject
        message["Date"] = format_datetime(delivery.created_at)
        # Derived from the delivery, so a resend after a lost outcome is recognisably the same mail.
        message["Message-ID"] = f"<{delivery.delivery_id}@{self._domain}>"
        message["X-KIM-Event"] = delivery.event_type
        message["X-KIM-Delivery"] = str(delivery.delivery_id)
        # Quoted-printable keeps the body 7-bit, so any relay takes it.
        message.set_content(delivery.text, charset="utf-8", cte="quoted-printable")
        if delivery.html:
            # multipart/alternative: the plain text first, the HTML (values escaped) preferred.
            message.add_alternative(delivery.html, subtype="html", charset="utf-8", cte="quoted-printable")
        return message

    async def send(self, delivery: Delivery, recipient: Recipient | None) -> None:
        to = delivery.address or (recipient.email if recipient else None)
        if not to:
            raise LookupError("the recipient has no email address any more")
        settings = self._settings
        await aiosmtplib.send(
            self.message(delivery, to),
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            start_tls=settings.smtp_starttls,
            timeout=settings.smtp_timeout_seconds,
        )
