"""Service settings pointing at the session's broker and a fresh database per service per test."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def settings_for(amqp_url: str, mongodb_url: str, database_name: str) -> Callable[..., Any]:
    def make(service: str, **overrides: Any) -> Any:
        settings_class = importlib.import_module(f"{service}.config").Settings
        return settings_class(
            amqp_url=amqp_url,
            mongodb_url=mongodb_url,
            mongodb_database=f"{database_name}_{service}"[:60],
            outbox_poll_seconds=0.2,
            **overrides,
        )

    return make
