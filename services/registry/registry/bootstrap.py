"""Wires the registry: settings → broker, MongoDB, outbox relay, deadline watcher."""

from __future__ import annotations

from dataclasses import dataclass

from shared import contracts as c
from shared.clock import Clock, utcnow
from shared.service import Periodic, ServiceRuntime, service_runtime
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
        return self.runtime.unit_of_work(MongoRegistryUnitOfWork, to_integration, cause)


def bootstrap(settings: Settings | None = None, clock: Clock = utcnow) -> Registry:
    settings = settings or Settings()
    runtime = service_runtime(settings, produces=PRODUCES, repositories=REPOSITORIES)
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
