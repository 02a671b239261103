"""Rebuilding a consumer's projections from the producer's stored events."""

from __future__ import annotations

from typing import Any

from registry.main import create_app as create_registry
from submissions.main import create_app as create_submissions

from ..support import EventTap, eventually, serving
from .flows import enrolled_kim, entry_body, ok, published_edition


async def test_submissions_rebuilds_editions_and_enrolments_from_the_registrys_events(
    settings_for: Any, tap: EventTap
) -> None:
    async with (
        serving(create_registry(settings_for("registry")), "registry") as registry,
        serving(create_submissions(settings_for("submissions")), "submissions") as submissions,
    ):
        edition = await published_edition(registry, entries_per_kim=1)
        window_path = f"/editions/{edition['edition_id']}/submission-window"
        kim = await enrolled_kim(registry, edition["edition_id"], "KIM Pasreh Jaya", "bumiayu", 1)

        async def submitted() -> Any:
            response = await submissions.post(
                f"/editions/{edition['edition_id']}/entries", json=entry_body(kim["kim_id"])
            )
            return response if response.status_code == 201 else None

        await eventually(submitted)
        window_before = await ok(await submissions.get(window_path))

        info = await ok(await submissions.get("/projections"))
        assert info["queue"] == "submissions.events" and info["collections"] == [
            "editions",
            "enrolments",
            "kims",
        ]
        reset = await ok(await submissions.post("/projections/reset"))
        # One edition, one enrolment and one KIM's contact; edition.published,
        # enrolment.requested and .approved, kim.registered and .verified.
        assert (reset["documents_removed"], reset["events_forgotten"]) == (3, 5)
        gone = await submissions.get(window_path)
        assert (gone.status_code, gone.json()["error"]["code"]) == (404, "edition_not_found")

        replayed = await ok(
            await registry.post(
                "/outbox/replay", json={"queue": info["queue"], "event_types": info["event_types"]}
            )
        )
        # edition.published, enrolment.requested, enrolment.approved, kim.registered, kim.verified.
        assert replayed == {"queue": "submissions.events", "replayed": 5}

        async def window_back() -> Any:
            response = await submissions.get(window_path)
            return response.json() if response.status_code == 200 else None

        assert await eventually(window_back) == window_before
        second = await eventually(
            lambda: _refusal(submissions, edition["edition_id"], kim["kim_id"], "entry_limit_reached")
        )
        assert "1" in second["message"], "the rebuilt enrolment still counts the entry made before"
        assert len(tap.of_type("entry.submitted")) == 1

        unknown = await registry.post("/outbox/replay", json={"queue": "nobody.events"})
        assert (unknown.status_code, unknown.json()["error"]["code"]) == (422, "unknown_queue")


async def _refusal(submissions: Any, edition_id: str, kim_id: str, code: str) -> dict[str, Any] | None:
    response = await submissions.post(
        f"/editions/{edition_id}/entries", json=entry_body(kim_id, title="Karya kedua")
    )
    error = response.json().get("error", {})
    return error if error.get("code") == code else None
