"""The harness itself, on pages of its own (no console needed): axe-core fails a test
on a serious or critical violation and passes a sound page; screenshots are full-page
and named after the viewport and the page's language."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from . import harness
from .harness import Viewport, check_accessibility, screenshot

SOUND_PAGE = """<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>Masuk - Lomba KIM</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><header><p>Lomba KIM</p></header>
<main><h1>Masuk</h1>
<form><label for="email">Email</label><input id="email" type="email" autocomplete="email">
<label for="password">Kata sandi</label><input id="password" type="password">
<button type="submit">Masuk</button></form>
<div style="height: 2400px"></div></main></body></html>"""

UNSOUND_PAGE = """<!doctype html>
<html lang="en"><head><title>Sign in</title></head>
<body><main><h1>Sign in</h1><input type="text"><button></button></main></body></html>"""


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(autouse=True)
def own_record(monkeypatch: pytest.MonkeyPatch) -> None:
    """These pages are the harness's own: keep them out of the run's summary."""
    monkeypatch.setattr(harness, "RECORD", harness.Record())


async def test_axe_fails_the_test_on_a_serious_or_critical_violation(page: Page) -> None:
    await page.set_content(UNSOUND_PAGE)
    with pytest.raises(pytest.fail.Exception) as failed:
        await check_accessibility(page)
    message = str(failed.value)
    # The unlabelled field and the nameless button, each with where and why.
    assert "[critical] label:" in message and "[critical] button-name:" in message
    assert "at input" in message and "at button" in message


async def test_a_sound_page_passes_and_is_screenshot_whole_under_its_viewport_and_language(
    page: Page, viewport: Viewport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(harness, "SCREENSHOTS", tmp_path)
    await page.set_content(SOUND_PAGE)
    await expect(page.get_by_label("Kata sandi")).to_be_visible()
    await expect(page.get_by_role("button", name="Masuk")).to_be_visible()
    assert await check_accessibility(page) == []

    path = await screenshot(page, "harness-sound-page")
    assert path == tmp_path / f"{viewport.name}-id-harness-sound-page.png"
    width, height = png_size(path)
    assert width == viewport.width and height > 2400  # the whole page, not the first screen
