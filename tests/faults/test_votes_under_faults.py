"""Nothing lost, nothing counted twice (issue 18): a burst of votes while the voting
service is SIGKILLed and started again.

Each of VOTES residents has a code of their own (asked for beforehand, read off
`voter.code_requested`) and votes once, 16 at a time. At KILL_AT acknowledged votes
the voting service is SIGKILLed mid-burst and started again on the same port. A
voter whose request failed (connection refused or cut, a 5xx) sends the same vote
again with the same `Idempotency-Key`, as the page does, until the service
answers. Counted from the voting service's own answers and its database: every
vote acknowledged (201) is stored, every stored vote was acknowledged, no voter
and no code counted twice.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from bench.voting import Ballots, CodeTap, open_window
from devstack.stack import LocalStack

from ..integration.flows import edition_body, enrolled_kim, entry_body
from ..support import eventually
from .conftest import VOTE_OUTCOMES, World
from .support import VOTE_HEADER, VoteFaultOutcome

VOTES = 400
KILL_AT = 150
IN_FLIGHT = 16
#: A vote is tried again at most this long (the service is away for a few seconds).
RETRY_SECONDS = 120.0
#: Three films in competition.
FILMS = (("KIM Pasreh Jaya", "bumiayu"), ("KIM Ganjur", "gadang"), ("KIM Mojolangu", "mojolangu"))
FAVOURITE = {
    "code": "juara-favorit",
    "title": "Juara Favorit",
    "kind": "favourite",
    "awarded_ranks": 1,
    "prizes": [{"rank": 1, "title": "Juara Favorit", "reward": "Piagam"}],
}

pytestmark = pytest.mark.timeout(600)


@dataclass
class Burst:
    """VOTES votes, IN_FLIGHT at a time, each sent again until the service answers."""

    requests: list[tuple[str, str, dict[str, str] | None, dict[str, Any] | None]]
    acknowledged: list[str] = field(default_factory=list)
    refused: dict[str, int] = field(default_factory=dict)
    retried: int = 0
    reached: dict[int, asyncio.Event] = field(default_factory=dict)
    #: (sent, acknowledged) of each 201, for the time to recover.
    acknowledged_at: list[tuple[float, float]] = field(default_factory=list)

    async def run(self) -> None:
        pending = iter(self.requests)
        async with httpx.AsyncClient(timeout=10) as http:

            async def voter() -> None:
                for _, url, _, body in pending:
                    assert body is not None
                    await self._vote(http, url, body)

            await asyncio.gather(*(voter() for _ in range(IN_FLIGHT)))

    async def _vote(self, http: httpx.AsyncClient, url: str, body: dict[str, Any]) -> None:
        key = str(body["request_id"])
        deadline = time.monotonic() + RETRY_SECONDS
        while True:
            sent_at = time.monotonic()
            try:
                response = await http.post(url, json=body, headers={"Idempotency-Key": key})
            except httpx.HTTPError:
                response = None
            # 409 idempotency_key_in_use: the first copy is still being answered (or was cut
            # by the crash): "try again shortly", as the message says.
            if response is not None and response.status_code < 500 and not _in_use(response):
                break
            if time.monotonic() > deadline:
                raise AssertionError(f"vote {key} never answered within {RETRY_SECONDS:.0f}s")
            self.retried += 1
            await asyncio.sleep(0.2)
        if response.status_code == 201:
            self.acknowledged.append(key)
            self.acknowledged_at.append((sent_at, time.monotonic()))
            if len(self.acknowledged) in self.reached:
                self.reached[len(self.acknowledged)].set()
            return
        name = f"{response.status_code} {response.json().get('error', {}).get('code', '')}"
        self.refused[name] = self.refused.get(name, 0) + 1


def _in_use(response: httpx.Response) -> bool:
    if response.status_code != 409:
        return False
    return bool(response.json().get("error", {}).get("code") == "idempotency_key_in_use")


async def favourite_edition(world: World) -> str:
    """A published edition with a Juara Favorit category, once voting can open its vote."""
    async with httpx.AsyncClient(base_url=world.registry_url, headers=world.staff, timeout=10) as registry:
        created = await registry.post("/editions", json={**edition_body(), "categories": [FAVOURITE]})
        assert created.status_code == 201, created.text
        edition_id = str(created.json()["edition_id"])
        published = await registry.post(f"/editions/{edition_id}/publication")
        assert published.status_code == 200, published.text
    return edition_id


async def films_in_competition(world: World, edition_id: str) -> None:
    """FILMS enrolled, approved and submitted, through the registry's and submissions' APIs."""
    registry = httpx.AsyncClient(base_url=world.registry_url, headers=world.staff, timeout=10)
    submissions = httpx.AsyncClient(
        base_url=world.stack.services["submissions"].url, headers=world.staff, timeout=10
    )
    async with registry, submissions:
        for number, (name, kelurahan) in enumerate(FILMS, start=1):
            kim = await enrolled_kim(registry, edition_id, name, kelurahan, 900 + number)

            async def submitted(kim_id: str = kim["kim_id"], title: str = f"Film {name}") -> bool:
                response = await submissions.post(
                    f"/editions/{edition_id}/entries", json=entry_body(kim_id, title=title)
                )
                return response.status_code == 201

            await eventually(submitted, timeout=60, interval=0.3)


async def stored_votes(world: World, edition_id: str) -> list[dict[str, Any]]:
    """Every vote the voting service holds for the edition, from its own database."""
    from uuid import UUID

    votes = world.ledger.db("voting")["votes"]
    return [doc async for doc in votes.find({"edition_id": UUID(edition_id)})]


async def test_voting_service_killed_mid_burst(world: World) -> None:
    stack: LocalStack = world.stack
    assert "voting" in stack.services, "the stack has no voting service"
    voting = stack.services["voting"].url
    edition_id = await favourite_edition(world)
    await films_in_competition(world, edition_id)
    async with (
        httpx.AsyncClient(timeout=30, headers=world.staff) as staff,
        httpx.AsyncClient(timeout=30) as public,
        CodeTap(world.rabbitmq.url) as tap,
    ):
        await eventually(lambda: _opened(staff, voting, edition_id), timeout=60, interval=0.3)
        ballots = Ballots(voting, edition_id, [])

        async def gallery() -> list[str]:
            answer = await public.get(f"{voting}/editions/{edition_id}/gallery")
            return [item["entry_id"] for item in answer.json()] if answer.status_code == 200 else []

        ballots.entry_ids = await eventually(
            lambda: _at_least(gallery(), len(FILMS)), timeout=60, interval=0.3
        )
        await ballots.prepare(public, tap, VOTES, run=99)

    burst = Burst(ballots.take(VOTES), reached={KILL_AT: asyncio.Event()})
    voting_now = asyncio.create_task(burst.run())
    await asyncio.wait_for(burst.reached[KILL_AT].wait(), timeout=120)
    killed_at = time.monotonic()
    await asyncio.to_thread(stack.services["voting"].process.kill)
    await asyncio.sleep(0.5)
    await asyncio.to_thread(stack.restart, "voting")
    await asyncio.wait_for(voting_now, timeout=RETRY_SECONDS + 60)
    # Recovered: the first vote sent after the SIGKILL that was acknowledged.
    after = [acked for sent, acked in burst.acknowledged_at if sent > killed_at]
    recovery = (min(after) - killed_at) if after else float("nan")

    stored = await stored_votes(world, edition_id)
    voters = [doc.get("voter") or doc.get("address") or doc.get("voter_key") for doc in stored]
    requests = [str(doc.get("request_id")) for doc in stored]
    acknowledged = set(burst.acknowledged)
    outcome = VoteFaultOutcome(
        case="(v) voting SIGKILLed mid-burst, restarted",
        voters=VOTES,
        acknowledged=len(burst.acknowledged),
        stored=len(stored),
        stored_twice=(len(voters) - len(set(voters))) + (len(requests) - len(set(requests))),
        lost=len(acknowledged - set(requests)),
        unacknowledged_stored=len(set(requests) - acknowledged),
        refused=burst.refused,
        retried=burst.retried,
        recovery_seconds=recovery,
        note=f"SIGKILL at {KILL_AT} acknowledged, {IN_FLIGHT} in flight",
    )
    VOTE_OUTCOMES.append(outcome)
    print(VOTE_HEADER)
    print(outcome.row())
    assert burst.refused == {}, outcome.row()
    assert len(burst.acknowledged) == len(acknowledged) == VOTES, outcome.row()
    assert set(requests) == acknowledged, outcome.row()
    assert outcome.stored_twice == 0 and len(stored) == VOTES, outcome.row()


async def _opened(staff: httpx.AsyncClient, voting: str, edition_id: str) -> bool:
    """The vote window set, once voting has learnt of the edition and its favourite category."""
    try:
        await open_window(staff, voting, edition_id)
    except RuntimeError:
        return False
    return True


async def _at_least(found: Any, count: int) -> list[str] | None:
    items: list[str] = await found
    return items if len(items) >= count else None
