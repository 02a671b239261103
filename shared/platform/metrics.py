"""Metrics: what `/metrics` serves, in Prometheus's text format.

Each app has its own registry (several apps share a process in the tests):

- HTTP (`HttpMetrics`, outermost middleware): requests by method, route
  template and status; latency histograms by method and route.
- The broker (`broker_middlewares`): faststream's `RabbitPrometheusMiddleware`
  counts messages received, processed (by status) and published, by handler
  (`<exchange>.<routing key>`, the routing key being the event type) or
  destination, with the handlers' latency; `kim_consumer_redeliveries_total`
  counts deliveries the broker marks as redelivered.
- The database (`DatabaseCommands`, a pymongo command listener on the app's
  client): the commands sent to MongoDB, by command and collection (what the
  server counts as its operations).
- Stored state (`Metrics.refresh`, at scrape time at most once per
  `refresh_seconds`, never per event): the outbox's backlog and the age of its
  oldest pending record, stored dead letters, and whatever gauges a service
  adds (`Metrics.refreshers`, e.g. the notifications' deliveries by channel and
  state).

`/metrics` is open like `/health`; keep it off the public internet (see the README).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from contextvars import Token
from types import TracebackType
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from faststream import BaseMiddleware
from faststream.rabbit.prometheus import RabbitPrometheusMiddleware
from motor.motor_asyncio import AsyncIOMotorDatabase
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from pymongo import monitoring
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.kernel.clock import utcnow

from .logs import correlation_id
from .messaging.outbox import OUTBOX, PENDING

if TYPE_CHECKING:
    from faststream import ContextRepo

log = logging.getLogger("kim.metrics")

#: Seconds: from a quick read to a slow page or a transaction that waited.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
#: A request that matched no route is counted under this name, not its path.
UNMATCHED = "unmatched"
#: How long a scrape waits for the database before serving the last values.
REFRESH_PATIENCE_SECONDS = 2.0
CORRELATION_HEADER = b"x-correlation-id"
_CORRELATION_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-")

Refresher = Callable[[], Awaitable[None]]


class Metrics:
    """The registry of one app and the figures every service keeps."""

    def __init__(self, service: str, *, refresh_seconds: float = 5.0) -> None:
        self.service = service
        self.registry = CollectorRegistry()
        self.refresh_seconds = refresh_seconds
        self.refreshers: list[Refresher] = []
        self._refreshed_at = -float("inf")
        self._refreshing = asyncio.Lock()
        self.http_requests = Counter(
            "kim_http_requests",
            "HTTP requests answered, by method, route template and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.http_latency = Histogram(
            "kim_http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route template",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.redeliveries = Counter(
            "kim_consumer_redeliveries",
            "Messages the broker delivered again (after a nack or a lost consumer), by event type",
            ["event_type"],
            registry=self.registry,
        )

    def gauge(self, name: str, documentation: str, labels: tuple[str, ...] = ()) -> Gauge:
        return Gauge(name, documentation, list(labels), registry=self.registry)

    async def refresh(self) -> None:
        """Run every refresher, unless they ran less than `refresh_seconds` ago.

        A refresher that fails or is slow leaves its last values; the scrape goes on.
        """
        async with self._refreshing:
            if time.monotonic() - self._refreshed_at < self.refresh_seconds:
                return
            self._refreshed_at = time.monotonic()
            for refresher in self.refreshers:
                try:
                    await asyncio.wait_for(refresher(), REFRESH_PATIENCE_SECONDS)
                except Exception as error:  # noqa: BLE001 - a scrape must answer
                    log.warning("metrics: %s not refreshed: %r", getattr(refresher, "__name__", "?"), error)

    async def exposition(self) -> tuple[bytes, str]:
        await self.refresh()
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


class DatabaseCommands(monitoring.CommandListener):
    """Counts the commands an app's MongoDB client sends, by command and collection."""

    def __init__(self, metrics: Metrics) -> None:
        self.sent = Counter(
            "kim_database_commands",
            "Commands sent to MongoDB, by command and collection ('' for none or several)",
            ["command", "collection"],
            registry=metrics.registry,
        )

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        self.sent.labels(event.command_name, collection_of(event.command_name, event.command)).inc()

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        return None

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        return None


