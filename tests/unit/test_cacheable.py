"""`shared.platform.caching.cacheable`: an endpoint that returns its model, served with
ETag, 304, Cache-Control and HEAD; with `fresh_for`, answered from this process for a
moment, never past a transaction this process committed."""

from __future__ import annotations

import asyncio
from typing import Annotated

import httpx
import pytest
from fastapi import APIRouter, FastAPI, HTTPException, Path
from pydantic import BaseModel

from shared.platform import caching
from shared.platform.persistence import mongo


class Standing(BaseModel):
    edition: str
    winner: str
    version: int


CALLS: list[str] = []
WINNER = {"now": "KIM Pasreh Jaya"}


def app(fresh_for: float = 0.0) -> FastAPI:
    router = APIRouter()

    @caching.cacheable(router, "/editions/{edition}/results", max_age=60, fresh_for=fresh_for)
    async def results(edition: Annotated[str, Path(max_length=20)], lang: str = "id") -> Standing:
        CALLS.append(edition)
        if edition == "belum":
            raise HTTPException(404, "not announced")
        return Standing(edition=edition, winner=WINNER["now"], version=1)

    made = FastAPI()
    made.include_router(router)
    made.state.direct = results  # the endpoint itself, as other code calls it
    return made


@pytest.fixture(autouse=True)
def _fresh() -> None:
    CALLS.clear()
    WINNER["now"] = "KIM Pasreh Jaya"


def client(made: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=made), base_url="http://judging")


async def test_the_model_is_served_with_etag_304_cache_control_and_head() -> None:
    made = app()
    async with client(made) as http:
        first = await http.get("/editions/2024/results")
        again = await http.get("/editions/2024/results", headers={"If-None-Match": first.headers["etag"]})
        head = await http.head("/editions/2024/results")
        query = await http.get("/editions/2024/results", params={"lang": "en"})
        refused = await http.get("/editions/belum/results")
        schema = (await http.get("/openapi.json")).json()
    assert first.status_code == 200 and first.json() == {
        "edition": "2024",
        "winner": "KIM Pasreh Jaya",
        "version": 1,
    }
    assert first.headers["cache-control"] == "public, max-age=60"
    assert again.status_code == 304 and again.content == b""
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == first.headers["etag"]
    assert query.status_code == 200  # the endpoint's own parameters still reach it
    assert refused.status_code == 404 and "etag" not in refused.headers
    operation = schema["paths"]["/editions/{edition}/results"]
    assert set(operation) == {"get"}  # HEAD stays out of the document; the model is in it
    assert "Standing" in str(operation["get"]["responses"]["200"])
    # The endpoint itself is unchanged: other code still gets its model.
    assert await made.state.direct("2025") == Standing(edition="2025", winner="KIM Pasreh Jaya", version=1)


async def test_fresh_answers_come_from_the_process_until_a_commit_or_the_time_is_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with client(app(fresh_for=0.3)) as http:
        await http.get("/editions/2024/results")
        await http.get("/editions/2024/results")
        await http.head("/editions/2024/results")
        assert CALLS == ["2024"]
        await http.get("/editions/2024/results", headers={"Accept-Language": "en"})  # kept apart
        assert CALLS == ["2024", "2024"]

        WINNER["now"] = "KIM Ganjur"  # a correction announced by this process: its commit
        monkeypatch.setattr(mongo, "_committed", mongo.committed() + 1)
        corrected = await http.get("/editions/2024/results")
        assert corrected.json()["winner"] == "KIM Ganjur" and len(CALLS) == 3

        WINNER["now"] = "KIM Mojolangu"  # another replica's: seen once `fresh_for` is over
        assert (await http.get("/editions/2024/results")).json()["winner"] == "KIM Ganjur"
        await asyncio.sleep(0.35)
        assert (await http.get("/editions/2024/results")).json()["winner"] == "KIM Mojolangu"
        # Refusals are never kept.
        await http.get("/editions/belum/results")
        await http.get("/editions/belum/results")
        assert CALLS.count("belum") == 2
