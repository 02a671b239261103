"""The registry against the real broker and MongoDB wire server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from registry.config import Settings
from registry.main import create_app

from ..support import EventTap, serving


@pytest.fixture
def settings(amqp_url: str, mongodb_url: str, database_name: str) -> Settings:
    return Settings(
        amqp_url=amqp_url,
        mongodb_url=mongodb_url,
        mongodb_database=database_name,
        outbox_poll_seconds=0.2,
        deadline_check_seconds=0.3,
    )


KIM = {
    "name": "KIM Pasreh Jaya",
    "kelurahan_code": "bumiayu",
    "chair": "Siti Aminah",
    "whatsapp": "0812-3456-7890",
    "email": "pasrehjaya@example.id",
    "members": [{"name": "Budi", "role": "kameramen"}],
}


def edition_body(opens: datetime, closes: datetime) -> dict:
    return {
        "title": "Lomba Video Pendek KIM 2024",
        "theme": "Promosi UMKM Kota Malang",
        "submission_opens_at": opens.isoformat(),
        "submission_closes_at": closes.isoformat(),
        "rules": {
            "max_video_seconds": 300,
            "allowed_video_hosts": ["YouTube.com", "youtu.be"],
            "entries_per_kim": 1,
        },
        "awarded_ranks": 3,
        "prizes": [{"rank": 1, "title": "Juara 1", "reward": "Rp 5.000.000"}],
    }


async def test_a_kim_registers_is_verified_and_enrols(settings: Settings, tap: EventTap) -> None:
    async with serving(create_app(settings), "registry") as api:
        created = await api.post("/kims", json=KIM, headers={"X-Correlation-ID": "demo-1"})
        assert created.status_code == 201, created.text
        kim = created.json()
        assert kim["kecamatan"] == {"code": "kedungkandang", "name": "Kedungkandang"}
        assert kim["whatsapp"] == "+6281234567890"

        registered = await tap.wait_for("kim.registered")
        assert registered[0].data["kim_id"] == kim["kim_id"]
        assert registered[0].correlation_id == "demo-1"
        assert registered[0].message_id == registered[0].body["event_id"]

        now = datetime.now(UTC)
        response = await api.post(
            "/editions", json=edition_body(now - timedelta(minutes=1), now + timedelta(hours=1))
        )
        assert response.status_code == 201, response.text
        edition = response.json()
        assert edition["rules"]["allowed_video_hosts"] == ["youtube.com", "youtu.be"]
        not_verified = await api.post(
            f"/editions/{edition['edition_id']}/enrolments", json={"kim_id": kim["kim_id"]}
        )
        assert not_verified.status_code == 422
        published = await api.post(f"/editions/{edition['edition_id']}/publication")
        assert published.json()["status"] == "published"

        refused = await api.post(
            f"/editions/{edition['edition_id']}/enrolments", json={"kim_id": kim["kim_id"]}
        )
        assert refused.status_code == 422
        assert refused.json()["error"]["code"] == "kim_not_verified"
        assert "belum diverifikasi" in refused.json()["error"]["message"]

        assert (await api.post(f"/kims/{kim['kim_id']}/verification")).status_code == 200
        enrolment = (
            await api.post(f"/editions/{edition['edition_id']}/enrolments", json={"kim_id": kim["kim_id"]})
        ).json()
        approved = await api.post(f"/enrolments/{enrolment['enrolment_id']}/approval")
        assert approved.json()["status"] == "approved"

        events = await tap.wait_for("enrolment.approved")
        assert events[0].data["kim_name"] == "KIM Pasreh Jaya"
        assert [e.type for e in tap.events] == [
            "kim.registered",
            "edition.published",
            "kim.verified",
            "enrolment.requested",
            "enrolment.approved",
        ]


async def test_submissions_close_by_themselves_at_the_deadline(settings: Settings, tap: EventTap) -> None:
    async with serving(create_app(settings), "registry") as api:
        now = datetime.now(UTC)
        created = await api.post(
            "/editions", json=edition_body(now - timedelta(minutes=1), now + timedelta(seconds=2))
        )
        edition_id = created.json()["edition_id"]
        assert (await api.post(f"/editions/{edition_id}/publication")).status_code == 200

        closed = await tap.wait_for("edition.submissions_closed", timeout=10)
        assert closed[0].data["closed_by"] == "deadline"
        assert closed[0].data["closed_at"] >= (now + timedelta(seconds=2)).isoformat()[:19]
        edition = (await api.get(f"/editions/{edition_id}")).json()
        assert (edition["status"], edition["closed_by"]) == ("submissions_closed", "deadline")
        late = await api.post(f"/editions/{edition_id}/submissions-closure")
        assert (late.status_code, late.json()["error"]["code"]) == (409, "submissions_already_closed")


async def test_accounts_are_published_as_they_open_and_change_never_with_a_password(
    settings: Settings, tap: EventTap
) -> None:
    async with serving(create_app(settings), "registry") as api:
        body = {"email": "Juri1@Example.id", "name": "Bu Juri", "role": "judge", "password": "rahasia-juri-1"}
        opened = await api.post("/accounts", json=body, headers={"X-Correlation-ID": "acc-1"})
        assert opened.status_code == 201, opened.text
        account_id = opened.json()["account_id"]
        assert (await api.post(f"/accounts/{account_id}/disable")).status_code == 200
        assert (await api.post(f"/accounts/{account_id}/disable")).status_code == 200  # again: no change
        assert (await api.post(f"/accounts/{account_id}/enable")).status_code == 200

        await tap.wait_for("account.changed", count=2)
        told = [(e.type, e.data["disabled"], e.data["token_version"]) for e in tap.events]
        assert told == [
            ("account.opened", False, 0),
            ("account.changed", True, 1),
            ("account.changed", False, 1),
        ]
        first = tap.events[0]
        assert first.correlation_id == "acc-1"
        assert first.data["account_id"] == account_id
        assert first.data["email"] == "juri1@example.id" and first.data["role"] == "judge"
        assert [e.data["revision"] for e in tap.events] == sorted({e.data["revision"] for e in tap.events})
        assert not any("password" in key for e in tap.events for key in e.data)
