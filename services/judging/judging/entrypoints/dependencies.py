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


async def unit_of_work(system: System, cause: RequestCause, request: Request) -> JudgingUnitOfWork:
    """The edition's unit of work; a final round's (`domain/rounds.py`) when the
    path names one, so every route serves a final round by its id unchanged."""
    return await system.uow_of(cause, request.path_params.get("edition_id"))


UnitOfWork = Annotated[JudgingUnitOfWork, Depends(unit_of_work)]


def final_unit_of_work(system: System, cause: RequestCause) -> JudgingUnitOfWork:
    return system.final_uow(cause)


#: A final round's unit of work, for the `/editions/{id}/final/...` routes.
FinalUnitOfWork = Annotated[JudgingUnitOfWork, Depends(final_unit_of_work)]
