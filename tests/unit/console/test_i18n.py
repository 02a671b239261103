"""The catalogues and the formats people read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from console import i18n
from console.catalogues import extract
from console.i18n import LANGUAGES, countdown, format_date, format_datetime, format_number, load_catalog


def in_language(language: str) -> None:
    i18n.current_language.set(language)  # type: ignore[arg-type]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_msgid_in_the_code_has_a_translation_in_every_language(language: str) -> None:
    catalog = load_catalog(language)  # type: ignore[arg-type]
    used = {m.id for m in extract() if m.id}
    assert used, "nothing extracted"
    missing = [m for m in used if m not in catalog]
    assert not missing, f"not in the {language} catalogue (run python -m console.catalogues): {missing}"
    empty = [
        m.id for m in catalog if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    assert not empty, f"empty {language} translations: {empty}"


def test_the_indonesian_catalogue_translates_what_people_read() -> None:
    catalog = load_catalog("id")
    same = [m.id for m in catalog if m.id and m.string == m.id and m.id not in {"Status"}]
    assert not same, f"Indonesian left as the English source: {same}"


def test_dates_times_and_numbers() -> None:
    moment = datetime(2024, 11, 14, 7, 0, tzinfo=UTC)  # 14.00 WIB
    in_language("id")
    assert format_date(moment) == "14 November 2024"
    assert format_datetime(moment) == "14 November 2024 pukul 14.00 WIB"
    assert format_number(92.95) == "92,95" and format_number(1234.5) == "1.234,50"
    assert format_date(datetime(2024, 8, 31, 18, 0, tzinfo=UTC)) == "1 September 2024"  # WIB is UTC+7
    in_language("en")
    assert format_date(moment) == "14 November 2024"
    assert format_number(92.95) == "92.95"
    assert format_datetime(moment) == "14 November 2024 at 2:00\u202fPM WIB"
    in_language("id")


def test_countdown_in_words() -> None:
    deadline = datetime(2024, 11, 14, 7, 0, tzinfo=UTC)
    in_language("id")
    assert countdown(deadline, deadline - timedelta(days=3, hours=5)) == "3 hari lagi"
    assert countdown(deadline, deadline - timedelta(hours=5, minutes=10)) == "5 jam lagi"
    assert countdown(deadline, deadline - timedelta(seconds=30)) == "1 menit lagi"
    assert countdown(deadline, deadline) == "batas waktu sudah lewat"
    in_language("en")
    assert countdown(deadline, deadline - timedelta(days=1, hours=1)) == "1 day left"
    assert countdown(deadline, deadline - timedelta(days=3)) == "3 days left"
    in_language("id")


@pytest.mark.parametrize(
    ("cookie", "accept", "chosen"),
    [
        (None, None, "id"),
        (None, "en-US,en;q=0.9", "en"),
        (None, "id-ID,en;q=0.5", "id"),
        (None, "fr-FR", "id"),
        ("en", "id-ID", "en"),
        ("id", "en", "id"),
        ("xx", None, "id"),
    ],
)
def test_the_language_is_the_cookie_then_the_browser_then_indonesian(
    cookie: str | None, accept: str | None, chosen: str
) -> None:
    assert i18n.language_of(cookie, accept) == chosen
