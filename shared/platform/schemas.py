"""Input types every HTTP API uses, so hostile or sloppy input is refused the same way.

Single-line text refuses control characters (C0, DEL and C1: U+0000-001F and
U+007F-009F); multi-line text allows only newlines and tabs among them. Every
string has a length bound.
"""

from __future__ import annotations

import functools
import types
import typing
import unicodedata
from datetime import UTC, datetime
from typing import Annotated, Any, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from shared.platform.passwords import check_new_password, normalized, refuse_email_in_password

_NO_CONTROL = r"^[^\x00-\x1f\x7f-\x9f]*$"
_NO_CONTROL_BUT_LINES = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"

#: Characters that make text read differently from what it holds: bidirectional
#: overrides, embeddings, isolates and marks; zero-width characters and the BOM; line
#: and paragraph separators. Refused in every name and text a person reads.
SPOOFING = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    "\u200b\u200c\u200d\u2060\u180e\ufeff"
    "\u2028\u2029"
)
#: Combining marks in a row beyond this stack into unreadable text ("Zalgo").
MAX_COMBINING_IN_A_ROW = 4


def not_text(value: str) -> bool:
    """A lone surrogate (`"\\udc80"` in JSON): not text, and MongoDB could not store it."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _readable(value: str) -> str:
    if not_text(value):
        raise PydanticCustomError("string_not_text", "The text is not valid Unicode (a lone surrogate).")
    run = 0
    for char in value:
        if char in SPOOFING:
            raise PydanticCustomError(
                "text_spoofing",
                "Invisible or direction-changing character {character} is not allowed.",
                {"character": f"U+{ord(char):04X}"},
            )
        run = run + 1 if unicodedata.combining(char) or unicodedata.category(char) == "Me" else 0
        if run > MAX_COMBINING_IN_A_ROW:
            raise PydanticCustomError(
                "text_combining_marks",
                "More than {most} combining marks in a row.",
                {"most": MAX_COMBINING_IN_A_ROW},
            )
    return value


_READABLE = AfterValidator(_readable)

Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=2, max_length=120, pattern=_NO_CONTROL),
    _READABLE,
]
ShortText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=_NO_CONTROL),
    _READABLE,
]
LongText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=5000, pattern=_NO_CONTROL_BUT_LINES),
    _READABLE,
]
Reason = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=5, max_length=1000, pattern=_NO_CONTROL_BUT_LINES),
    _READABLE,
]
Hostname = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_lower=True,
        min_length=3,
        max_length=253,
        pattern=r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$",
    ),
]


def _new_password(value: object) -> object:
    return check_new_password(value) if isinstance(value, str) else value


def _given_password(value: object) -> object:
    return normalized(value) if isinstance(value, str) else value


#: A new password, wherever one is set: NFKC-normalised, 10 to 128 characters, and
#: refused when common, repetitive, sequential or not text (`shared.platform.passwords`);
#: never echoed back (Argon2 hashes it). A shape that also holds the account's email
#: adds `password_beside_email`.
Password = Annotated[SecretStr, BeforeValidator(_new_password), Field(min_length=10, max_length=128)]
#: A password given to log in: NFKC-normalised as when it was set, only bounded, so an
#: old short one still logs in.
GivenPassword = Annotated[SecretStr, BeforeValidator(_given_password), Field(min_length=1, max_length=128)]


def password_beside_email(value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
    """A field validator for `password` in a shape whose `email` comes before it:
    refuses a password built on the email's local part (`password_has_email`).
    Use: `_password = field_validator("password")(password_beside_email)`."""
    if value is not None:
        refuse_email_in_password(value.get_secret_value(), info.data.get("email"))
    return value


# --- Strict request bodies -------------------------------------------------------------


def _members(annotation: Any) -> set[type]:
    """The plain types a field's annotation accepts (Optional, unions, Annotated unwrapped)."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _members(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return set().union(*(_members(arg) for arg in typing.get_args(annotation)))
    if isinstance(annotation, type):
        return {annotation}
    return {object}  # a list, a literal, a model...: pydantic's own checks apply


_NUMBERS = (int, float)


def _strictly(members: set[type], value: Any) -> PydanticCustomError | None:
    """Why `value` does not fit a field of these types without a conversion, if it does not."""
    if object in members or (any(issubclass(m, str) for m in members) and isinstance(value, str)):
        return None
    numbers = {m for m in members if issubclass(m, _NUMBERS) and not issubclass(m, bool)}
    wants_bool = bool in members
    if numbers and not wants_bool and isinstance(value, (bool, str)):
        kind = "int_type" if numbers <= {int} else "float_type"
        return PydanticCustomError(kind, "Input should be a number, not text or true/false.")
    if wants_bool and not numbers and not isinstance(value, bool) and isinstance(value, (int, float, str)):
        return PydanticCustomError("bool_type", "Input should be true or false.")
    return None


class Input(BaseModel):
    """The base of every request body: unknown fields are refused, and so is a value that
    only fits its field after a conversion (`true` or `"120"` for a number, `1` or `"yes"`
    for true/false; pydantic already refuses a number for text). UUIDs and dates still
    come as JSON strings."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_conversions(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None or info.field_name is None:
            return value
        if isinstance(value, str) and not_text(value):
            raise PydanticCustomError("string_not_text", "The text is not valid Unicode (a lone surrogate).")
        members = _field_members(cls, info.field_name)
        refusal = _strictly(members, value)
        if refusal is not None:
            raise refusal
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _dates_the_database_holds(cls, value: Any) -> Any:
        if isinstance(value, datetime):
            check_moment(value)
        return value


#: The instants a request may name: what MongoDB and every service can hold and compare.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)


def check_moment(value: datetime) -> datetime:
    """`date_out_of_range` for an instant before 1900 or from 2200 on (year 1 with +14:00
    cannot even be converted to UTC)."""
    try:
        instant = value.astimezone(UTC) if value.tzinfo is not None else value.replace(tzinfo=UTC)
    except (OverflowError, ValueError):
        instant = None
    if instant is None or not EARLIEST <= instant < LATEST:
        raise PydanticCustomError(
            "date_out_of_range",
            "The date must be from {earliest} to before {latest}.",
            {"earliest": EARLIEST.year, "latest": LATEST.year},
        )
    return value


@functools.cache
def _field_members_cached(model: type[BaseModel], name: str) -> frozenset[type]:
    return frozenset(_members(model.model_fields[name].annotation))


def _field_members(model: type[BaseModel], name: str) -> set[type]:
    return set(_field_members_cached(model, name))
