"""Traces (shared.platform.telemetry): the trace context a change is made in
goes into its outbox record and back out at publishing; an HTTP request
continues its caller's trace; the console's calls carry their page's; spans go
over OTLP/HTTP only when an endpoint is configured."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from shared import contracts as c
from shared.kernel.aggregate import Aggregate
from shared.platform.messaging.outbox import OutboxRecord, outbox_document
from shared.platform.persistence.unit_of_work import Cause
from shared.platform.telemetry import (
    OTLP_ENDPOINT,
    TraceRequests,
    context_of,
    continued,
    current_traceparent,
    propagate_to,
    tracer_provider,
)

from .fakes import FakeRepository, FakeUnitOfWork
from .notifications.samples import samples

CALLER = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def ids(traceparent: str | None) -> tuple[str, str]:
    """A `traceparent`'s trace id and parent span id (its flags aside)."""
    assert traceparent is not None
    _, trace_id, span_id, _ = traceparent.split("-")
    return trace_id, span_id


def ids_of(span: Any) -> tuple[str, str]:
    context = span.get_span_context()
    return f"{context.trace_id:032x}", f"{context.span_id:016x}"


@pytest.fixture
def traced() -> Iterator[tuple[TracerProvider, InMemorySpanExporter]]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield provider, exporter
    provider.shutdown()


def test_a_cause_keeps_the_trace_context_it_was_made_in_and_its_outbox_record_stores_it(
    traced: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    provider, _ = traced
    assert Cause.new().traceparent is None  # no span: nothing to carry
    with provider.get_tracer("test").start_as_current_span("request") as span:
        cause = Cause.new("c-1")
    assert ids(cause.traceparent) == ids_of(span)
    assert cause == Cause("c-1")  # the trace context is not part of what a cause is

    event = samples()["entry.submitted"]
    record = OutboxRecord.from_document(outbox_document(event, cause.traceparent))
    assert record.traceparent == cause.traceparent
    # Records stored before traces (or outside any span) have none, and publish as a new trace.
    assert "traceparent" not in outbox_document(event)
    assert OutboxRecord.from_document(outbox_document(event)).traceparent is None


def test_the_relay_publishes_in_the_stored_context(
    traced: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    provider, exporter = traced
    with continued(CALLER):
        assert current_traceparent() == CALLER
        with provider.get_tracer("test").start_as_current_span("publish"):
            pass
    assert current_traceparent() is None  # detached afterwards
    (span,) = exporter.get_finished_spans()
    assert f"{span.context.trace_id:032x}" == CALLER.split("-")[1]
    assert span.parent is not None and f"{span.parent.span_id:016x}" == CALLER.split("-")[2]
    assert len(context_of(None)) == 0 and len(context_of("not a traceparent")) == 0


def test_events_applied_together_keep_each_the_trace_context_of_its_own_cause() -> None:
    """A group commit applies several consumers' events in one unit of work; each
    event it causes is stored with the trace context of the event that caused it."""
    uow = FakeUnitOfWork(lambda payload: (c.EntrySubmitted, payload))
    uow.entries = FakeRepository("entry_id")  # type: ignore[attr-defined]
    provider = TracerProvider()
    payload = samples()["entry.submitted"].data
    causes = []
    for name in ("first", "second"):
        with provider.get_tracer("test").start_as_current_span(name):
            causes.append(Cause.new(name))
        uow.cause = causes[-1]
        entry = Aggregate()
        entry.events.append(payload)
        uow.entries.items[name] = entry  # type: ignore[attr-defined]
        uow.stage_events()
        del uow.entries.items[name]  # type: ignore[attr-defined]
    first, second = uow.events_to_store()
    assert (first.correlation_id, second.correlation_id) == ("first", "second")
    assert uow.traceparents == {first.event_id: causes[0].traceparent, second.event_id: causes[1].traceparent}
    assert causes[0].traceparent != causes[1].traceparent


async def test_a_request_continues_its_callers_trace_named_by_its_route(
    traced: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    provider, exporter = traced
    app = FastAPI()

    @app.get("/editions/{edition_id}")
    async def edition(edition_id: str) -> dict[str, Any]:
        return {"traceparent": current_traceparent()}

    app.add_middleware(TraceRequests, provider=provider)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc") as http:
        continued_answer = (await http.get("/editions/e-1", headers={"traceparent": CALLER})).json()
        await http.get("/editions/e-2")
        await http.get("/nowhere")
    called, fresh, missing = exporter.get_finished_spans()
    assert (called.name, called.kind) == ("GET /editions/{edition_id}", SpanKind.SERVER)
    assert called.attributes is not None and called.attributes["http.response.status_code"] == 200
    assert f"{called.context.trace_id:032x}" == CALLER.split("-")[1]
    assert called.parent is not None and f"{called.parent.span_id:016x}" == CALLER.split("-")[2]
    # The handler runs in the request's span: what it stores carries it on.
    assert continued_answer["traceparent"].split("-")[2] == f"{called.context.span_id:016x}"
    assert fresh.parent is None and fresh.context.trace_id != called.context.trace_id
    assert missing.name == "GET" and missing.attributes is not None
    assert missing.attributes["http.response.status_code"] == 404


async def test_the_consoles_calls_carry_its_page_requests_trace_context(
    traced: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    provider, _ = traced
    service = FastAPI()

    @service.get("/echo")
    async def echo(request: Request) -> dict[str, Any]:
        return {"traceparent": request.headers.get("traceparent")}

    client = propagate_to(
        httpx.AsyncClient(transport=httpx.ASGITransport(app=service), base_url="http://api")
    )
    propagate_to(client)  # once is enough, however often the console starts
    assert len(client.event_hooks["request"]) == 1
    async with client:
        assert (await client.get("/echo")).json()["traceparent"] is None
        with provider.get_tracer("test").start_as_current_span("page") as page:
            sent = (await client.get("/echo")).json()["traceparent"]
    assert ids(sent) == ids_of(page)


class _Receiver(BaseHTTPRequestHandler):
    received: list[tuple[str, str, int]] = []

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers["Content-Length"])
        self.rfile.read(length)
        type(self).received.append((self.path, self.headers["Content-Type"], length))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def test_spans_go_over_otlp_http_only_when_an_endpoint_is_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Receiver.received = []
    try:
        monkeypatch.delenv(OTLP_ENDPOINT, raising=False)
        quiet = tracer_provider("judging")
        with quiet.get_tracer("test").start_as_current_span("not exported"):
            pass
        quiet.shutdown()
        assert _Receiver.received == []

        monkeypatch.setenv(OTLP_ENDPOINT, f"http://127.0.0.1:{server.server_address[1]}")
        provider = tracer_provider("judging")
        assert provider.resource.attributes["service.name"] == "judging"
        with provider.get_tracer("test").start_as_current_span("exported"):
            pass
        assert provider.force_flush(5_000)
        provider.shutdown()
    finally:
        server.shutdown()
        server.server_close()
    ((path, content_type, length),) = _Receiver.received
    assert (path, content_type) == ("/v1/traces", "application/x-protobuf") and length > 0
