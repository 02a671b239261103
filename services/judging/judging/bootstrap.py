"""Wires judging: settings → broker, MongoDB, outbox relay, consumers."""

from __future__ import annotations

from dataclasses import dataclass

from shared import contracts as c
from shared.clock import Clock, utcnow
from shared.messaging import EventPublisher, OutboxRelay, make_broker
from shared.messaging.outbox import OUTBOX
from shared.mongo import connect
from shared.service import ServiceRuntime
from shared.unit_of_work import Cause

from .adapters.mongo import REPOSITORIES, MongoJudgingUnitOfWork
from .config import Settings
from .entrypoints.consumers import consumers
from .service_layer.integration_events import to_integration

PRODUCES = (c.JudgeAppointed, c.JudgeRemoved, c.ScoreRecorded, c.JudgingCompleted, c.WinnerAnnounced)


@dataclass
class Judging:
    settings: Settings
    runtime: ServiceRuntime
    clock: Clock

    def uow(self, cause: Cause) -> MongoJudgingUnitOfWork:
        return MongoJudgingUnitOfWork(
            self.runtime.mongo,
            self.settings.mongodb_database,
            producer=self.settings.service_name,
            to_integration=to_integration,
            cause=cause,
            relay=self.runtime.relay,
        )


def bootstrap(settings: Settings | None = None, clock: Clock = utcnow) -> Judging:
    settings = settings or Settings()
    broker = make_broker(settings)
    mongo = connect(settings.mongodb_url.get_secret_value(), settings.service_name)
    relay = OutboxRelay(
        mongo[settings.mongodb_database][OUTBOX],
        EventPublisher(broker, PRODUCES).publish,
        poll_seconds=settings.outbox_poll_seconds,
    )
    runtime = ServiceRuntime(
        settings=settings, broker=broker, mongo=mongo, repositories=REPOSITORIES, relay=relay
    )
    system = Judging(settings=settings, runtime=runtime, clock=clock)
    broker.include_router(consumers(system.uow, clock))
    return system
