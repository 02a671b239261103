"""A film's link as a judge watches it: YouTube, Vimeo, Google Drive and Facebook
links become their privacy-enhanced embed (no tracking cookies until played
where the host offers it); any other host is a link that opens in a new tab."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit


@dataclass(frozen=True)
class Film:
    #: The embed's address, or None when the film opens on its own host.
    embed: str | None
    #: The link as the KIM gave it (for "open on <host>").
    link: str
    host: str


_ID = re.compile(r"^[A-Za-z0-9_-]{6,64}$")


def film_of(url: str) -> Film:
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    if parts.scheme not in ("http", "https") or not host:
        return Film(embed=None, link=url, host=host)
    return Film(embed=_embed(host, parts.path, parts.query, url), link=url, host=host)


def _embed(host: str, path: str, query: str, url: str) -> str | None:
    segments = [s for s in path.split("/") if s]
    if host in ("youtube.com", "youtube-nocookie.com", "youtu.be"):
        video = _youtube_id(host, segments, query)
        return f"https://www.youtube-nocookie.com/embed/{video}" if video else None
    if host in ("vimeo.com", "player.vimeo.com"):
        numbers = [s for s in segments if s.isdigit()]
        return f"https://player.vimeo.com/video/{numbers[0]}?dnt=1" if numbers else None
    if host == "drive.google.com":
        file_id = None
        if len(segments) >= 3 and segments[:2] == ["file", "d"]:
            file_id = segments[2]
        elif segments and segments[0] == "open":
            file_id = parse_qs(query).get("id", [None])[0]
        return (
            f"https://drive.google.com/file/d/{file_id}/preview" if file_id and _ID.match(file_id) else None
        )
    if host in ("facebook.com", "fb.watch", "web.facebook.com"):
        return f"https://www.facebook.com/plugins/video.php?href={quote(url, safe='')}&show_text=false"
    return None


def _youtube_id(host: str, segments: list[str], query: str) -> str | None:
    if host == "youtu.be":
        candidate = segments[0] if segments else None
    elif segments and segments[0] in ("embed", "shorts", "live", "v"):
        candidate = segments[1] if len(segments) > 1 else None
    else:
        candidate = parse_qs(query).get("v", [None])[0]
    return candidate if candidate and _ID.match(candidate) else None
