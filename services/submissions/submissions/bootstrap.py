"""Wires the submissions service: settings → broker, MongoDB, outbox relay, consumers."""

from __future__ import annotations

from dataclasses import dataclass

from shared import contracts as c
from shared.kernel.clock import Clock, utcnow
from shared.platform.persistence.unit_of_work import Cause
from shared.service import ServiceRuntime, service_runtime

from .adapters.mongo import PROJECTIONS, MongoSubmissionsUnitOfWork
from .config import Settings
from .entrypoints.consumers import consumers
from .service_layer.integration_events import to_integration

PRODUCES = (c.EntrySubmitted, c.EntryRevised, c.EntryWithdrawn, c.EntryDisqualified)


@dataclass
class Submissions:
    settings: Settings
    runtime: ServiceRuntime
    clock: Clock

    def uow(self, cause: Cause) -> MongoSubmissionsUnitOfWork:
        return self.runtime.unit_of_work(MongoSubmissionsUnitOfWork, to_integration, cause)


def bootstrap(settings: Settings | None = None, clock: Clock = utcnow) -> Submissions:
    settings = settings or Settings()
    runtime = service_runtime(
        settings,
        produces=PRODUCES,
        repositories=tuple(MongoSubmissionsUnitOfWork.repository_classes().values()),
        projections=PROJECTIONS,
    )
    system = Submissions(settings=settings, runtime=runtime, clock=clock)
    runtime.broker.include_router(consumers(system.uow))
    return system
