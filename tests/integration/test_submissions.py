"""Submissions against the real broker and MongoDB: entries follow the registry's
events, and every refusal names the rule it enforces."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import aio_pika
from registry.main import create_app as create_registry
from submissions.main import create_app as create_submissions

from shared.platform.messaging import SUBMISSIONS

from ..support import EventTap, eventually, serving
from .flows import enrolled_kim, entry_body, ok, published_edition


async def window_known(submissions: Any, edition_id: str) -> bool:
    return (await submissions.get(f"/editions/{edition_id}/submission-window")).status_code == 200


async def test_an_approved_kim_submits_revises_and_is_refused_by_each_rule(
    settings_for: Any, tap: EventTap
) -> None:
    async with (
        serving(create_registry(settings_for("registry")), "registry") as registry,
        serving(create_submissions(settings_for("submissions")), "submissions") as submissions,
    ):
        edition = await published_edition(registry, max_video_seconds=300, entries_per_kim=1)
        edition_id = edition["edition_id"]
        pasreh = await enrolled_kim(registry, edition_id, "KIM Pasreh Jaya", "bumiayu", 1)
        pending = await enrolled_kim(registry, edition_id, "KIM Ganjur", "polowijen", 2, approve=False)
        rejected = await enrolled_kim(registry, edition_id, "KIM Mojolangu", "mojolangu", 3, approve=False)
        await ok(
            await registry.post(
                f"/enrolments/{rejected['enrolment_id']}/rejection",
                json={"reason": "Berkas pendaftaran tidak lengkap."},
            )
        )
        await tap.wait_for("enrolment.rejected")
        await eventually(lambda: window_known(submissions, edition_id))

        async def refused(
            body: dict[str, Any], code: str, language: str = "id", containing: str = ""
        ) -> dict[str, Any]:
            """The refusal, once submissions has caught up with the registry's events."""

            async def attempt() -> Any:
                response = await submissions.post(
                    f"/editions/{edition_id}/entries", json=body, headers={"Accept-Language": language}
                )
                error = response.json().get("error", {})
                caught_up = error.get("code") == code and containing in error.get("message", "")
                return response if response.status_code == 201 or caught_up else None

            response = await eventually(attempt)
            error = response.json()["error"]
            assert (response.status_code, error["code"]) == (422, code), response.text
            return error

        error = await refused(entry_body(pending["kim_id"]), "enrolment_not_approved")
        assert "menunggu persetujuan" in error["message"]
        error = await refused(
            entry_body(rejected["kim_id"]), "enrolment_not_approved", "en", containing="Berkas pendaftaran"
        )
        assert "was rejected (reason: Berkas pendaftaran tidak lengkap.)" in error["message"]
        error = await refused(entry_body("00000000-0000-4000-8000-000000000000"), "kim_not_enrolled")
        error = await refused(
            entry_body(pasreh["kim_id"], video_url="http://youtu.be/x"), "video_link_not_https"
        )
        assert error["field"] == "video_url"
        error = await refused(
            entry_body(pasreh["kim_id"], video_url="https://vimeo.com/1"), "video_host_not_allowed", "en"
        )
        assert (
            error["message"]
            == "Videos on vimeo.com are not accepted. Upload to one of: youtube.com, youtu.be."
        )
        error = await refused(entry_body(pasreh["kim_id"], duration_seconds=301), "video_too_long")
        assert (
            error["field"] == "duration_seconds" and "301" in error["message"] and "300" in error["message"]
        )

        entry = await ok(
            await submissions.post(f"/editions/{edition_id}/entries", json=entry_body(pasreh["kim_id"])), 201
        )
        assert (entry["revision"], entry["kim_name"], entry["kelurahan"]["code"]) == (
            1,
            "KIM Pasreh Jaya",
            "bumiayu",
        )
        await refused(entry_body(pasreh["kim_id"], title="Karya kedua"), "entry_limit_reached")
        submitted = await tap.wait_for("entry.submitted")
        assert submitted[0].data["duration_seconds"] == 240

        revised = await ok(
            await submissions.patch(f"/entries/{entry['entry_id']}", json={"duration_seconds": 280})
        )
        assert revised["revision"] == 2
        events = await tap.wait_for("entry.revised")
        assert events[0].data["duration_seconds"] == 280 and events[0].data["revision"] == 2
        assert [e.data["entry_id"] for e in tap.of_type("entry.submitted")] == [entry["entry_id"]]

        # After staff close submissions, a late revision is refused.
        await ok(await registry.post(f"/editions/{edition_id}/submissions-closure"))
        await tap.wait_for("edition.submissions_closed")

        async def closed() -> bool:
            response = await submissions.get(f"/editions/{edition_id}/submission-window")
            return response.json()["closed_at"] is not None

        await eventually(closed)
        late = await submissions.patch(f"/entries/{entry['entry_id']}", json={"title": "Judul baru"})
        assert (late.status_code, late.json()["error"]["code"]) == (422, "submission_window_closed")

        disqualified = await ok(
            await submissions.post(
                f"/entries/{entry['entry_id']}/disqualification", json={"reason": "Musik latar tanpa izin."}
            )
        )
        assert disqualified["status"] == "disqualified"
        assert (await tap.wait_for("entry.disqualified"))[0].data[
            "disqualification_reason"
        ] == "Musik latar tanpa izin."


