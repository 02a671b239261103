"""What the registry routes are given: the wired service and a unit of work that
carries the request's cause. Each alias has its real type, so an editor can
follow a route to its use case."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from shared.platform.http import RequestCause

from ..bootstrap import Registry
from ..service_layer.unit_of_work import RegistryUnitOfWork


def wired(request: Request) -> Registry:
    system: Registry = request.app.state.system
    return system


System = Annotated[Registry, Depends(wired)]


def unit_of_work(system: System, cause: RequestCause) -> RegistryUnitOfWork:
    return system.uow(cause)


UnitOfWork = Annotated[RegistryUnitOfWork, Depends(unit_of_work)]
