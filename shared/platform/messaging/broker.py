"""The RabbitMQ broker every service uses."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from faststream import AckPolicy
from faststream._internal.constants import EMPTY
from faststream.rabbit import Channel, RabbitBroker
from faststream.rabbit.helpers.declarer import RabbitDeclarerImpl
from faststream.rabbit.opentelemetry import RabbitTelemetryMiddleware
from opentelemetry.trace import TracerProvider

from shared.platform.config import ServiceSettings

from .poison import RejectMalformed
from .publishers import Publishers, user_of_url, verify_publisher

if TYPE_CHECKING:
    import aio_pika
    from faststream.rabbit.schemas import RabbitExchange, RabbitQueue


def make_broker(settings: ServiceSettings, tracer_provider: TracerProvider | None = None) -> RabbitBroker:
    broker = RabbitBroker(
        settings.amqp_url.get_secret_value(),
        app_id=settings.service_name,
        # Bounded prefetch: a slow consumer holds at most this many unacked messages.
        default_channel=Channel(prefetch_count=settings.prefetch_count),
        # A failing handler nacks with requeue so the queue's delivery limit and
        # dead-letter exchange decide; malformed messages are rejected at once.
        ack_policy=AckPolicy.NACK_ON_ERROR,
        # Outermost first: each message published and consumed is a span of the trace
        # its `traceparent` header names (W3C); a message from anyone but its event
        # type's owner is dead-lettered before it is parsed.
        middlewares=[
            RabbitTelemetryMiddleware(tracer_provider=tracer_provider),
            verify_publisher(publishers_of(settings)),
            RejectMalformed,
        ],
        graceful_timeout=settings.shutdown_grace_seconds,
        # Back soon after a broker restart; each attempt is one refused TCP connect.
        reconnect_interval=1.0,
        # Per-message "Received"/"Processed" lines only when debugging, through
        # the process's JSON log handler (`shared.platform.logs`), not faststream's own.
        logger=logging.getLogger("kim.broker"),
        log_level=logging.DEBUG,
    )
    if not settings.declare_topology:
        look_up_only(broker)
    return broker


def publishers_of(settings: ServiceSettings) -> Publishers:
    """This service's broker user (its connection's) and the other services'."""
    return Publishers(own_user=user_of_url(settings.amqp_url.get_secret_value()), users=settings.broker_users)


class LookUpOnly(RabbitDeclarerImpl):
    """Declares passively: checks that each queue and exchange exists, as the
    broker's definitions made it, without the configure permission (and, for a
    queue with a dead-letter exchange, the write permission on that exchange)
    that declaring needs."""

    __slots__ = ()

    async def declare_queue(
        self, queue: RabbitQueue, declare: bool = EMPTY, *, channel: Channel | None = None
    ) -> aio_pika.RobustQueue:
        return await super().declare_queue(queue, False, channel=channel)

    async def declare_exchange(
        self, exchange: RabbitExchange, declare: bool = EMPTY, *, channel: Channel | None = None
    ) -> aio_pika.RobustExchange:
        return await super().declare_exchange(exchange, False, channel=channel)


def look_up_only(broker: RabbitBroker) -> None:
    """Make the broker's subscribers and publishers look their queues and exchanges
    up instead of declaring them (see `ServiceSettings.declare_topology`).

    They all share the broker's one declarer, which becomes passive.
    """
    declarer = broker.config.declarer
    if type(declarer) not in (RabbitDeclarerImpl, LookUpOnly):
        raise TypeError(f"unexpected faststream declarer {type(declarer).__name__}; update look_up_only")
    declarer.__class__ = LookUpOnly
