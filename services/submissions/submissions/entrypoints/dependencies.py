"""What the submissions routes are given: the wired service and a unit of work that
carries the request's cause. Each alias has its real type, so an editor can
follow a route to its use case."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from shared.platform.http import RequestCause

from ..bootstrap import Submissions
from ..service_layer.unit_of_work import SubmissionsUnitOfWork


def wired(request: Request) -> Submissions:
    system: Submissions = request.app.state.system
    return system


System = Annotated[Submissions, Depends(wired)]


def unit_of_work(system: System, cause: RequestCause) -> SubmissionsUnitOfWork:
    return system.uow(cause)


UnitOfWork = Annotated[SubmissionsUnitOfWork, Depends(unit_of_work)]
