"""Steps of a competition through the HTTP APIs, shared by the integration tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx


def kim_body(name: str, kelurahan_code: str, number: int = 1) -> dict[str, Any]:
    return {
        "name": name,
        "kelurahan_code": kelurahan_code,
        "chair": "Ketua " + name.removeprefix("KIM "),
        "whatsapp": f"08123456{number:04d}",
        "email": f"kim{number}@example.id",
        "members": [{"name": "Anggota Satu", "role": "editor"}],
    }


def edition_body(
    *,
    opens: datetime | None = None,
    closes: datetime | None = None,
    max_video_seconds: int = 300,
    entries_per_kim: int = 1,
    awarded_ranks: int = 3,
) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "title": "Lomba Video Pendek KIM 2024",
        "theme": "Promosi UMKM Kota Malang",
        "description": "Film pendek yang mengangkat UMKM di kelurahan masing-masing.",
        "submission_opens_at": (opens or now - timedelta(minutes=5)).isoformat(),
        "submission_closes_at": (closes or now + timedelta(hours=2)).isoformat(),
        "rules": {
            "max_video_seconds": max_video_seconds,
            "allowed_video_hosts": ["youtube.com", "youtu.be"],
            "entries_per_kim": entries_per_kim,
        },
        "awarded_ranks": awarded_ranks,
        "prizes": [
            {"rank": 1, "title": "Juara 1", "reward": "Rp 5.000.000"},
            {"rank": 2, "title": "Juara 2", "reward": "Rp 3.000.000"},
            {"rank": 3, "title": "Juara 3", "reward": "Rp 2.000.000"},
        ][:awarded_ranks],
    }


def entry_body(kim_id: str, **overrides: Any) -> dict[str, Any]:
    return {
        "kim_id": kim_id,
        "title": "Topeng Malangan dari Tangan-Tangan Istimewa",
        "synopsis": "Perajin topeng Malangan penyandang disabilitas di Bumiayu membangun usaha bersama.",
        "video_url": "https://youtu.be/pasreh2024",
        "duration_seconds": 240,
        "umkm_featured": ["Sanggar Topeng Pasreh"],
        **overrides,
    }


async def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, (
        f"{response.request.method} {response.request.url}: {response.text}"
    )
    return response.json()


async def published_edition(registry: httpx.AsyncClient, **rules: Any) -> dict[str, Any]:
    edition = await ok(await registry.post("/editions", json=edition_body(**rules)), 201)
    return await ok(await registry.post(f"/editions/{edition['edition_id']}/publication"))


async def enrolled_kim(
    registry: httpx.AsyncClient, edition_id: str, name: str, kelurahan: str, number: int, approve: bool = True
) -> dict[str, Any]:
    kim = await ok(await registry.post("/kims", json=kim_body(name, kelurahan, number)), 201)
    await ok(await registry.post(f"/kims/{kim['kim_id']}/verification"))
    enrolment = await ok(
        await registry.post(f"/editions/{edition_id}/enrolments", json={"kim_id": kim["kim_id"]}), 201
    )
    if approve:
        await ok(await registry.post(f"/enrolments/{enrolment['enrolment_id']}/approval"))
    return {**kim, "enrolment_id": enrolment["enrolment_id"]}
