"""What every aggregate has: the events it recorded and a version for optimistic locking."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(kw_only=True)
class Aggregate:
    #: Incremented by the repository on every save; a save expects the version it read.
    version: int = 0
    events: list[Any] = field(default_factory=list, repr=False, compare=False)
