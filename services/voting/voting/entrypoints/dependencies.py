"""What the voting routes are given: the wired service and a unit of work that
carries the request's cause."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from shared.platform.http import Caller, RequestCause

from ..bootstrap import Voting
from ..service_layer.unit_of_work import VotingUnitOfWork


def wired(request: Request) -> Voting:
    system: Voting = request.app.state.system
    return system


System = Annotated[Voting, Depends(wired)]


def unit_of_work(system: System, cause: RequestCause) -> VotingUnitOfWork:
    return system.uow(cause)


UnitOfWork = Annotated[VotingUnitOfWork, Depends(unit_of_work)]


def client_ip(request: Request) -> str:
    """The caller's address: the peer, or what a trusted proxy says (VOTING_TRUSTED_PROXIES)."""
    return request.client.host if request.client else "unknown"


ClientIp = Annotated[str, Depends(client_ip)]


def staff_actor(caller: Caller) -> str:
    return caller.label


#: Who acts, for the audit trail: e.g. "staff:sari@malangkota.go.id".
StaffActor = Annotated[str, Depends(staff_actor)]
