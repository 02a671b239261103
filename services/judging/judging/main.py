"""Judging's ASGI app: `uvicorn judging.main:create_app --factory`."""

from __future__ import annotations

from fastapi import FastAPI

from shared.service import create_service_app

from .bootstrap import bootstrap
from .config import Settings
from .entrypoints import http, http_categories, http_certificates, http_me, http_results, http_rounds


def create_app(settings: Settings | None = None) -> FastAPI:
    system = bootstrap(settings)
    app = create_service_app(
        title="KIM Contest judging",
        description="Panel, rubric, judging options, assignments, score sheets, ties, frozen and "
        "verified results, the announcement and its corrections, the audit trail. Publishes judge.*, "
        "score.recorded, judging.completed, tie.detected, winner.announced (v1 and v2, per category); "
        "consumes edition.*, entry.*.",
        runtime=system.runtime,
        routers=[
            http.router,
            http_results.router,
            http_me.router,
            http_certificates.router,
            http_rounds.router,
            http_categories.router,
        ],
    )
    app.state.system = system
    return app
