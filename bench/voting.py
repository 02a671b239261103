"""The people's vote (issue 18): votes accepted against the database's own ceiling,
and the public pages the whole city opens at once.

1. **The ceiling**: one MongoDB `insert_one` per vote into a collection with a
   unique index on (edition, voter), 32 in flight, on the same server in the
   same run: the least a vote can cost here.
2. **Votes**: `POST /editions/{id}/votes` on the voting service, at the offered
   rates (open loop: each request leaves on its schedule whatever happened to
   the ones before) and flat out (32 in flight). Every vote is a different
   voter with a fresh code, asked for beforehand (`POST .../voter-codes`, with
   its ALTCHA proof of work solved) and read from `voter.code_requested` on the
   broker through a queue of the benchmark's own. Latency is request sent →
   201 received: a 201 means the vote is stored.
3. **Public pages**: the announced results (`GET /editions/{id}/results` on
   judging), the voting public tally and the gallery, each flat out and at an
   offered 500 requests/s; a first visit (no validator) and a browser that
   asks again with `If-None-Match` (304). Judging's `/health` is the reference
   for what the framework alone serves on the same process.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import aio_pika
import aiohttp
import httpx
from motor.motor_asyncio import AsyncIOMotorClient

from devstack.demo_vote import solve_altcha
from shared.platform.messaging import EVENTS

from .figures import latency_ms, rate

VOTE_RATES = (100.0, 500.0)
VOTE_SECONDS = 3.0
VOTE_FLAT_OUT = 1000
PAGE_RATE = 500.0
PAGE_SECONDS = 4.0
PAGE_FLAT_OUT = 2000
IN_FLIGHT = 32
#: A flat-out phase stops sending after this long, whatever is left of its requests.
FLAT_OUT_BOUND_SECONDS = 60.0
#: A page measured with a query of its own per request: built every time, as before caching.
UNCACHED = ", built for every request (reference)"
CEILING_DATABASE = "bench_vote_ceiling"
#: Codes asked for at once while preparing (the service's own pace, not measured).
CODE_REQUESTS_IN_FLIGHT = 16
#: The voting service's settings in the benchmark's stack: thousands of voters from one
#: loopback address (the throttles count per client IP and per address block), codes
#: that outlive the run, and a proof of work the load generator solves in microseconds
#: (a browser's cost, not the server's: verifying costs the same at any difficulty).
SERVICE_ENV: dict[str, str] = {
    "VOTING_THROTTLE_PER_IP": "1000000",
    "VOTING_THROTTLE_PER_BLOCK": "1000000",
    "VOTING_CODE_TTL_SECONDS": "3600",
    "VOTING_CHALLENGE_MAX_NUMBER": "100",
}

#: (method, url, headers or None, JSON body or None)
Request = tuple[str, str, dict[str, str] | None, dict[str, Any] | None]


@dataclass
class Series:
    """One measured run of requests: what was sent, what was answered as hoped, how fast."""

    name: str
    offered: float | None
    sent: int = 0
    ok: int = 0
    refused: dict[str, int] = field(default_factory=dict)
    send_seconds: float = 0.0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "offered_per_second": self.offered,
            "sent": self.sent,
            "ok": self.ok,
            "refused": self.refused,
            "sent_per_second": rate(self.sent, self.send_seconds),
            "seconds": round(self.seconds, 2),
            "per_second": rate(self.ok, self.seconds),
            "latency_ms": latency_ms(self.latencies),
        }


@dataclass(frozen=True)
class Answer:
    """A response as the load generator keeps it."""

    status_code: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")


class Client:
    """The load generator's HTTP client: aiohttp, one session, `connections` kept
    open. It costs about a third of httpx's CPU per request; on two cores shared
    with the services measured, the client's cost is part of every figure."""

    def __init__(self, connections: int = 64, timeout: float = 120.0) -> None:
        self._session: aiohttp.ClientSession | None = None
        self._connections = connections
        self._timeout = timeout

    async def request(
        self, method: str, url: str, *, headers: dict[str, str] | None = None, json: Any = None
    ) -> Answer:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections),
                timeout=aiohttp.ClientTimeout(total=self._timeout),
            )
        async with self._session.request(method, url, headers=headers, json=json) as response:
            return Answer(response.status, response.headers, await response.read())

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


