"""One vote per person per favourite category, against the real broker and MongoDB
wire server: an edition with two favourite categories (each for the films of one
ranked category), one code and one ballot with two choices, a second ballot
stored only where the voter had not voted, the console's step 2 with one fieldset per
category sending one ballot, the tally per category, and the
freeze publishing one votes.tallied per category. A database from before (the
per-edition unique key, votes and an edition without categories) is brought
forward when the service starts."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import httpx
from console.config import Settings as ConsoleSettings
from console.main import create_app as create_console
from voting.main import create_app

from shared import contracts as c
from shared.contracts.registry import Category
from shared.platform.persistence.mongo import connect

from ..support import EventTap, OwnerPublisher, eventually, serving
from .flows import ok
from .test_voting import edition, entry, error_code, kim, solved

FAVOURITES = [
    Category(code="dokumenter", title="Dokumenter", kind="ranked", awarded_ranks=1),
    Category(code="fiksi", title="Fiksi", kind="ranked", awarded_ranks=1),
    Category(
        code="favorit-dokumenter",
        title="Favorit Dokumenter",
        kind="favourite",
        awarded_ranks=1,
        favourite_of="dokumenter",
    ),
    Category(
        code="favorit-fiksi", title="Favorit Fiksi", kind="favourite", awarded_ranks=1, favourite_of="fiksi"
    ),
]


async def seed_the_database_as_it_was(settings: Any, legacy_edition: UUID, now: datetime) -> UUID:
    """Votes unique per (edition, voter) and per code, an edition keeping one
    category code, one vote stored then: the vote's id."""
    client = connect(settings.mongodb_url.get_secret_value(), "test")
    db = client[settings.mongodb_database]
    try:
        await db.votes.create_index([("edition_id", 1), ("voter", 1)], unique=True)
        await db.votes.create_index([("request_id", 1)], unique=True)
        await db.editions.insert_one(
            {
                "_id": legacy_edition,
                "title": "Lomba 2023",
                "category_code": "juara-favorit",
                "revision": 1,
                "window": {
                    "opens_at": now - timedelta(minutes=5),
                    "closes_at": now + timedelta(hours=1),
                    "public_counts": False,
                    "closed_at": None,
                },
                "frozen_version": 0,
                "version": 1,
            }
        )
        vote_id = uuid4()
        await db.votes.insert_one(
            {
                "_id": vote_id,
                "edition_id": legacy_edition,
                "entry_id": uuid4(),
                "voter": "+6281234500077",
                "channel": "whatsapp",
                "request_id": uuid4(),
                "cast_at": now,
                "code_requested_at": now,
                "client_ip": "10.0.0.1",
                "ip_block": "10.0.0.0/24",
                "challenge_solve_ms": None,
                "status": "counted",
                "flagged": False,
                "voided_reason": None,
                "voided_by": None,
                "voided_at": None,
                "version": 1,
            }
        )
        return vote_id
    finally:
        client.close()


async def a_code(public: httpx.AsyncClient, tap: EventTap, edition_id: UUID, address: str) -> tuple[str, str]:
    asked = await ok(
        await public.post(
            f"/editions/{edition_id}/voter-codes", json={"address": address, "altcha": await solved(public)}
        ),
        202,
    )
    sent = await tap.wait_for("voter.code_requested", lambda e: e.data["request_id"] == asked["request_id"])
    return asked["request_id"], sent[0].data["code"]


