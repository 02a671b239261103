"""The one table a run prints, from its JSON: `python -m bench.report bench/results/<label>.json`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def table(results: dict[str, Any]) -> str:
    lines = pipeline_table(results) if "ceiling" in results else []
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
    if results.get("voting"):
        lines += ["", *voting_table(results["voting"])]
    about = results["machine"]
    lines.append(
        f"\n{about['cpu']}, {about['cores']} cores, {about['memory_gb']} GB; {about['os']}; "
        f"Python {about['python']}; RabbitMQ {about['rabbitmq']}; SecantusDB {about['secantusdb']}"
    )
    return "\n".join(lines)


def voting_table(voting: dict[str, Any]) -> list[str]:
    """Votes against their ceiling, then each public page flat out and at the offered rate."""
    top = voting["ceiling"]
    lines = [
        "| votes | per s | p50 ms | p95 ms | p99 ms | ÷ ceiling | notes |",
        "|---|---|---|---|---|---|---|",
        f"| ceiling (insert_one, unique index, {top['in_flight']} in flight) | {top['per_second']:.1f} "
        f"| {_latencies(top['latency_ms'])} | 1.00 | {top['votes']} inserts |",
    ]
    for series in voting["votes"]:
        notes = f"{series['ok']}/{series['sent']} acknowledged (201), sent at {series['sent_per_second']}/s"
        if series["refused"]:
            notes += f", refused {series['refused']}"
        latency = series["latency_ms"]
        lines.append(
            f"| {series['name']} | {series['per_second']:.1f} | {_latencies(latency)} "
            f"| {series['ratio_to_ceiling']:.2f} | {notes} |"
        )
    if voting.get("votes_stored") is not None:
        acknowledged = sum(series["ok"] for series in voting["votes"])
        stored = voting["votes_stored"]
        lines.append(f"| stored (staff tally) | | | | | | {stored} stored, {acknowledged} acknowledged |")
    lines += [
        "",
        "| public page | requests/s | p50 ms | p95 ms | p99 ms | notes |",
        "|---|---|---|---|---|---|",
    ]
    for series in voting["pages"]:
        latency = series["latency_ms"]
        notes = f"{series['ok']}/{series['sent']} answered as expected, sent at {series['sent_per_second']}/s"
        if series["refused"]:
            notes += f", other {series['refused']}"
        lines.append(f"| {series['name']} | {series['per_second']:.1f} | {_latencies(latency)} | {notes} |")
    return lines


def pipeline_table(results: dict[str, Any]) -> list[str]:
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
    ranked = results.get("ranking", {"seconds": {}})
    for case, seconds in ranked["seconds"].items():
        lines.append(
            f"| ranking {ranked['entries']} x {ranked['judges']} ({case}) | | | | | | | {seconds:.2f} s |"
        )
    for name, mb in results["memory_mb"].items():
        lines.append(f"| RSS {name} | | | | | | | idle {mb['idle']:.0f} MB, load {mb['load']:.0f} MB |")
    return lines


def _latencies(latency: dict[str, Any]) -> str:
    return f"{_ms(latency['p50'])} | {_ms(latency['p95'])} | {_ms(latency['p99'])}"


def _row(name: str, rate: float, latency: dict[str, Any], ratio: str, operations: str, notes: str) -> str:
    return (
        f"| {name} | {rate:.1f} | {_ms(latency['p50'])} | {_ms(latency['p95'])} | {_ms(latency['p99'])} "
        f"| {ratio} | {operations} | {notes} |"
    )


if __name__ == "__main__":
    for path in sys.argv[1:]:
        print(table(json.loads(Path(path).read_text())))
