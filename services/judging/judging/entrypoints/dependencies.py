"""What the judging routes are given: the wired service and a unit of work that
carries the request's cause. Each alias has its real type, so an editor can
follow a route to its use case."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from shared.platform.http import RequestCause

from ..bootstrap import Judging
from ..service_layer.unit_of_work import JudgingUnitOfWork


def wired(request: Request) -> Judging:
    system: Judging = request.app.state.system
    return system


System = Annotated[Judging, Depends(wired)]


def unit_of_work(system: System, cause: RequestCause) -> JudgingUnitOfWork:
    return system.uow(cause)


UnitOfWork = Annotated[JudgingUnitOfWork, Depends(unit_of_work)]
