"""What operators and other services read from every service: liveness,
readiness, the OpenAPI of its HTTP API and the AsyncAPI of its events."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from shared.platform.messaging import CONSUMER_QUEUES

from ..support import serving

SERVICES = ["registry", "submissions", "judging", "notifications", "voting"]


@pytest.mark.parametrize("service", SERVICES)
async def test_each_service_reports_health_readiness_and_its_contracts(
    service: str, settings_for: Any
) -> None:
    app = importlib.import_module(f"{service}.main").create_app(settings_for(service))
    produces = importlib.import_module(f"{service}.bootstrap").PRODUCES
    async with serving(app, service) as api:
        assert (await api.get("/health")).json() == {"status": "alive", "service": service}
        ready = await api.get("/ready")
        assert (ready.status_code, ready.json()) == (
            200,
            {"status": "ready", "broker": True, "database": True},
        )
        assert len((await api.get("/openapi.json")).json()["paths"]) > 3

        asyncapi = (await api.get("/asyncapi.json")).json()
        addresses = {channel["address"] for channel in asyncapi["channels"].values()}
        assert {event.event_type for event in produces} <= addresses
        consumed = [queue.name for queue in CONSUMER_QUEUES if queue.name.startswith(service + ".")]
        assert set(consumed) <= addresses
        assert "password" not in str(asyncapi["servers"]) and "guest" not in str(asyncapi["servers"])
        page = await api.get("/asyncapi")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]


async def test_errors_speak_the_readers_language(settings_for: Any) -> None:
    app = importlib.import_module("registry.main").create_app(settings_for("registry"))
    async with serving(app, "registry") as api:
        body = {"name": "K", "kelurahan_code": "bumiayu", "chair": "Siti", "whatsapp": "0812", "email": "x"}
        indonesian = (await api.post("/kims", json=body)).json()["error"]
        english = (await api.post("/kims", json=body, headers={"Accept-Language": "en-GB,en;q=0.9"})).json()[
            "error"
        ]
        assert indonesian["code"] == english["code"] == "invalid_request"
        assert {f["field"] for f in english["fields"]} == {"name", "email"}
        name_id = next(f for f in indonesian["fields"] if f["field"] == "name")
        assert name_id["message"] == "Terlalu pendek: minimal 2 karakter."
        name_en = next(f for f in english["fields"] if f["field"] == "name")
        assert name_en["message"] == "Too short: at least 2 characters."
        unknown = await api.get(
            "/kims/00000000-0000-4000-8000-000000000000", headers={"Accept-Language": "en"}
        )
        assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "kim_not_found")
        bad_number = await api.post("/kims", json={**body, "name": "KIM Uji", "email": "uji@example.id"})
        assert bad_number.json()["error"] == {
            "code": "invalid_whatsapp_number",
            "field": "whatsapp",
            "message": "Nomor WhatsApp '0812' bukan nomor seluler Indonesia. "
            "Tulis seperti 081234567890 atau +6281234567890.",
        }
