"""Languages people read: Indonesian by default, English available."""

from __future__ import annotations

from typing import Literal

Language = Literal["id", "en"]
DEFAULT_LANGUAGE: Language = "id"
LANGUAGES: tuple[Language, ...] = ("id", "en")


def negotiate(accept_language: str | None) -> Language:
    """Pick from an Accept-Language header the first language we speak."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    ranked = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, position, tag.strip().lower().split("-")[0]))
    for _, _, tag in sorted(ranked):
        if tag in LANGUAGES:
            return tag
    return DEFAULT_LANGUAGE
