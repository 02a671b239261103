"""Nothing lost, nothing done twice: 1000 events through the pipeline while
consumers, the broker, the database and a producer fail, while every message
arrives twice, and while poison is mixed in.

Each case revises one edition 1000 times through the registry's HTTP API; each
revision is an `edition.updated` event that submissions, judging and
notifications each apply (3000 effects). Counts come from the services' own
databases: what the registry's outbox stored (sent), what each consumer
recorded as processed with its effect, the staff inbox deliveries (one per
event), and the dead letters each service kept. Loopback only; every loop is
bounded in count and time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import httpx
import pytest

from .conftest import OUTCOMES, World
from .support import CONSUMERS, Duplicator, Load, Outcome, PublishCounter, publish_poison

EVENTS = 1000
RECOVERY_BOUND_SECONDS = 180
#: Once every consumer is done: the WhatsApp messages of 1000 events still going
#: out, one commit each, on a machine shared with the rest of the pipeline.
WHATSAPP_SETTLE_SECONDS = 300

pytestmark = pytest.mark.timeout(600)

Fault = Callable[[World, dict[int, asyncio.Event]], Awaitable[tuple[float | None, str]]]


async def run_case(
    world: World,
    case: str,
    fault: Fault,
    *,
    poison: int = 0,
    events: int = EVENTS,
    whatsapp_resends_allowed: int | None = None,
    registry_url: str | None = None,
    per_second: float | None = None,
) -> Outcome:
    """`whatsapp_resends_allowed`: how many WhatsApp messages may go out twice; None:
    only counted. `per_second`: the load's pace (None: flat out, so the time to recover
    includes working off the backlog the load built up)."""
    ledger = world.ledger
    before = set(await ledger.edition_updates())
    gateway = world.whatsapp
    messages_before = len(gateway.messages) if gateway else 0
    edition_id = await world.published_edition()
    checkpoints = {n: asyncio.Event() for n in (100, 200, 250, 300, 500, 600, 750)}
    load = Load(registry_url or world.registry_url, edition_id, events, world.staff, per_second=per_second)
    loading = asyncio.create_task(load.run(checkpoints))
    poison_ids: list[str] = []
    if poison:
        await checkpoints[500].wait()
        poison_ids = await publish_poison(world.rabbitmq.url_for, poison)
    repaired_at, note = await fault(world, checkpoints)
    if repaired_at is None:  # nothing broke: recovery means catching up once the load ends
        await asyncio.wait_for(loading, RECOVERY_BOUND_SECONDS)
        repaired_at = time.monotonic()
    # Recovered: the newest event stored before the repair is applied by every consumer.
    stored = {k: v for k, v in (await ledger.edition_updates()).items() if k not in before}
    newest = max(stored, key=stored.__getitem__)
    recovered_at = await _until(lambda: ledger.applied_everywhere(newest), lambda: _nothing())
    await asyncio.wait_for(loading, RECOVERY_BOUND_SECONDS)

    # Then count exactly, once every queue is empty.
    sent = set(await ledger.edition_updates()) - before
    await _until(lambda: _queues_empty(world), lambda: _nothing(), every=1.0)
    await _until(lambda: ledger.drained(sent), lambda: ledger.progress(sent), every=2.0)
    if poison:
        await _until(
            lambda: _at_least(ledger.dead_letters(poison_ids), poison * len(CONSUMERS)),
            lambda: ledger.progress(sent),
            every=1.0,
        )

    if gateway:
        await _until(
            lambda: ledger.whatsapp_settled(sent),
            lambda: ledger.progress(sent),
            every=1.0,
            bound=WHATSAPP_SETTLE_SECONDS,
        )
    chats = await ledger.whatsapp_deliveries(sent)
    taken = {m.message_id for m in gateway.messages[messages_before:]} if gateway else set()
    recorded = {doc["provider_message_id"] for doc in chats} & taken

    deliveries, distinct = await ledger.inbox_deliveries(sent)
    effected = sum([await ledger.effected(name, sent) for name in ("submissions", "judging")]) + distinct
    outcome = Outcome(
        case=case,
        sent=len(sent),
        effected=effected,
        expected=len(sent) * len(CONSUMERS),
        duplicated=deliveries - distinct,
        dead_lettered=await ledger.dead_letters(poison_ids) if poison else 0,
        recovery_seconds=recovered_at - repaired_at,
        note=note,
        whatsapp_deliveries=len(chats),
        whatsapp_messages=len(taken),
        whatsapp_sent_twice=len(taken) - len(recorded),
    )
    OUTCOMES.append(outcome)
    print(outcome.row())
    assert len(sent) >= events
    assert (outcome.lost, outcome.duplicated) == (0, 0), outcome.row()
    if gateway is None:
        return outcome
    # One WhatsApp delivery per event, each recorded with the message the gateway took.
    assert len({doc["event_id"] for doc in chats}) == len(chats) == len(sent), outcome.row()
    assert all(doc["provider_message_id"] for doc in chats if doc["status"] != "failed"), outcome.row()
    if whatsapp_resends_allowed is not None:
        assert outcome.whatsapp_sent_twice <= whatsapp_resends_allowed, outcome.row()
    return outcome


async def _until(
    check: Callable[[], Awaitable[bool]],
    progress: Callable[[], Awaitable[str]],
    every: float = 0.5,
    bound: float = RECOVERY_BOUND_SECONDS,
) -> float:
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        if await check():
            return time.monotonic()
        await asyncio.sleep(every)
    raise AssertionError(f"not reached within {bound}s: {await progress()}")


async def _nothing() -> str:
    return ""


async def _at_least(count: Awaitable[int], wanted: int) -> bool:
    return await count >= wanted


async def _queues_empty(world: World) -> bool:
    import aio_pika

    from shared.platform.messaging import CONSUMER_QUEUES

    try:
        connection = await aio_pika.connect(world.rabbitmq.url)
    except aio_pika.exceptions.AMQPConnectionError:
        return False
    async with connection:
        channel = await connection.channel()
        for consumer in CONSUMER_QUEUES:
            queue = await channel.declare_queue(consumer.name, passive=True)
            if queue.declaration_result.message_count:
                return False
    return True


async def no_fault(world: World, checkpoints: dict[int, asyncio.Event]) -> tuple[float | None, str]:
    return None, ""


async def consumers_killed(world: World, checkpoints: dict[int, asyncio.Event]) -> tuple[float | None, str]:
    """SIGKILL each consumer in turn mid-stream, then start it again."""
    for at, name in zip((250, 500, 750), CONSUMERS, strict=True):
        await checkpoints[at].wait()
        await asyncio.to_thread(world.stack.services[name].process.kill)
        await asyncio.sleep(0.5)
        await asyncio.to_thread(world.stack.restart, name)
    return time.monotonic(), "SIGKILL at 250, 500, 750"


async def consumers_stopped(world: World, checkpoints: dict[int, asyncio.Event]) -> tuple[float | None, str]:
    """SIGTERM each consumer in turn: it finishes what it holds, then exits."""
    codes = []
    for at, name in zip((100, 200, 300), CONSUMERS, strict=True):
        await checkpoints[at].wait()
        started = time.monotonic()
        codes.append(await asyncio.to_thread(world.stack.services[name].process.stop))
        stopped_in = time.monotonic() - started
        assert stopped_in < 15, f"{name} took {stopped_in:.1f}s to stop"
        await asyncio.to_thread(world.stack.restart, name)
    assert all(code in (0, -15) for code in codes), codes
    return time.monotonic(), "SIGTERM at 100, 200, 300, each stopped within 15 s"


async def broker_killed(world: World, checkpoints: dict[int, asyncio.Event]) -> tuple[float | None, str]:
    await checkpoints[300].wait()
    await asyncio.to_thread(world.rabbitmq.kill)
    assert await _readiness(world, "judging") == {"status": "not_ready", "broker": False, "database": True}
    started = time.monotonic()
    await asyncio.to_thread(world.rabbitmq.start_again)
    assert await _readiness(world, "judging", ready=True)
    return (
        time.monotonic(),
        f"RabbitMQ SIGKILL at 300, back in {time.monotonic() - started:.0f}s; /ready 503 meanwhile",
    )


async def database_restarted(world: World, checkpoints: dict[int, asyncio.Event]) -> tuple[float | None, str]:
    await checkpoints[300].wait()
    await asyncio.to_thread(world.mongodb.stop)
    assert await _readiness(world, "judging") == {"status": "not_ready", "broker": True, "database": False}
    await asyncio.to_thread(world.mongodb.start_again)
    assert await _readiness(world, "judging", ready=True)
    return time.monotonic(), "SecantusDB stopped at 300, restarted; /ready 503 meanwhile"


async def _readiness(world: World, service: str, *, ready: bool = False) -> dict[str, object]:
    """The service's /ready answer once it says `ready` (200) or not (503), within 30 s."""
    url = f"{world.stack.services[service].url}/ready"
    async with httpx.AsyncClient(timeout=10) as http:
        for _ in range(150):
            response = await http.get(url)
            if response.status_code == (200 if ready else 503):
                return response.json()  # type: ignore[no-any-return]
            await asyncio.sleep(0.2)
    raise AssertionError(f"{service} never reported ready={ready}")


