"""What the notifications routes are given: the wired service and a unit of work that
carries the request's cause. Each alias has its real type, so an editor can
follow a route to its use case."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from shared.platform.http import RequestCause

from ..bootstrap import Notifications
from ..service_layer.unit_of_work import NotificationsUnitOfWork


def wired(request: Request) -> Notifications:
    system: Notifications = request.app.state.system
    return system


System = Annotated[Notifications, Depends(wired)]


def unit_of_work(system: System, cause: RequestCause) -> NotificationsUnitOfWork:
    return system.uow(cause)


UnitOfWork = Annotated[NotificationsUnitOfWork, Depends(unit_of_work)]
