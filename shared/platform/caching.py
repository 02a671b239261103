"""Public reads a browser, a proxy or a CDN may keep: ETag, Cache-Control and HEAD.

A route that serves the same JSON to everyone registers with `cacheable_get`
(GET, and HEAD beside it, out of the OpenAPI document; the table of rules in
`access` treats HEAD as GET) and answers with `cached_json`:

    @cacheable_get(router, "/editions/{edition_id}/gallery", response_model=list[GalleryItem])
    async def gallery(request: Request, ...) -> Response:
        return cached_json(request, payload, max_age=15)

The ETag is the SHA-256 of the body; a request whose `If-None-Match` names it is
answered 304 with no body; HEAD answers the headers of GET without the body.
Only for what everyone may read alike: a response that depends on who asks is
not public (pass `private=True`, which a shared cache then does not keep).
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import inspect
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar, get_type_hints

from fastapi import APIRouter
from fastapi.encoders import jsonable_encoder
from starlette.requests import Request
from starlette.responses import Response

from .persistence.mongo import committed

F = TypeVar("F", bound=Callable[..., Any])
#: Answers one `KeptAnswers` keeps at most (then it starts again).
KEPT_ANSWERS = 1000


def cacheable_get(router: APIRouter, path: str, **route: Any) -> Callable[[F], F]:
    """Register the decorated endpoint for GET and for HEAD on `path`."""

    def register(endpoint: F) -> F:
        router.add_api_route(path, endpoint, methods=["GET"], **route)
        router.add_api_route(path, endpoint, methods=["HEAD"], include_in_schema=False, **route)
        return endpoint

    return register


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    # A weak comparison, as RFC 9110 asks of If-None-Match: W/"x" matches "x".
    return any(tag.strip().removeprefix("W/") == etag for tag in if_none_match.split(","))


def cached_bytes(
    request: Request,
    body: bytes,
    *,
    media_type: str = "application/json",
    max_age: int,
    private: bool = False,
    status_code: int = 200,
    etag: str | None = None,
) -> Response:
    """`body` with its ETag (`etag`, when the caller has it already) and Cache-Control;
    304 when the caller has it; no body for HEAD."""
    etag = etag or etag_of(body)
    headers = {
        "ETag": etag,
        "Cache-Control": f"{'private' if private else 'public'}, max-age={max_age}",
        "Vary": "Accept-Language",
    }
    if _matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(body))
        return Response(status_code=status_code, headers=headers, media_type=media_type)
    return Response(body, status_code=status_code, headers=headers, media_type=media_type)


def cached_json(request: Request, content: Any, *, max_age: int, private: bool = False) -> Response:
    """`content` as compact JSON (pydantic models, dates and ids as FastAPI writes
    them), served by `cached_bytes`."""
    return cached_bytes(request, _json(content), max_age=max_age, private=private)


def _json(content: Any) -> bytes:
    return json.dumps(
        jsonable_encoder(content), ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode()


class KeptAnswers:
    """Built answers kept in this process (per path, query and Accept-Language) for
    `fresh_for` seconds and served as `cached_bytes` without building them again,
    as long as `generation()` has not moved since they were built (by default: this
    process has committed no transaction since, so a write here is seen at once;
    another replica's within `fresh_for` seconds). `fresh_for` 0 keeps nothing.

    Requests that miss while the same answer is being built wait for that build
    rather than each start their own: when a kept answer runs out under load, one
    build runs, not one per request in flight (the public tally's aggregation, 32
    at a time, had kept the database too busy to finish any within the second)."""

    def __init__(self, fresh_for: float, generation: Callable[[], int] = committed) -> None:
        self.fresh_for = fresh_for
        self._generation = generation
        self._kept: dict[tuple[str, str, str], tuple[float, int, bytes, str]] = {}
        self._building: dict[tuple[str, str, str], tuple[int, asyncio.Future[tuple[bytes, str]]]] = {}

    async def serve(
        self, request: Request, build: Callable[[], Awaitable[Any]], *, max_age: int, private: bool = False
    ) -> Response:
        """The kept answer to `request`, or `build()`'s, kept from now; what `build` raises is raised."""
        if not self.fresh_for:
            return cached_json(request, await build(), max_age=max_age, private=private)
        key = (request.url.path, request.url.query, request.headers.get("accept-language", ""))
        now, generation = time.monotonic(), self._generation()  # before building: a write meanwhile misses
        hit = self._kept.get(key)
        if hit is not None and hit[0] > now and hit[1] == generation:
            return cached_bytes(request, hit[2], max_age=max_age, private=private, etag=hit[3])
        body, etag = await self._built(key, generation, build)
        if len(self._kept) >= KEPT_ANSWERS:
            self._kept.clear()
        self._kept[key] = (now + self.fresh_for, generation, body, etag)
        return cached_bytes(request, body, max_age=max_age, private=private, etag=etag)

    async def _built(
        self, key: tuple[str, str, str], generation: int, build: Callable[[], Awaitable[Any]]
    ) -> tuple[bytes, str]:
        while (flight := self._building.get(key)) is not None and flight[0] == generation:
            await asyncio.wait({flight[1]})
            if not flight[1].cancelled() and flight[1].exception() is None:
                return flight[1].result()
            # That build failed (or its request went away): the first waiter to wake
            # builds again, and says why itself if it fails too; the others wait for it.
        future: asyncio.Future[tuple[bytes, str]] = asyncio.get_running_loop().create_future()
        self._building[key] = (generation, future)
        try:
            body = _json(await build())
            answer = (body, etag_of(body))
        except BaseException as error:
            if isinstance(error, asyncio.CancelledError):
                future.cancel()
            else:
                future.set_exception(error)
                future.exception()  # retrieved: waiters, if any, look at it themselves
            raise
        else:
            future.set_result(answer)
            return answer
        finally:
            if self._building.get(key, (0, None))[1] is future:
                del self._building[key]


def cacheable(
    router: APIRouter, path: str, *, max_age: int, fresh_for: float = 0.0, **route: Any
) -> Callable[[F], F]:
    """`cacheable_get` for an endpoint that returns its model as any other does: what it
    returns is served by `cached_json` (ETag, 304, Cache-Control, HEAD without a body),
    and what it raises is answered as ever (no validator on a refusal). The endpoint
    itself is returned unchanged, so other code may still call it for its model.

        @cacheable(router, "/editions/{edition_id}/results", max_age=60, tags=["results"])
        async def results(edition_id: UUID, uow: UnitOfWork) -> ResultsPublic: ...

    `fresh_for` > 0 also keeps each answer's body in this process (per path, query and
    Accept-Language) for that many seconds and serves it without running the endpoint,
    as long as this process has committed no transaction since: a write here is seen at
    once; another replica's write within `fresh_for` seconds. For the reads the whole
    city makes at once (the announced results), where the endpoint's reads cost far
    more than serving bytes.
    """

    def register(endpoint: F) -> F:
        hints = get_type_hints(endpoint, include_extras=True)
        original = inspect.signature(endpoint)
        parameters = [
            p.replace(annotation=hints.get(p.name, p.annotation)) for p in original.parameters.values()
        ]
        name = "cache_request__"
        while name in original.parameters:
            name += "_"
        parameters.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=Request))

        kept = KeptAnswers(fresh_for)

        @functools.wraps(endpoint)
        async def serve(*args: Any, **kwargs: Any) -> Response:
            request: Request = kwargs.pop(name)
            return await kept.serve(request, lambda: endpoint(*args, **kwargs), max_age=max_age)

        serve.__signature__ = original.replace(  # type: ignore[attr-defined]
            parameters=parameters, return_annotation=hints.get("return", original.return_annotation)
        )
        route.setdefault("response_model", hints.get("return"))
        router.add_api_route(path, serve, methods=["GET"], **route)
        router.add_api_route(path, serve, methods=["HEAD"], include_in_schema=False, **route)
        return endpoint

    return register


