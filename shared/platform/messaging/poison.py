"""Dead-letter a message that does not match its contract at once.

Retrying cannot fix a malformed message, so it is rejected without requeue and
the queue's dead-letter exchange takes it; the next message is processed.
Every other failure is nacked with requeue (the broker's ack policy) and
retried until the queue's delivery limit dead-letters it.
"""

from __future__ import annotations

import json
import logging
from types import TracebackType

from faststream import BaseMiddleware
from faststream.exceptions import RejectMessage
from pydantic import ValidationError

log = logging.getLogger("kim.messaging")

MALFORMED = (ValidationError, json.JSONDecodeError, UnicodeDecodeError)


class RejectMalformed(BaseMiddleware):
    async def after_processed(
        self,
        exc_type: type[BaseException] | None = None,
        exc_val: BaseException | None = None,
        exc_tb: TracebackType | None = None,
    ) -> bool | None:
        if isinstance(exc_val, MALFORMED):
            raw = self.msg
            log.warning(
                "dead-lettering a malformed message (routing key %s, message id %s): %s",
                getattr(raw, "routing_key", "?"),
                getattr(raw, "message_id", "?"),
                exc_val,
            )
            raise RejectMessage() from exc_val
        return False
