"""Input types every HTTP API uses, so hostile or sloppy input is refused the same way.

Single-line text refuses control characters (C0, DEL and C1: U+0000-001F and
U+007F-009F); multi-line text allows only newlines and tabs among them. Every
string has a length bound.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, SecretStr, StringConstraints

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

#: A new password: 10 to 128 characters, never echoed back (Argon2 hashes it).
Password = Annotated[SecretStr, Field(min_length=10, max_length=128)]
#: A password given to log in: only bounded, so an old short one still logs in.
GivenPassword = Annotated[SecretStr, Field(min_length=1, max_length=128)]
