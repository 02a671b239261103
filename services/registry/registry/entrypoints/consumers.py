"""Events the registry consumes (queue `registry.events`): announced results, to
record each KIM's places in the registry's own editions as achievements: the main
ranking from `winner.announced` v1, each category's from v2."""

# No `from __future__ import annotations`: faststream reads the handlers' hints at
# run time, and a string hint could resolve against a caller's local names.

from collections.abc import Callable

from faststream.rabbit import RabbitRouter

from shared import contracts as c
from shared.platform.messaging import REGISTRY, handler, ignore_the_rest, subscribe
from shared.platform.persistence.unit_of_work import Cause

from ..service_layer import services
from ..service_layer.unit_of_work import RegistryUnitOfWork

UnitOfWorkFor = Callable[[Cause], RegistryUnitOfWork]


def consumers(uow_for: UnitOfWorkFor) -> RabbitRouter:
    router = RabbitRouter()
    events = subscribe(router, REGISTRY)

    @handler(events)
    async def on_winner_announced(event: c.WinnerAnnounced) -> None:
        await services.record_announcement(uow_for(Cause.of(event)), event)

    @handler(events)
    async def on_winner_announced_v2(event: c.WinnerAnnouncedV2) -> None:
        await services.record_category_announcement(uow_for(Cause.of(event)), event)

    ignore_the_rest(events)
    return router
