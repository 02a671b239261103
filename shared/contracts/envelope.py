"""The envelope every event on `kim.events` carries.

`event_id` is also the AMQP message_id; `type` is the routing key. Adding an
optional field to a payload keeps the version; anything else is a new version,
published side by side until consumers move.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, Self, TypeVar
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, model_validator

PayloadT = TypeVar("PayloadT")


class Payload(BaseModel):
    """Base of every event payload.

    Unknown fields are ignored so a producer may add optional fields without
    breaking consumers that have not moved yet.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")


class Envelope(BaseModel, Generic[PayloadT]):
    model_config = ConfigDict(frozen=True, extra="ignore")

    event_id: UUID
    type: str
    version: int
    occurred_at: AwareDatetime
    producer: str
    correlation_id: str
    causation_id: UUID | None = None
    data: PayloadT

    # Each concrete event class names its routing key and version here.
    event_type: ClassVar[str] = ""
    event_version: ClassVar[int] = 1

    @model_validator(mode="after")
    def _matches_its_class(self) -> Self:
        cls = type(self)
        if cls.event_type and (self.type, self.version) != (cls.event_type, cls.event_version):
            raise ValueError(
                f"this is {self.type} v{self.version}, expected {cls.event_type} v{cls.event_version}"
            )
        return self

    @classmethod
    def new(
        cls,
        data: PayloadT,
        *,
        producer: str,
        correlation_id: str,
        causation_id: UUID | None = None,
        occurred_at: datetime | None = None,
    ) -> Self:
        return cls(
            event_id=uuid4(),
            type=cls.event_type,
            version=cls.event_version,
            occurred_at=occurred_at or datetime.now(UTC),
            producer=producer,
            correlation_id=correlation_id,
            causation_id=causation_id,
            data=data,
        )


class AnyEvent(Envelope[dict[str, Any]]):
    """An envelope whose payload is not interpreted: for routing and inspection."""
