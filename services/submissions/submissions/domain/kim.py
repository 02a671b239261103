"""A KIM as submissions knows it: whom to tell about its entries (its name and
contact email), kept from the registry's kim.* events."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from shared.kernel.aggregate import Aggregate


@dataclass(kw_only=True)
class KimContact(Aggregate):
    kim_id: UUID
    name: str
    email: str
    #: The registry's revision of the KIM last applied; older ones are ignored.
    revision: int

    def apply(self, *, name: str, email: str, revision: int) -> None:
        if revision <= self.revision:
            return
        self.name, self.email, self.revision = name, email, revision
