"""The benchmark's pieces run and give numbers (a tiny run; timings are not checked)."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

from bench import console, ranking, report, voting
from bench.__main__ import arguments, measure
from devstack.mongodb import SecantusServer
from devstack.rabbitmq import RabbitMQServer
from devstack.stack import SERVICES, LocalStack

from ..support import reset_broker

MACHINE = dict.fromkeys(("cpu", "cores", "memory_gb", "os", "python", "rabbitmq", "secantusdb"), "-")


async def test_a_tiny_run_of_every_measurement_gives_numbers(
    rabbitmq: RabbitMQServer, mongodb: SecantusServer, tmp_path: Path
) -> None:
    await reset_broker(rabbitmq.url)
    stack = LocalStack(
        tmp_path,
        rabbitmq=rabbitmq,
        mongodb=mongodb,
        database_suffix="_" + uuid.uuid4().hex[:8],
        service_env={"voting": voting.SERVICE_ENV},
    )
    await asyncio.to_thread(stack.start)
    try:
        results = await measure(arguments(["--quick"]), stack, say=lambda _: None)
    finally:
        await asyncio.to_thread(stack.stop)

    assert results["ceiling"]["events"] == 100
    assert results["ceiling"]["events_per_second"] > 0
    assert [p["phase"] for p in results["pipeline"]] == [
        "entries 20/s",
        "entries flat out",
        "sheets 20/s",
        "sheets flat out",
    ]
    for phase in results["pipeline"]:
        assert phase["accepted"] > 0, phase
        assert phase["delivered"] == phase["accepted"], phase
        assert phase["events_per_second"] > 0
        assert phase["latency_ms"]["p99"] is not None
        assert phase["database_operations_per_event"]["total"] > 0
    # The console's pages under signed-in users, once its package is installed.
    if stack.console is not None:
        pages = results["console"]
        assert pages["users"] == 4 and set(pages["pages"]) == {name for name, _ in console.PAGES}
        for page in [*pages["pages"].values(), pages["total"]]:
            assert page["requests"] > 0 and page["errors"] == 0, page
            assert page["requests_per_second"] > 0 and page["latency_ms"]["p99"] is not None
        assert "console page" in report.table({**results, "ranking": {"seconds": {}}, "machine": MACHINE})
    else:
        assert "console" not in results
    # The vote and the public pages, once the stack has the voting service.
    if "voting" in stack.services:
        votes = results["voting"]
        assert votes["ceiling"]["stored"] == votes["ceiling"]["votes"] == 40
        assert [s["name"] for s in votes["votes"]] == ["votes 20/s", "votes flat out"]
        for series in votes["votes"]:
            assert series["ok"] == series["sent"] == 20 and series["refused"] == {}, series
            assert series["per_second"] > 0 and series["latency_ms"]["p99"] is not None
        assert votes["votes_stored"] == 40
        assert {s["page"] for s in votes["pages"]} >= {"judging results", "voting gallery"}
        for series in votes["pages"]:
            assert series["ok"] == series["sent"] > 0 and series["refused"] == {}, series
        assert "public page" in report.table({**results, "ranking": {"seconds": {}}, "machine": MACHINE})
    else:
        assert "voting" not in results
    assert set(results["memory_mb"]) == {*SERVICES, *(["console"] if stack.console else [])}
    assert all(mb["idle"] > 0 and mb["load"] >= mb["idle"] for mb in results["memory_mb"].values())

    ranked = ranking.measure(entries=50)
    assert set(ranked["seconds"]) == set(ranking.CASES)
