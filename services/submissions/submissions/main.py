"""The submissions service's ASGI app: `uvicorn submissions.main:create_app --factory`."""

from __future__ import annotations

from fastapi import FastAPI

from shared.service import create_service_app

from .bootstrap import bootstrap
from .config import Settings
from .entrypoints import http


def create_app(settings: Settings | None = None) -> FastAPI:
    system = bootstrap(settings)
    app = create_service_app(
        title="KIM Contest submissions",
        description="Entries: submit, revise, withdraw, disqualify. Publishes entry.*; "
        "consumes edition.*, enrolment.*, kim.updated.",
        runtime=system.runtime,
        routers=[http.router],
    )
    app.state.system = system
    return app
