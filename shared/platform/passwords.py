"""The one password policy, after NIST SP 800-63B (5.1.1.2, memorized secrets).

A new password is compared after Unicode NFKC normalisation. It has 10 to 128
characters (so passphrases of 64 and more fit), any printable Unicode including
spaces, and no composition rules. It is refused when it is:

- on the list of common and breached passwords: the 30,000 most common passwords
  of zxcvbn (MIT; from leaked password corpora), plus common Indonesian ones;
  compared case-insensitively, also with trailing digits and symbols taken off
  (`sayangku2024!` is `sayangku`);
- repetitive (`aaaaaaaaaa`, ten spaces, `abcabcabcabc`) or sequential (`1234567890`,
  `abcdefghij`, `qwertyuiop`, backwards too);
- built on the local part of the account's email (`budi.santoso` in
  `budi.santoso2024`), checked where the email is known (`refuse_email_in_password`);
- not text: a lone surrogate (`"\\udc80"` in JSON) or a control character.

Each refusal has its own code, which `shared.platform.http` words in Indonesian
and English, naming the field.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from pydantic_core import PydanticCustomError

MIN_LENGTH = 10
MAX_LENGTH = 128

#: Common Indonesian passwords and words that zxcvbn's (English) list does not hold.
COMMON_INDONESIAN = frozenset(
    {
        "bismillah",
        "alhamdulillah",
        "assalamualaikum",
        "sayang",
        "sayangku",
        "sayangkamu",
        "cintaku",
        "cintakamu",
        "akusayangkamu",
        "rahasia",
        "rahasiaku",
        "katasandi",
        "kata sandi",
        "sandiku",
        "indonesia",
        "indonesiaraya",
        "merdeka",
        "garuda",
        "pancasila",
        "jakarta",
        "surabaya",
        "malang",
        "kotamalang",
        "aremania",
        "arema",
        "persija",
        "bonek",
        "kominfo",
        "diskominfo",
        "admin",
        "administrator",
        "masuk",
        "selamat",
        "selamatdatang",
        "kelompokinformasi",
        "kimmalang",
        "semangat",
        "ganteng",
        "cantik",
        "doraemon",
        "anakku",
        "bidadari",
    }
)

_SEQUENCES = (
    "01234567890123456789",
    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
    "qwertyuiopasdfghjklzxcvbnm",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "qazwsxedcrfvtgbyhnujmikolp",
)
_TRAILING_DIGITS_AND_SYMBOLS = re.compile(r"[\d\W_]+$")
_REPEATED_UNIT = re.compile(r"(.{1,4}?)\1+", re.DOTALL)


@functools.cache
def common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"]) | COMMON_INDONESIAN


def normalized(password: str) -> str:
    """NFKC: the form that is checked, hashed and compared at login. A lone surrogate
    or a control character is refused (`password_not_text`)."""
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError("password_not_text", "The password must be text (UTF-8).") from None
    if any(unicodedata.category(char) == "Cc" for char in password):
        raise PydanticCustomError("password_not_text", "The password must not hold control characters.")
    return unicodedata.normalize("NFKC", password)


def _sequential(folded: str) -> bool:
    compact = folded.replace(" ", "")
    return len(compact) >= 4 and any(
        compact in sequence or compact in sequence[::-1] for sequence in _SEQUENCES
    )


def check_new_password(password: str) -> str:
    """The normalised password, or a `PydanticCustomError` saying why it is refused."""
    password = normalized(password)
    length = len(password)
    if length < MIN_LENGTH:
        raise PydanticCustomError("string_too_short", "Too short.", {"min_length": MIN_LENGTH})
    if length > MAX_LENGTH:
        raise PydanticCustomError("string_too_long", "Too long.", {"max_length": MAX_LENGTH})
    folded = password.casefold()
    if len(set(folded.strip())) <= 2 or _REPEATED_UNIT.fullmatch(folded):
        raise PydanticCustomError("password_repetitive", "The password repeats itself.")
    if _sequential(folded):
        raise PydanticCustomError("password_sequential", "The password is a sequence.")
    common = common_passwords()
    base = _TRAILING_DIGITS_AND_SYMBOLS.sub("", folded)
    if folded in common or folded.replace(" ", "") in common or (len(base) >= 4 and base in common):
        raise PydanticCustomError("password_common", "The password is too common.")
    return password


def refuse_email_in_password(password: str, email: str | None) -> None:
    """`password_has_email` when the password holds the local part of the account's email
    (of 3 characters or more), or the whole email."""
    if not email:
        return
    folded = password.casefold()
    local = email.strip().casefold().partition("@")[0]
    if len(local) >= 3 and (local in folded or re.sub(r"[._+-]", "", local) in folded.replace(" ", "")):
        raise PydanticCustomError("password_has_email", "The password holds the email's name.")
