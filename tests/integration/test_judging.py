"""Judging against the real broker and MongoDB: the panel scores a closed
edition, judging completes by itself, the ranking follows the declared rules,
and every refusal names its rule."""

from __future__ import annotations

from typing import Any

import httpx
from judging.main import create_app as create_judging
from registry.main import create_app as create_registry
from submissions.main import create_app as create_submissions

from ..support import EventTap, eventually, serving
from .flows import enrolled_kim, entry_body, ok, published_edition

ALL_90 = {"tema": 90, "kreativitas": 90, "teknis": 90, "promosi_umkm": 90}


def sheet(tema: int, kreativitas: int, teknis: int, promosi_umkm: int) -> dict[str, Any]:
    return {
        "scores": {"tema": tema, "kreativitas": kreativitas, "teknis": teknis, "promosi_umkm": promosi_umkm}
    }


async def refused(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    body = response.json()
    assert (response.status_code, body["error"]["code"]) == (status, code), response.text
    return body["error"]


async def test_a_panel_scores_an_edition_and_the_winners_are_announced(
    settings_for: Any, tap: EventTap
) -> None:
    async with (
        serving(create_registry(settings_for("registry")), "registry") as registry,
        serving(create_submissions(settings_for("submissions")), "submissions") as submissions,
        serving(create_judging(settings_for("judging")), "judging") as judging,
    ):
        edition = await published_edition(registry, awarded_ranks=2)
        edition_id = edition["edition_id"]
        kims = [
            await enrolled_kim(registry, edition_id, "KIM Pasreh Jaya", "bumiayu", 1),
            await enrolled_kim(registry, edition_id, "KIM Ganjur", "polowijen", 2),
            await enrolled_kim(registry, edition_id, "KIM Mojolangu", "mojolangu", 3),
        ]
        await tap.wait_for("enrolment.approved", count=3)

        async def submit(kim: dict[str, Any], title: str) -> dict[str, Any]:
            async def attempt() -> Any:
                response = await submissions.post(
                    f"/editions/{edition_id}/entries", json=entry_body(kim["kim_id"], title=title)
                )
                return response.json() if response.status_code == 201 else None

            return await eventually(attempt)

        pasreh = await submit(kims[0], "Topeng Malangan")
        ganjur = await submit(kims[1], "Keripik Tempe Ganjur")
        mojolangu = await submit(kims[2], "Kopi Mojolangu")

        await eventually(lambda: _known(judging, edition_id))
        rina = await ok(
            await judging.post(f"/editions/{edition_id}/judges", json={"name": "Rina (YouTuber)"}), 201
        )
        dimas = await ok(
            await judging.post(
                f"/editions/{edition_id}/judges",
                json={"name": "Dimas (sutradara)", "affiliations": {"kelurahan_codes": ["mojolangu"]}},
            ),
            201,
        )
        await tap.wait_for("judge.appointed", count=2)
        await eventually(lambda: _entries_known(judging, edition_id, 3))

        url = f"/editions/{edition_id}/entries/{pasreh['entry_id']}/sheets/{rina['judge_id']}"
        await refused(await judging.put(url, json={"scores": ALL_90}), 422, "judging_not_open")

        await ok(await registry.post(f"/editions/{edition_id}/submissions-closure"))
        await tap.wait_for("edition.submissions_closed")
        await eventually(lambda: _status(judging, edition_id, "scoring"))

        stranger = "00000000-0000-4000-8000-000000000001"
        await refused(
            await judging.put(
                f"/editions/{edition_id}/entries/{pasreh['entry_id']}/sheets/{stranger}",
                json={"scores": ALL_90},
            ),
            422,
            "judge_not_on_panel",
        )
        error = await refused(
            await judging.put(url, json={"scores": {"tema": 90, "kreativitas": 90, "teknis": 90}}),
            422,
            "scores_do_not_match_rubric",
        )
        assert "promosi_umkm" in error["message"]
        error = await refused(
            await judging.put(url, json={"scores": {**ALL_90, "tema": 101}}), 422, "invalid_request"
        )
        assert error["field"] == "scores.tema"
        conflicted = f"/editions/{edition_id}/entries/{mojolangu['entry_id']}/sheets/{dimas['judge_id']}"
        error = await refused(
            await judging.put(conflicted, json={"scores": ALL_90}), 422, "judge_conflict_of_interest"
        )
        assert "Mojolangu" in error["message"]
        assert (
            len(await ok(await judging.get(f"/editions/{edition_id}/judges/{dimas['judge_id']}/assignments")))
            == 2
        )

        # Weighted totals by hand (weights: tema 30, kreativitas 25, teknis 20, promosi_umkm 25).
        plan = {
            (pasreh["entry_id"], rina["judge_id"]): sheet(90, 85, 90, 88),  # 27 + 21.25 + 18 + 22 = 88.25
            (pasreh["entry_id"], dimas["judge_id"]): sheet(92, 90, 80, 90),  # 27.6 + 22.5 + 16 + 22.5 = 88.6
            (ganjur["entry_id"], rina["judge_id"]): sheet(80, 80, 80, 80),  # 80
            (ganjur["entry_id"], dimas["judge_id"]): sheet(85, 75, 90, 80),  # 25.5 + 18.75 + 18 + 20 = 82.25
            (mojolangu["entry_id"], rina["judge_id"]): sheet(
                80, 85, 70, 90
            ),  # 24 + 21.25 + 14 + 22.5 = 81.75
        }
        for position, ((entry_id, judge_id), body) in enumerate(plan.items()):
            recorded = await ok(
                await judging.put(f"/editions/{edition_id}/entries/{entry_id}/sheets/{judge_id}", json=body)
            )
            assert recorded["revision"] == 1
            if position == 0:
                revised = await ok(
                    await judging.put(
                        f"/editions/{edition_id}/entries/{entry_id}/sheets/{judge_id}", json=body
                    )
                )
                assert revised["revision"] == 1, "an identical sheet is not a revision"

        completed = await tap.wait_for("judging.completed")
        assert completed[0].data["entries"] == 3 and completed[0].data["sheets"] == 5
        await refused(await judging.put(url, json={"scores": ALL_90}), 409, "judging_completed")
        # Sheets and the edition are different aggregates: no order between their events.
        assert len(await tap.wait_for("score.recorded", count=5)) == 5

        await refused(await judging.get(f"/editions/{edition_id}/results"), 404, "results_not_announced")
        ranking = await ok(await judging.get(f"/editions/{edition_id}/ranking"))
        # Pasreh (88.25 + 88.6) / 2 = 88.425 -> 88.43; Ganjur (80 + 82.25) / 2 = 81.125 -> 81.13;
        # Mojolangu 81.75 (Rina only: Dimas declared a conflict).
        assert [(p["kim_name"], p["score"], p["judges"]) for p in ranking["ranking"]] == [
            ("KIM Pasreh Jaya", 88.43, 2),
            ("KIM Mojolangu", 81.75, 1),
            ("KIM Ganjur", 81.13, 2),
        ]

        await refused(await judging.post(f"/editions/{edition_id}/announcement"), 409, "nothing_frozen")
        frozen = await ok(await judging.post(f"/editions/{edition_id}/snapshots"), 201)
        assert frozen["content_hash"] == ranking["content_hash"] and frozen["version"] == 1
        await refused(
            await judging.post(f"/editions/{edition_id}/announcement"), 409, "snapshot_not_verified"
        )
        verified = await ok(await judging.post(f"/editions/{edition_id}/snapshots/1/verification"))
        assert verified["verified"] and verified["recomputed_hash"] == frozen["content_hash"]
        results = await ok(await judging.post(f"/editions/{edition_id}/announcement"))
        assert [w["kim_name"] for w in results["winners"]] == ["KIM Pasreh Jaya", "KIM Mojolangu"]
        await refused(await judging.post(f"/editions/{edition_id}/announcement"), 409, "already_announced")
        public = await ok(await judging.get(f"/editions/{edition_id}/results"))
        assert public["winners"] == results["winners"] and "judges" not in public["ranking"][0]
        announced = await tap.wait_for("winner.announced", lambda e: e.body["version"] == 1)
        assert [w["rank"] for w in announced[0].data["winners"]] == [1, 2]
        assert (announced[0].data["version"], announced[0].data["content_hash"]) == (
            1,
            frozen["content_hash"],
        )
        assert announced[0].data["winners"][0]["kelurahan"]["name"] == "Bumiayu"


async def _known(judging: httpx.AsyncClient, edition_id: str) -> bool:
    return (await judging.get(f"/editions/{edition_id}")).status_code == 200


async def _entries_known(judging: httpx.AsyncClient, edition_id: str, count: int) -> bool:
    return len((await judging.get(f"/editions/{edition_id}/entries")).json()) == count


async def _status(judging: httpx.AsyncClient, edition_id: str, status: str) -> bool:
    return (await judging.get(f"/editions/{edition_id}")).json()["status"] == status
