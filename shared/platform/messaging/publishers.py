"""Who may publish what: every event type has one owner, and only its broker user
gets it onto a queue.

RabbitMQ checks the AMQP `user_id` property of every message against the user of
the connection that published it and refuses a mismatch, so a message's
`user_id` names its publisher. Publishers set it (see `publishing`); consumers
act only on a message whose publisher is the broker user of its event type's
owner (`contracts.PRODUCED_BY`) and dead-letter the rest ("publisher not
allowed", see `VerifyPublisher`).

The paths onto a consumer queue:

- `kim.events` (topic, by event type): each user may write only its own event
  types there (the broker's topic permissions).
- `kim.replay` (topic, by `<queue>.<event type>`): a producer resends its stored
  events to one queue (`operations.replay`); the topic permissions again allow
  each user only its own event types.
- `kim.requeue.<service>` (direct, bound only to `<service>.events`): a service
  sends one of its own dead letters back (`operations.dead_letters`); only that
  service's user may write it. It publishes as itself, naming the dead letter's
  original publisher in the `x-kim-published-by` header, and its consumer checks
  that publisher: a forged event stays forged when requeued.

No service user may write the default exchange.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from faststream import BaseMiddleware
from faststream.exceptions import RejectMessage

from shared.contracts.producers import BY_EVERY_CONSUMER, PRODUCED_BY

from .topology import CONSUMER_QUEUES, DEAD_LETTERS, REPLAY, REQUEUE_PREFIX

log = logging.getLogger("kim.messaging")

#: Set by a requeue: the broker user that first published the message.
PUBLISHED_BY = "x-kim-published-by"

PUBLISHER_NOT_ALLOWED = "publisher_not_allowed"


def user_of_url(amqp_url: str) -> str:
    """The broker user an AMQP URL connects as (RabbitMQ's default: guest)."""
    return unquote(urlsplit(amqp_url).username or "guest")


def _owners() -> dict[str, frozenset[str]]:
    owners: dict[str, set[str]] = {}
    for service, events in PRODUCED_BY.items():
        for event in events:
            owners.setdefault(event.event_type, set()).add(service)
    consumers = {queue.name.removesuffix(".events") for queue in CONSUMER_QUEUES}
    for event in BY_EVERY_CONSUMER:
        owners.setdefault(event.event_type, set()).update(consumers)
    return {event_type: frozenset(services) for event_type, services in owners.items()}


#: Event type -> the services that publish it.
OWNERS = _owners()


@dataclass(frozen=True)
class Publishers:
    """A consumer's view of the broker users: its own, and each service's."""

    #: The user this process connects as.
    own_user: str
    #: Service name -> its broker user, where not the service's own name.
    users: Mapping[str, str] = field(default_factory=dict)

    def user_of(self, service: str) -> str:
        return self.users.get(service, service)

    def owners_of(self, event_type: str) -> frozenset[str]:
        """The broker users that may publish `event_type`."""
        return frozenset(self.user_of(service) for service in OWNERS.get(event_type, ()))

    def publisher_of(self, user_id: str | None, headers: Mapping[str, Any], exchange: str) -> str | None:
        """Who published a message that came through `exchange`: its `user_id`, or,
        through this service's requeue exchange, the publisher the requeue names."""
        if exchange.startswith(REQUEUE_PREFIX):
            if user_id != self.own_user:
                return None
            named = headers.get(PUBLISHED_BY)
            return named if isinstance(named, str) else None
        return user_id

    def allowed(
        self, event_type: str, user_id: str | None, headers: Mapping[str, Any], exchange: str
    ) -> bool:
        publisher = self.publisher_of(user_id, headers, exchange)
        return publisher is not None and publisher in self.owners_of(event_type)


def checked_exchange(exchange: str) -> bool:
    """Messages through these exchanges are checked (dead letters are not: they
    are kept as they are, whoever sent them)."""
    return exchange != DEAD_LETTERS.name and (
        exchange in ("", "kim.events", REPLAY.name) or exchange.startswith(REQUEUE_PREFIX)
    )


def verify_publisher(publishers: Publishers) -> type[BaseMiddleware]:
    """A broker middleware that rejects (dead-letters) a message whose publisher
    does not own its event type, before any handler sees it."""

    class VerifyPublisher(BaseMiddleware):
        async def on_receive(self) -> None:
            raw: Any = self.msg
            exchange = getattr(raw, "exchange", None)
            if raw is None or exchange is None or not checked_exchange(exchange):
                return
            event_type = raw.type or raw.routing_key or ""
            headers = dict(raw.headers or {})
            if not publishers.allowed(event_type, raw.user_id, headers, exchange):
                log.warning(
                    "dead-lettering %s %s through %r: publisher %r is not its owner",
                    event_type,
                    raw.message_id,
                    exchange,
                    publishers.publisher_of(raw.user_id, headers, exchange),
                )
                raise RejectMessage()

    return VerifyPublisher
