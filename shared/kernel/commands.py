"""What every service's commands share: a command is a frozen dataclass built
once from a request and handed whole to its use case."""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


def fields_of(command: DataclassInstance, *, but: tuple[str, ...] = ()) -> dict[str, Any]:
    """The command's fields by name, without those named in `but` (e.g. the ids
    that locate the aggregate rather than describe it)."""
    return {f.name: getattr(command, f.name) for f in fields(command) if f.name not in but}