def collection_of(command: str, body: Mapping[str, Any]) -> str:
    """The collection a command acts on: the first field's value for most, `collection`
    for a `getMore`; '' for none (a commit) and for a `bulkWrite` (several: its
    started event does not reliably list them all)."""
    target = body.get("collection") if command == "getMore" else body.get(command)
    return target if isinstance(target, str) else ""


def watch_outbox(metrics: Metrics, db: Callable[[], AsyncIOMotorDatabase]) -> None:
    """Gauges of the outbox: records waiting to be published and the oldest one's age."""
    backlog = metrics.gauge("kim_outbox_pending", "Outbox records not yet published")
    oldest = metrics.gauge(
        "kim_outbox_oldest_pending_age_seconds", "Age of the oldest outbox record not yet published (0: none)"
    )

    async def outbox() -> None:
        collection = db()[OUTBOX]
        pending = {"state": PENDING}
        count = await collection.count_documents(pending)
        first = await collection.find_one(pending, {"created_at": 1}, sort=[("sequence", 1)])
        backlog.set(count)
        oldest.set(max((utcnow() - first["created_at"]).total_seconds(), 0.0) if first else 0.0)

    metrics.refreshers.append(outbox)


def watch_dead_letters(metrics: Metrics, db: Callable[[], AsyncIOMotorDatabase], collection: str) -> None:
    """Gauge of the dead letters this service keeps: waiting, or requeued at least once."""
    dead = metrics.gauge("kim_dead_letters", "Dead letters stored, by state (waiting, requeued)", ("state",))

    async def dead_letters() -> None:
        stored = db()[collection]
        total = await stored.count_documents({})
        waiting = await stored.count_documents({"requeued_at": {"$size": 0}})
        dead.labels(state="waiting").set(waiting)
        dead.labels(state="requeued").set(total - waiting)

    metrics.refreshers.append(dead_letters)


class ObserveConsumption(BaseMiddleware):
    """Per consumed message: a redelivery is counted, and the log's correlation
    id is the message's from its arrival until the inner middlewares have
    acted on its outcome (`RejectMalformed` logs there)."""

    def __init__(self, msg: Any, /, *, context: ContextRepo, metrics: Metrics) -> None:
        super().__init__(msg, context=context)
        self.metrics = metrics
        self._token: Token[str | None] | None = None

    async def on_receive(self) -> None:
        raw = self.msg
        if getattr(raw, "redelivered", False):
            event_type = getattr(raw, "type", None) or getattr(raw, "routing_key", None) or ""
            self.metrics.redeliveries.labels(event_type).inc()
        self._token = correlation_id.set(getattr(raw, "correlation_id", None) or None)

    async def after_processed(
        self,
        exc_type: type[BaseException] | None = None,
        exc_val: BaseException | None = None,
        exc_tb: TracebackType | None = None,
    ) -> bool | None:
        if self._token is not None:
            correlation_id.reset(self._token)
            self._token = None
        return False


def broker_middlewares(metrics: Metrics) -> list[Any]:
    """Outermost first: faststream's Prometheus middleware, with this app's
    registry and name, then `ObserveConsumption`."""
    return [
        RabbitPrometheusMiddleware(registry=metrics.registry, app_name=metrics.service),
        functools.partial(ObserveConsumption, metrics=metrics),
    ]


def route_of(scope: Scope) -> str:
    """The template of the route a request matched (`/entries/{entry_id}`), never its raw path."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else UNMATCHED


def sane_correlation_id(value: bytes | None) -> str | None:
    if not value or len(value) > 128:
        return None
    text = value.decode("latin-1")
    return text if set(text) <= _CORRELATION_CHARS else None


class HttpMetrics:
    """Outermost ASGI middleware: counts and times each request by its route
    template, and sets the log's correlation id for it (the caller's
    `X-Correlation-ID` when sane, else a new one, which `cause_of` then uses)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or ()).get(CORRELATION_HEADER)
        token = correlation_id.set(sane_correlation_id(given) or uuid4().hex)
        status = 500
        started = time.perf_counter()

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            method, route = scope["method"], route_of(scope)
            self.metrics.http_latency.labels(method, route).observe(time.perf_counter() - started)
            self.metrics.http_requests.labels(method, route, str(status)).inc()
            correlation_id.reset(token)
