"""The judging service's MongoDB repositories and unit of work."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, ClassVar
from uuid import UUID

from motor.motor_asyncio import AsyncIOMotorClientSession
from pymongo import ASCENDING

from shared.mongo import MongoUnitOfWork, Repository

from ..domain.edition import Edition
from ..domain.entry import Entry
from ..domain.score_sheet import ScoreSheet
from ..service_layer.unit_of_work import JudgingUnitOfWork


class MongoEditionRepository(Repository[Edition]):
    collection_name = "editions"
    aggregate = Edition
    id_field = "edition_id"


class MongoEntryRepository(Repository[Entry]):
    collection_name = "entries"
    aggregate = Entry
    id_field = "entry_id"
    indexes: ClassVar = [
        {"keys": [("edition_id", ASCENDING), ("status", ASCENDING), ("complete", ASCENDING)]},
        {"keys": [("edition_id", ASCENDING), ("submitted_at", ASCENDING)]},
    ]

    async def of_edition(self, edition_id: UUID) -> list[Entry]:
        return await self._find({"edition_id": edition_id}, sort=[("submitted_at", ASCENDING)])

    async def in_competition(self, edition_id: UUID) -> list[Entry]:
        return await self._find(
            {"edition_id": edition_id, "status": "submitted"}, sort=[("submitted_at", ASCENDING)]
        )

    async def count_in_competition(self, edition_id: UUID) -> int:
        return await self._count({"edition_id": edition_id, "status": "submitted"})

    async def count_incomplete(self, edition_id: UUID) -> int:
        return await self._count({"edition_id": edition_id, "status": "submitted", "complete": False})


class MongoScoreSheetRepository(Repository[ScoreSheet]):
    collection_name = "score_sheets"
    aggregate = ScoreSheet
    id_field = "sheet_id"
    indexes: ClassVar = [
        {"keys": [("entry_id", ASCENDING), ("judge_id", ASCENDING)], "unique": True},
        {"keys": [("edition_id", ASCENDING), ("judge_id", ASCENDING)]},
    ]

    async def of(self, entry_id: UUID, judge_id: UUID) -> ScoreSheet | None:
        return await self._find_one({"entry_id": entry_id, "judge_id": judge_id})

    async def of_edition(self, edition_id: UUID) -> list[ScoreSheet]:
        return await self._find({"edition_id": edition_id})

    async def of_judge(self, edition_id: UUID, judge_id: UUID) -> list[ScoreSheet]:
        return await self._find({"edition_id": edition_id, "judge_id": judge_id})

    async def count_by(self, edition_id: UUID, judge_ids: Collection[UUID]) -> int:
        return await self._count({"edition_id": edition_id, "judge_id": {"$in": list(judge_ids)}})


REPOSITORIES = (MongoEditionRepository, MongoEntryRepository, MongoScoreSheetRepository)


class MongoJudgingUnitOfWork(MongoUnitOfWork, JudgingUnitOfWork):
    def open_repositories(self, session: AsyncIOMotorClientSession) -> None:
        self.editions = MongoEditionRepository(self.db, session)
        self.entries = MongoEntryRepository(self.db, session)
        self.sheets = MongoScoreSheetRepository(self.db, session)

    @property
    def repositories(self) -> tuple[Repository[Any], ...]:
        return (self.editions, self.entries, self.sheets)  # type: ignore[return-value]
