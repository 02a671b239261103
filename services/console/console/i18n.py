"""Languages: Indonesian first, English one click away.

Every text a person reads comes from the catalogues in `locales/{id,en}/LC_MESSAGES/console.po`
(msgids are the English source text). They are compiled in memory at start, so no
binary .mo file is kept. The language of the request being rendered is a context
variable, so templates and code call `_()` without passing it around.
"""

from __future__ import annotations

import io
from contextvars import ContextVar
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_date
from babel.dates import format_time as babel_time
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

Language = Literal["id", "en"]
LANGUAGES: tuple[Language, ...] = ("id", "en")
DEFAULT: Language = "id"
LOCALES = Path(__file__).parent / "locales"
#: Babel locales for dates and numbers.
BABEL_LOCALE = {"id": "id_ID", "en": "en"}
WIB = ZoneInfo("Asia/Jakarta")

current_language: ContextVar[Language] = ContextVar("current_language", default=DEFAULT)


def load_catalog(language: Language) -> Catalog:
    with (LOCALES / language / "LC_MESSAGES" / "console.po").open("rb") as po:
        return read_po(po, locale=BABEL_LOCALE[language], domain="console")


def _compile(catalog: Catalog) -> Translations:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain="console")


TRANSLATIONS: dict[Language, Translations] = {lang: _compile(load_catalog(lang)) for lang in LANGUAGES}


def gettext(message: str, **values: object) -> str:
    text = TRANSLATIONS[current_language.get()].gettext(message)
    return text % values if values else text


def ngettext(singular: str, plural: str, n: int, **values: object) -> str:
    text = TRANSLATIONS[current_language.get()].ngettext(singular, plural, n)
    return text % {"num": n, **values}


_ = gettext


def N_(message: str) -> str:
    """Marks a msgid for the catalogues where it is translated later (at render time)."""
    return message


def raw_gettext(message: str) -> str:
    """For Jinja's i18n extension, which fills in the values itself (and escapes them)."""
    return TRANSLATIONS[current_language.get()].gettext(message)


def raw_ngettext(singular: str, plural: str, n: int) -> str:
    return TRANSLATIONS[current_language.get()].ngettext(singular, plural, n)


def language_of(cookie: str | None, accept_language: str | None) -> Language:
    """The cookie's choice; otherwise English only when the browser prefers it over Indonesian."""
    if cookie in LANGUAGES:
        return cookie  # type: ignore[return-value]
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag  # type: ignore[return-value]
    return DEFAULT


def format_date(moment: datetime) -> str:
    """14 November 2024 (the date in WIB)."""
    return babel_date(moment.astimezone(WIB), "d MMMM y", locale=BABEL_LOCALE[current_language.get()])


def format_time(moment: datetime) -> str:
    """14.00 WIB / 14:00 WIB."""
    clock = babel_time(moment.astimezone(WIB), "short", locale=BABEL_LOCALE[current_language.get()])
    return f"{clock} WIB"


def format_datetime(moment: datetime) -> str:
    return gettext("%(date)s at %(time)s", date=format_date(moment), time=format_time(moment))


def format_number(value: float | Decimal | int, places: int = 2) -> str:
    """92,95 in Indonesian, 92.95 in English."""
    pattern = "#,##0." + "0" * places if places else "#,##0"
    return format_decimal(value, format=pattern, locale=BABEL_LOCALE[current_language.get()])


def countdown(deadline: datetime, now: datetime) -> str:
    """How long until a deadline, in words: "3 hari lagi", "5 jam lagi", "sudah lewat"."""
    left = deadline - now
    seconds = left.total_seconds()
    if seconds <= 0:
        return gettext("deadline passed")
    if left.days >= 1:
        return ngettext("%(num)d day left", "%(num)d days left", left.days)
    hours = int(seconds // 3600)
    if hours >= 1:
        return ngettext("%(num)d hour left", "%(num)d hours left", hours)
    return ngettext("%(num)d minute left", "%(num)d minutes left", max(1, int(seconds // 60)))
