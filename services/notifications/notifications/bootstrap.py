"""Wires the notifications service: settings → broker, MongoDB, outbox relay,
consumers, and the sender of email, webhook and WhatsApp deliveries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from shared import contracts as c
from shared.kernel.clock import Clock, utcnow
from shared.platform.persistence.unit_of_work import Cause
from shared.platform.telemetry import tracer
from shared.service import ServiceRuntime, service_runtime

from .adapters.email import SmtpMailer
from .adapters.metrics import watch_deliveries
from .adapters.mongo import MongoDeliveryRepository, MongoNotificationsUnitOfWork
from .adapters.webhook import WebhookPoster
from .adapters.whatsapp import CloudApiGateway, WhatsAppGateway, WhatsAppTransport
from .config import Settings
from .domain.delivery import RetryPolicy
from .domain.recipient import Channel
from .domain.webhook_targets import WebhookTargets
from .entrypoints.consumers import consumers
from .service_layer.integration_events import to_integration
from .service_layer.rate_limit import RateLimits
from .service_layer.reminding import ReminderJob
from .service_layer.sending import DeliverySender, Transport

PRODUCES = (c.NotificationDelivered, c.NotificationFailed)


@dataclass
class Notifications:
    settings: Settings
    runtime: ServiceRuntime
    clock: Clock
    webhook_targets: WebhookTargets
    #: The inbox and every channel with a transport.
    channels_offered: frozenset[Channel] = frozenset({"inbox"})
    reminders: ReminderJob | None = None
    sender: DeliverySender | None = None

    def uow(self, cause: Cause) -> MongoNotificationsUnitOfWork:
        uow = self.runtime.unit_of_work(MongoNotificationsUnitOfWork, to_integration, cause)
        uow.webhook_targets = self.webhook_targets
        uow.channels_offered = self.channels_offered
        uow.console_url = self.settings.console_url
        return uow


def lease(settings: Settings) -> timedelta:
    """How long a claimed delivery is left to its sender: an SMTP exchange is a
    handful of steps, each bounded by the timeout."""
    slowest = max(
        settings.smtp_timeout_seconds, settings.webhook_timeout_seconds, settings.whatsapp_timeout_seconds
    )
    return timedelta(seconds=6 * slowest)


def whatsapp_gateway(settings: Settings) -> WhatsAppGateway | None:
    """The Cloud API gateway, when a token and a sending number are configured."""
    if settings.whatsapp_token is None or settings.whatsapp_phone_number_id is None:
        return None
    return CloudApiGateway(
        base_url=settings.whatsapp_base_url,
        api_version=settings.whatsapp_api_version,
        phone_number_id=settings.whatsapp_phone_number_id,
        token=settings.whatsapp_token.get_secret_value(),
        timeout_seconds=settings.whatsapp_timeout_seconds,
    )


def bootstrap(settings: Settings | None = None, clock: Clock = utcnow) -> Notifications:
    settings = settings or Settings()
    repositories = tuple(MongoNotificationsUnitOfWork.repository_classes().values())
    runtime = service_runtime(settings, produces=PRODUCES, repositories=repositories)
    targets = WebhookTargets(allow_private_addresses=settings.webhook_allow_private_addresses)
    system = Notifications(settings=settings, runtime=runtime, clock=clock, webhook_targets=targets)
    gateway = whatsapp_gateway(settings)
    whatsapp = WhatsAppTransport(gateway)
    rate_limits = RateLimits(settings.whatsapp_rate_per_second)
    transports: dict[Channel, Transport] = {
        "email": SmtpMailer(settings),
        "webhook": WebhookPoster(settings.webhook_timeout_seconds, targets),
        "whatsapp": whatsapp,
    }
    # WhatsApp is offered once a gateway is configured; until then people are told by email.
    system.channels_offered = frozenset({"inbox", *transports} - (set() if gateway else {"whatsapp"}))
    sender = DeliverySender(
        uow_for=system.uow,
        transports=transports,
        rate_limits={"whatsapp": rate_limits.for_sender(whatsapp.sender_id)},
        policy=RetryPolicy(
            max_attempts=settings.delivery_max_attempts,
            first_delay=timedelta(seconds=settings.delivery_backoff_seconds),
        ),
        clock=clock,
        lease=lease(settings),
        poll_seconds=settings.delivery_poll_seconds,
        traces=tracer(runtime.tracer_provider, "kim.notifications"),
    )
    system.sender = sender
    system.reminders = ReminderJob(
        uow_for=system.uow, clock=clock, poll_seconds=settings.reminder_poll_seconds, wake_sender=sender.wake
    )
    runtime.jobs = (sender, system.reminders)
    watch_deliveries(runtime.metrics, lambda: runtime.db[MongoDeliveryRepository.collection_name])
    runtime.broker.include_router(consumers(system.uow, clock, sender.wake))
    return system
