"""Public reads a cache may keep (`shared.platform.caching`): ETag, 304, HEAD, Cache-Control."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request, Response

from shared.platform.caching import KeptAnswers, Recent, cacheable_get, cached_json, etag_of

STATE = {"title": "Juara Favorit"}


def app() -> FastAPI:
    router = APIRouter()

    @cacheable_get(router, "/results")
    async def results(request: Request) -> Response:
        return cached_json(request, {"title": STATE["title"], "votes": [3, 2]}, max_age=30)

    @cacheable_get(router, "/mine")
    async def mine(request: Request) -> Response:
        return cached_json(request, {"me": True}, max_age=0, private=True)

    made = FastAPI()
    made.include_router(router)
    return made


async def test_an_etag_answers_304_until_the_content_changes_and_head_has_no_body() -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app()), base_url="http://t") as client:
        first = await client.get("/results")
        assert first.status_code == 200 and first.json() == {"title": "Juara Favorit", "votes": [3, 2]}
        etag = first.headers["etag"]
        assert etag == etag_of(first.content)
        assert first.headers["cache-control"] == "public, max-age=30"
        same = await client.get("/results", headers={"If-None-Match": etag})
        assert same.status_code == 304 and same.content == b"" and same.headers["etag"] == etag
        weak = await client.get("/results", headers={"If-None-Match": f'"other", W/{etag}'})
        assert weak.status_code == 304
        head = await client.head("/results")
        assert head.status_code == 200 and head.content == b""
        assert head.headers["etag"] == etag and head.headers["content-length"] == str(len(first.content))
        STATE["title"] = "Juara Favorit 2025"
        try:
            changed = await client.get("/results", headers={"If-None-Match": etag})
        finally:
            STATE["title"] = "Juara Favorit"
        assert changed.status_code == 200 and changed.headers["etag"] != etag
        private = await client.get("/mine")
        assert private.headers["cache-control"] == "private, max-age=0"


def test_head_stays_out_of_the_openapi_document() -> None:
    paths = app().openapi()["paths"]
    assert set(paths["/results"]) == {"get"}


async def test_kept_answers_are_built_once_a_moment_and_again_after_a_change_here() -> None:
    generation = {"now": 0}
    built: list[str] = []
    kept = KeptAnswers(60.0, generation=lambda: generation["now"])
    router = APIRouter()

    @cacheable_get(router, "/tally")
    async def tally(request: Request) -> Response:
        async def build() -> dict[str, object]:
            built.append(STATE["title"])
            if STATE["title"] == "refused":
                raise LookupError("not public")
            return {"title": STATE["title"]}

        return await kept.serve(request, build, max_age=15)

    made = FastAPI()
    made.include_router(router)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=made), base_url="http://t") as client:
        first = await client.get("/tally")
        again = await client.get("/tally", headers={"If-None-Match": first.headers["etag"]})
        assert (first.json(), again.status_code, built) == (
            {"title": "Juara Favorit"},
            304,
            ["Juara Favorit"],
        )
        english = await client.get("/tally", headers={"Accept-Language": "en"})  # kept apart per language
        assert english.status_code == 200 and len(built) == 2
        STATE["title"] = "Juara Favorit 2025"
        try:
            assert (await client.get("/tally")).json() == {"title": "Juara Favorit"}  # still kept
            generation["now"] += 1  # a change made here: built again at once
            assert (await client.get("/tally")).json() == {"title": "Juara Favorit 2025"}
            STATE["title"], generation["now"] = "refused", 2
            with pytest.raises(LookupError):  # what the build raises is raised, and nothing kept
                await client.get("/tally")
            STATE["title"] = "Juara Favorit"
            assert (await client.get("/tally")).json() == {"title": "Juara Favorit"}
        finally:
            STATE["title"] = "Juara Favorit"
    assert len(built) == 5


async def test_requests_that_miss_together_wait_for_one_build() -> None:
    built: list[int] = []
    failures = {"left": 1}
    kept = KeptAnswers(60.0, generation=lambda: 0)
    router = APIRouter()

    @cacheable_get(router, "/tally")
    async def tally(request: Request) -> Response:
        async def build() -> dict[str, object]:
            built.append(1)
            await asyncio.sleep(0.05)
            if failures["left"]:
                failures["left"] -= 1
                raise LookupError("the database went away")
            return {"votes": 3}

        return await kept.serve(request, build, max_age=15)

    made = FastAPI()
    made.include_router(router)
    transport = httpx.ASGITransport(app=made, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        # The first build fails: that request is answered 500, one waiting request
        # builds again, and its build serves the rest.
        first = await asyncio.gather(*(client.get("/tally") for _ in range(10)))
        assert [r.status_code for r in first].count(500) == 1
        assert all(r.json() == {"votes": 3} for r in first if r.status_code == 200)
        assert len(built) == 2  # the one that failed, and one more
        before = len(built)
        again = await asyncio.gather(*(client.get("/tally") for _ in range(10)))
        assert {r.status_code for r in again} == {200} and len(built) == before  # kept


async def test_recent_values_are_read_once_a_moment_by_one_read_for_those_who_miss_together() -> None:
    now = [100.0]
    reads: list[str] = []
    release = asyncio.Event()

    async def read() -> str:
        reads.append("read")
        await release.wait()
        return f"value {len(reads)}"

    recent: Recent[str, str] = Recent(1.0, clock=lambda: now[0])
    waiting = [asyncio.create_task(recent.get("edition", read)) for _ in range(5)]
    await asyncio.sleep(0)
    release.set()
    assert await asyncio.gather(*waiting) == ["value 1"] * 5 and len(reads) == 1, "one read for all five"
    assert await recent.get("edition", read) == "value 1", "kept for the moment"
    now[0] += 1.5
    assert await recent.get("edition", read) == "value 2", "read again once the moment has passed"
    assert await recent.get("edition", read, generation=1) == "value 3", "read again after a write here"
    recent.forget("edition")
    assert await recent.get("edition", read, generation=1) == "value 4"


async def test_recent_with_no_moment_reads_every_time_and_a_failed_read_keeps_nothing() -> None:
    calls = 0

    async def read() -> int:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise LookupError("gone")
        return calls

    every: Recent[str, int] = Recent(0.0)
    assert [await every.get("k", read), await every.get("k", read)] == [1, 2]
    kept: Recent[str, int] = Recent(5.0)
    with pytest.raises(LookupError):
        await kept.get("k", read)
    assert await kept.get("k", read) == 4 and await kept.get("k", read) == 4
