"""The notifications service's ASGI app: `uvicorn notifications.main:create_app --factory`."""

from __future__ import annotations

from fastapi import FastAPI

from shared.kernel.clock import Clock, utcnow
from shared.service import create_service_app

from .bootstrap import bootstrap
from .config import Settings
from .entrypoints import http


def create_app(settings: Settings | None = None, clock: Clock = utcnow) -> FastAPI:
    system = bootstrap(settings, clock)
    app = create_service_app(
        title="KIM Contest notifications",
        description="Recipients, subscriptions, templates (id, en), deliveries to the staff inbox, "
        "email and webhooks. Consumes every catalog event but notification.*; "
        "publishes notification.delivered and notification.failed.",
        runtime=system.runtime,
        routers=[http.router],
    )
    app.state.system = system
    return app
