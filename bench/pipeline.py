"""The pipeline: the running system driven through its HTTP API.

One edition with enough approved KIMs (the API allows at most 20 entries per
KIM) and five judges; a staff recipient subscribed to `entry.submitted` and
`score.recorded` with the inbox only. Then, phase by phase, entries are
submitted and score sheets recorded at fixed offered rates (open loop: each
request leaves on its schedule whatever happened to the ones before) and flat
out (a fixed number of requests kept in flight).

Each request carries its own `X-Correlation-ID`, which the event and the staff
inbox delivery it causes keep. Latency is the delivery's `created_at` (written
by notifications, on this machine's clock) minus the time the request was sent.
The deliveries are read as they are stored through the `created_at` index,
a few seconds' overlap at a time: no scans, no large `$in` while the load runs.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import aio_pika
import httpx
from motor.motor_asyncio import AsyncIOMotorClient

from shared.platform.messaging import CONSUMER_QUEUES

from .figures import latency_ms, rate

#: The most entries the registry lets one KIM submit to an edition.
ENTRIES_PER_KIM = 20
JUDGES = 5
MIN_KIMS = 10
STAFF_SUBSCRIPTIONS = ["entry.submitted", "score.recorded"]
#: How long to wait for the last deliveries of a phase before calling them lost.
DRAIN_TIMEOUT_SECONDS = 600.0
#: Deliveries may be stored slightly out of `created_at` order (concurrent commits).
OVERLAP = timedelta(seconds=5)
SCORES = {"tema": 85, "kreativitas": 80, "teknis": 78, "promosi_umkm": 88}


@dataclass(frozen=True)
class Phase:
    kind: str  # "entries" or "sheets"
    count: int
    #: Requests per second offered; None is flat out, `in_flight` requests at a time.
    rate: float | None
    in_flight: int = 32

    @property
    def name(self) -> str:
        pace = f"{self.rate:g}/s" if self.rate else "flat out"
        return f"{self.kind} {pace}"


def phases(rates: list[float], seconds: float, flat_out: int) -> list[Phase]:
    """Entries at each rate then flat out, then score sheets the same way."""
    chosen = []
    for kind in ("entries", "sheets"):
        chosen += [Phase(kind, max(1, round(r * seconds)), r) for r in rates]
        chosen.append(Phase(kind, flat_out, None))
    return chosen


@dataclass
class Outcome:
    phase: Phase
    sent: int = 0
    accepted: int = 0
    refused: dict[str, int] = field(default_factory=dict)
    send_seconds: float = 0.0
    end_to_end_seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    lost: int = 0
    #: MongoDB operations the server counted during the phase, by kind.
    operations: dict[str, int] = field(default_factory=dict)
    #: The same, by collection (`database.collection`); "no collection" holds the
    #: commands that name none (commits, pings, the counters' own reads).
    by_collection: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {
            "phase": self.phase.name,
            "kind": self.phase.kind,
            "offered_per_second": self.phase.rate,
            "sent": self.sent,
            "accepted": self.accepted,
            "refused": self.refused,
            "sent_per_second": rate(self.sent, self.send_seconds),
            "delivered": len(self.latencies),
            "not_delivered": self.lost,
            "seconds": round(self.end_to_end_seconds, 2),
            "events_per_second": rate(len(self.latencies), self.end_to_end_seconds),
            "latency_ms": latency_ms(self.latencies),
            "database_operations_per_event": {
                kind: round(count / max(1, len(self.latencies)), 1) for kind, count in self.operations.items()
            },
            "database_operations_per_event_by_collection": {
                name: round(count / max(1, len(self.latencies)), 2)
                for name, count in sorted(self.by_collection.items(), key=lambda item: -item[1])
                if count
            },
        }


async def operation_counts(mongodb: AsyncIOMotorClient) -> dict[str, int]:
    """The server's operation counters (serverStatus opcounters)."""
    status = await mongodb.admin.command("serverStatus")
    return {kind: int(count) for kind, count in status.get("opcounters", {}).items()}


