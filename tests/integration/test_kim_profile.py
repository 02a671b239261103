"""The KIM profile and its achievements, against the real broker and MongoDB wire server:
announced results become achievements once per event, a correction corrects them,
and only the KIM's own representative (or staff) changes its profile."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import aio_pika
import httpx
from registry.main import create_app

from shared import contracts as c
from shared.kernel.principal import Principal

from ..support import EventTap, OwnerPublisher, bearer_for, eventually, serving
from .flows import edition_body, kim_body, ok


async def deliver(amqp_url_for: Callable[[str], str], event: c.WinnerAnnounced, times: int) -> None:
    """Publish the same event (same event_id) `times` times, as a redelivery would bring it,
    as judging's broker user (its owner: anyone else's would be dead-lettered)."""
    async with OwnerPublisher(amqp_url_for) as publisher:
        for _ in range(times):
            await publisher.publish(event)


def placing(rank: int, kim: dict[str, Any]) -> c.Placing:
    return c.Placing(
        rank=rank,
        entry_id=uuid4(),
        entry_title=f"Film {kim['name']}",
        kim_id=UUID(kim["kim_id"]),
        kim_name=kim["name"],
        kelurahan=c.Region(**kim["kelurahan"]),
        score=90.0 - rank,
    )


def announcement(edition: dict[str, Any], winners: list[c.Placing], version: int) -> c.WinnerAnnounced:
    return c.WinnerAnnounced.new(
        c.Announcement(
            edition_id=UUID(edition["edition_id"]),
            edition_title=edition["title"],
            winners=winners,
            ranking=winners,
            tie_break=["highest_total"],
            announced_at=datetime(2024, 11, 20, 9, tzinfo=UTC),
            version=version,
            supersedes=version - 1 if version > 1 else None,
            correction_reason="Salah hitung" if version > 1 else None,
        ),
        producer="judging",
        correlation_id=f"announce-v{version}",
    )


async def competition_achievements(api: httpx.AsyncClient, kim_id: str) -> list[tuple[str, str | None]]:
    kim = await ok(await api.get(f"/kims/{kim_id}"))
    return [(a["title"], a["reward"]) for a in kim["achievements"] if a["source"] == "competition"]


def updates_of(tap: EventTap, kim_id: str) -> int:
    return sum(1 for event in tap.of_type("kim.updated") if event.data["kim_id"] == kim_id)


async def test_announced_results_and_their_correction_become_achievements_once_each(
    settings_for: Any, amqp_url: str, amqp_url_for: Callable[[str], str], tap: EventTap
) -> None:
    app = create_app(settings_for("registry"))
    async with serving(app, "registry") as api:
        pasreh = await ok(await api.post("/kims", json=kim_body("KIM Pasreh Jaya", "bumiayu", 1)), 201)
        ganjur = await ok(await api.post("/kims", json=kim_body("KIM Ganjur", "gadang", 2)), 201)
        for kim in (pasreh, ganjur):
            await ok(await api.post(f"/kims/{kim['kim_id']}/verification"))
        edition = await ok(await api.post("/editions", json=edition_body()), 201)
        title = edition["title"]

        await deliver(
            amqp_url_for, announcement(edition, [placing(1, pasreh), placing(2, ganjur)], 1), times=2
        )
        await eventually(lambda: competition_achievements(api, ganjur["kim_id"]))
        assert await competition_achievements(api, pasreh["kim_id"]) == [
            (f"Juara 1, {title}", "Rp 5.000.000")
        ]
        assert await competition_achievements(api, ganjur["kim_id"]) == [
            (f"Juara 2, {title}", "Rp 3.000.000")
        ]
        await tap.wait_for("kim.updated", count=2)

        # The correction: Ganjur is first, Pasreh Jaya loses its place. Also delivered twice.
        await deliver(amqp_url_for, announcement(edition, [placing(1, ganjur)], 2), times=2)
        await eventually(
            lambda: _equals(
                competition_achievements(api, ganjur["kim_id"]), [(f"Juara 1, {title}", "Rp 5.000.000")]
            )
        )
        assert await competition_achievements(api, pasreh["kim_id"]) == []
        # A late copy of version 1 (another event id, an older version) changes nothing.
        await deliver(amqp_url_for, announcement(edition, [placing(1, pasreh)], 1), times=1)
        await tap.wait_for("kim.updated", count=4)

        # Each KIM changed once per announcement, however often it arrived.
        await eventually(lambda: _queue_is_drained(amqp_url))
        await asyncio.sleep(0.5)  # the last message in hand, if any, is applied by now
        assert (updates_of(tap, pasreh["kim_id"]), updates_of(tap, ganjur["kim_id"])) == (2, 2)
        assert await competition_achievements(api, pasreh["kim_id"]) == []

        # The public page shows the competition achievement, without contact details.
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://r") as public:
            profile = await ok(await public.get(f"/kims/{ganjur['kim_id']}/profile"))
        assert [a["title"] for a in profile["achievements"]] == [f"Juara 1, {title}"]
        assert "whatsapp" not in profile and "email" not in profile


async def _equals(found: Any, expected: Any) -> bool:
    return await found == expected


async def _queue_is_drained(amqp_url: str) -> bool:
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue("registry.events", passive=True)
        return queue.declaration_result.message_count == 0


async def test_only_the_kims_own_representative_changes_its_profile_and_the_public_sees_it_once_verified(
    settings_for: Any,
) -> None:
    app = create_app(settings_for("registry"))
    async with serving(app, "registry") as api:
        pasreh = await ok(await api.post("/kims", json=kim_body("KIM Pasreh Jaya", "bumiayu", 1)), 201)
        ganjur = await ok(await api.post("/kims", json=kim_body("KIM Ganjur", "gadang", 2)), 201)

        def rep_of(kim: dict[str, Any]) -> dict[str, str]:
            return bearer_for(app, Principal(account_id=uuid4(), role="kim_rep", kim_id=UUID(kim["kim_id"])))

        profile = {
            "members": [{"name": "Siti Aminah", "role": "Ketua", "expertise": "Kader lingkungan"}],
            "innovations": [{"title": "Klinik Internet Sehat", "description": "Tiap Sabtu", "since": 2021}],
            "achievements": [
                {"title": "Kampung Smart City", "level": "kota", "year": 2023, "reward": "Rp40.000.000"}
            ],
            "sponsors": [{"name": "Toko Bu Min", "kind": "sponsor"}],
        }
        path = f"/kims/{pasreh['kim_id']}"
        refused = await api.patch(path, json=profile, headers=rep_of(ganjur))
        assert refused.status_code == 403, refused.text
        changed = await ok(await api.patch(path, json=profile, headers=rep_of(pasreh)))
        assert changed["members"][0]["expertise"] == "Kader lingkungan"

        bad = await api.patch(
            path,
            json={"members": [{"name": "Siti"}, {"name": "siti"}]},
            headers={**rep_of(pasreh), "Accept-Language": "id"},
        )
        assert (bad.status_code, bad.json()["error"]["code"], bad.json()["error"]["field"]) == (
            422,
            "duplicate_member",
            "members.1.name",
        )

        anonymous = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://registry")
        async with anonymous:
            hidden = await anonymous.get(f"{path}/profile")
            assert hidden.status_code == 404  # not verified yet
            await ok(await api.post(f"{path}/verification"))
            shown = await ok(await anonymous.get(f"{path}/profile"))
        assert shown["members"] == [{"name": "Siti Aminah", "role": "Ketua", "expertise": "Kader lingkungan"}]
        assert shown["sponsors"] == [{"name": "Toko Bu Min", "kind": "sponsor"}]
        assert [a["title"] for a in shown["achievements"]] == ["Kampung Smart City"]
        assert "whatsapp" not in shown and "email" not in shown and "chair" not in shown
