"""A local fake of the video hosts the film check asks (YouTube, Vimeo), on
127.0.0.1, answering from `tests/fixtures/video_hosts/`: each request's path
(and query) is looked up in `routes`; every request is kept in `hits`."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Self
from urllib.parse import parse_qs, urlsplit

import httpx

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "video_hosts"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    #: Seconds to wait before answering (a host that hangs).
    delay: float = 0.0


Route = Answer | Callable[[dict[str, list[str]]], Answer]


def json_answer(name: str) -> Answer:
    return Answer(body=fixture(name))


def page_answer(name: str) -> Answer:
    return Answer(body=fixture(name), content_type="text/html; charset=utf-8")


class FakeVideoHost:
    def __init__(self, routes: dict[str, Route] | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.hits: list[str] = []
        self._server: asyncio.AbstractServer | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self) -> Self:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._server is not None
        self._server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._server.wait_closed(), 2)

    def hits_on(self, path: str) -> list[str]:
        return [hit for hit in self.hits if urlsplit(hit).path == path]

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request_line = (await asyncio.wait_for(reader.readline(), 5)).decode("latin-1")
            while (await asyncio.wait_for(reader.readline(), 5)) not in (b"\r\n", b"\n", b""):
                pass
            target = request_line.split(" ")[1] if request_line.count(" ") >= 2 else "/"
            self.hits.append(target)
            parts = urlsplit(target)
            route = self.routes.get(parts.path)
            if route is None:
                answer = Answer(status=404, body=b"Not Found", content_type="text/plain")
            elif isinstance(route, Answer):
                answer = route
            else:
                answer = route(parse_qs(parts.query))
            if answer.delay:
                await asyncio.sleep(answer.delay)
            head = [
                f"HTTP/1.1 {answer.status} {httpx.codes.get_reason_phrase(answer.status) or 'Status'}",
                f"Content-Type: {answer.content_type}",
                f"Content-Length: {len(answer.body)}",
                "Connection: close",
                *(f"{name}: {value}" for name, value in answer.headers.items()),
            ]
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + answer.body)
            await writer.drain()
        except (ConnectionError, TimeoutError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


def youtube_routes(oembeds: dict[str, str], pages: dict[str, str], *, prefix: str = "") -> dict[str, Route]:
    """YouTube's oEmbed and watch page, by video id (fixture names); an unknown id is a 404."""

    def oembed(query: dict[str, list[str]]) -> Answer:
        video = parse_qs(urlsplit(query.get("url", [""])[0]).query).get("v", [""])[0]
        return json_answer(oembeds[video]) if video in oembeds else Answer(404, b"Not Found", "text/html")

    def watch(query: dict[str, list[str]]) -> Answer:
        video = query.get("v", [""])[0]
        return page_answer(pages[video]) if video in pages else Answer(404, b"Not Found", "text/html")

    return {f"{prefix}/oembed": oembed, f"{prefix}/watch": watch}


def vimeo_routes(oembeds: dict[str, str], *, prefix: str = "") -> dict[str, Route]:
    def oembed(query: dict[str, list[str]]) -> Answer:
        video = urlsplit(query.get("url", [""])[0]).path.strip("/")
        return json_answer(oembeds[video]) if video in oembeds else Answer(404, b"", "application/json")

    return {f"{prefix}/api/oembed.json": oembed}


class PretendPublic(httpx.AsyncBaseTransport):
    """For tests of the address checks: requests to `addresses` (public ones the
    injected resolver hands out) go to the fake host on 127.0.0.1 instead; every
    request's host is kept in `seen`, so a test can show a forbidden address was
    never connected to."""

    def __init__(self, addresses: set[str], port: int) -> None:
        self._addresses = addresses
        self._port = port
        self._inner = httpx.AsyncHTTPTransport()
        self.seen: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request.url.host)
        if request.url.host not in self._addresses:
            raise httpx.ConnectError(f"the test connects to no {request.url.host}")
        request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=self._port)
        request.extensions.pop("sni_hostname", None)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()
