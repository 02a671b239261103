"""One way to build an outgoing shape (an HTTP `XPublic`, an integration
event's payload) from a domain object: each field of the shape is read from the
object's attribute of the same name, nested shapes too, except the fields given
by name (computed, renamed or taken from elsewhere). A field added to both the
domain object and the shape flows through without another edit, and a shape
reads only its own fields, so nothing internal leaks."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def by_attribute(shape: type[M], source: object, **given: Any) -> M:
    taken = {name: getattr(source, name) for name in shape.model_fields if name not in given}
    return shape.model_validate({**taken, **given}, from_attributes=True)