async def collection_counts(mongodb: AsyncIOMotorClient) -> dict[str, int]:
    """Operations the server counted per collection (the `top` command's totals)."""
    top = await mongodb.admin.command("top")
    return {
        name: int(totals["total"]["count"])
        for name, totals in top.get("totals", {}).items()
        if isinstance(totals, dict)
    }


def difference(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {name: count - before.get(name, 0) for name, count in after.items()}


class Lanes:
    """Several HTTP clients with a few connections each, used in turn. One httpx
    pool with hundreds of connections spends most of the load generator's CPU
    choosing among them, which this machine's two cores cannot spare."""

    def __init__(
        self,
        headers: dict[str, str] | None = None,
        lanes: int = 16,
        connections: int = 8,
        timeout: float = 120.0,
    ) -> None:
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        self._clients = [
            httpx.AsyncClient(timeout=timeout, limits=limits, headers=headers) for _ in range(lanes)
        ]
        self._turn = itertools.cycle(self._clients)

    async def request(self, method: str, url: str, **options: Any) -> httpx.Response:
        return await next(self._turn).request(method, url, **options)

    async def close(self) -> None:
        for client in self._clients:
            await client.aclose()


class StaffInbox:
    """The staff recipient's inbox deliveries, read from notifications' database
    as they are stored: correlation id → when the delivery was written."""

    def __init__(self, mongodb_url: str, database: str) -> None:
        self._client: AsyncIOMotorClient[dict[str, Any]] = AsyncIOMotorClient(
            mongodb_url, uuidRepresentation="standard", tz_aware=True
        )
        self._deliveries = self._client[database]["deliveries"]
        self._since = datetime.now(UTC) - OVERLAP
        self.stored: dict[str, float] = {}

    async def read_new(self) -> None:
        cursor = self._deliveries.find(
            {"created_at": {"$gte": self._since - OVERLAP}},
            {"correlation_id": 1, "created_at": 1, "channel": 1},
            sort=[("created_at", 1)],
        )
        async for doc in cursor:
            if doc["channel"] == "inbox":
                self.stored.setdefault(doc["correlation_id"], doc["created_at"].timestamp())
            self._since = max(self._since, doc["created_at"])

    def close(self) -> None:
        self._client.close()


@dataclass
class Competition:
    """An edition open for entries, its approved KIMs, its judges and the staff recipient."""

    urls: dict[str, str]
    edition_id: str = ""
    kim_ids: list[str] = field(default_factory=list)
    judge_ids: list[str] = field(default_factory=list)
    entry_ids: list[str] = field(default_factory=list)
    recipient_id: str = ""

    async def prepare(self, http: httpx.AsyncClient, entries: int) -> None:
        registry, judging = self.urls["registry"], self.urls["judging"]
        now = datetime.now(UTC)
        edition = await _ok(
            http.post(
                f"{registry}/editions",
                json={
                    "title": "Lomba Video Pendek KIM (benchmark)",
                    "theme": "Promosi UMKM",
                    "description": "Beban uji.",
                    "submission_opens_at": (now - timedelta(minutes=5)).isoformat(),
                    "submission_closes_at": (now + timedelta(hours=6)).isoformat(),
                    "rules": {
                        "max_video_seconds": 300,
                        "allowed_video_hosts": ["youtube.com", "youtu.be"],
                        "entries_per_kim": ENTRIES_PER_KIM,
                    },
                    "awarded_ranks": 3,
                    "prizes": [{"rank": 1, "title": "Juara 1", "reward": "Rp 5.000.000"}],
                },
            ),
            201,
        )
        self.edition_id = edition["edition_id"]
        await _ok(http.post(f"{registry}/editions/{self.edition_id}/publication"))
        recipient = await _ok(
            http.post(
                f"{self.urls['notifications']}/recipients",
                json={"name": "Staf Diskominfo (benchmark)", "subscriptions": STAFF_SUBSCRIPTIONS},
            ),
            201,
        )
        self.recipient_id = recipient["recipient_id"]
        regions = await _ok(http.get(f"{registry}/regions"))
        kelurahan = [k["code"] for kecamatan in regions["kecamatan"] for k in kecamatan["kelurahan"]]
        await _wait_for(
            lambda: http.get(f"{judging}/editions/{self.edition_id}"), "judging knows the edition"
        )
        for number in range(JUDGES):
            judge = await _ok(
                http.post(
                    f"{judging}/editions/{self.edition_id}/judges", json={"name": f"Juri Uji {number + 1}"}
                ),
                201,
            )
            self.judge_ids.append(judge["judge_id"])
        # At least a few, so that requests in flight are rarely for one KIM.
        kims = max(MIN_KIMS, math.ceil(entries / ENTRIES_PER_KIM))
        slots = asyncio.Semaphore(8)

        async def enrolled(number: int) -> str:
            async with slots:
                return await self._enrolled_kim(http, number, kelurahan[number % len(kelurahan)])

        self.kim_ids = list(await asyncio.gather(*(enrolled(n) for n in range(kims))))

    async def _enrolled_kim(self, http: httpx.AsyncClient, number: int, kelurahan: str) -> str:
        registry = self.urls["registry"]
        kim = await _ok(
            http.post(
                f"{registry}/kims",
                json={
                    "name": f"KIM Uji {number:05d}",
                    "kelurahan_code": kelurahan,
                    "chair": "Ketua Uji",
                    "whatsapp": f"0812{number:08d}",
                    "email": f"kim{number}@bench.example",
                    "members": [{"name": "Anggota Satu", "role": "editor"}],
                },
            ),
            201,
        )
        await _ok(http.post(f"{registry}/kims/{kim['kim_id']}/verification"))
        enrolment = await _ok(
            http.post(f"{registry}/editions/{self.edition_id}/enrolments", json={"kim_id": kim["kim_id"]}),
            201,
        )
        await _ok(http.post(f"{registry}/enrolments/{enrolment['enrolment_id']}/approval"))
        return kim["kim_id"]

    async def wait_until_enrolled(self, mongodb: AsyncIOMotorClient, database: str) -> None:
        """Until submissions has every approval (a few hundred documents, by index)."""
        edition = UUID(self.edition_id)
        enrolments = mongodb[database]["enrolments"]
        for _ in range(1200):
            approved = [
                doc
                async for doc in enrolments.find({"edition_id": edition}, {"status": 1})
                if doc["status"] == "approved"
            ]
            if len(approved) >= len(self.kim_ids):
                return
            await asyncio.sleep(0.5)
        raise TimeoutError("submissions never learnt of every approved enrolment")

    async def wait_until_judging_knows_entries(self, mongodb: AsyncIOMotorClient, database: str) -> None:
        """Until judging has recorded every entry submitted, before sheets are sent."""
        entries = mongodb[database]["entries"]
        for _ in range(1200):
            known = [doc async for doc in entries.find({"edition_id": UUID(self.edition_id)}, {"_id": 1})]
            if len(known) >= len(self.entry_ids):
                return
            await asyncio.sleep(0.5)
        raise TimeoutError("judging never recorded every entry")

    async def close_submissions(self, http: httpx.AsyncClient) -> None:
        await _ok(http.post(f"{self.urls['registry']}/editions/{self.edition_id}/submissions-closure"))

        async def scoring() -> httpx.Response:
            response = await http.get(f"{self.urls['judging']}/editions/{self.edition_id}")
            if response.status_code == 200 and response.json()["status"] != "scoring":
                return httpx.Response(425)
            return response

        await _wait_for(scoring, "judging opens scoring")

    def entry_requests(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        for number in itertools.count():
            # KIM after KIM: two entries of one KIM in flight at once would race
            # for its entry count (a conflict, retried), which one KIM never does.
            kim = self.kim_ids[number % len(self.kim_ids)]
            yield (
                "POST",
                f"{self.urls['submissions']}/editions/{self.edition_id}/entries",
                {
                    "kim_id": kim,
                    "title": f"Film Uji {number}",
                    "synopsis": "Sebuah UMKM di kelurahan kami.",
                    "video_url": f"https://youtu.be/bench{number}",
                    "duration_seconds": 240,
                    "umkm_featured": ["Warung Uji"],
                },
            )

    def sheet_requests(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        # Judge by judge: sheets of one entry do not race each other, as a jury works.
        for judge in self.judge_ids:
            for entry in self.entry_ids:
                yield (
                    "PUT",
                    f"{self.urls['judging']}/editions/{self.edition_id}/entries/{entry}/sheets/{judge}",
                    {"scores": SCORES},
                )


async def settle(amqp_url: str, timeout: float = DRAIN_TIMEOUT_SECONDS) -> None:
    """Until no consumer queue holds a message, three looks in a row: each phase
    starts on a quiet system, not on the backlog of the setup or the last phase."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        quiet, deadline = 0, time.monotonic() + timeout
        while quiet < 3 and time.monotonic() < deadline:
            waiting = 0
            for consumer in CONSUMER_QUEUES:
                queue = await channel.declare_queue(consumer.name, passive=True)
                waiting += queue.declaration_result.message_count or 0
            quiet = quiet + 1 if waiting == 0 else 0
            await asyncio.sleep(0.5)


async def run_phase(
    http: Lanes,
    phase: Phase,
    requests: Iterator[tuple[str, str, dict[str, Any]]],
    inbox: StaffInbox,
    mongodb: AsyncIOMotorClient,
    label: str,
    on_accepted: Callable[[dict[str, Any]], None] = lambda _: None,
) -> Outcome:
    outcome = Outcome(phase)
    sent_at: dict[str, float] = {}
    accepted: set[str] = set()

    async def send(number: int, method: str, url: str, body: dict[str, Any]) -> None:
        correlation_id = f"{label}-{number}"
        sent_at[correlation_id] = time.time()
        outcome.sent += 1
        outcome.send_seconds = sent_at[correlation_id] - started
        try:
            response = await http.request(
                method, url, json=body, headers={"X-Correlation-ID": correlation_id}
            )
        except httpx.HTTPError as error:
            key = type(error).__name__
        else:
            if response.status_code in (200, 201):
                accepted.add(correlation_id)
                on_accepted(response.json())
                return
            key = str(response.status_code)
        outcome.refused[key] = outcome.refused.get(key, 0) + 1

    batch = list(itertools.islice(requests, phase.count))
    counted_before = await operation_counts(mongodb)
    collections_before = await collection_counts(mongodb)
    started = time.time()
    if phase.rate:
        tasks = []
        for number, (method, url, body) in enumerate(batch):
            delay = started + number / phase.rate - time.time()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(send(number, method, url, body)))
        await asyncio.gather(*tasks)
    else:
        numbered = iter(enumerate(batch))

        async def worker() -> None:
            for number, (method, url, body) in numbered:
                await send(number, method, url, body)

        await asyncio.gather(*(worker() for _ in range(phase.in_flight)))
        outcome.send_seconds = time.time() - started  # flat out, sending ends with the last answer
    outcome.accepted = len(accepted)

    deadline = time.monotonic() + DRAIN_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        await inbox.read_new()
        if accepted <= inbox.stored.keys():
            break
        await asyncio.sleep(0.5)
    counted_after = await operation_counts(mongodb)
    collections_after = await collection_counts(mongodb)
    outcome.operations = difference(counted_after, counted_before)
    outcome.operations["total"] = sum(outcome.operations.values())
    outcome.by_collection = difference(collections_after, collections_before)
    outcome.by_collection["no collection"] = outcome.operations["total"] - sum(outcome.by_collection.values())
    arrived = [inbox.stored[c] for c in accepted if c in inbox.stored]
    outcome.lost = len(accepted) - len(arrived)
    outcome.latencies = [inbox.stored[c] - sent_at[c] for c in accepted if c in inbox.stored]
    outcome.end_to_end_seconds = (max(arrived) - started) if arrived else 0.0
    return outcome


async def _ok(request: Any, status: int = 200) -> Any:
    response = await request
    if response.status_code != status:
        raise RuntimeError(
            f"{response.request.method} {response.request.url}: {response.status_code} {response.text}"
        )
    return response.json()


async def _wait_for(request: Callable[[], Any], what: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (await request()).status_code == 200:
            return
        await asyncio.sleep(0.2)
    raise TimeoutError(f"waited {timeout:.0f}s until {what}")
