"""One run of the benchmark: starts RabbitMQ, SecantusDB, the four services and the
console on free loopback ports, measures the ceiling, the pipeline, the console's
pages under signed-in users, ranking and memory, stops everything it started,
prints one table and writes it as JSON.

    .venv/bin/python -m bench                 # the full run (a few minutes)
    .venv/bin/python -m bench --quick         # a tiny run, to see that it works
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from motor.motor_asyncio import AsyncIOMotorClient

from devstack.demo import replay_2024
from devstack.mail_sink import MailSink
from devstack.malang_2024 import KIMS
from devstack.stack import LocalStack

from . import ceiling, console, machine, memory, pipeline, ranking, voting
from .report import table

HERE = Path(__file__).parent


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rates", default="50,200", help="offered requests per second, comma-separated")
    parser.add_argument("--seconds", type=float, default=6.0, help="how long each offered rate runs")
    parser.add_argument("--flat-out", type=int, default=800, help="requests in each flat-out phase")
    parser.add_argument("--ceiling-events", type=int, default=5000)
    parser.add_argument("--ranking-entries", type=int, default=10_000)
    parser.add_argument("--console-users", type=int, default=console.USERS, help="signed-in users at once")
    parser.add_argument("--console-seconds", type=float, default=console.SECONDS)
    parser.add_argument("--vote-rates", default="100,500", help="votes offered per second, comma-separated")
    parser.add_argument("--vote-seconds", type=float, default=voting.VOTE_SECONDS)
    parser.add_argument("--vote-flat-out", type=int, default=voting.VOTE_FLAT_OUT, help="votes flat out")
    parser.add_argument(
        "--page-flat-out", type=int, default=voting.PAGE_FLAT_OUT, help="requests per page flat out"
    )
    parser.add_argument(
        "--page-rate", type=float, default=voting.PAGE_RATE, help="page requests offered per second"
    )
    parser.add_argument("--page-seconds", type=float, default=voting.PAGE_SECONDS)
    parser.add_argument(
        "--only-voting", action="store_true", help="the voting part only (with the 2024 replay)"
    )
    parser.add_argument(
        "--only-pipeline",
        action="store_true",
        help="the ceiling and the pipeline only (no replay, console pages, votes or ranking)",
    )
    parser.add_argument("--label", default="latest", help="names the JSON: bench/results/<label>.json")
    parser.add_argument("--output", type=Path, help="where to write the JSON instead")
    parser.add_argument("--workdir", type=Path, default=Path(".run/bench"), help="servers' data and logs")
    parser.add_argument("--quick", action="store_true", help="tiny numbers: checks that every part runs")
    args = parser.parse_args(argv)
    if args.quick:
        args.rates, args.seconds, args.flat_out = "20", 1.0, 20
        args.ceiling_events, args.ranking_entries = 100, 50
        args.console_users, args.console_seconds = 4, 2.0
        args.vote_rates, args.vote_seconds, args.vote_flat_out = "20", 1.0, 20
        args.page_flat_out, args.page_rate, args.page_seconds = 20, 20.0, 1.0
    return args


async def measure(args: argparse.Namespace, stack: LocalStack, say: Any) -> dict[str, Any]:
    assert stack.rabbitmq is not None and stack.mongodb is not None
    pids = {name: service.process.pid for name, service in stack.services.items()}
    if stack.console is not None:
        pids["console"] = stack.console.process.pid
    await asyncio.sleep(3)  # settle: relays and senders make their first passes
    idle = memory.peaks(pids)  # type: ignore[arg-type]

    top: ceiling.Ceiling | None = None
    outcomes: list[dict[str, Any]] = []
    if not args.only_voting:
        top, outcomes = await measure_pipeline(args, stack, say)
    replayed = None
    if not args.only_pipeline and (stack.console_url or "voting" in stack.services):
        say("replaying the 2024 edition up to its announcement ...")
        demo = await replay_2024(
            stack.urls(),
            admin=stack.admin,
            staff_email="staf@diskominfo.malangkota.example",
            say=lambda _: None,
        )
        replayed = demo.edition_id
    pages = None
    if stack.console_url and replayed and not args.only_voting:
        pages = await measure_console(args, stack, replayed, say)
    votes = (
        await measure_voting(args, stack, replayed, say) if replayed and "voting" in stack.services else None
    )
    loaded = memory.peaks(pids)  # type: ignore[arg-type]
    return {
        **({"ceiling": top.summary(), "pipeline": outcomes} if top else {}),
        **({"console": pages} if pages else {}),
        **({"voting": votes} if votes else {}),
        "memory_mb": {name: {"idle": idle[name], "load": loaded[name]} for name in pids},
    }


async def measure_pipeline(
    args: argparse.Namespace, stack: LocalStack, say: Any
) -> tuple[ceiling.Ceiling, list[dict[str, Any]]]:
    """The broker's ceiling, then entries and sheets through the running system."""
    assert stack.rabbitmq is not None and stack.mongodb is not None
    say(f"ceiling: {args.ceiling_events} events ...")
    top = await ceiling.measure(stack.rabbitmq.url, stack.mongodb.url, args.ceiling_events)
    say(f"  {top.summary()['events_per_second']} events/s")

    rates = [float(r) for r in str(args.rates).split(",") if r]
    plan = pipeline.phases(rates, args.seconds, args.flat_out)
    entries = sum(p.count for p in plan if p.kind == "entries")
    competition = pipeline.Competition(stack.urls())
    suffix = stack.database_suffix
    inbox = pipeline.StaffInbox(stack.mongodb.url, "notifications" + suffix)
    mongo: AsyncIOMotorClient[dict[str, Any]] = AsyncIOMotorClient(
        stack.mongodb.url, uuidRepresentation="standard", tz_aware=True
    )
    # Staff send every request: entries on behalf of KIMs, sheets on behalf of judges.
    staff = await asyncio.to_thread(stack.staff_headers)
    lanes = pipeline.Lanes(staff)
    outcomes = []
    try:
        async with httpx.AsyncClient(timeout=120, headers=staff) as http:
            say(f"pipeline: preparing an edition with {entries} entries' worth of KIMs ...")
            started = time.monotonic()
            await competition.prepare(http, entries)
            await competition.wait_until_enrolled(mongo, "submissions" + suffix)
            say(f"  ready in {time.monotonic() - started:.0f}s")
            entry_requests, sheet_requests = competition.entry_requests(), None
            for number, phase in enumerate(plan):
                if phase.kind == "sheets" and sheet_requests is None:
                    await competition.close_submissions(http)
                    await competition.wait_until_judging_knows_entries(mongo, "judging" + suffix)
                    sheet_requests = competition.sheet_requests()
                requests = entry_requests if phase.kind == "entries" else sheet_requests
                assert requests is not None
                await pipeline.settle(stack.rabbitmq.url)
                say(f"  {phase.name}: {phase.count} requests ...")
                outcome = await pipeline.run_phase(
                    lanes,
                    phase,
                    requests,
                    inbox,
                    mongo,
                    label=f"bench-{number}",
                    on_accepted=lambda body: (
                        competition.entry_ids.append(body["entry_id"])
                        if "entry_id" in body and "judge_id" not in body
                        else None
                    ),
                )
                summary = outcome.summary()
                say(
                    f"    {summary['events_per_second']} events/s, p99 {summary['latency_ms']['p99']} ms, "
                    f"not delivered {summary['not_delivered']}, refused {summary['refused']}, "
                    f"db ops/event {summary['database_operations_per_event'].get('total')}"
                )
                heaviest = itertools.islice(summary["database_operations_per_event_by_collection"].items(), 8)
                say("    by collection: " + ", ".join(f"{name} {count}" for name, count in heaviest))
                outcomes.append(summary)
    finally:
        await lanes.close()
        inbox.close()
        mongo.close()
    return top, outcomes


