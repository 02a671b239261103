"""Plain in-memory fakes of the units of work, for service-layer unit tests."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any, Generic, Self, TypeVar
from uuid import UUID

from shared.contracts import Envelope
from shared.kernel.aggregate import Aggregate
from shared.kernel.errors import NotFound
from shared.platform.persistence.unit_of_work import Cause, ToIntegration, UnitOfWork

A = TypeVar("A", bound=Aggregate)


class FakeRepository(Generic[A]):
    def __init__(self, id_field: str, not_found: type[NotFound] = NotFound) -> None:
        self._id_field = id_field
        self._not_found = not_found
        self.items: dict[Any, A] = {}

    async def get(self, aggregate_id: Any) -> A | None:
        return self.items.get(aggregate_id)

    async def load(self, aggregate_ids: Any) -> None:
        return None

    async def require(self, aggregate_id: Any) -> A:
        found = self.items.get(aggregate_id)
        if found is None:
            raise self._not_found(**{self._id_field: aggregate_id})
        return found

    def add(self, aggregate: A) -> None:
        self.items[getattr(aggregate, self._id_field)] = aggregate

    def where(self, keep: Callable[[A], bool]) -> list[A]:
        return [item for item in self.items.values() if keep(item)]


class FakeUnitOfWork(UnitOfWork):
    """Commits by publishing into a list. It does not roll back: tests of
    refusals look at what was raised and what was published, not at state."""

    def __init__(self, to_integration: ToIntegration) -> None:
        super().__init__(producer="test", to_integration=to_integration, cause=Cause.new("test"))
        self.published: list[Envelope[Any]] = []
        self.commits = 0
        self.processed: set[UUID] = set()

    def repositories(self) -> Iterable[FakeRepository[Any]]:
        return [value for value in vars(self).values() if isinstance(value, FakeRepository)]

    def seen(self) -> Iterable[Aggregate]:
        for repository in self.repositories():
            yield from repository.items.values()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None

    async def flush(self) -> None:
        return None

    async def commit(self) -> None:
        for aggregate in self.seen():
            if aggregate.events or aggregate.version == 0:
                aggregate.version += 1
        self.published.extend(self.events_to_store())
        self.commits += 1

    async def claim(self, event: Envelope[Any]) -> bool:
        if event.event_id in self.processed:
            return False
        self.processed.add(event.event_id)
        return True

    def types(self) -> list[str]:
        return [event.type for event in self.published]
