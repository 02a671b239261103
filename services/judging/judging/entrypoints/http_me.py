"""A signed-in judge's own desk, without knowing any id: the panels they sit on
with their progress, and on each the entries assigned to them with the film and
their sheets. They fill sheets at the judge-scoped endpoint (`http.py`) with
the `judge_id` these give."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from shared.platform.http import Caller

from ..service_layer import desk, feedback
from .dependencies import UnitOfWork
from .schemas_desk import KimFeedbackPublic, MyDeskPublic, MySeatPublic

router = APIRouter(tags=["my desk"])


@router.get(
    "/me/editions",
    summary="A judge: the editions whose panel I sit on, with my judge_id and progress (12 of 19 scored)",
)
async def my_editions(uow: UnitOfWork, caller: Caller) -> list[MySeatPublic]:
    return [MySeatPublic.of(seat) for seat in await desk.my_seats(uow, caller.email)]


@router.get(
    "/me/editions/{edition_id}/entries",
    summary="A judge: the entries assigned to me on this panel, with the film and my sheet so far",
)
async def my_entries(edition_id: UUID, uow: UnitOfWork, caller: Caller) -> MyDeskPublic:
    seat, entries = await desk.my_desk(uow, edition_id, caller.email)
    return MyDeskPublic.of(seat, entries)


@router.get(
    "/editions/{edition_id}/kims/{kim_id}/feedback",
    tags=["results"],
    summary="A KIM, after the announcement: its own sheets' scores per criterion and the judges' comments "
    "(no private notes, no judges' names)",
)
async def kim_feedback(edition_id: UUID, kim_id: UUID, uow: UnitOfWork, caller: Caller) -> KimFeedbackPublic:
    caller.require_kim(kim_id)
    return KimFeedbackPublic.of(await feedback.feedback_for(uow, edition_id, kim_id))
