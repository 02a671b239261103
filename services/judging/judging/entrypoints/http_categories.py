"""Judging's HTTP API for an edition's categories: staff list them (anyone, the
announced ones), give a ranked category its rubric and a special award its
winner with the jury's reason. Their results go through the results endpoints
with `?category=<code>` (`http_results.py`)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path

from shared.platform.http import Caller

from ..service_layer import categories as use_cases
from .dependencies import System, UnitOfWork
from .http import StaffActor
from .schemas_categories import CategoryPublic, CategoryRubricIn, SpecialAwardIn

router = APIRouter()

Code = Annotated[str, Path(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40)]


@router.get(
    "/editions/{edition_id}/categories",
    tags=["categories"],
    summary="The edition's categories with their rubric, entries and versions (anyone: the announced ones)",
)
async def categories(edition_id: UUID, uow: UnitOfWork, caller: Caller) -> list[CategoryPublic]:
    edition, states = await use_cases.listed(uow, edition_id)
    return [
        CategoryPublic.of(edition, state)
        for state in states
        if caller.is_staff or state.category.announced_version is not None
    ]


async def _one(uow: UnitOfWork, edition_id: UUID, code: str) -> CategoryPublic:
    edition, states = await use_cases.listed(uow, edition_id)
    return next(CategoryPublic.of(edition, s) for s in states if s.category.code == code)


@router.put(
    "/editions/{edition_id}/categories/{code}/rubric",
    tags=["categories"],
    summary="Staff: a ranked category's weights over the edition's criteria, before scoring starts",
)
async def set_rubric(
    edition_id: UUID, code: Code, body: CategoryRubricIn, system: System, uow: UnitOfWork, actor: StaffActor
) -> CategoryPublic:
    await use_cases.set_rubric(uow, system.clock, body.command(edition_id, code), actor)
    return await _one(uow, edition_id, code)


@router.post(
    "/editions/{edition_id}/categories/{code}/award",
    tags=["categories"],
    summary="Staff: give a special award to an entry in competition, with the jury's reason",
)
async def give_award(
    edition_id: UUID, code: Code, body: SpecialAwardIn, system: System, uow: UnitOfWork, actor: StaffActor
) -> CategoryPublic:
    await use_cases.give_award(uow, system.clock, body.command(edition_id, code), actor)
    return await _one(uow, edition_id, code)