K = TypeVar("K")
V = TypeVar("V")


class Recent(Generic[K, V]):
    """Values read at most `seconds` ago, kept in this process, each read again one at
    a time: requests that miss while the same key is being read wait for that read
    instead of each sending their own (when a value runs out under load, one read, not
    one per request in flight). A value read while `generation` moved is not kept.
    `seconds` 0 keeps nothing and shares nothing: every call reads."""

    def __init__(
        self, seconds: float, *, most: int = 10_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.seconds = seconds
        self._most = most
        self._clock = clock
        self._kept: dict[K, tuple[float, int, V]] = {}
        self._reading: dict[K, tuple[int, asyncio.Future[V]]] = {}

    async def get(self, key: K, read: Callable[[], Awaitable[V]], generation: int = 0) -> V:
        """The value kept for `key`, or `read()`'s (what it raises is raised)."""
        if self.seconds <= 0:
            return await read()
        now = self._clock()
        kept = self._kept.get(key)
        if kept is not None and kept[0] > now and kept[1] == generation:
            return kept[2]
        flight = self._reading.get(key)
        if flight is not None and flight[0] == generation:
            return await asyncio.shield(flight[1])
        future: asyncio.Future[V] = asyncio.get_running_loop().create_future()
        self._reading[key] = (generation, future)
        try:
            value = await read()
        except BaseException as error:
            if isinstance(error, asyncio.CancelledError):
                future.cancel()
            else:
                future.set_exception(error)
                future.exception()  # retrieved: waiters, if any, raise it themselves
            raise
        finally:
            if self._reading.get(key, (0, None))[1] is future:
                del self._reading[key]
        future.set_result(value)
        if len(self._kept) >= self._most:
            self._kept.clear()
        self._kept[key] = (now + self.seconds, generation, value)
        return value

    def keep(self, key: K, value: V, generation: int = 0) -> None:
        """Keep `value` from now (what this process just wrote, say)."""
        if self.seconds > 0:
            if len(self._kept) >= self._most:
                self._kept.clear()
            self._kept[key] = (self._clock() + self.seconds, generation, value)

    def forget(self, key: K) -> None:
        self._kept.pop(key, None)
