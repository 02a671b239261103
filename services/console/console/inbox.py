"""A staff member's inbox at the notifications service: which recipient is theirs
(the active one with their account's email) and how many items are unread (the
badge in the header of every staff page)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from uuid import UUID

from .services import Caller, ServiceError, Services, ServiceUnavailable

if TYPE_CHECKING:
    from .session import SignedIn

#: What "Aktifkan pemberitahuan" subscribes a staff member to: what asks them to act
#: (a KIM to verify, an enrolment to approve, a tie, a dead letter) and the milestones.
DEFAULT_SUBSCRIPTIONS = (
    "kim.registered",
    "enrolment.requested",
    "edition.published",
    "entry.submitted",
    "edition.submissions_closed",
    "judging.completed",
    "tie.detected",
    "winner.announced",
    "message.dead_lettered",
)

#: How long the console trusts what it learnt of an account's recipient.
FOUND_SECONDS = 60.0
MISSING_SECONDS = 10.0


class Recipients:
    """The recipient of each staff account, looked up by email and kept a minute (a
    staff page would otherwise list every recipient to draw its badge)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._known: dict[str, tuple[float, UUID | None]] = {}
        self._clock = clock

    async def of(self, services: Services, session: SignedIn, caller: Caller) -> UUID | None:
        email = session.email.lower()
        now = self._clock()
        known = self._known.get(email)
        if known is not None and known[0] > now:
            return known[1]
        found: list[dict[str, Any]] = await services.notifications.get("/recipients", caller)
        recipient_id = next(
            (
                UUID(r["recipient_id"])
                for r in found
                if r["active"] and (r.get("email") or "").lower() == email
            ),
            None,
        )
        self._known[email] = (now + (FOUND_SECONDS if recipient_id else MISSING_SECONDS), recipient_id)
        return recipient_id

    def forget(self, email: str) -> None:
        self._known.pop(email.lower(), None)


async def unread_count(
    services: Services, recipients: Recipients, session: SignedIn, caller: Caller
) -> int | None:
    """The badge's number; None when the person has no inbox or the service does not answer
    (a staff page still shows, without its badge)."""
    try:
        recipient_id = await recipients.of(services, session, caller)
        if recipient_id is None:
            return None
        inbox = await services.notifications.get(
            f"/recipients/{recipient_id}/inbox", caller, params={"unread_only": "true", "limit": 1}
        )
    except (ServiceError, ServiceUnavailable):
        return None
    return int(inbox["unread"])