async def producer_killed_before_publishing(
    world: World, checkpoints: dict[int, asyncio.Event]
) -> tuple[float | None, str]:
    """Cut the registry off the broker; it keeps storing events it cannot publish;
    SIGKILL it with those pending; reconnect and start it again."""
    await checkpoints[300].wait()
    world.proxy.cut()
    await checkpoints[600].wait()
    pending = await world.ledger.pending_in_registry()
    assert pending > 0, "the registry should hold events it could not publish"
    await asyncio.to_thread(world.stack.services["registry"].process.kill)
    world.proxy.restore()
    await asyncio.to_thread(world.stack.restart, "registry")
    return time.monotonic(), f"{pending} events stored, unpublished, at SIGKILL"


async def test_consumers_killed_and_restarted(world: World) -> None:
    # notifications is SIGKILLed once: a WhatsApp message taken but not yet recorded goes out again.
    await run_case(
        world, "(a) each consumer SIGKILLed, restarted", consumers_killed, whatsapp_resends_allowed=0
    )


async def test_consumers_stopped_gracefully(world: World) -> None:
    # Beyond the list, so a shorter run: the same checks, 400 events.
    await run_case(world, "(a') each consumer SIGTERMed, restarted", consumers_stopped, events=400)


async def test_broker_killed_and_restarted(world: World) -> None:
    await run_case(world, "(b) RabbitMQ SIGKILLed, restarted", broker_killed)


