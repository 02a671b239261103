"""How values read in a notification, per language: times in WIB (Kota Malang's
zone), durations, scores, lists."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

from shared.kernel.i18n import Language

# Indonesia has no daylight saving time, so a fixed offset is exact.
WIB = timezone(timedelta(hours=7), "WIB")

MONTHS: dict[Language, tuple[str, ...]] = {
    "id": (
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}

NONE: dict[Language, str] = {"id": "tidak ada", "en": "none"}


def when(moment: datetime, language: Language) -> str:
    """'1 Agustus 2024 pukul 17.00 WIB' / '1 August 2024, 17:00 WIB'."""
    local = moment.astimezone(WIB)  # contracts carry aware times
    date = f"{local.day} {MONTHS[language][local.month - 1]} {local.year}"
    if language == "id":
        return f"{date} pukul {local:%H.%M} WIB"
    return f"{date}, {local:%H:%M} WIB"


#: What `duration` says of 0 seconds: entries carry 0 while their film's length is looked up.
NOT_YET_KNOWN: dict[Language, str] = {"id": "belum diketahui", "en": "not yet known"}


def duration(seconds: int, language: Language) -> str:
    if seconds <= 0:
        return NOT_YET_KNOWN[language]
    minutes, rest = divmod(max(seconds, 0), 60)
    units = ("menit", "detik") if language == "id" else ("min", "s")
    parts = [f"{minutes} {units[0]}"] if minutes else []
    if rest or not minutes:
        parts.append(f"{rest} {units[1]}")
    return " ".join(parts)


def score(value: float, language: Language) -> str:
    """Two decimals; Indonesian writes the decimal comma."""
    text = f"{value:.2f}"
    return text.replace(".", ",") if language == "id" else text


def joined(items: Iterable[object], language: Language) -> str:
    texts = [str(item) for item in items]
    return ", ".join(texts) if texts else NONE[language]


def lines(items: Iterable[str], language: Language) -> str:
    texts = [f"- {item}" for item in items]
    return "\n".join(texts) if texts else f"- {NONE[language]}"


def optional(value: object | None, language: Language) -> str:
    return str(value) if value not in (None, "") else NONE[language]
