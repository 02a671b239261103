"""Judging's ASGI app: `uvicorn judging.main:create_app --factory`."""

from __future__ import annotations

from fastapi import FastAPI

from shared.service import create_service_app

from .bootstrap import bootstrap
from .config import Settings
from .entrypoints import http


def create_app(settings: Settings | None = None) -> FastAPI:
    system = bootstrap(settings)
    app = create_service_app(
        title="KIM Contest judging",
        description="Panel, rubric, score sheets, ranking and the announcement. Publishes judge.*, "
        "score.recorded, judging.completed, winner.announced; consumes edition.*, entry.*.",
        runtime=system.runtime,
        routers=[http.router],
    )
    app.state.system = system
    return app
