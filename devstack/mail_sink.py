"""A local SMTP server that keeps every mail it receives: for the demo and the tests,
so they can show the mail staff would get."""

from __future__ import annotations

import email
import email.policy
import threading
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from .processes import free_port


class MailSink:
    host = "127.0.0.1"

    def __init__(self, port: int | None = None, maildir: Path | None = None) -> None:
        self.port = port or free_port()
        self.maildir = maildir
        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    def start(self) -> None:
        if self.maildir is not None:
            self.maildir.mkdir(parents=True, exist_ok=True)
        self._controller = Controller(self, hostname=self.host, port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    # aiosmtpd calls this (in the controller's thread) for each message.
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        raw: bytes = envelope.content
        # SMTP carries CRLF line ends; people and tests read the text with plain newlines.
        message = email.message_from_bytes(raw.replace(b"\r\n", b"\n"), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.messages.append(message)
            number = len(self.messages)
        if self.maildir is not None:
            (self.maildir / f"{number}.eml").write_bytes(raw)
        return "250 Message accepted for delivery"
