"""Replay: rebuilding a consumer's projections from the producers' stored events.

Every producer keeps the events it published (its outbox is its event log). To
rebuild what a consumer keeps from other services' events:

    KIM_ACCESS_TOKEN=<a staff token> python -m shared.operations.replay --consumer http://127.0.0.1:8002 \\
        --producer http://127.0.0.1:8001 --producer http://127.0.0.1:8003

(a staff token: `POST /auth/login` on the registry.)

1. the consumer empties the collections it can rebuild and forgets which events
   it processed (`POST /projections/reset`);
2. each producer sends its stored events of the types that consumer's queue
   reads, oldest first, to that queue only (`POST /outbox/replay`);
3. the consumer applies them as usual. Events that arrive meanwhile are applied
   too; projections keep the newest revision, so the order does not matter.

Until the replay is through, the consumer may refuse what depends on the
projections (e.g. an entry for an edition it does not know yet): run it when
the service is quiet.
"""

# No `from __future__ import annotations`: the HTTP routes below are defined in
# functions, and FastAPI resolves their annotations at run time.

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

import httpx
from fastapi import APIRouter
from pydantic import AwareDatetime, BaseModel, Field
from pymongo import ASCENDING

from shared.kernel.errors import Conflict, Refused
from shared.platform.messaging import CONSUMER_QUEUES
from shared.platform.messaging.outbox import FAILED, OUTBOX, OutboxRecord
from shared.platform.persistence.mongo import INBOX
from shared.platform.schemas import Input

if TYPE_CHECKING:
    from shared.service import ServiceRuntime


class UnknownQueue(Refused):
    code = "unknown_queue"
    field = "queue"
    messages: ClassVar[dict[str, str]] = {
        "id": "Antrean '{queue}' tidak dikenal. Pilih salah satu: {known}.",
        "en": "There is no queue '{queue}'. Choose one of: {known}.",
    }


class NothingToRebuild(Conflict):
    code = "nothing_to_rebuild"
    messages: ClassVar[dict[str, str]] = {
        "id": "Layanan {service} tidak punya proyeksi yang bisa dibangun ulang dari event.",
        "en": "The {service} service keeps no projection that can be rebuilt from events.",
    }


class ReplayRequest(Input):
    queue: str = Field(examples=["submissions.events"], max_length=100)
    event_types: list[str] = Field(default=[], max_length=100, description="all stored events when empty")
    since: AwareDatetime | None = None


class Replayed(BaseModel):
    queue: str
    replayed: int


class Projections(BaseModel):
    service: str
    queue: str
    event_types: list[str]
    collections: list[str]


class ProjectionsReset(BaseModel):
    collections: list[str]
    documents_removed: int
    events_forgotten: int


async def resend_stored(runtime: "ServiceRuntime", request: ReplayRequest) -> int:
    """Send this service's stored events of the types one queue reads to that
    queue, oldest first (through `kim.replay`: see `messaging.publishers`)."""
    known = {queue.name: queue for queue in CONSUMER_QUEUES}
    if request.queue not in known:
        raise UnknownQueue(queue=request.queue, known=", ".join(sorted(known)))
    # Only the types that queue reads: `kim.replay` routes nothing else to it.
    reads = known[request.queue].routing_keys
    wanted = [t for t in request.event_types if t in reads] if request.event_types else reads
    query: dict[str, Any] = {"state": {"$ne": FAILED}, "type": {"$in": wanted}}
    if request.since is not None:
        query["occurred_at"] = {"$gte": request.since}
    assert runtime.publisher is not None
    sent = 0
    async for doc in runtime.db[OUTBOX].find(query).sort("sequence", ASCENDING):
        await runtime.publisher.resend(OutboxRecord.from_document(doc), request.queue)
        sent += 1
    return sent


def replay_router(runtime: "ServiceRuntime") -> APIRouter:
    router = APIRouter(tags=["replay"])

    @router.post("/outbox/replay", summary="Operators: send stored events again, to one consumer queue")
    async def replay(request: ReplayRequest) -> Replayed:
        return Replayed(queue=request.queue, replayed=await resend_stored(runtime, request))

    return router


def projections_router(runtime: "ServiceRuntime") -> APIRouter:
    router = APIRouter(tags=["replay"])
    assert runtime.consumes is not None
    queue = runtime.consumes

    @router.get("/projections", summary="Operators: what this service keeps from others' events")
    async def projections() -> Projections:
        return Projections(
            service=runtime.settings.service_name,
            queue=queue.name,
            event_types=queue.routing_keys,
            collections=[r.collection_name for r in runtime.projections],
        )

    @router.post("/projections/reset", summary="Operators: empty the projections before a replay")
    async def reset() -> ProjectionsReset:
        if not runtime.projections:
            raise NothingToRebuild(service=runtime.settings.service_name)
        removed = 0
        for repository in runtime.projections:
            removed += (await runtime.db[repository.collection_name].delete_many({})).deleted_count
        forgotten = (await runtime.db[INBOX].delete_many({})).deleted_count
        return ProjectionsReset(
            collections=[r.collection_name for r in runtime.projections],
            documents_removed=removed,
            events_forgotten=forgotten,
        )

    return router


async def rebuild(
    consumer: str, producers: Sequence[str], *, token: str, since: datetime | None = None
) -> dict[str, Any]:
    """Reset a consumer's projections and have every producer replay to its queue,
    as the staff member whose bearer `token` it is."""
    async with httpx.AsyncClient(timeout=600, headers={"Authorization": f"Bearer {token}"}) as http:
        info = (await http.get(f"{consumer}/projections")).raise_for_status().json()
        reset = (await http.post(f"{consumer}/projections/reset")).raise_for_status().json()
        request = {"queue": info["queue"], "event_types": info["event_types"]}
        if since is not None:
            request["since"] = since.isoformat()
        replayed = {
            producer: (await http.post(f"{producer}/outbox/replay", json=request))
            .raise_for_status()
            .json()["replayed"]
            for producer in producers
        }
    return {"consumer": info["service"], "queue": info["queue"], "reset": reset, "replayed": replayed}


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m shared.operations.replay",
        description="Rebuild a consumer's projections from the producers' stored events.",
    )
    parser.add_argument("--consumer", required=True, help="base URL of the consuming service")
    parser.add_argument("--producer", action="append", required=True, help="base URL of a producer (repeat)")
    args = parser.parse_args()
    token = os.environ.get("KIM_ACCESS_TOKEN", "")
    if not token:
        print("set KIM_ACCESS_TOKEN to a staff token (POST /auth/login on the registry)", file=sys.stderr)
        return 2
    try:
        report = asyncio.run(rebuild(args.consumer, args.producer, token=token))
    except httpx.HTTPError as error:
        print(f"replay failed: {error}", file=sys.stderr)
        return 1
    reset = report["reset"]
    print(
        f"{report['consumer']}: emptied {', '.join(reset['collections'])} "
        f"({reset['documents_removed']} documents), forgot {reset['events_forgotten']} processed events"
    )
    for producer, count in report["replayed"].items():
        print(f"  {producer} replayed {count} events to {report['queue']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
