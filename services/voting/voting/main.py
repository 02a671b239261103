"""Voting's ASGI app: `uvicorn voting.main:create_app --factory` (or `python -m voting`)."""

from __future__ import annotations

from fastapi import FastAPI

from shared.service import create_service_app

from .bootstrap import bootstrap
from .config import Settings
from .entrypoints import http


def create_app(settings: Settings | None = None) -> FastAPI:
    system = bootstrap(settings)
    app = create_service_app(
        title="KIM Contest voting",
        description="The people's choice vote (Juara Favorit): vote windows, the public gallery, voter "
        "codes, votes, fraud flags, the tally and its freezing. Publishes voter.code_requested and "
        "votes.tallied; consumes edition.*, kim.*, entry.*.",
        runtime=system.runtime,
        routers=[http.router],
    )
    app.state.system = system
    return app