async def test_the_duration_is_optional_and_published_as_0_until_known(
    settings_for: Any, tap: EventTap
) -> None:
    async with (
        serving(create_registry(settings_for("registry")), "registry") as registry,
        serving(create_submissions(settings_for("submissions")), "submissions") as submissions,
    ):
        edition = await published_edition(registry)
        edition_id = edition["edition_id"]
        kim = await enrolled_kim(registry, edition_id, "KIM Ganjur", "polowijen", 6)
        await tap.wait_for("enrolment.approved")
        await eventually(lambda: window_known(submissions, edition_id))
        body = entry_body(kim["kim_id"])
        del body["duration_seconds"]

        async def attempt() -> Any:
            response = await submissions.post(f"/editions/{edition_id}/entries", json=body)
            return response if response.status_code == 201 else None

        entry = (await eventually(attempt)).json()
        assert entry["duration_seconds"] is None
        submitted = await tap.wait_for("entry.submitted")
        assert submitted[0].data["duration_seconds"] == 0, "v1 keeps its int: 0 while not known"
        revised = await ok(await submissions.patch(f"/entries/{entry['entry_id']}", json={"title": "Judul"}))
        assert (revised["revision"], revised["duration_seconds"]) == (2, None)


async def test_too_early(settings_for: Any, tap: EventTap) -> None:
    async with (
        serving(create_registry(settings_for("registry")), "registry") as registry,
        serving(create_submissions(settings_for("submissions")), "submissions") as submissions,
    ):
        opens = datetime.now(UTC) + timedelta(days=1)
        edition = await published_edition(registry, opens=opens, closes=opens + timedelta(days=7))
        kim = await enrolled_kim(registry, edition["edition_id"], "KIM Ganjur", "polowijen", 5)
        await tap.wait_for("enrolment.approved")
        await eventually(lambda: window_known(submissions, edition["edition_id"]))

        async def attempt() -> Any:
            response = await submissions.post(
                f"/editions/{edition['edition_id']}/entries", json=entry_body(kim["kim_id"])
            )
            return response if response.json().get("error", {}).get("code") != "kim_not_enrolled" else None

        response = await eventually(attempt)
        assert (response.status_code, response.json()["error"]["code"]) == (422, "submission_window_not_open")


async def test_a_malformed_message_is_dead_lettered_kept_for_staff_and_requeued(
    settings_for: Any, amqp_url_for: Callable[[str], str], tap: EventTap
) -> None:
    async with (
        serving(create_registry(settings_for("registry")), "registry") as registry,
        serving(create_submissions(settings_for("submissions")), "submissions") as submissions,
    ):
        # As the registry's own broker user, the owner of edition.published.
        connection = await aio_pika.connect(amqp_url_for("registry"))
        async with connection:
            channel = await connection.channel()
            exchange = await channel.get_exchange("kim.events")
            await exchange.publish(
                aio_pika.Message(
                    b'{"event_id": "not-a-uuid", "type": "edition.published", "data": {}}',
                    content_type="application/json",
                    type="edition.published",
                    message_id="poison-1",
                    correlation_id="poison-correlation",
                    headers={"version": 1},
                    user_id="registry",
                ),
                routing_key="edition.published",
            )
        edition = await published_edition(registry)
        await eventually(lambda: window_known(submissions, edition["edition_id"]))

        # Staff are told, and find it in the service's dead letters with its body.
        told = await tap.wait_for("message.dead_lettered")
        assert (told[0].data["service"], told[0].data["message_id"], told[0].data["reason"]) == (
            "submissions",
            "poison-1",
            "rejected",
        )
        assert told[0].correlation_id == "poison-correlation"
        listed = (await submissions.get("/dead-letters")).json()
        assert [(d["message_id"], d["event_type"], d["queue"]) for d in listed] == [
            ("poison-1", "edition.published", SUBMISSIONS.name)
        ]
        dead_letter_id = listed[0]["dead_letter_id"]
        shown = (await submissions.get(f"/dead-letters/{dead_letter_id}")).json()
        assert json.loads(shown["body"])["event_id"] == "not-a-uuid" and shown["headers"] == {"version": 1}

        # Requeued, it goes back to its queue as it was; still malformed, it is set aside again.
        requeued = await submissions.post(f"/dead-letters/{dead_letter_id}/requeue")
        assert requeued.status_code == 200 and len(requeued.json()["requeued_at"]) == 1
        again = await tap.wait_for("message.dead_lettered", count=2)
        assert again[1].data["message_id"] == "poison-1"
        unknown = await submissions.post("/dead-letters/00000000-0000-4000-8000-000000000000/requeue")
        assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "dead_letter_not_found")
