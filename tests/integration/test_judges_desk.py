"""A judge's desk through the real broker and database: judging keeps the film
of each entry (rebuildable by a replay of submissions' events), a judge finds
their panels and entries without knowing an id, and a sheet keeps its comment
and note and refuses a stale revision."""

from __future__ import annotations

from typing import Any

from judging.main import create_app as create_judging
from registry.main import create_app as create_registry
from submissions.main import create_app as create_submissions

from ..support import eventually, judge_bearer, serving
from .flows import enrolled_kim, entry_body, ok, published_edition

SCORES = {"tema": 80, "kreativitas": 70, "teknis": 90, "promosi_umkm": 60}


async def test_a_judge_finds_their_desk_scores_and_the_films_survive_a_rebuild(settings_for: Any) -> None:
    async with (
        serving(create_registry(settings_for("registry")), "registry") as registry,
        serving(create_submissions(settings_for("submissions")), "submissions") as submissions,
        serving(create_judging(settings_for("judging")), "judging") as judging,
    ):
        edition = await published_edition(registry, entries_per_kim=1)
        e = edition["edition_id"]
        kims = [
            await enrolled_kim(registry, e, "KIM Pasreh Jaya", "bumiayu", 1),
            await enrolled_kim(registry, e, "KIM Ganjur", "gadang", 2),
        ]

        async def submitted(kim: dict[str, Any], **body: Any) -> Any:
            response = await submissions.post(
                f"/editions/{e}/entries", json=entry_body(kim["kim_id"], **body)
            )
            return response.json() if response.status_code == 201 else None

        pasreh = await eventually(lambda: submitted(kims[0]))
        ganjur = await eventually(
            lambda: submitted(
                kims[1], title="Kopi Ganjur", video_url="https://www.youtube.com/watch?v=ganjur2024"
            )
        )
        await eventually(lambda: _entries(judging, e, 2), timeout=20)
        ayu = await ok(
            await judging.post(
                f"/editions/{e}/judges",
                json={"name": "Ayu", "email": "Ayu@Juri.id", "affiliations": {"kelurahan_codes": ["gadang"]}},
            ),
            201,
        )
        await ok(await judging.put(f"/editions/{e}/judging-options", json={"blind": True}))
        await ok(await registry.post(f"/editions/{e}/submissions-closure"))
        ayu_headers = judge_bearer("ayu@juri.id")

        async def seats() -> Any:
            found = await ok(await judging.get("/me/editions", headers=ayu_headers))
            return found if found and found[0]["status"] == "scoring" else None

        (seat,) = await eventually(seats, timeout=20)
        assert (seat["judge_id"], seat["assigned"], seat["scored"], seat["blind"]) == (
            ayu["judge_id"],
            1,
            0,
            True,
        ), "the entry from the kelurahan Ayu declared is not hers"
        assert [c["criterion_id"] for c in seat["rubric"]] == list(SCORES)

        desk = await ok(await judging.get(f"/me/editions/{e}/entries", headers=ayu_headers))
        (mine,) = desk["entries"]
        film = mine["entry"]
        assert film["entry_id"] == pasreh["entry_id"] and ganjur["entry_id"] not in str(desk)
        assert (film["video_url"], film["duration_seconds"], film["umkm_featured"]) == (
            "https://youtu.be/pasreh2024",
            240,
            ["Sanggar Topeng Pasreh"],
        )
        assert film["kim_name"] is None and "Pasreh Jaya" not in str(desk) and "Bumiayu" not in str(desk)

        sheet_path = f"/editions/{e}/entries/{pasreh['entry_id']}/sheets/{ayu['judge_id']}"
        body = {"scores": SCORES, "comment": "Gambar kuat.", "note": "Audio agak pecah.", "revision": 0}
        first = await ok(await judging.put(sheet_path, json=body, headers=ayu_headers))
        assert (first["comment"], first["note"], first["revision"]) == (
            "Gambar kuat.",
            "Audio agak pecah.",
            1,
        )
        stale = await judging.put(
            sheet_path,
            json={**body, "scores": {**SCORES, "tema": 10}},
            headers={**ayu_headers, "Accept-Language": "en"},
        )
        assert (stale.status_code, stale.json()["error"]["code"]) == (409, "sheet_stale")
        assert "another tab" in stale.json()["error"]["message"]
        second = await ok(
            await judging.put(
                sheet_path, json={**body, "revision": 1, "comment": "Kuat."}, headers=ayu_headers
            )
        )
        assert (second["scores"], second["comment"], second["revision"]) == (SCORES, "Kuat.", 2)
        out_of_range = await judging.put(
            sheet_path, json={"scores": {**SCORES, "tema": 101}}, headers=ayu_headers
        )
        assert out_of_range.status_code == 422
        seat = (await ok(await judging.get("/me/editions", headers=ayu_headers)))[0]
        assert (seat["assigned"], seat["scored"]) == (1, 1)

        # Rebuild judging's entries from submissions' stored events.
        info = await ok(await judging.get("/projections"))
        assert info["collections"] == ["entries"]
        reset = await ok(await judging.post("/projections/reset"))
        assert reset["documents_removed"] == 2
        assert (await ok(await judging.get(f"/me/editions/{e}/entries", headers=ayu_headers)))[
            "entries"
        ] == []
        request = {"queue": info["queue"], "event_types": info["event_types"]}
        for producer in (registry, submissions):
            await ok(await producer.post("/outbox/replay", json=request))

        async def rebuilt() -> Any:
            found = await ok(await judging.get(f"/me/editions/{e}/entries", headers=ayu_headers))
            return found if found["entries"] else None

        again = await eventually(rebuilt, timeout=20)
        assert again["entries"][0]["entry"] == film
        assert again["entries"][0]["sheet"]["scores"] == SCORES
        listed = {x["entry_id"]: x for x in await ok(await judging.get(f"/editions/{e}/entries"))}
        assert listed[pasreh["entry_id"]]["sheets"] == 1, "who scored it is taken again from the sheets"
        assert listed[ganjur["entry_id"]]["sheets"] == 0


async def _entries(judging: Any, edition_id: str, count: int) -> bool:
    response = await judging.get(f"/editions/{edition_id}/entries")
    return response.status_code == 200 and len(response.json()) == count
