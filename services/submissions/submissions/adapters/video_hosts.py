"""Asking a film's host about a link: does it answer, how long is the film, what
is its title.

- YouTube (`youtube.com/watch?v=`, `youtu.be/`, `/shorts/`, `/embed/`, `/live/`):
  oEmbed (`<oembed>?url=…&format=json`) says the video exists and its title, not
  its length; the watch page's metadata does (`<meta itemprop="duration"
  content="PT4M13S">`).
- Vimeo (`vimeo.com/<id>`, `player.vimeo.com/video/<id>`): oEmbed gives the title
  and `duration` in seconds.
- Any other host: the link itself is fetched; it answers, and its page may carry
  the same `itemprop="duration"` metadata.

Every URL comes from the settings (base URLs) or the KIM's link, and goes through
`shared.platform.outbound.PublicFetcher`: timeouts, a bounded body, and no
connection to (or redirect towards) a private, loopback or link-local address.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from shared.platform.outbound import AddressNotAllowed, Fetched, OutboundRefused, PublicFetcher, UrlNotAllowed

from ..domain.film import FilmFacts, parse_iso_duration

YOUTUBE_HOSTS = ("youtube.com", "youtube-nocookie.com")
VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{6,20}")
META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
#: Titles people read are bounded like the entry's own.
TITLE_LENGTH = 300


@dataclass(frozen=True)
class HostUrls:
    youtube_oembed: str = "https://www.youtube.com/oembed"
    youtube_watch: str = "https://www.youtube.com/watch"
    vimeo_oembed: str = "https://vimeo.com/api/oembed.json"


def youtube_id(url: str) -> str | None:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    path = [segment for segment in parts.path.split("/") if segment]
    candidate: str | None = None
    if host == "youtu.be" and path:
        candidate = path[0]
    elif any(host == h or host.endswith("." + h) for h in YOUTUBE_HOSTS):
        if path[:1] == ["watch"]:
            candidate = next(iter(parse_qs(parts.query).get("v", [])), None)
        elif len(path) >= 2 and path[0] in ("shorts", "embed", "live", "v"):
            candidate = path[1]
    return candidate if candidate and VIDEO_ID.fullmatch(candidate) else None


def vimeo_id(url: str) -> str | None:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = [segment for segment in parts.path.split("/") if segment]
    if host == "vimeo.com" and path and path[-1].isdigit():
        return path[-1]
    if host == "player.vimeo.com" and len(path) >= 2 and path[0] == "video" and path[1].isdigit():
        return path[1]
    return None


def meta_duration(html: str) -> int | None:
    """Seconds from the page's `<meta itemprop="duration" content="PT…">`, if any."""
    for tag in META.findall(html):
        attributes = {name.lower(): unescape(a or b) for name, a, b in ATTRIBUTE.findall(tag)}
        if attributes.get("itemprop", "").lower() == "duration" and "content" in attributes:
            seconds = parse_iso_duration(attributes["content"])
            if seconds is not None:
                return seconds
    return None


def _title(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip()[:TITLE_LENGTH] or None


def _with_query(base: str, **query: str) -> str:
    return f"{base}{'&' if '?' in base else '?'}{urlencode(query)}"


def _failure(answer: Fetched, what: str) -> FilmFacts | None:
    """The problem an answer shows: 5xx and 429 are worth trying again; any other
    non-2xx means the film is not there (or not public)."""
    if 200 <= answer.status < 300:
        return None
    transient = answer.status >= 500 or answer.status == 429
    return FilmFacts(problem="unreachable", transient=transient, detail=f"{what}: HTTP {answer.status}")


class HttpVideoHosts:
    """The real adapter: `look_up(url)` never raises for the host's failures."""

    def __init__(self, fetcher: PublicFetcher, urls: HostUrls | None = None) -> None:
        self._fetcher = fetcher
        self._urls = urls or HostUrls()

    async def look_up(self, video_url: str) -> FilmFacts:
        try:
            if (video := youtube_id(video_url)) is not None:
                return await self._youtube(video)
            if (video := vimeo_id(video_url)) is not None:
                return await self._vimeo(video)
            return await self._any_page(video_url)
        except AddressNotAllowed as error:
            return FilmFacts(problem="link_refused", detail=str(error))
        except UrlNotAllowed as error:
            return FilmFacts(problem="link_refused", detail=str(error))
        except OutboundRefused as error:  # too many redirects, an answer too long
            return FilmFacts(problem="unreachable", detail=str(error))
        except (TimeoutError, httpx.HTTPError) as error:
            return FilmFacts(problem="unreachable", transient=True, detail=f"{type(error).__name__}: {error}")

    async def _youtube(self, video: str) -> FilmFacts:
        watch = f"https://www.youtube.com/watch?v={video}"
        oembed = await self._fetcher.get(_with_query(self._urls.youtube_oembed, url=watch, format="json"))
        if failure := _failure(oembed, "YouTube oEmbed"):
            return failure
        title = _title(_json(oembed).get("title"))
        page = await self._fetcher.get(_with_query(self._urls.youtube_watch, v=video))
        if failure := _failure(page, "YouTube watch page"):
            return failure
        return FilmFacts(duration_seconds=meta_duration(page.text()), title=title)

    async def _vimeo(self, video: str) -> FilmFacts:
        oembed = await self._fetcher.get(
            _with_query(self._urls.vimeo_oembed, url=f"https://vimeo.com/{video}")
        )
        if failure := _failure(oembed, "Vimeo oEmbed"):
            return failure
        data = _json(oembed)
        duration = data.get("duration")
        seconds = int(duration) if isinstance(duration, int | float) and duration > 0 else None
        return FilmFacts(duration_seconds=seconds, title=_title(data.get("title")))

    async def _any_page(self, video_url: str) -> FilmFacts:
        page = await self._fetcher.get(video_url)
        if failure := _failure(page, "the link"):
            return failure
        return FilmFacts(duration_seconds=meta_duration(page.text()))


def _json(answer: Fetched) -> dict[str, object]:
    try:
        data = json.loads(answer.body)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
