"""The background film check against the real broker and MongoDB, with a local
fake video host (tests/fake_video_host.py) standing in for YouTube: a KIM
submits without typing the film's length, and the entry shows the real one."""

from __future__ import annotations

from functools import partial
from typing import Any

from registry.main import create_app as create_registry
from submissions.main import create_app as create_submissions

from ..fake_video_host import Answer, FakeVideoHost, youtube_routes
from ..support import EventTap, eventually, serving
from .flows import enrolled_kim, entry_body, ok, published_edition


def film_check_settings(host: FakeVideoHost) -> dict[str, Any]:
    return {
        "film_check_enabled": True,
        "film_check_youtube_oembed_url": f"{host.url}/oembed",
        "film_check_youtube_watch_url": f"{host.url}/watch",
        "film_check_vimeo_oembed_url": f"{host.url}/api/oembed.json",
        # The fake host listens on 127.0.0.1.
        "film_check_allow_private_addresses": True,
        "film_check_poll_seconds": 0.2,
        "film_check_backoff_seconds": 0.2,
        "film_check_max_attempts": 2,
    }


def without_duration(kim_id: str, video_url: str) -> dict[str, Any]:
    body = entry_body(kim_id, video_url=video_url)
    del body["duration_seconds"]
    return body


async def test_the_films_length_is_looked_up_and_what_fails_is_listed_for_staff(
    settings_for: Any, tap: EventTap
) -> None:
    routes = youtube_routes(
        {"pasreh2024": "youtube_oembed_pasreh.json", "brantas001": "youtube_oembed_brantas.json"},
        {"pasreh2024": "youtube_watch_pasreh.html", "brantas001": "youtube_watch_long.html"},
    )
    async with (
        FakeVideoHost(routes) as host,
        serving(create_registry(settings_for("registry")), "registry") as registry,
        serving(
            create_submissions(settings_for("submissions", **film_check_settings(host))), "submissions"
        ) as submissions,
    ):
        edition = await published_edition(registry, max_video_seconds=300)
        edition_id = edition["edition_id"]
        kims = [
            await enrolled_kim(registry, edition_id, name, kelurahan, number)
            for number, (name, kelurahan) in enumerate(
                [("KIM Pasreh Jaya", "bumiayu"), ("KIM Ganjur", "polowijen"), ("KIM Mojolangu", "mojolangu")],
                start=11,
            )
        ]
        await tap.wait_for("enrolment.approved", count=3)
        links = [
            "https://youtu.be/pasreh2024",
            "https://www.youtube.com/watch?v=brantas001",
            "https://youtu.be/gone0000404",
        ]

        async def submit(kim: dict[str, Any], link: str) -> Any:
            response = await submissions.post(
                f"/editions/{edition_id}/entries", json=without_duration(kim["kim_id"], link)
            )
            return response.json() if response.status_code == 201 else None

        entries = [
            await eventually(partial(submit, kim, link)) for kim, link in zip(kims, links, strict=True)
        ]
        assert [e["film_check"]["status"] for e in entries] == ["pending"] * 3
        assert [e["duration_seconds"] for e in entries] == [None] * 3

        checked = await tap.wait_for("entry.film_checked", count=3)
        by_entry = {e.data["entry_id"]: e.data for e in checked}
        fine, long, gone = (by_entry[e["entry_id"]] for e in entries)
        assert (fine["status"], fine["duration_seconds"], fine["revision"]) == ("ok", 253, 2)
        assert fine["host_title"] == "Topeng Malangan dari Tangan-Tangan Istimewa | KIM Pasreh Jaya"
        assert (long["status"], long["reason"], long["duration_seconds"]) == (
            "needs_review",
            "too_long",
            3725,
        )
        assert (gone["status"], gone["reason"], gone["reachable"]) == ("needs_review", "unreachable", False)
        # The KIM is named to be told (by notifications) when its film needs review, and only then.
        assert (fine["kim_email"], long["kim_email"], gone["kim_email"]) == (
            None,
            "kim12@example.id",
            "kim13@example.id",
        )

        shown = await ok(await submissions.get(f"/entries/{entries[0]['entry_id']}"))
        assert (shown["duration_seconds"], shown["film_check"]["status"], shown["revision"]) == (253, "ok", 2)
        assert shown["film_check"]["checked_at"] is not None
        review = await ok(
            await submissions.get(f"/editions/{edition_id}/entries", params={"film_check": "needs_review"})
        )
        assert sorted(e["entry_id"] for e in review) == sorted(
            [entries[1]["entry_id"], entries[2]["entry_id"]]
        )

        # A new link is checked again; the old result does not stand for it.
        host.routes["/watch"] = Answer(status=503, body=b"busy", content_type="text/plain")
        revised = await ok(
            await submissions.patch(
                f"/entries/{entries[0]['entry_id']}", json={"video_url": "https://youtu.be/brantas001"}
            )
        )
        assert (revised["film_check"]["status"], revised["duration_seconds"]) == ("pending", None)
        again = await tap.wait_for("entry.film_checked", count=4)
        last = again[-1].data
        # 503 twice (film_check_max_attempts=2): tried again with backoff, then for staff to review.
        assert (last["entry_id"], last["reason"]) == (entries[0]["entry_id"], "unreachable")
        assert len(host.hits_on("/watch")) == 2 + 2
