"""Refusals people read: which rule, which field, what to do, in Indonesian and English.

Domain code raises subclasses of `Refused`, `NotFound` or `Conflict`; the HTTP
layer turns them into a 422, 404 or 409 in the reader's language.
"""

from __future__ import annotations

from typing import Any, ClassVar

from shared.kernel.i18n import DEFAULT_LANGUAGE


class DomainError(Exception):
    code: ClassVar[str]
    field: str | None = None
    #: Message templates by language; `{name}` takes the error's params.
    messages: ClassVar[dict[str, str]]

    def __init__(self, *, field: str | None = None, **params: Any) -> None:
        if field is not None:
            self.field = field
        self.params = params
        super().__init__(self.message("en"))

    def message(self, language: str = DEFAULT_LANGUAGE) -> str:
        template = self.messages.get(language) or self.messages[DEFAULT_LANGUAGE]
        return template.format(**self.params)


class Refused(DomainError):
    """The request breaks a rule of the domain."""


class NotFound(DomainError):
    """The thing asked for does not exist."""


class Conflict(DomainError):
    """The request clashes with the current state."""


class Throttled(DomainError):
    """Too many attempts: try again after `retry_after_seconds` (HTTP 429)."""

    retry_after_seconds: int = 60

    def __init__(self, *, retry_after_seconds: int, **params: Any) -> None:
        self.retry_after_seconds = retry_after_seconds
        super().__init__(seconds=retry_after_seconds, **params)


class ConcurrentChange(Conflict):
    code = "concurrent_change"
    messages: ClassVar[dict[str, str]] = {
        "id": "Data yang sama sedang diubah oleh permintaan lain. Coba lagi sebentar lagi.",
        "en": "The same data is being changed by another request. Try again in a moment.",
    }