async def drive(
    client: Client,
    name: str,
    requests: Sequence[Request],
    *,
    offered: float | None,
    expect: tuple[int, ...],
    in_flight: int = IN_FLIGHT,
) -> Series:
    """Send `requests` at `offered` per second (open loop) or, for None, `in_flight` at a
    time (closed loop); latency is request sent → response read, for answers in `expect`."""
    series = Series(name, offered)

    async def send(request: Request) -> None:
        method, url, headers, body = request
        series.sent += 1
        began = time.perf_counter()
        series.send_seconds = began - started
        try:
            response = await client.request(method, url, headers=headers, json=body)
        except (aiohttp.ClientError, TimeoutError) as error:
            key = type(error).__name__
        else:
            if response.status_code in expect:
                series.ok += 1
                series.latencies.append(time.perf_counter() - began)
                return
            key = str(response.status_code)
            if response.status_code >= 400:
                key += " " + _error_code(response)
        series.refused[key] = series.refused.get(key, 0) + 1

    started = time.perf_counter()
    if offered:
        tasks = []
        for number, request in enumerate(requests):
            delay = started + number / offered - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(send(request)))
        await asyncio.gather(*tasks)
    else:
        queue = iter(requests)
        until = started + FLAT_OUT_BOUND_SECONDS

        async def worker() -> None:
            for request in queue:
                if time.perf_counter() > until:  # a page that slow has said enough
                    return
                await send(request)

        await asyncio.gather(*(worker() for _ in range(in_flight)))
        series.send_seconds = time.perf_counter() - started
    series.seconds = time.perf_counter() - started
    return series


def _error_code(response: Answer) -> str:
    try:
        return str(response.json()["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return ""


async def vote_ceiling(mongodb_url: str, votes: int, in_flight: int = IN_FLIGHT) -> dict[str, Any]:
    """One `insert_one` per vote into a collection with a unique (edition, voter) index,
    `in_flight` at a time: inserts/s and the latency of each insert."""
    client: AsyncIOMotorClient[dict[str, Any]] = AsyncIOMotorClient(
        mongodb_url, uuidRepresentation="standard", tz_aware=True
    )
    collection = client[CEILING_DATABASE]["votes"]
    try:
        await collection.drop()
        await collection.create_index([("edition_id", 1), ("voter", 1)], unique=True)
        edition_id, entries = uuid.uuid4(), [uuid.uuid4() for _ in range(19)]
        numbers = iter(range(votes))
        latencies: list[float] = []

        async def worker() -> None:
            for number in numbers:
                began = time.perf_counter()
                await collection.insert_one(
                    {
                        "_id": uuid.uuid4(),
                        "edition_id": edition_id,
                        "voter": f"+62812{number:08d}",
                        "entry_id": entries[number % len(entries)],
                        "cast_at": datetime.now(UTC),
                    }
                )
                latencies.append(time.perf_counter() - began)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(in_flight)))
        seconds = time.perf_counter() - started
        stored = await collection.count_documents({})
    finally:
        await client.drop_database(CEILING_DATABASE)
        client.close()
    return {
        "votes": votes,
        "stored": stored,
        "in_flight": in_flight,
        "seconds": round(seconds, 2),
        "per_second": rate(len(latencies), seconds),
        "latency_ms": latency_ms(latencies),
    }


