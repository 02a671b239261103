"""The one table a run prints, from its JSON: `python -m bench.report bench/results/<label>.json`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def table(results: dict[str, Any]) -> str:
    top = results["ceiling"]
    ceiling_rate = top["events_per_second"]
    lines = [
        "| measure | events/s | p50 ms | p95 ms | p99 ms | pipeline ÷ ceiling | db ops/event | notes |",
        "|---|---|---|---|---|---|---|---|",
        _row(
            "ceiling (publish + consume + write)",
            top["events_per_second"],
            top["latency_ms"],
            "1.00",
            "1 write",
            f"{top['events']} events",
        ),
    ]
    for phase in results["pipeline"]:
        notes = f"{phase['accepted']}/{phase['sent']} accepted, sent at {phase['sent_per_second']}/s"
        if phase["not_delivered"]:
            notes += f", {phase['not_delivered']} not delivered"
        if phase["refused"]:
            notes += f", refused {phase['refused']}"
        ratio = phase["events_per_second"] / ceiling_rate if ceiling_rate else 0.0
        operations = phase.get("database_operations_per_event", {}).get("total", "-")
        lines.append(
            _row(
                f"pipeline: {phase['phase']}",
                phase["events_per_second"],
                phase["latency_ms"],
                f"{ratio:.2f}",
                str(operations),
                notes,
            )
        )
    ranked = results["ranking"]
    for case, seconds in ranked["seconds"].items():
        lines.append(
            f"| ranking {ranked['entries']} x {ranked['judges']} ({case}) | | | | | | | {seconds:.2f} s |"
        )
    for name, mb in results["memory_mb"].items():
        lines.append(f"| RSS {name} | | | | | | | idle {mb['idle']:.0f} MB, load {mb['load']:.0f} MB |")
    pages = results.get("console")
    if pages:
        lines += [
            "",
            f"| console page ({pages['users']} signed-in users, {pages['seconds']:g} s) "
            "| requests/s | p50 ms | p95 ms | p99 ms | errors |",
            "|---|---|---|---|---|---|",
        ]
        for name, page in [*pages["pages"].items(), ("all pages", pages["total"])]:
            latency = page["latency_ms"]
            lines.append(
                f"| {name} | {page['requests_per_second']:.1f} | {_ms(latency['p50'])} "
                f"| {_ms(latency['p95'])} | {_ms(latency['p99'])} | {page['errors']} |"
            )
    about = results["machine"]
    lines.append(
        f"\n{about['cpu']}, {about['cores']} cores, {about['memory_gb']} GB; {about['os']}; "
        f"Python {about['python']}; RabbitMQ {about['rabbitmq']}; SecantusDB {about['secantusdb']}"
    )
    return "\n".join(lines)


def _row(name: str, rate: float, latency: dict[str, Any], ratio: str, operations: str, notes: str) -> str:
    return (
        f"| {name} | {rate:.1f} | {_ms(latency['p50'])} | {_ms(latency['p95'])} | {_ms(latency['p99'])} "
        f"| {ratio} | {operations} | {notes} |"
    )


if __name__ == "__main__":
    for path in sys.argv[1:]:
        print(table(json.loads(Path(path).read_text())))
