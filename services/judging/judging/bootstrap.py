"""Wires judging: settings → broker, MongoDB, outbox relay, consumers, reminders."""

from __future__ import annotations

from dataclasses import dataclass

from shared import contracts as c
from shared.kernel.clock import Clock, utcnow
from shared.platform.persistence.unit_of_work import Cause
from shared.service import Periodic, ServiceRuntime, service_runtime

from .adapters.mongo import PROJECTIONS, MongoFinalRoundUnitOfWork, MongoJudgingUnitOfWork, is_final_round
from .config import Settings
from .entrypoints.consumers import consumers
from .service_layer.integration_events import to_integration
from .service_layer.reminders import remind_judges

PRODUCES = (
    c.JudgeAppointed,
    c.JudgeRemoved,
    c.JudgeAssigned,
    c.JudgeReminded,
    c.ScoreRecorded,
    c.JudgingCompleted,
    c.TieDetected,
    c.WinnerAnnounced,
    c.ShortlistAnnounced,
    c.WinnerAnnouncedV2,
)


@dataclass
class Judging:
    settings: Settings
    runtime: ServiceRuntime
    clock: Clock

    def uow(self, cause: Cause) -> MongoJudgingUnitOfWork:
        return self.runtime.unit_of_work(MongoJudgingUnitOfWork, to_integration, cause)

    def final_uow(self, cause: Cause) -> MongoFinalRoundUnitOfWork:
        """A final round's unit of work (its entries are the shortlisted copies)."""
        return self.runtime.unit_of_work(MongoFinalRoundUnitOfWork, to_integration, cause)

    async def uow_of(self, cause: Cause, edition_id: str | None) -> MongoJudgingUnitOfWork:
        """The unit of work for the edition a request names: a final round's when it is one."""
        if await is_final_round(self.runtime.db, edition_id):
            return self.final_uow(cause)
        return self.uow(cause)


def bootstrap(settings: Settings | None = None, clock: Clock = utcnow) -> Judging:
    settings = settings or Settings()
    runtime = service_runtime(
        settings,
        produces=PRODUCES,
        repositories=tuple(MongoJudgingUnitOfWork.repository_classes().values()),
        projections=PROJECTIONS,
    )
    system = Judging(settings=settings, runtime=runtime, clock=clock)
    runtime.broker.include_router(consumers(system.uow, clock))
    runtime.jobs = (
        Periodic(
            "judge-reminders",
            lambda: remind_judges(system.uow, clock, settings.reminder_window, system.final_uow),
            settings.reminder_poll_seconds,
        ),
    )
    return system
