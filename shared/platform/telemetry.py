"""Traces: one user action is one OpenTelemetry trace across the services.

The W3C trace context (`traceparent`) travels with the work:

- an HTTP request's server span (`TraceRequests`) continues the caller's
  `traceparent` header; the console sends its own request's on to the APIs
  (`propagate_to`);
- a change's `Cause` keeps the trace context it was made in, and the outbox
  record stores it beside the event (`shared.platform.messaging.outbox`);
- the relay publishes each record inside its stored context, and faststream's
  `RabbitTelemetryMiddleware` writes it into the AMQP headers and continues it
  in every consumer;
- notifications keep it with each delivery and send it in a span of that trace.

Each service has its own tracer provider (resource `service.name`), so services
run in one process (the tests) still tell their spans apart. Spans are exported
over OTLP/HTTP only when `OTEL_EXPORTER_OTLP_ENDPOINT` is set; otherwise they
are made and dropped, and nothing goes on the network.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

import httpx
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TRACEPARENT = "traceparent"
OTLP_ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT"

_PROPAGATOR = TraceContextTextMapPropagator()


def tracer_provider(service_name: str) -> TracerProvider:
    """A service's tracer provider; with an OTLP endpoint configured, it exports there."""
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service_name}))
    if os.environ.get(OTLP_ENDPOINT):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        # The exporter reads the endpoint (and OTEL_EXPORTER_OTLP_* headers) itself.
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return provider


def tracer(provider: trace.TracerProvider | None, name: str = "kim") -> Tracer:
    """A tracer of `provider`; without one, of the global provider (a no-op unless set)."""
    return trace.get_tracer(name, tracer_provider=provider)


def current_traceparent() -> str | None:
    """The W3C `traceparent` of the span now current, if one is recording."""
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier.get(TRACEPARENT)


def context_of(traceparent: str | None) -> Context:
    """The trace context a stored `traceparent` names (empty without one: a new trace)."""
    return _PROPAGATOR.extract({TRACEPARENT: traceparent} if traceparent else {})


@contextlib.contextmanager
def continued(traceparent: str | None) -> Iterator[None]:
    """Make the stored trace context current while the block runs (the relay's
    publish, outside the request that stored it)."""
    if not traceparent:
        yield
        return
    token = otel_context.attach(context_of(traceparent))
    try:
        yield
    finally:
        otel_context.detach(token)


async def _send_traceparent(request: httpx.Request) -> None:
    traceparent = current_traceparent()
    if traceparent and TRACEPARENT not in request.headers:
        request.headers[TRACEPARENT] = traceparent


def propagate_to(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """Send the current trace context (`traceparent`) with each of `client`'s requests."""
    hooks = client.event_hooks["request"]
    if _send_traceparent not in hooks:
        client.event_hooks["request"] = [*hooks, _send_traceparent]
    return client


class TraceRequests:
    """ASGI middleware: one server span per HTTP request, continuing the caller's
    `traceparent`, named by the route's template once routing has found it."""

    def __init__(self, app: ASGIApp, *, provider: trace.TracerProvider | None = None) -> None:
        self.app = app
        self._tracer = tracer(provider, "kim.http")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}
        method = scope.get("method", "GET")
        status: dict[str, int] = {}

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        with self._tracer.start_as_current_span(
            method,
            context=_PROPAGATOR.extract(headers),
            kind=SpanKind.SERVER,
            attributes={"http.request.method": method, "url.path": scope.get("path", "")},
        ) as span:
            try:
                await self.app(scope, receive, sending)
            finally:
                route = _route_of(scope)
                if route:
                    span.update_name(f"{method} {route}")
                    span.set_attribute("http.route", route)
                if "code" in status:
                    span.set_attribute("http.response.status_code", status["code"])
                    if status["code"] >= 500:
                        span.set_status(Status(StatusCode.ERROR))


def _route_of(scope: Scope) -> str | None:
    route: Any = scope.get("route")
    path = getattr(route, "path_format", None) or getattr(route, "path", None)
    return path if isinstance(path, str) else None