async def test_one_code_votes_in_two_favourite_categories_and_each_is_tallied(
    settings_for: Any, amqp_url_for: Any, tap: EventTap
) -> None:
    edition_id, kim_id, legacy_edition = uuid4(), uuid4(), uuid4()
    now = datetime.now(UTC)
    settings = settings_for("voting", challenge_max_number=2000, fraud_poll_seconds=3600)
    legacy_vote = await seed_the_database_as_it_was(settings, legacy_edition, now)
    app = create_app(settings)
    async with serving(app, "voting") as staff, OwnerPublisher(amqp_url_for) as bus:
        public = httpx.AsyncClient(transport=staff._transport, base_url="http://voting")

        # The database as it was, brought forward on startup.
        client = connect(settings.mongodb_url.get_secret_value(), "test")
        try:
            indexes = await client[settings.mongodb_database].votes.index_information()
            stored = await client[settings.mongodb_database].votes.find_one({"_id": legacy_vote})
        finally:
            client.close()
        assert "edition_id_1_voter_1" not in indexes and "request_id_1" not in indexes
        assert [k for k, _ in indexes["edition_id_1_category_1_voter_1"]["key"]] == [
            "edition_id",
            "category",
            "voter",
        ]
        assert stored is not None and stored["category"] == "juara-favorit"
        kept = await ok(await public.get(f"/editions/{legacy_edition}/vote-window"))
        assert kept["category_code"] == "juara-favorit"
        assert [f["code"] for f in kept["favourites"]] == ["juara-favorit"]

        details = edition(edition_id).model_copy(update={"categories": FAVOURITES})
        documentary = entry(edition_id, kim_id, "Tempe Sanan").model_copy(
            update={"categories": ["dokumenter"]}
        )
        fiction = entry(edition_id, kim_id, "Topeng Malangan").model_copy(update={"categories": ["fiksi"]})
        await bus.publish(c.KimRegistered.new(kim(kim_id), producer="registry", correlation_id="t"))
        await bus.publish(c.EditionPublished.new(details, producer="registry", correlation_id="t"))
        for film in (documentary, fiction):
            await bus.publish(c.EntrySubmitted.new(film, producer="submissions", correlation_id="t"))

        async def gallery() -> list[dict[str, Any]] | None:
            found = (await public.get(f"/editions/{edition_id}/gallery")).json()
            return found if isinstance(found, list) and len(found) == 2 else None

        items = await eventually(gallery)
        assert {i["title"]: i["categories"] for i in items} == {
            "Tempe Sanan": ["dokumenter"],
            "Topeng Malangan": ["fiksi"],
        }
        window = {
            "opens_at": (now - timedelta(minutes=1)).isoformat(),
            "closes_at": (now + timedelta(hours=1)).isoformat(),
        }
        shown = await ok(await staff.put(f"/editions/{edition_id}/vote-window", json=window))
        assert [(f["code"], f["title"], f["favourite_of"]) for f in shown["favourites"]] == [
            ("favorit-dokumenter", "Favorit Dokumenter", "dokumenter"),
            ("favorit-fiksi", "Favorit Fiksi", "fiksi"),
        ]

        votes = f"/editions/{edition_id}/votes"
        request_id, code = await a_code(public, tap, edition_id, "081234500001")
        crossed = await public.post(
            votes,
            json={
                "request_id": request_id,
                "code": code,
                "choices": [{"category": "favorit-fiksi", "entry_id": str(documentary.entry_id)}],
            },
        )
        assert crossed.status_code == 422 and error_code(crossed) == "entry_not_in_category"
        single = await public.post(
            votes, json={"request_id": request_id, "code": code, "entry_id": str(documentary.entry_id)}
        )
        assert single.status_code == 422 and error_code(single) == "category_required"
        ballot = {
            "request_id": request_id,
            "code": code,
            "choices": [
                {"category": "favorit-dokumenter", "entry_id": str(documentary.entry_id)},
                {"category": "favorit-fiksi", "entry_id": str(fiction.entry_id)},
            ],
        }
        cast = await ok(await public.post(votes, json=ballot), 201)
        assert [(v["category"], v["entry_id"]) for v in cast["votes"]] == [
            ("favorit-dokumenter", str(documentary.entry_id)),
            ("favorit-fiksi", str(fiction.entry_id)),
        ]
        assert cast["already_voted"] == []
        assert await ok(await public.post(votes, json=ballot), 201) == cast  # sent again: the same votes

        # The same number with a new code: nothing left to vote in.
        again_id, again_code = await a_code(public, tap, edition_id, "+6281234500001")
        twice = await public.post(votes, json={**ballot, "request_id": again_id, "code": again_code})
        assert twice.status_code == 409 and error_code(twice) == "already_voted"
        # Another number votes in one category only, then in both: the second stores one.
        other_id, other_code = await a_code(public, tap, edition_id, "081234500002")
        one = await ok(
            await public.post(
                votes,
                json={
                    "request_id": other_id,
                    "code": other_code,
                    "choices": [{"category": "favorit-fiksi", "entry_id": str(fiction.entry_id)}],
                },
            ),
            201,
        )
        assert [v["category"] for v in one["votes"]] == ["favorit-fiksi"]
        more_id, more_code = await a_code(public, tap, edition_id, "081234500002")
        more = await ok(
            await public.post(votes, json={**ballot, "request_id": more_id, "code": more_code}), 201
        )
        assert [v["category"] for v in more["votes"]] == ["favorit-dokumenter"]
        assert more["already_voted"] == ["favorit-fiksi"]

        # The console's step 2, against this voting service: one fieldset per category.
        console_app = create_console(
            ConsoleSettings(voting_url="http://voting", live_updates=False),
            http=httpx.AsyncClient(transport=staff._transport),
        )
        third_id, third_code = await a_code(public, tap, edition_id, "warga@example.id")
        async with (
            console_app.router.lifespan_context(console_app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=console_app),
                base_url="http://console",
                headers={"Accept-Language": "id"},
            ) as browser,
        ):
            step = await browser.get(f"/pilih/{edition_id}/suara?permintaan={third_id}&kode={third_code}")
            assert step.status_code == 200, step.text
            legends = re.findall(r"<legend>(.*?)</legend>", step.text)
            assert legends == ["Favorit Dokumenter", "Favorit Fiksi"]
            assert f'name="choice-favorit-fiksi" value="{fiction.entry_id}"' in step.text
            assert f'name="choice-favorit-fiksi" value="{documentary.entry_id}"' not in step.text
            token = re.search(r'name="csrf_token" value="([^"]+)"', step.text)
            assert token is not None
            voted = await browser.post(
                f"/pilih/{edition_id}/suara",
                data={
                    "csrf_token": token.group(1),
                    "request_id": third_id,
                    "channel": "email",
                    "code": third_code,
                    "choice-favorit-fiksi": str(fiction.entry_id),
                },
            )
            assert voted.status_code == 303, voted.text
            thanks = await browser.get(voted.headers["location"])
            assert "Topeng Malangan" in thanks.text and "Tempe Sanan" not in thanks.text

        first = await ok(await staff.get(f"/editions/{edition_id}/tally"))
        fiksi = await ok(
            await staff.get(f"/editions/{edition_id}/tally", params={"category": "favorit-fiksi"})
        )
        assert (first["category_code"], first["counted"]) == ("favorit-dokumenter", 2)
        assert (fiksi["category_code"], fiksi["counted"]) == ("favorit-fiksi", 3)
        assert [s["entry_id"] for s in fiksi["standings"]] == [str(fiction.entry_id)]
        unknown = await staff.get(f"/editions/{edition_id}/tally", params={"category": "juara-favorit"})
        assert unknown.status_code == 404 and error_code(unknown) == "favourite_category_unknown"

        await ok(await staff.post(f"/editions/{edition_id}/vote-window/closing"))
        frozen = await ok(await staff.post(f"/editions/{edition_id}/tally/freeze"))
        assert [(t["category_code"], t["version"], t["counted"]) for t in frozen["tallies"]] == [
            ("favorit-dokumenter", 1, 2),
            ("favorit-fiksi", 1, 3),
        ]

        def both(events: list[Any]) -> bool:
            return {e.data["category_code"] for e in events if e.data["edition_id"] == str(edition_id)} == {
                "favorit-dokumenter",
                "favorit-fiksi",
            }

        tallied = await tap.wait_for(
            "votes.tallied", lambda e: e.data["edition_id"] == str(edition_id), count=2
        )
        assert both(tallied)
        hashes = {t["category_code"]: t["content_hash"] for t in frozen["tallies"]}
        assert {e.data["category_code"]: e.data["content_hash"] for e in tallied} == hashes
        public_fiksi = await ok(
            await public.get(f"/editions/{edition_id}/public-tally", params={"category": "favorit-fiksi"})
        )
        assert public_fiksi["status"] == "frozen" and public_fiksi["category_code"] == "favorit-fiksi"
        assert public_fiksi["content_hash"] == hashes["favorit-fiksi"]
