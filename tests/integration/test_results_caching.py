"""The announced results are cacheable (issue 18): the whole city opens the results
link when the winners are announced. Against the real broker and MongoDB: an ETag
that a browser sends back (If-None-Match → 304, no body), Cache-Control, HEAD
answered like GET without a body, for the latest results and for each version;
a correction (a new announced version) changes the ETag, so nobody keeps the old
winners."""

from __future__ import annotations

from typing import Any

import httpx
from judging.main import create_app as create_judging
from registry.main import create_app as create_registry
from submissions.main import create_app as create_submissions

from ..support import EventTap, eventually, serving
from .flows import enrolled_kim, entry_body, ok, published_edition

SHEET = {"scores": {"tema": 90, "kreativitas": 85, "teknis": 80, "promosi_umkm": 88}}


async def _announced(
    registry: httpx.AsyncClient, submissions: httpx.AsyncClient, judging: httpx.AsyncClient, tap: EventTap
) -> tuple[str, str, str]:
    """An edition with one film scored by one judge, its results announced: (edition, entry, judge)."""
    edition = await published_edition(registry, awarded_ranks=1)
    edition_id = edition["edition_id"]
    kim = await enrolled_kim(registry, edition_id, "KIM Pasreh Jaya", "bumiayu", 1)
    await tap.wait_for("enrolment.approved")

    async def submitted() -> Any:
        response = await submissions.post(f"/editions/{edition_id}/entries", json=entry_body(kim["kim_id"]))
        return response.json() if response.status_code == 201 else None

    entry = await eventually(submitted)
    await eventually(lambda: _known(judging, edition_id))
    judge = await ok(await judging.post(f"/editions/{edition_id}/judges", json={"name": "Rina"}), 201)
    await eventually(lambda: _entries(judging, edition_id, 1))
    await ok(await registry.post(f"/editions/{edition_id}/submissions-closure"))
    await eventually(lambda: _status(judging, edition_id, "scoring"))
    sheet_url = f"/editions/{edition_id}/entries/{entry['entry_id']}/sheets/{judge['judge_id']}"
    await ok(await judging.put(sheet_url, json=SHEET))
    await eventually(lambda: _status(judging, edition_id, "completed"))
    await ok(await judging.post(f"/editions/{edition_id}/snapshots"), 201)
    await ok(await judging.post(f"/editions/{edition_id}/snapshots/1/verification"))
    await ok(await judging.post(f"/editions/{edition_id}/announcement"))
    return edition_id, entry["entry_id"], judge["judge_id"]


async def test_announced_results_answer_304_carry_cache_control_and_answer_head(
    settings_for: Any, tap: EventTap
) -> None:
    app = create_judging(settings_for("judging"))
    async with (
        serving(create_registry(settings_for("registry")), "registry") as registry,
        serving(create_submissions(settings_for("submissions")), "submissions") as submissions,
        serving(app, "judging") as staff_judging,
    ):
        edition_id, entry_id, judge_id = await _announced(registry, submissions, staff_judging, tap)
        # Anyone: the same judging, without a bearer token.
        judging = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://judging")
        latest_url = f"/editions/{edition_id}/results"
        version_url = f"/editions/{edition_id}/results/versions/1"

        for url in (latest_url, version_url):
            first = await judging.get(url)
            assert first.status_code == 200, first.text
            assert first.json()["version"] == 1
            tag = first.headers.get("ETag")
            assert tag, f"{url}: no ETag"
            control = first.headers.get("Cache-Control", "")
            assert "public" in control and "max-age=" in control, control

            again = await judging.get(url, headers={"If-None-Match": tag})
            assert again.status_code == 304, again.text
            assert again.content == b""
            assert again.headers.get("ETag") == tag
            assert "max-age=" in again.headers.get("Cache-Control", "")

            # Another validator (a stale copy) gets the whole answer again.
            stale = await judging.get(url, headers={"If-None-Match": '"not-this-one"'})
            assert stale.status_code == 200 and stale.headers.get("ETag") == tag

            head = await judging.head(url)
            assert head.status_code == 200, head.text
            assert head.content == b"" and head.headers.get("ETag") == tag

        # Refusals are not cached as results: before an announcement, a 404 by name.
        missing = await judging.get(f"/editions/{edition_id}/results/versions/2")
        assert missing.status_code == 404 and missing.json()["error"]["code"]
        assert missing.headers.get("ETag") is None

        # A correction: version 2 announced. A browser holding version 1 as the latest
        # gets version 2; version 1's page now lists both versions, so it changed too.
        before_latest = (await judging.get(latest_url)).headers["ETag"]
        before_v1 = (await judging.get(version_url)).headers["ETag"]
        sheet_url = f"/editions/{edition_id}/entries/{entry_id}/sheets/{judge_id}/correction"
        corrected = {"scores": {**SHEET["scores"], "teknis": 70}, "reason": "Salah ketik: 70, bukan 80."}
        await ok(await staff_judging.put(sheet_url, json=corrected))
        why = {"reason": "Koreksi nilai teknis (salah ketik)."}
        await ok(await staff_judging.post(f"/editions/{edition_id}/snapshots", json=why), 201)
        await ok(await staff_judging.post(f"/editions/{edition_id}/snapshots/2/verification"))
        await ok(await staff_judging.post(f"/editions/{edition_id}/announcement"))

        latest = await judging.get(latest_url, headers={"If-None-Match": before_latest})
        assert latest.status_code == 200 and latest.json()["version"] == 2
        assert latest.headers["ETag"] != before_latest
        older = await judging.get(version_url, headers={"If-None-Match": before_v1})
        assert older.status_code == 200 and older.json()["versions"] == [1, 2]
        assert older.headers["ETag"] != before_v1
        await judging.aclose()


async def _known(judging: httpx.AsyncClient, edition_id: str) -> bool:
    return (await judging.get(f"/editions/{edition_id}")).status_code == 200


async def _status(judging: httpx.AsyncClient, edition_id: str, status: str) -> bool:
    response = await judging.get(f"/editions/{edition_id}")
    return response.status_code == 200 and response.json()["status"] == status


async def _entries(judging: httpx.AsyncClient, edition_id: str, count: int) -> bool:
    return len((await judging.get(f"/editions/{edition_id}/entries")).json()) == count
