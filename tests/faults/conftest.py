"""The fault suite's own RabbitMQ, SecantusDB and four services (it kills them),
with the registry reaching the broker through a proxy the tests can cut."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bench.voting import SERVICE_ENV as VOTING_ENV
from devstack.mongodb import SecantusServer
from devstack.rabbitmq import RabbitMQServer
from devstack.stack import LocalStack
from devstack.whatsapp_gateway import WhatsAppGateway

from .support import Ledger, Outcome, TcpProxy, VoteFaultOutcome

OUTCOMES: list[Outcome] = []
VOTE_OUTCOMES: list[VoteFaultOutcome] = []
#: The staff member told on WhatsApp of every edition.updated.
WHATSAPP_NUMBER = "+6281100001000"
#: In every case the staff member is also told on WhatsApp (1000 messages a case through
#: the local gateway), and (a) and (e) check that none is sent twice: a message whose sender
#: was SIGKILLed before it stored the id is adopted from its status callback
#: (`biz_opaque_callback_data`). KIM_FAULTS_WHATSAPP=0 leaves WhatsApp out.
WITH_WHATSAPP = os.environ.get("KIM_FAULTS_WHATSAPP", "1") != "0"


@dataclass
class World:
    rabbitmq: RabbitMQServer
    mongodb: SecantusServer
    proxy: TcpProxy
    stack: LocalStack
    ledger: Ledger
    #: A staff member's Authorization header, from logging in once the stack is up.
    staff: dict[str, str]
    #: The local WhatsApp Cloud API the staff member is told on (None with KIM_FAULTS_WHATSAPP=0).
    whatsapp: WhatsAppGateway | None

    @property
    def registry_url(self) -> str:
        return self.stack.services["registry"].url

    async def published_edition(self) -> str:
        """A fresh published edition for one case, once every consumer knows it."""
        from ..integration.flows import edition_body

        async with httpx.AsyncClient(timeout=10, headers=self.staff) as http:
            created = (await http.post(f"{self.registry_url}/editions", json=edition_body())).json()
            edition_id = created["edition_id"]
            await http.post(f"{self.registry_url}/editions/{edition_id}/publication")
            for _ in range(200):
                known = [
                    await http.get(f"{self.stack.services[name].url}{path}")
                    for name, path in (
                        ("submissions", f"/editions/{edition_id}/submission-window"),
                        ("judging", f"/editions/{edition_id}"),
                    )
                ]
                if all(response.status_code == 200 for response in known):
                    return edition_id
                await asyncio.sleep(0.1)
        raise AssertionError("the consumers never learnt of the edition")


@pytest.fixture(scope="module")
async def world(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    workdir: Path = tmp_path_factory.mktemp("faults")
    rabbitmq, mongodb = RabbitMQServer(workdir / "rabbitmq"), SecantusServer(workdir / "secantusdb")
    proxy = TcpProxy(rabbitmq.port)
    # One status callback per message ("sent"), as Meta sends: a message whose sender
    # was SIGKILLed after the gateway took it, before it stored the id, is adopted
    # from it and not sent again. Without callbacks, (a) passed only while no SIGKILL
    # happened to land between a send and its record (it did once: 50 sent twice).
    whatsapp = WhatsAppGateway(app_secret=uuid.uuid4().hex, receipts=("sent",)) if WITH_WHATSAPP else None
    suffix = "_" + uuid.uuid4().hex[:6]
    stack = LocalStack(
        workdir,
        rabbitmq=rabbitmq,
        mongodb=mongodb,
        database_suffix=suffix,
        service_env={
            # Its own broker user, through the proxy that cuts its connection.
            "registry": {
                "REGISTRY_AMQP_URL": f"amqp://registry:{rabbitmq.passwords['registry']}@127.0.0.1:{proxy.port}/"
            },
            "notifications": {
                "NOTIFICATIONS_DELIVERY_POLL_SECONDS": "0.5",
                "NOTIFICATIONS_DELIVERY_BACKOFF_SECONDS": "1",
                **(whatsapp.settings() if whatsapp else {}),
            },
            # Hundreds of voters from one loopback address (the voting case).
            "voting": VOTING_ENV,
        },
        # One login serves the whole module, however long its cases take.
        token_lifetime_minutes=120,
        # The pipeline under faults: the console would only take a share of the cores.
        with_console=False,
    )
    ledger = Ledger(mongodb.url, suffix)
    try:
        await asyncio.gather(asyncio.to_thread(rabbitmq.start), asyncio.to_thread(mongodb.start))
        await proxy.start()
        if whatsapp:
            whatsapp.start()
        await asyncio.to_thread(stack.start)
        staff = await asyncio.to_thread(stack.staff_headers)
        async with httpx.AsyncClient(timeout=10, headers=staff) as http:
            recipient = await http.post(
                f"{stack.services['notifications'].url}/recipients",
                json={
                    "name": "Staf Diskominfo",
                    "whatsapp": WHATSAPP_NUMBER if whatsapp else None,
                    "subscriptions": ["edition.updated"],
                },
            )
            assert recipient.status_code == 201, recipient.text
        yield World(rabbitmq, mongodb, proxy, stack, ledger, staff, whatsapp)
    finally:
        # Whatever got started, even if setting up failed half-way.
        ledger.close()
        await asyncio.to_thread(stack.stop)
        await proxy.stop()
        if whatsapp:
            whatsapp.stop()
        await asyncio.gather(asyncio.to_thread(rabbitmq.stop), asyncio.to_thread(mongodb.stop))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from .support import HEADER, VOTE_HEADER

    if OUTCOMES:
        terminalreporter.write_sep("=", "delivery under faults")
        terminalreporter.write_line(HEADER)
        for outcome in OUTCOMES:
            terminalreporter.write_line(outcome.row())
    if VOTE_OUTCOMES:
        terminalreporter.write_sep("=", "votes under faults")
        terminalreporter.write_line(VOTE_HEADER)
        for vote in VOTE_OUTCOMES:
            terminalreporter.write_line(vote.row())
