"""Sends the mail outbox (`mail_outbox`, written with what causes each mail) over SMTP.

Each pass claims due mails one at a time (a compare-and-set on `next_attempt_at`
that also leases the mail, so two registry processes never send the same mail at
once), sends it, and records the outcome: sent, or tried again later with a
doubling delay, up to `attempts` tries. A mail's text carries a token: it is never logged.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any, Protocol

import aiosmtplib
from motor.motor_asyncio import AsyncIOMotorDatabase
from pymongo import ASCENDING

from shared.kernel.clock import Clock

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
FIRST_RETRY = timedelta(seconds=5)
LAST_RETRY = timedelta(hours=1)


class Transport(Protocol):
    async def __call__(self, message: EmailMessage) -> None: ...


class Smtp:
    def __init__(
        self,
        host: str,
        port: int,
        timeout_seconds: float,
        *,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
    ) -> None:
        self.host, self.port, self.timeout = host, port, timeout_seconds
        self.username, self.password, self.starttls = username or None, password or None, starttls

    async def __call__(self, message: EmailMessage) -> None:
        await aiosmtplib.send(
            message,
            hostname=self.host,
            port=self.port,
            username=self.username,
            password=self.password,
            start_tls=self.starttls,
            timeout=self.timeout,
        )


def retry_delay(attempts: int) -> timedelta:
    return min(FIRST_RETRY * 2 ** min(attempts - 1, 20), LAST_RETRY)


class MailSender:
    def __init__(
        self,
        db: AsyncIOMotorDatabase,
        transport: Transport,
        clock: Clock,
        *,
        sender: str,
        attempts: int,
        batch: int = 50,
    ) -> None:
        self._mails = db["mail_outbox"]
        self._transport = transport
        self._clock = clock
        self._sender = sender
        self._attempts = attempts
        self._batch = batch
        self._domain = parseaddr(sender)[1].rpartition("@")[2] or "kim-contest.local"

    def message(self, mail: dict[str, Any]) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = mail["to"]
        message["Subject"] = mail["subject"]
        message["Date"] = format_datetime(mail["created_at"])
        # From the mail's id: a resend after a lost outcome is recognisably the same mail.
        message["Message-ID"] = f"<{mail['_id']}@{self._domain}>"
        message["X-KIM-Mail"] = mail["kind"]
        message.set_content(mail["text"], charset="utf-8", cte="quoted-printable")
        return message

    async def _claim(self) -> dict[str, Any] | None:
        now = self._clock()
        due = {"sent_at": None, "failed_at": None, "next_attempt_at": {"$lte": now}}
        for _ in range(5):  # another sender may claim the same mail first
            mail = await self._mails.find_one(due, sort=[("next_attempt_at", ASCENDING)])
            if mail is None:
                return None
            claimed = await self._mails.update_one(
                {"_id": mail["_id"], "next_attempt_at": mail["next_attempt_at"], "sent_at": None},
                {"$set": {"next_attempt_at": now + LEASE}, "$inc": {"attempts": 1}},
            )
            if claimed.modified_count == 1:
                mail["attempts"] = mail.get("attempts", 0) + 1
                return mail
        return None

    async def send_due(self) -> int:
        """Sends what is due, at most `batch` mails; answers how many went."""
        sent = 0
        for _ in range(self._batch):
            mail = await self._claim()
            if mail is None:
                break
            try:
                await self._transport(self.message(mail))
            except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
                await self._failed(mail, error)
                continue
            await self._mails.update_one(
                {"_id": mail["_id"]}, {"$set": {"sent_at": self._clock(), "last_error": None}}
            )
            sent += 1
        return sent

    async def _failed(self, mail: dict[str, Any], error: BaseException) -> None:
        attempts, now = mail["attempts"], self._clock()
        reason = type(error).__name__
        if attempts >= self._attempts:
            log.warning(
                "mail %s (%s) given up after %d attempts: %s", mail["_id"], mail["kind"], attempts, reason
            )
            update = {"failed_at": now, "last_error": reason}
        else:
            log.info("mail %s (%s) not sent (%s); trying again", mail["_id"], mail["kind"], reason)
            update = {"next_attempt_at": now + retry_delay(attempts), "last_error": reason}
        await self._mails.update_one({"_id": mail["_id"]}, {"$set": update})
