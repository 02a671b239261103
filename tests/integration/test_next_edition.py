"""Issue 17: an edition's categories and prizes, entries entered for its categories, and
next year's edition copied from the 2024 one, against the real broker and MongoDB."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from registry.main import create_app as create_registry
from submissions.main import create_app as create_submissions

from devstack.malang_2024 import CATEGORIES, PRIZES, TITLE
from shared import contracts as c
from shared.contracts.judging import AwardedPlacing, CategoryAnnouncement, CategoryRef, WinnerAnnouncedV2

from ..support import EventTap, eventually, serving
from .flows import edition_body, enrolled_kim, entry_body, kim_body, ok


def edition_2024(opens: datetime) -> dict[str, Any]:
    return {
        **edition_body(opens=opens, closes=opens + timedelta(days=30)),
        "title": TITLE,
        "prizes": list(PRIZES),
        "categories": list(CATEGORIES),
    }


async def test_the_2024_edition_is_copied_into_2025_and_the_copy_names_its_source(
    settings_for: Any, tap: EventTap
) -> None:
    async with serving(create_registry(settings_for("registry")), "registry") as registry:
        opens = datetime.now(UTC) - timedelta(minutes=5)
        source = await ok(await registry.post("/editions", json=edition_2024(opens)), 201)
        source_id = source["edition_id"]
        assert [c["code"] for c in source["categories"]] == [c["code"] for c in CATEGORIES]
        assert source["prizes"][0]["amount"] == 7_500_000
        await ok(await registry.post(f"/editions/{source_id}/publication"))
        published = await tap.wait_for("edition.published", lambda e: e.data["edition_id"] == source_id)
        assert published[0].data["categories"][3]["kind"] == "favourite"
        assert published[0].data["copied_from"] is None
        await enrolled_kim(registry, source_id, "KIM Pasreh Jaya", "bumiayu", 1)

        # Next year: the opening a year on, the closing moved with it, the title's year too.
        next_opening = opens + timedelta(days=365)
        key = {"Idempotency-Key": "salin-2024-ke-2025"}
        body = {"submission_opens_at": next_opening.isoformat()}
        copy = await ok(await registry.post(f"/editions/{source_id}/copies", json=body, headers=key), 201)
        again = await registry.post(f"/editions/{source_id}/copies", json=body, headers=key)
        assert again.status_code == 201 and again.json() == copy  # a retry, not a second copy
        copy_id = copy["edition_id"]
        assert (copy["status"], copy["copied_from"]) == ("draft", source_id)
        assert copy["title"] == "Lomba Video Pendek KIM 2025"
        assert datetime.fromisoformat(copy["submission_closes_at"]) == next_opening + timedelta(days=30)
        for same in ("theme", "description", "rules", "awarded_ranks", "prizes", "categories"):
            assert copy[same] == source[same], same
        editions = await ok(await registry.get("/editions"))
        assert sorted(e["edition_id"] for e in editions) == sorted([source_id, copy_id])
        assert await ok(await registry.get(f"/editions/{copy_id}/enrolments")) == []  # none carried over

        await ok(await registry.post(f"/editions/{copy_id}/publication"))
        copied = await tap.wait_for("edition.published", lambda e: e.data["edition_id"] == copy_id)
        assert copied[0].data["copied_from"] == source_id
        assert copied[0].data["categories"] == published[0].data["categories"]
        assert copied[0].data["prizes"][0]["amount"] == 7_500_000
        await ok(await registry.patch(f"/editions/{copy_id}", json={"theme": "UMKM dan wisata kampung"}))
        updated = await tap.wait_for("edition.updated", lambda e: e.data["edition_id"] == copy_id)
        assert updated[0].data["copied_from"] == source_id

        # Refusals by name.
        unknown = await registry.post("/editions/00000000-0000-4000-8000-000000000000/copies", json=body)
        assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "edition_not_found")
        past = {"submission_opens_at": (opens - timedelta(days=1)).isoformat()}
        in_past = await registry.post(f"/editions/{source_id}/copies", json=past)
        assert (in_past.status_code, in_past.json()["error"]["code"]) == (422, "window_in_past")
        backwards = {**body, "submission_closes_at": (next_opening - timedelta(days=1)).isoformat()}
        refused = await registry.post(
            f"/editions/{source_id}/copies", json=backwards, headers={"Accept-Language": "en"}
        )
        assert refused.json()["error"]["code"] == "submission_window_invalid"
        assert "must come after" in refused.json()["error"]["message"]
        assert len(await ok(await registry.get("/editions"))) == 2


async def test_inconsistent_categories_are_refused_by_name(settings_for: Any) -> None:
    async with serving(create_registry(settings_for("registry")), "registry") as registry:
        opens = datetime.now(UTC)
        special = {**CATEGORIES[2], "awarded_ranks": 2}
        cases = {
            "category_code_taken": [CATEGORIES[0], CATEGORIES[0]],
            "special_award_one_place": [special],
            "favourite_category_twice": [CATEGORIES[3], {**CATEGORIES[3], "code": "favorit-lain"}],
            "prize_rank_not_awarded": [{**CATEGORIES[0], "prizes": [{"rank": 2, "title": "Juara 2"}]}],
        }
        for code, categories in cases.items():
            response = await registry.post(
                "/editions", json={**edition_2024(opens), "categories": categories}
            )
            assert (response.status_code, response.json()["error"]["code"]) == (422, code), response.text
            assert response.json()["error"]["field"].startswith("categories.")
        twice = [{"rank": 1, "title": "Juara 1"}, {"rank": 1, "title": "Juara 1 juga"}]
        response = await registry.post("/editions", json={**edition_2024(opens), "prizes": twice})
        assert response.json()["error"]["code"] == "prize_rank_twice"
        assert await ok(await registry.get("/editions")) == []


async def test_an_entry_is_entered_for_the_editions_ranked_categories(
    settings_for: Any, tap: EventTap
) -> None:
    async with (
        serving(create_registry(settings_for("registry")), "registry") as registry,
        serving(create_submissions(settings_for("submissions")), "submissions") as submissions,
    ):
        edition = await ok(
            await registry.post("/editions", json=edition_2024(datetime.now(UTC) - timedelta(minutes=5))), 201
        )
        edition_id = edition["edition_id"]
        await ok(await registry.post(f"/editions/{edition_id}/publication"))
        kim = await enrolled_kim(registry, edition_id, "KIM Pasreh Jaya", "bumiayu", 1)
        await tap.wait_for("enrolment.approved")

        async def answered(body: dict[str, Any]) -> Any:
            response = await submissions.post(f"/editions/{edition_id}/entries", json=body)
            code = response.json().get("error", {}).get("code")
            waiting = code in {"edition_not_found", "kim_not_enrolled", "enrolment_not_approved"}
            return None if waiting else response

        unknown = await eventually(lambda: answered(entry_body(kim["kim_id"], categories=["animasi"])))
        assert (unknown.status_code, unknown.json()["error"]["code"]) == (422, "category_unknown")
        assert "animasi" in unknown.json()["error"]["message"]
        special = await answered(entry_body(kim["kim_id"], categories=["penghargaan-juri"]))
        assert special.json()["error"]["code"] == "category_not_enterable"

        entered = await answered(entry_body(kim["kim_id"], categories=["sinematografi", "promosi-umkm"]))
        assert entered.status_code == 201, entered.text
        entry = entered.json()
        assert entry["categories"] == ["sinematografi", "promosi-umkm"]
        submitted = await tap.wait_for("entry.submitted")
        assert submitted[0].data["categories"] == ["sinematografi", "promosi-umkm"]
        window = await ok(await submissions.get(f"/editions/{edition_id}/submission-window"))
        assert [c["kind"] for c in window["categories"]] == ["ranked", "ranked", "special", "favourite"]

        revised = await ok(await submissions.patch(f"/entries/{entry['entry_id']}", json={"categories": []}))
        assert revised["categories"] == []
        revision = await tap.wait_for("entry.revised")
        assert revision[0].data["categories"] == []


async def test_a_category_announced_by_winner_announced_v2_becomes_an_achievement_not_a_dead_letter(
    settings_for: Any, amqp_url_for: Callable[[str], str], tap: EventTap
) -> None:
    from .test_kim_profile import competition_achievements, deliver

    async with serving(create_registry(settings_for("registry")), "registry") as registry:
        kim = await ok(await registry.post("/kims", json=kim_body("KIM Pasreh Jaya", "bumiayu", 1)), 201)
        edition = await ok(await registry.post("/editions", json=edition_2024(datetime.now(UTC))), 201)
        placing = AwardedPlacing(
            rank=1,
            entry_id=uuid4(),
            entry_title="Wajah-Wajah dari Bumiayu",
            kim_id=UUID(kim["kim_id"]),
            kim_name=kim["name"],
            kelurahan=c.Region(**kim["kelurahan"]),
            score=91.5,
            prize=c.Prize(rank=1, title="Sinematografi Terbaik", reward="Rp2.000.000 dan piagam"),
        )
        event = WinnerAnnouncedV2.new(
            CategoryAnnouncement(
                edition_id=UUID(edition["edition_id"]),
                edition_title=edition["title"],
                category=CategoryRef(code="sinematografi", title="Sinematografi Terbaik", kind="ranked"),
                winners=[placing],
                ranking=[placing],
                tie_break=["highest_total"],
                announced_at=datetime(2024, 11, 20, 9, tzinfo=UTC),
                version=1,
                content_hash="0" * 64,
            ),
            producer="judging",
            correlation_id="announce-sinematografi",
        )
        await deliver(amqp_url_for, event, times=2)  # type: ignore[arg-type]
        expected = [(f"Juara 1 Sinematografi Terbaik, {TITLE}", "Rp2.000.000 dan piagam")]
        assert (
            await eventually(lambda: _when(competition_achievements(registry, kim["kim_id"]), expected))
            == expected
        )
        await tap.wait_for("kim.updated")
        assert tap.of_type("message.dead_lettered") == []


async def _when(found: Any, expected: Any) -> Any:
    value = await found
    return value if value == expected else None
