"""`shared.platform.metrics` without a broker or database: HTTP requests are
counted by route template and status; the gauges' refresh is throttled and a
failing one does not stop a scrape; a redelivered message is counted and its
correlation id is the logs' while it is handled."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import httpx
from fastapi import FastAPI, HTTPException
from prometheus_client.parser import text_string_to_metric_families

from shared.platform.logs import correlation_id
from shared.platform.metrics import HttpMetrics, Metrics, ObserveConsumption


def samples(text: str, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    """The values of one sample name, by their labels (sorted)."""
    return {
        tuple(sorted(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name
    }


def app_with(metrics: Metrics) -> FastAPI:
    app = FastAPI()
    seen: dict[str, str | None] = {}

    @app.get("/entries/{entry_id}")
    async def entry(entry_id: str) -> dict[str, Any]:
        seen["correlation_id"] = correlation_id.get()
        if entry_id == "gone":
            raise HTTPException(404)
        return {"entry_id": entry_id}

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("boom")

    app.add_middleware(HttpMetrics, metrics=metrics)
    app.state.seen = seen
    return app


async def test_requests_are_counted_by_route_template_and_status_with_latency() -> None:
    metrics = Metrics("submissions")
    app = app_with(metrics)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://submissions") as client:
        for entry_id in ("a1", "b2", "gone"):
            await client.get(f"/entries/{entry_id}")
        await client.get("/no/such/page")
        assert (await client.get("/boom")).status_code == 500
    text = (await metrics.exposition())[0].decode()
    counted = samples(text, "kim_http_requests_total")
    assert counted == {
        (("method", "GET"), ("route", "/entries/{entry_id}"), ("status", "200")): 2.0,
        (("method", "GET"), ("route", "/entries/{entry_id}"), ("status", "404")): 1.0,
        (("method", "GET"), ("route", "unmatched"), ("status", "404")): 1.0,
        (("method", "GET"), ("route", "/boom"), ("status", "500")): 1.0,
    }
    timed = samples(text, "kim_http_request_duration_seconds_count")
    assert timed[(("method", "GET"), ("route", "/entries/{entry_id}"))] == 3.0
    assert "a1" not in text and "/no/such/page" not in text


async def test_a_request_carries_its_callers_correlation_id_or_a_new_one() -> None:
    metrics = Metrics("judging")
    app = app_with(metrics)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://j") as client:
        await client.get("/entries/a1", headers={"X-Correlation-ID": "action-42"})
        assert app.state.seen["correlation_id"] == "action-42"
        await client.get("/entries/a1", headers={"X-Correlation-ID": "not sane; <script>"})
        made = app.state.seen["correlation_id"]
        assert made and len(made) == 32 and made != "action-42"
    assert correlation_id.get() is None


async def test_gauges_are_read_at_most_once_per_interval_and_a_failing_one_does_not_stop_a_scrape() -> None:
    metrics = Metrics("registry", refresh_seconds=60)
    reads: list[str] = []
    gauge = metrics.gauge("kim_test_figure", "a figure read from the database")

    async def failing() -> None:
        reads.append("failing")
        raise ConnectionError("database away")

    async def figure() -> None:
        reads.append("figure")
        gauge.set(7)

    metrics.refreshers += [failing, figure]
    first = (await metrics.exposition())[0].decode()
    await metrics.exposition()
    assert reads == ["failing", "figure"], "the second scrape within the interval reads nothing"
    assert samples(first, "kim_test_figure") == {(): 7.0}


def delivered(*, redelivered: bool, correlation: str | None) -> Any:
    return SimpleNamespace(
        redelivered=redelivered,
        type="entry.submitted",
        routing_key="entry.submitted",
        correlation_id=correlation,
    )


async def test_a_redelivery_is_counted_and_the_messages_correlation_id_is_the_logs() -> None:
    metrics = Metrics("notifications")
    seen: list[str | None] = []
    for again, correlation in ((False, "c-1"), (True, "c-2"), (True, None)):
        middleware = ObserveConsumption(
            delivered(redelivered=again, correlation=correlation),
            context=None,  # type: ignore[arg-type]
            metrics=metrics,
        )
        async with middleware:  # around the handler and the inner middlewares' verdict
            await asyncio.sleep(0)
            seen.append(correlation_id.get())
        assert correlation_id.get() is None
    assert seen == ["c-1", "c-2", None]
    text = (await metrics.exposition())[0].decode()
    assert samples(text, "kim_consumer_redeliveries_total") == {(("event_type", "entry.submitted"),): 2.0}