class CodeTap:
    """The voter codes the voting service asks notifications to send, read off
    `voter.code_requested` through an exclusive queue of our own: request id → code."""

    def __init__(self, amqp_url: str) -> None:
        self._url = amqp_url
        self.codes: dict[str, str] = {}

    async def __aenter__(self) -> CodeTap:
        self._connection = await aio_pika.connect(self._url)
        channel = await self._connection.channel()
        await channel.set_qos(prefetch_count=500)
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        await queue.bind(
            await channel.get_exchange(EVENTS.name, ensure=False), routing_key="voter.code_requested"
        )

        async def keep(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            async with message.process():
                data = json.loads(message.body)["data"]
                self.codes[str(data["request_id"])] = str(data["code"])

        await queue.consume(keep)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._connection.close()

    async def wait_for(self, request_ids: Sequence[str], timeout: float = 300.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(r in self.codes for r in request_ids):
                return
            await asyncio.sleep(0.2)
        missing = sum(1 for r in request_ids if r not in self.codes)
        raise TimeoutError(f"{missing} of {len(request_ids)} voter codes never came on the bus")


def voter_number(run: int, number: int) -> str:
    """A distinct WhatsApp number (E.164) per voter of a run."""
    return f"+62857{run:02d}{number:06d}"


@dataclass
class Ballots:
    """Voters with a code each, ready to vote: (request_id, code) in order."""

    voting_url: str
    edition_id: str
    entry_ids: list[str]
    ready: list[tuple[str, str]] = field(default_factory=list)
    #: Seconds the service took to issue the codes (for the record, not a target).
    preparing_seconds: float = 0.0
    #: Code requests refused for the moment (409, 429) and asked again.
    retried: int = 0
    #: Code requests answered 5xx (asked again too).
    failed: int = 0

    async def prepare(self, http: httpx.AsyncClient, tap: CodeTap, count: int, run: int) -> None:
        """`count` codes, each for a new number: ask, solve the proof of work, read it off the bus."""
        started = time.monotonic()
        slots = asyncio.Semaphore(CODE_REQUESTS_IN_FLIGHT)

        async def ask(number: int) -> str:
            async with slots:
                for attempt in range(50):
                    # A refused request used its challenge up: each try solves a new one.
                    challenge = (await http.get(f"{self.voting_url}/challenge")).json()
                    altcha = await asyncio.to_thread(solve_altcha, challenge)
                    response = await http.post(
                        f"{self.voting_url}/editions/{self.edition_id}/voter-codes",
                        json={"address": voter_number(run, number), "channel": "whatsapp", "altcha": altcha},
                    )
                    if response.status_code == 202:
                        return str(response.json()["request_id"])
                    # 409/429: refused for the moment; 5xx: counted apart, asked again.
                    if response.status_code >= 500:
                        self.failed += 1
                    elif response.status_code not in (409, 429) or attempt == 49:
                        raise RuntimeError(f"asking for a voter code: {response.status_code} {response.text}")
                    self.retried += 1
                    await asyncio.sleep(min(5.0, float(response.headers.get("Retry-After", "0.2"))))
                raise AssertionError("unreachable")

        request_ids = await asyncio.gather(*(ask(n) for n in range(count)))
        await tap.wait_for(request_ids)
        self.ready += [(r, tap.codes[r]) for r in request_ids]
        self.preparing_seconds += time.monotonic() - started

    def take(self, count: int) -> list[Request]:
        """The next `count` votes: one per voter, the entries in turn."""
        chosen, self.ready = self.ready[:count], self.ready[count:]
        url = f"{self.voting_url}/editions/{self.edition_id}/votes"
        return [
            (
                "POST",
                url,
                None,
                {"request_id": request_id, "code": code, "entry_id": self.entry_ids[n % len(self.entry_ids)]},
            )
            for n, (request_id, code) in enumerate(chosen)
        ]


async def open_window(http: httpx.AsyncClient, voting_url: str, edition_id: str, minutes: int = 120) -> None:
    now = datetime.now(UTC)
    response = await http.put(
        f"{voting_url}/editions/{edition_id}/vote-window",
        json={
            "opens_at": (now - timedelta(minutes=1)).isoformat(),
            "closes_at": (now + timedelta(minutes=minutes)).isoformat(),
            "public_counts": True,
        },
    )
    if response.status_code not in (200, 201):
        raise RuntimeError(f"opening the vote window: {response.status_code} {response.text}")


async def gallery_entries(
    http: httpx.AsyncClient, voting_url: str, edition_id: str, wanted: int
) -> list[str]:
    """The entries in competition, once voting has heard of `wanted` of them."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        response = await http.get(f"{voting_url}/editions/{edition_id}/gallery")
        if response.status_code == 200 and len(response.json()) >= wanted:
            return [str(item["entry_id"]) for item in response.json()]
        await asyncio.sleep(0.5)
    raise TimeoutError("the voting service never listed the edition's entries")


def page_requests(
    url: str, count: int, etag: str | None = None, method: str = "GET", unique: bool = False
) -> list[Request]:
    """`count` requests for `url`; `unique`: each with a header no cache keyed by the
    URL and the language has seen (the page built for every request, as before caching)."""
    headers = {"If-None-Match": etag} if etag else None
    if unique:  # the services refuse unknown query parameters: an Accept-Language of its own
        return [(method, url, {"Accept-Language": f"id, en;q=0.{n:04d}"}, None) for n in range(count)]
    return [(method, url, headers, None)] * count


async def measure_pages(
    client: Client,
    pages: dict[str, str],
    *,
    flat_out: int,
    offered: float,
    seconds: float,
    say: Any,
) -> list[dict[str, Any]]:
    """Per page: flat out and at `offered`/s, a first visit (200) and, when the page has
    an ETag, a browser asking again with If-None-Match (304)."""
    measured = []
    for name, url in pages.items():
        first = await client.request("GET", url)
        if first.status_code != 200:
            raise RuntimeError(f"{name}: GET {url} answered {first.status_code} {first.text[:200]}")
        etag = first.headers.get("ETag")
        unique = name.endswith(UNCACHED)
        variants: list[tuple[str, str | None, tuple[int, ...]]] = [(name, None, (200,))]
        if etag and not unique:
            variants.append((f"{name}, If-None-Match", etag, (304,)))
        for label, tag, expect in variants:
            for pace in (None, offered):
                count = flat_out if pace is None else max(1, round(offered * seconds))
                series = await drive(
                    client,
                    f"{label} {'flat out' if pace is None else f'{pace:g}/s'}",
                    page_requests(url, count, tag, unique=unique),
                    offered=pace,
                    expect=expect,
                )
                summary = {**series.summary(), "page": name, "url": url, "etag": bool(etag)}
                measured.append(summary)
                p99, other = summary["latency_ms"]["p99"], summary["refused"]
                say(f"    {summary['name']}: {summary['per_second']}/s, p99 {p99} ms, other {other}")
    return measured


async def measure(
    urls: dict[str, str],
    amqp_url: str,
    mongodb_url: str,
    staff: dict[str, str],
    edition_id: str,
    *,
    entries: int,
    vote_rates: Sequence[float] = VOTE_RATES,
    vote_seconds: float = VOTE_SECONDS,
    vote_flat_out: int = VOTE_FLAT_OUT,
    page_flat_out: int = PAGE_FLAT_OUT,
    page_rate: float = PAGE_RATE,
    page_seconds: float = PAGE_SECONDS,
    say: Any = print,
) -> dict[str, Any]:
    """The whole voting part on an announced edition with `entries` entries: the ceiling,
    votes at each rate and flat out, then the public pages."""
    voting = urls["voting"]
    plan = [(r, max(1, round(r * vote_seconds))) for r in vote_rates] + [(None, vote_flat_out)]
    total = sum(count for _, count in plan)
    say(f"voting: the ceiling, {total} inserts with a unique index ...")
    top = await vote_ceiling(mongodb_url, total)
    say(f"  {top['per_second']} inserts/s, p99 {top['latency_ms']['p99']} ms")

    client = Client()
    outcomes = []
    try:
        async with httpx.AsyncClient(timeout=60, headers=staff) as http, CodeTap(amqp_url) as tap:
            await open_window(http, voting, edition_id)
            entry_ids = await gallery_entries(http, voting, edition_id, entries)
            ballots = Ballots(voting, edition_id, entry_ids)
            say(f"voting: {total} voters ask for a code (proof of work solved, code read off the bus) ...")
            async with httpx.AsyncClient(timeout=60) as public:
                await ballots.prepare(public, tap, total, run=int(time.time()) % 100)
            say(
                f"  ready in {ballots.preparing_seconds:.0f}s, {ballots.retried} asked again, "
                f"{ballots.failed} of them after a 5xx"
            )
            for offered, count in plan:
                name = f"votes {'flat out' if offered is None else f'{offered:g}/s'}"
                say(f"  {name}: {count} votes ...")
                series = await drive(client, name, ballots.take(count), offered=offered, expect=(201,))
                summary = series.summary()
                summary["ratio_to_ceiling"] = (
                    round(summary["per_second"] / top["per_second"], 2) if top["per_second"] else None
                )
                say(
                    f"    {summary['per_second']} votes/s, p50 {summary['latency_ms']['p50']} ms, "
                    f"p99 {summary['latency_ms']['p99']} ms, refused {summary['refused'] or 0}"
                )
                outcomes.append(summary)
            stored = await stored_votes(http, voting, edition_id)
        pages = {
            "judging /health (reference)": f"{urls['judging']}/health",
            "judging results": f"{urls['judging']}/editions/{edition_id}/results",
            f"judging results{UNCACHED}": f"{urls['judging']}/editions/{edition_id}/results",
            "voting public tally": f"{voting}/editions/{edition_id}/public-tally",
            "voting gallery": f"{voting}/editions/{edition_id}/gallery",
        }
        say("voting: the public pages ...")
        served = await measure_pages(
            client, pages, flat_out=page_flat_out, offered=page_rate, seconds=page_seconds, say=say
        )
    finally:
        await client.close()
    return {
        "ceiling": top,
        "votes": outcomes,
        "votes_stored": stored,
        "pages": served,
        "codes_seconds": round(ballots.preparing_seconds, 1),
        "codes_asked_again": ballots.retried,
        "codes_failed_5xx": ballots.failed,
    }


async def stored_votes(http: httpx.AsyncClient, voting_url: str, edition_id: str) -> int | None:
    """Every vote the staff tally holds for the edition, counted or voided (None if it cannot say)."""
    response = await http.get(f"{voting_url}/editions/{edition_id}/tally")
    if response.status_code != 200:
        return None
    tally = response.json()
    return int(tally["counted"]) + int(tally.get("voided", 0))
