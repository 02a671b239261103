"""Two replicas of a service on one database and one broker (two apps in this
process, as two processes would be): every guard holds across them. The outbox
relay's lease is tested in `test_outbox.py`, the login throttle in
`test_access_rules.py` (`..._counts_failures_across_replicas`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from typing import Any
from uuid import uuid4

import aio_pika
from faststream.rabbit import RabbitBroker, RabbitMessage
from registry.main import create_app as create_registry
from submissions.main import create_app as create_submissions

from devstack.mail_sink import MailSink
from shared.platform.messaging import queue_of
from shared.platform.messaging.consuming import subscribe
from shared.platform.messaging.topology import EVENTS

from ..support import eventually, serving
from .flows import kim_body, ok
from .test_signup import client_at

STAFF_TWO = {"email": "staf.dua@malangkota.go.id", "password": "kunci-rahasia-staf-2024"}


async def test_the_mail_request_allowance_is_shared_by_the_replicas(
    settings_for: Any,
    mail_sink: MailSink,  # noqa: F811 - the fixture
) -> None:
    settings = settings_for(
        "registry", smtp_host=mail_sink.host, smtp_port=mail_sink.port, mail_requests_per_email=2
    )
    first, second = create_registry(settings), create_registry(settings)
    async with serving(first, "registry"), serving(second, "registry"):
        body = {**kim_body("KIM Replika", "bumiayu", 1), "password": "kata-sandi-rahasia"}
        async with client_at(first, "10.0.3.1") as at_first, client_at(second, "10.0.3.2") as at_second:
            await ok(await at_first.post("/kims", json=body), 202)
            await ok(await at_second.post("/kims", json=body), 202)
            over = await at_first.post("/kims", json=body)
            assert over.status_code == 429, "two at two replicas spend the allowance of two"
            assert (await at_second.post("/kims", json=body)).status_code == 429


async def test_an_idempotency_key_used_at_one_replica_is_honoured_at_the_other(settings_for: Any) -> None:
    settings = settings_for("registry")
    judge = {
        "email": "juri.replika@juri.id",
        "name": "Juri",
        "role": "judge",
        "password": "benar-sekali-2024",
    }
    key = {"Idempotency-Key": "buka-akun-juri-replika"}
    async with (
        serving(create_registry(settings), "registry") as first,
        serving(create_registry(settings), "registry") as second,
    ):
        created = await first.post("/accounts", json=judge, headers=key)
        retried = await second.post("/accounts", json=judge, headers=key)
        assert created.status_code == retried.status_code == 201
        assert retried.json() == created.json() and retried.headers["idempotent-replayed"] == "true"
        assert len(await ok(await second.get("/accounts"))) == 1


async def test_a_sign_out_reaches_every_replica_of_a_service(settings_for: Any) -> None:
    """The replicas compete on their accounts queue, so one of them hears of the
    sign-out; both refuse the token, as both read the versions from their database."""
    anonymous = {"Authorization": ""}
    settings = settings_for("submissions")
    async with (
        serving(create_registry(settings_for("registry")), "registry") as registry,
        serving(create_submissions(settings), "submissions") as first,
        serving(create_submissions(settings), "submissions") as second,
    ):
        await ok(
            await registry.post("/accounts", json={**STAFF_TWO, "name": "Staf Dua", "role": "staff"}), 201
        )
        login = await ok(await registry.post("/auth/login", json=STAFF_TWO, headers=anonymous))
        token = {"Authorization": f"Bearer {login['access_token']}"}

        async def statuses() -> list[int]:
            return [
                (await replica.get("/dead-letters", headers=token)).status_code for replica in (first, second)
            ]

        assert await statuses() == [200, 200]
        out = await registry.post(
            "/auth/logout", json={"refresh_token": login["refresh_token"]}, headers=anonymous
        )
        assert out.status_code == 204

        async def both_refuse() -> bool:
            return await statuses() == [401, 401]

        await eventually(both_refuse, timeout=15.0)


def receiver(into: list[str]) -> Any:
    async def receive(message: RabbitMessage) -> None:
        into.append(str(message.message_id))
        await asyncio.sleep(0.002)  # a handler takes a little while

    return receive


async def test_replicas_of_a_consumer_compete_on_its_queue(amqp_url: str) -> None:
    """Two subscribers of judging's quorum queue, as two judging processes have:
    each gets part of the stream, and no message goes to both."""
    queue = queue_of("judging")
    assert queue is not None
    got: dict[str, list[str]] = {"first": [], "second": []}
    brokers = []
    for name in got:
        broker = RabbitBroker(amqp_url, log_level=logging.DEBUG)
        subscribe(broker, queue)(receiver(got[name]))
        brokers.append(broker)
    async with contextlib.AsyncExitStack() as stack:
        for broker in brokers:
            await broker.start()
            stack.push_async_callback(broker.stop)
        sent = [str(uuid4()) for _ in range(200)]
        connection = await aio_pika.connect(amqp_url)
        stack.push_async_callback(connection.close)
        channel = await connection.channel()
        exchange = await channel.get_exchange(EVENTS.name, ensure=False)
        for message_id in sent:
            await exchange.publish(
                aio_pika.Message(
                    b"{}", message_id=message_id, delivery_mode=aio_pika.DeliveryMode.PERSISTENT
                ),
                routing_key=queue.routing_keys[0],
            )
        await eventually(lambda: len(got["first"]) + len(got["second"]) >= len(sent), timeout=30.0)
        await asyncio.sleep(0.3)  # nothing more arrives
    seen = Counter(got["first"] + got["second"])
    assert set(seen) == set(sent) and max(seen.values()) == 1, "each message handled once"
    assert got["first"] and got["second"], (
        f"both replicas took part: {len(got['first'])}/{len(got['second'])}"
    )


async def test_a_dead_processs_open_transaction_holds_its_documents_for_seconds(mongodb_url: str) -> None:
    """A process SIGKILLed between a transaction's first write and its commit leaves the
    transaction open on the server; the document it wrote is blocked until the server
    aborts it (mongod: after 60 s). The test server aborts it after 3 s."""
    from pymongo.errors import PyMongoError

    from shared.platform.persistence.mongo import connect

    dead, alive = connect(mongodb_url, "dead"), connect(mongodb_url, "alive")
    try:
        name = f"t_abandoned_{uuid4().hex[:8]}"
        await alive[name].things.insert_one({"_id": 1, "n": 0})
        session = await dead.start_session()
        session.start_transaction()
        await dead[name].things.update_one({"_id": 1}, {"$inc": {"n": 1}}, session=session)
        # ... and the process dies: no commit, no abort, its session never ended.
        started = asyncio.get_running_loop().time()

        async def written() -> bool:
            async with await alive.start_session() as mine:
                try:
                    async with mine.start_transaction():
                        await alive[name].things.update_one({"_id": 1}, {"$inc": {"n": 10}}, session=mine)
                except PyMongoError:
                    return False  # a write conflict: the dead transaction still holds it
            return True

        assert not await written(), "the abandoned transaction holds the document"
        await eventually(written, timeout=30.0, interval=0.25)
        waited = asyncio.get_running_loop().time() - started
        assert waited < 10.0, f"blocked for {waited:.1f}s"
        stored = await alive[name].things.find_one({"_id": 1})
        assert stored is not None and stored["n"] == 10
    finally:
        dead.close()
        alive.close()