async def measure_console(
    args: argparse.Namespace, stack: LocalStack, edition_id: str, say: Any
) -> dict[str, Any]:
    """The console's pages under signed-in users, on the 2024 edition replayed up to its
    announcement (as `scripts/run --demo`)."""
    assert stack.console_url is not None
    say(f"console: {args.console_users} signed-in users for {args.console_seconds:g} s ...")
    pages = await console.measure(
        stack.console_url,
        stack.admin,
        edition_id,
        users=args.console_users,
        seconds=args.console_seconds,
    )
    say(console.summary(pages))
    return pages


async def measure_voting(
    args: argparse.Namespace, stack: LocalStack, edition_id: str, say: Any
) -> dict[str, Any]:
    """Votes against the vote ceiling, then the public pages, on the replayed 2024 edition."""
    assert stack.rabbitmq is not None and stack.mongodb is not None
    staff = await asyncio.to_thread(stack.staff_headers)
    return await voting.measure(
        stack.urls(),
        stack.rabbitmq.url,
        stack.mongodb.url,
        staff,
        edition_id,
        entries=len(KIMS),
        vote_rates=[float(r) for r in str(args.vote_rates).split(",") if r],
        vote_seconds=args.vote_seconds,
        vote_flat_out=args.vote_flat_out,
        page_flat_out=args.page_flat_out,
        page_rate=args.page_rate,
        page_seconds=args.page_seconds,
        say=say,
    )


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)

    def say(line: str) -> None:
        print(line, flush=True)

    shutil.rmtree(args.workdir, ignore_errors=True)
    # The mail the services send (KIMs' receipts, staff's notices) goes to a local
    # sink: without one, every mail fails and is tried again, load the run did not ask for.
    mail = MailSink()
    mail.start()
    host, port = mail.host, str(mail.port)
    stack = LocalStack(
        args.workdir.resolve(),
        token_lifetime_minutes=240,
        service_env={
            "voting": voting.SERVICE_ENV,
            "notifications": {"NOTIFICATIONS_SMTP_HOST": host, "NOTIFICATIONS_SMTP_PORT": port},
            "registry": {"REGISTRY_SMTP_HOST": host, "REGISTRY_SMTP_PORT": port},
        },
    )
    say(f"starting RabbitMQ, SecantusDB, the services and the console under {args.workdir} ...")
    stack.start()
    try:
        results = asyncio.run(measure(args, stack, say))
        assert stack.rabbitmq is not None and stack.mongodb is not None
        about = machine.describe(stack.rabbitmq.url, stack.mongodb.url)
    finally:
        say("stopping everything started ...")
        stack.stop()
        mail.stop()
    if not args.only_voting and not args.only_pipeline:
        say(f"ranking: {args.ranking_entries} entries x {ranking.JUDGES} judges ...")
        results["ranking"] = ranking.measure(args.ranking_entries)
    results = {"label": args.label, "machine": about, "arguments": _plain(vars(args)), **results}
    output = args.output or HERE / "results" / f"{args.label}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2) + "\n")
    print()
    print(table(results))
    say(f"\nwritten to {output}")
    return 0


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {name: str(value) if isinstance(value, Path) else value for name, value in values.items()}


if __name__ == "__main__":
    sys.exit(main())
