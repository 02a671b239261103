"""An edition's categories against the real broker and MongoDB: judging keeps
the categories from edition.published and each entry's from entry.submitted,
a ranked category is weighed its own way, frozen, verified and announced
through `?category=`, and its announcement publishes winner.announced v2 with
the category and prizes, while the main ranking's announcement still publishes
v1 (unchanged) next to its own v2."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from judging.main import create_app as create_judging
from motor.motor_asyncio import AsyncIOMotorClient
from registry.main import create_app as create_registry

from shared import contracts as c
from shared.contracts.registry import Category
from shared.platform.persistence.mongo import INBOX

from ..support import EventTap, OwnerPublisher, eventually, serving
from .flows import ok

NOW = datetime.now(UTC)


def edition(edition_id: UUID) -> c.EditionDetails:
    return c.EditionDetails(
        edition_id=edition_id,
        title="Lomba Video Pendek KIM 2025",
        theme="Promosi UMKM",
        description="Film pendek tentang UMKM kelurahan.",
        submission_opens_at=NOW - timedelta(days=10),
        submission_closes_at=NOW - timedelta(days=1),
        rules=c.EditionRules(max_video_seconds=300, allowed_video_hosts=["youtube.com"], entries_per_kim=1),
        awarded_ranks=1,
        prizes=[c.Prize(rank=1, title="Juara 1", reward="Rp10.000.000", amount=10_000_000)],
        status="published",
        revision=1,
        categories=[
            Category(
                code="sinematografi",
                title="Sinematografi Terbaik",
                kind="ranked",
                awarded_ranks=1,
                prizes=[c.Prize(rank=1, title="Sinematografi Terbaik", amount=5_000_000)],
            )
        ],
    )


def entry(edition_id: UUID, name: str, minutes: int, categories: list[str]) -> c.EntryDetails:
    at = NOW - timedelta(days=5, minutes=-minutes)
    return c.EntryDetails(
        entry_id=uuid4(),
        edition_id=edition_id,
        kim_id=uuid4(),
        kim_name=name,
        kelurahan=c.Region(code=name.lower().replace(" ", "-"), name=name),
        title=f"Film {name}",
        synopsis="Sebuah film tentang UMKM.",
        video_url="https://youtube.com/watch?v=abc",
        duration_seconds=120,
        umkm_featured=[],
        categories=categories,
        status="submitted",
        revision=1,
        submitted_at=at,
        updated_at=at,
    )


async def test_a_category_announcement_publishes_v2_and_the_main_one_v1_and_v2(
    settings_for: Any, tap: EventTap, amqp_url_for: Callable[[str], str]
) -> None:
    edition_id = uuid4()
    # (tema, kreativitas, teknis, promosi_umkm): main 30/25/20/25, sinematografi teknis 100.
    pasreh = entry(edition_id, "KIM Pasreh Jaya", 1, ["sinematografi"])  # main 84, teknis 60
    ganjur = entry(edition_id, "KIM Ganjur", 2, ["sinematografi"])  # main 69.75, teknis 95
    mojolangu = entry(edition_id, "KIM Mojolangu", 3, [])  # main 79.8, teknis 99: not entered
    sheets = {
        pasreh.entry_id: {"tema": 100, "kreativitas": 100, "teknis": 60, "promosi_umkm": 68},
        ganjur.entry_id: {"tema": 70, "kreativitas": 59, "teknis": 95, "promosi_umkm": 60},
        mojolangu.entry_id: {"tema": 80, "kreativitas": 80, "teknis": 99, "promosi_umkm": 64},
    }
    async with (
        serving(create_judging(settings_for("judging")), "judging") as judging,
        OwnerPublisher(amqp_url_for) as publisher,
    ):
        await publisher.publish(
            c.EditionPublished.new(edition(edition_id), producer="registry", correlation_id="t")
        )
        for each in (pasreh, ganjur, mojolangu):
            await publisher.publish(c.EntrySubmitted.new(each, producer="submissions", correlation_id="t"))

        async def listed() -> Any:
            response = await judging.get(f"/editions/{edition_id}/categories")
            found = response.json() if response.status_code == 200 else []
            return found if found and found[0]["entries"] == 2 else None

        (category,) = await eventually(listed)
        assert (category["code"], category["kind"], category["rubric"]) == ("sinematografi", "ranked", None)
        weights = {"weights": {"teknis": 100}}
        weighed = await ok(
            await judging.put(f"/editions/{edition_id}/categories/sinematografi/rubric", json=weights)
        )
        assert [(r["criterion_id"], r["weight"]) for r in weighed["rubric"]] == [
            ("tema", 0),
            ("kreativitas", 0),
            ("teknis", 100),
            ("promosi_umkm", 0),
        ]

        closure = c.SubmissionsClosure(edition_id=edition_id, closed_at=NOW, closed_by="staff", revision=2)
        await publisher.publish(
            c.EditionSubmissionsClosed.new(closure, producer="registry", correlation_id="t")
        )
        rina = await ok(await judging.post(f"/editions/{edition_id}/judges", json={"name": "Rina"}), 201)

        async def scored(entry_id: UUID) -> bool:
            url = f"/editions/{edition_id}/entries/{entry_id}/sheets/{rina['judge_id']}"
            response = await judging.put(url, json={"scores": sheets[entry_id]})
            return response.status_code == 200

        for entry_id in sheets:
            await eventually(lambda entry_id=entry_id: scored(entry_id))  # type: ignore[misc]
        await tap.wait_for("judging.completed", lambda e: e.data["edition_id"] == str(edition_id))

        ranking = await ok(
            await judging.get(f"/editions/{edition_id}/ranking", params={"category": "sinematografi"})
        )
        assert ranking["category"]["code"] == "sinematografi"
        assert [(p["kim_name"], p["score"]) for p in ranking["ranking"]] == [
            ("KIM Ganjur", 95.0),
            ("KIM Pasreh Jaya", 60.0),
        ]
        assert ranking["ranking"][0]["prize"]["amount"] == 5_000_000
        main = await ok(await judging.get(f"/editions/{edition_id}/ranking"))
        assert main["category"] is None
        assert [p["kim_name"] for p in main["ranking"]] == ["KIM Pasreh Jaya", "KIM Mojolangu", "KIM Ganjur"]
        assert main["ranking"][0]["prize"]["title"] == "Juara 1"

        in_category = {"category": "sinematografi"}
        frozen = await ok(await judging.post(f"/editions/{edition_id}/snapshots", params=in_category), 201)
        assert (frozen["version"], frozen["category"]["code"]) == (1, "sinematografi")
        await ok(await judging.post(f"/editions/{edition_id}/snapshots/1/verification", params=in_category))
        anonymous = {"Authorization": ""}  # no token: the public
        hidden = await ok(await judging.get(f"/editions/{edition_id}/categories", headers=anonymous))
        assert hidden == []  # not announced yet
        missing = await judging.get(f"/editions/{edition_id}/results", params=in_category, headers=anonymous)
        assert (missing.status_code, missing.json()["error"]["code"]) == (404, "results_not_announced")
        announced = await ok(await judging.post(f"/editions/{edition_id}/announcement", params=in_category))
        assert announced["category"]["code"] == "sinematografi"
        assert [(w["kim_name"], w["prize"]["amount"]) for w in announced["winners"]] == [
            ("KIM Ganjur", 5_000_000)
        ]

        (v2,) = await tap.wait_for("winner.announced", lambda e: e.data["edition_id"] == str(edition_id))
        assert v2.headers["version"] == 2 and v2.body["version"] == 2
        assert v2.data["category"] == {
            "code": "sinematografi",
            "title": "Sinematografi Terbaik",
            "kind": "ranked",
        }
        assert v2.data["winners"][0]["prize"]["amount"] == 5_000_000
        assert v2.data["content_hash"] == frozen["content_hash"]

        # The main ranking: v1 as before, and v2 beside it.
        await ok(await judging.post(f"/editions/{edition_id}/snapshots"), 201)
        await ok(await judging.post(f"/editions/{edition_id}/snapshots/1/verification"))
        await ok(await judging.post(f"/editions/{edition_id}/announcement"))
        seen = await tap.wait_for(
            "winner.announced", lambda e: e.data["edition_id"] == str(edition_id), count=3
        )
        by_version = sorted(seen[1:], key=lambda e: e.body["version"])
        v1, main_v2 = by_version
        assert (v1.body["version"], main_v2.body["version"]) == (1, 2)
        assert "category" not in v1.data and "prize" not in v1.data["winners"][0]
        assert main_v2.data["category"] is None
        assert main_v2.data["winners"][0]["prize"]["title"] == "Juara 1"
        assert v1.data["content_hash"] == main_v2.data["content_hash"]

        # Anyone reads the announced category, with its prizes; the list shows it to them.
        public = await ok(
            await judging.get(f"/editions/{edition_id}/results", params=in_category, headers=anonymous)
        )
        assert public["versions"] == [1] and public["winners"][0]["kim_name"] == "KIM Ganjur"
        shown = await ok(await judging.get(f"/editions/{edition_id}/categories", headers=anonymous))
        assert [(c["code"], c["announced_version"]) for c in shown] == [("sinematografi", 1)]
        unknown = await judging.get(f"/editions/{edition_id}/ranking", params={"category": "tidak-ada"})
        assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "category_not_found")


async def test_next_years_edition_copies_the_judging_setup_and_invites_the_panel_again(
    settings_for: Any, tap: EventTap, amqp_url_for: Callable[[str], str]
) -> None:
    last_year, this_year = uuid4(), uuid4()
    rubric = {
        "criteria": [
            {"criterion_id": "cerita", "name_id": "Cerita", "name_en": "Story", "weight": 40},
            {"criterion_id": "gambar", "name_id": "Gambar", "name_en": "Image", "weight": 35},
            {"criterion_id": "umkm", "name_id": "Promosi UMKM", "name_en": "UMKM promotion", "weight": 25},
        ]
    }
    async with (
        serving(create_judging(settings_for("judging")), "judging") as judging,
        OwnerPublisher(amqp_url_for) as publisher,
    ):
        await publisher.publish(
            c.EditionPublished.new(edition(last_year), producer="registry", correlation_id="t")
        )

        async def known(edition_id: UUID) -> bool:
            return (await judging.get(f"/editions/{edition_id}")).status_code == 200

        await eventually(lambda: known(last_year))
        await ok(await judging.put(f"/editions/{last_year}/rubric", json=rubric))
        options = {"normalise": True, "judging_deadline": (NOW + timedelta(days=20)).isoformat()}
        await ok(await judging.put(f"/editions/{last_year}/judging-options", json=options))
        weights = {"weights": {"gambar": 100}}
        await ok(await judging.put(f"/editions/{last_year}/categories/sinematografi/rubric", json=weights))
        for name, email in (("Rina", "rina@juri.id"), ("Dimas", "dimas@juri.id")):
            await ok(
                await judging.post(f"/editions/{last_year}/judges", json={"name": name, "email": email}), 201
            )

        copy = edition(this_year).model_copy(
            update={"title": "Lomba Video Pendek KIM 2026", "copied_from": last_year}
        )
        event = c.EditionPublished.new(copy, producer="registry", correlation_id="t")
        await publisher.publish(event)
        await publisher.publish(event)  # delivered twice: copied once
        invited = await tap.wait_for(
            "judge.appointed", lambda e: e.data["edition_id"] == str(this_year), count=2, timeout=30
        )
        assert sorted(e.data["email"] for e in invited) == ["dimas@juri.id", "rina@juri.id"]

        copied = await ok(await judging.get(f"/editions/{this_year}"))
        assert [(r["criterion_id"], r["weight"]) for r in copied["rubric"]] == [
            ("cerita", 40),
            ("gambar", 35),
            ("umkm", 25),
        ]
        assert copied["options"]["normalise"] is True and copied["options"]["judging_deadline"] is None
        assert sorted(j["name"] for j in copied["panel"]) == ["Dimas", "Rina"]
        (category,) = await ok(await judging.get(f"/editions/{this_year}/categories"))
        assert [(r["criterion_id"], r["weight"]) for r in category["rubric"]] == [
            ("cerita", 0),
            ("gambar", 100),
            ("umkm", 0),
        ]
        # A later event of the new edition, applied after the duplicate: still two judges.
        renamed = copy.model_copy(update={"title": "Lomba KIM 2026 (jadwal baru)", "revision": 2})
        await publisher.publish(c.EditionUpdated.new(renamed, producer="registry", correlation_id="t"))

        async def renamed_there() -> bool:
            return (await ok(await judging.get(f"/editions/{this_year}")))["title"] == renamed.title

        await eventually(renamed_there)
        assert len(await ok(await judging.get(f"/editions/{this_year}/judges"))) == 2
        assert len(tap.of_type("judge.appointed")) == 4  # two last year, two this year


async def test_the_registry_acknowledges_winner_announced_v2_instead_of_dead_lettering_it(
    settings_for: Any, amqp_url_for: Callable[[str], str], mongodb_url: str
) -> None:
    settings = settings_for("registry")
    edition_id = uuid4()
    placed = c.AwardedPlacing(
        rank=1,
        entry_id=uuid4(),
        entry_title="Film",
        kim_id=uuid4(),
        kim_name="KIM Ganjur",
        kelurahan=c.Region(code="gadang", name="Gadang"),
        score=90.0,
    )
    v2 = c.WinnerAnnouncedV2.new(
        c.CategoryAnnouncement(
            edition_id=edition_id,
            edition_title="Lomba",
            category=c.CategoryRef(code="sinematografi", title="Sinematografi", kind="ranked"),
            winners=[placed],
            ranking=[placed],
            tie_break=[],
            announced_at=NOW,
            version=1,
            content_hash="0" * 64,
        ),
        producer="judging",
        correlation_id="v2",
    )
    # v1 of an edition the registry does not know: recorded as processed, changing nothing.
    v1 = c.WinnerAnnounced.new(
        c.Announcement(
            edition_id=edition_id,
            edition_title="Lomba",
            winners=[],
            ranking=[],
            tie_break=[],
            announced_at=NOW,
        ),
        producer="judging",
        correlation_id="v1",
    )
    mongo = AsyncIOMotorClient(mongodb_url, uuidRepresentation="standard")
    try:
        async with (
            serving(create_registry(settings), "registry") as registry,
            OwnerPublisher(amqp_url_for) as publisher,
        ):
            await publisher.publish(v2)
            await publisher.publish(v1)
            inbox = mongo[settings.mongodb_database][INBOX]
            await eventually(lambda: inbox.find_one({"_id": v1.event_id}))
            await asyncio.sleep(1)  # a rejected v2 would be in the dead letters by now
            assert await ok(await registry.get("/dead-letters")) == []
    finally:
        mongo.close()