async def test_database_restarted(world: World) -> None:
    await run_case(world, "(c) MongoDB server restarted", database_restarted)


async def test_producer_killed_between_storing_and_publishing(world: World) -> None:
    await run_case(world, "(d) producer killed before publishing", producer_killed_before_publishing)


async def test_every_message_delivered_twice(world: World) -> None:
    async with Duplicator(world.rabbitmq.url, world.rabbitmq.url_for) as duplicator:
        outcome = await run_case(
            world, "(e) every message delivered twice", no_fault, whatsapp_resends_allowed=0
        )
    assert duplicator.copies >= outcome.expected
    outcome.note = f"{duplicator.copies} extra deliveries"


async def test_poison_mixed_in(world: World) -> None:
    outcome = await run_case(world, "(f) 25 poison messages mixed in", no_fault, poison=25)
    assert outcome.dead_lettered == 25 * len(CONSUMERS)
    outcome.note = "each poison message dead-lettered by all 3 consumers"


#: The replica case's events: enough to kill one replica of each service mid-run, few
#: enough to keep the case near a minute and a half.
REPLICA_EVENTS = 600
#: The pace of case (g): one the two replicas of each service keep up with on this
#: machine, so its time to recover is the crash's (the lease taken over, the killed
#: consumers' messages redelivered, their open transactions ended), not a backlog's.
REPLICA_PER_SECOND = 12.0


async def test_two_replicas_of_each_service_one_of_each_killed(world: World) -> None:
    """A second process of every service on the same broker and database; the load goes
    to the registry's second, and the first process of each service is SIGKILLed in
    turn (the registry's: most likely the outbox relay's lease holder). The survivors
    carry on alone: the registry's second takes the relay's lease over, the consumers'
    seconds take what the killed ones held. The broker's own count of edition.updated
    publishes by event id shows the publishes made twice: 0 while both run."""
    stack = world.stack
    names = ("registry", *CONSUMERS)
    started = await asyncio.gather(*(asyncio.to_thread(stack.start_replica, name) for name in names))
    replicas = dict(zip(names, started, strict=True))
    twice_before_crash: list[int] = []

    async def one_of_each_killed(
        world: World, checkpoints: dict[int, asyncio.Event]
    ) -> tuple[float | None, str]:
        for at, name in zip((100, 200, 300, 500), ("registry", *CONSUMERS), strict=True):
            await checkpoints[at].wait()
            if name == "registry":
                twice_before_crash.append(publishes.twice)
            await asyncio.to_thread(stack.services[name].process.kill)
        return time.monotonic(), (
            f"{REPLICA_PER_SECOND:g} revisions/s; first of 2 SIGKILLed: "
            "registry at 100, consumers at 200, 300, 500"
        )

    try:
        async with PublishCounter(world.rabbitmq.url, "edition.updated") as publishes:
            outcome = await run_case(
                world,
                "(g) 2 replicas each, one of each SIGKILLed",
                one_of_each_killed,
                events=REPLICA_EVENTS,
                registry_url=replicas["registry"].url,
                per_second=REPLICA_PER_SECOND,
            )
            await asyncio.sleep(1.0)  # the counter's queue is drained too
        outcome.note += (
            f"; publishes twice: {twice_before_crash[0]} before the crash, {publishes.twice} in all"
        )
        print(outcome.row())
        assert twice_before_crash == [0], "two replicas publish nothing twice"
        assert len(publishes.seen) >= outcome.sent
    finally:
        # The world as the other cases expect it: one process of each.
        await asyncio.to_thread(stack.stop_replicas)
        for name in ("registry", *CONSUMERS):
            if not stack.services[name].process.running():
                await asyncio.to_thread(stack.restart, name)
