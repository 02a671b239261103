"""Input types every HTTP API uses, so hostile or sloppy input is refused the same way.

Single-line text refuses control characters (C0, DEL and C1: U+0000-001F and
U+007F-009F); multi-line text allows only newlines and tabs among them. Every
string has a length bound.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field, SecretStr, StringConstraints, ValidationInfo

from shared.platform.passwords import check_new_password, normalized, refuse_email_in_password

_NO_CONTROL = r"^[^\x00-\x1f\x7f-\x9f]*$"
_NO_CONTROL_BUT_LINES = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"

Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=2, max_length=120, pattern=_NO_CONTROL)
]
ShortText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=_NO_CONTROL)
]
LongText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=5000, pattern=_NO_CONTROL_BUT_LINES),
]
Reason = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=5, max_length=1000, pattern=_NO_CONTROL_BUT_LINES),
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
