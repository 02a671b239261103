"""The registry's ASGI app: `uvicorn registry.main:create_app --factory`."""

from __future__ import annotations

from fastapi import FastAPI

from shared.service import create_service_app

from .bootstrap import bootstrap
from .config import Settings
from .entrypoints import http, http_accounts


def create_app(settings: Settings | None = None) -> FastAPI:
    system = bootstrap(settings)
    app = create_service_app(
        title="KIM Contest registry",
        description="Accounts and login, KIMs, editions and enrolments. "
        "Publishes kim.*, edition.*, enrolment.*.",
        runtime=system.runtime,
        routers=[http_accounts.router, http.router],
    )
    app.state.system = system
    return app
