"""Consuming a queue: one typed handler per event type and version."""

# No `from __future__ import annotations` in this module: faststream reads the
# handlers' type hints at run time to parse each message into its contract.
# Nor in the modules of the handlers: fast_depends resolves string hints against
# the caller's local names first.

import functools
import logging
import types
import typing
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import aio_pika
from faststream.exceptions import RejectMessage
from faststream.rabbit import RabbitBroker, RabbitMessage, RabbitRouter
from faststream.rabbit.annotations import RabbitMessage as CurrentMessage
from faststream.rabbit.subscriber import RabbitSubscriber

from shared.contracts import AnyEvent, Envelope, EventClass
from shared.platform.persistence.outages import patiently

from .topology import ConsumerQueue


def event_type_of(message: RabbitMessage) -> tuple[str, int]:
    """The (type, version) a delivered message claims, from its AMQP properties.

    The `type` property survives a requeue from a dead-letter queue; the routing
    key does not, so it is only the fallback.
    """
    return event_type_of_raw(message.raw_message)


def event_type_of_raw(
    raw: aio_pika.abc.AbstractIncomingMessage, routing_key: str | None = None
) -> tuple[str, int]:
    """`event_type_of` an aio-pika message (`routing_key`: the one it was first sent with)."""
    version = (raw.headers or {}).get("version", 1)
    try:
        version = int(version)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        version = 0
    return raw.type or routing_key or raw.routing_key or "", version


def handles(*events: EventClass) -> Callable[[RabbitMessage], Awaitable[bool]]:
    """A subscriber filter choosing the handler of some event types and versions."""
    wanted = {(event.event_type, event.event_version) for event in events}

    async def matches(message: RabbitMessage) -> bool:
        return event_type_of(message) in wanted

    matches.__name__ = "handles_" + "_".join(sorted(f"{t}_v{v}" for t, v in wanted))
    return matches


def subscribe(router: RabbitRouter | RabbitBroker, consumer: ConsumerQueue) -> RabbitSubscriber:
    """The subscriber of one consumer queue; `handler` gives it its handlers.

    Bindings come from `declare_topology`, so the queue is declared here
    (with its quorum, dead-letter and delivery-limit arguments) but not bound.
    """
    return router.subscriber(
        consumer.queue(),
        title=consumer.name,
        description="Bound to kim.events with: " + ", ".join(consumer.routing_keys),
    )


Handler = TypeVar("Handler", bound=Callable[..., Awaitable[None]])

log = logging.getLogger("kim.messaging")

#: id(subscriber) -> the (type, version) pairs its handlers read.
_READ: dict[int, set[tuple[str, int]]] = {}


def handler(subscriber: RabbitSubscriber) -> Callable[[Handler], Handler]:
    """Register the decorated function on `subscriber` as the handler of the
    event classes its one parameter is annotated with (one class, or a union).

    faststream parses each message into that contract; a message that does not
    match it is dead-lettered (see `poison.RejectMalformed`). While the database
    is away or blocked the handler is tried again (see `patiently`) instead of
    using up the queue's delivery limit.
    """

    def register(apply: Handler) -> Handler:
        @functools.wraps(apply)  # faststream reads the parameter's contract through this
        async def patient(event: Envelope[Any]) -> None:
            await patiently(lambda: apply(event), what=f"handling {event.type} {event.event_id}")

        contracts = contracts_of(apply)
        _READ.setdefault(id(subscriber), set()).update((e.event_type, e.event_version) for e in contracts)
        subscriber(filter=handles(*contracts))(patient)
        return apply

    return register


def contracts_of(apply: Callable[..., object]) -> tuple[EventClass, ...]:
    """The event classes a handler's one parameter is annotated with."""
    hints = typing.get_type_hints(apply)
    hints.pop("return", None)
    (annotation,) = hints.values()
    if typing.get_origin(annotation) is typing.Annotated:  # a union from `contracts.one_of`
        annotation = typing.get_args(annotation)[0]
    union = isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union
    members = typing.get_args(annotation) if union else (annotation,)
    classes = [typing.get_args(m)[0] if typing.get_origin(m) is typing.Annotated else m for m in members]
    if not classes or not all(isinstance(cls, type) and issubclass(cls, Envelope) for cls in classes):
        raise TypeError(f"{apply.__name__} must take one event contract (or a union of them)")
    return tuple(classes)


def ignore_the_rest(subscriber: RabbitSubscriber) -> None:
    """Register last: a valid event of a type this consumer does not read is
    acknowledged and ignored; one of a type it reads but in a version no handler
    knows is dead-lettered ("unsupported version"), as is a malformed one."""
    read = _READ.get(id(subscriber), set())
    types_read = {event_type for event_type, _ in read}

    @subscriber()
    async def not_for_us(event: AnyEvent, message: CurrentMessage) -> None:
        event_type, version = event_type_of(message)
        if event_type in types_read:
            log.warning(
                "dead-lettering %s %s: version %d is not one this consumer reads",
                event_type,
                event.event_id,
                version,
            )
            raise RejectMessage()
        return None
