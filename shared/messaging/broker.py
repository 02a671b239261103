"""The RabbitMQ broker every service uses."""

from __future__ import annotations

import logging

from faststream import AckPolicy
from faststream.rabbit import Channel, RabbitBroker

from shared.config import ServiceSettings

from .poison import RejectMalformed


def make_broker(settings: ServiceSettings) -> RabbitBroker:
    return RabbitBroker(
        settings.amqp_url.get_secret_value(),
        app_id=settings.service_name,
        # Bounded prefetch: a slow consumer holds at most this many unacked messages.
        default_channel=Channel(prefetch_count=settings.prefetch_count),
        # A failing handler nacks with requeue so the queue's delivery limit and
        # dead-letter exchange decide; malformed messages are rejected at once.
        ack_policy=AckPolicy.NACK_ON_ERROR,
        middlewares=[RejectMalformed],
        graceful_timeout=settings.shutdown_grace_seconds,
        # Back soon after a broker restart; each attempt is one refused TCP connect.
        reconnect_interval=1.0,
        # Per-message "Received"/"Processed" lines only when debugging.
        log_level=logging.DEBUG,
    )
