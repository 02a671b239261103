"""Wires the registry: settings → broker, MongoDB, outbox relay, deadline watcher."""

from __future__ import annotations

from dataclasses import dataclass

from shared import contracts as c
from shared.clock import Clock, utcnow
from shared.messaging import EventPublisher, OutboxRelay, make_broker
from shared.messaging.outbox import OUTBOX
from shared.mongo import connect
from shared.service import Periodic, ServiceRuntime
from shared.unit_of_work import Cause

from .adapters.mongo import REPOSITORIES, MongoRegistryUnitOfWork
from .config import Settings
from .domain.regions import RegionCatalog
from .service_layer import services
from .service_layer.integration_events import to_integration

PRODUCES = (
    c.KimRegistered,
    c.KimUpdated,
    c.KimVerified,
    c.EditionPublished,
    c.EditionUpdated,
    c.EditionSubmissionsClosed,
    c.EnrolmentRequested,
    c.EnrolmentApproved,
    c.EnrolmentRejected,
)


@dataclass
class Registry:
    settings: Settings
    runtime: ServiceRuntime
    regions: RegionCatalog
    clock: Clock

    def uow(self, cause: Cause) -> MongoRegistryUnitOfWork:
        return MongoRegistryUnitOfWork(
            self.runtime.mongo,
            self.settings.mongodb_database,
            producer=self.settings.service_name,
            to_integration=to_integration,
            cause=cause,
            relay=self.runtime.relay,
        )


def bootstrap(settings: Settings | None = None, clock: Clock = utcnow) -> Registry:
    settings = settings or Settings()
    broker = make_broker(settings)
    mongo = connect(settings.mongodb_url.get_secret_value(), settings.service_name)
    publisher = EventPublisher(broker, PRODUCES)
    relay = OutboxRelay(
        mongo[settings.mongodb_database][OUTBOX],
        publisher.publish,
        poll_seconds=settings.outbox_poll_seconds,
    )
    runtime = ServiceRuntime(
        settings=settings, broker=broker, mongo=mongo, repositories=REPOSITORIES, relay=relay
    )
    system = Registry(
        settings=settings,
        runtime=runtime,
        regions=RegionCatalog.load(settings.regions_file),
        clock=clock,
    )
    runtime.jobs = (
        Periodic(
            "deadline-watcher",
            lambda: services.close_editions_past_deadline(system.uow(Cause.new()), clock),
            settings.deadline_check_seconds,
        ),
    )
    return system
