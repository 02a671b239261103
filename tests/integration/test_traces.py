"""Traces across the services on the real broker and MongoDB: one entry
submission is one OpenTelemetry trace, from the HTTP request through the
outbox record and the AMQP headers to judging's and notifications' consumers,
and on to the email notifications sends later.

The services run in this process, each with its own tracer provider (its own
`service.name`); they all export to one in-memory exporter here."""

from __future__ import annotations

import secrets
from typing import Any

import httpx
from console.config import Settings as ConsoleSettings
from console.main import create_app as create_console
from fastapi import FastAPI
from judging.main import create_app as create_judging
from notifications.main import create_app as create_notifications
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from registry.main import create_app as create_registry
from submissions.main import create_app as create_submissions

from devstack.mail_sink import MailSink

from ..support import EventTap, eventually, serving
from .flows import edition_body, enrolled_kim, entry_body, ok, published_edition

#: The caller's span (the console's page request, say) under which each attempt is sent.
CALLER_SPAN = "b7ad6b7169203331"


def exporting(app: FastAPI, exporter: InMemorySpanExporter) -> FastAPI:
    app.state.runtime.tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    return app


def service_of(span: ReadableSpan) -> str:
    return str(span.resource.attributes["service.name"])


def span_table(spans: list[ReadableSpan]) -> list[str]:
    """One line per span, in start order: service, name, kind, and its parent's name."""
    by_id = {s.context.span_id: s for s in spans}
    lines = []
    for span in sorted(spans, key=lambda s: s.start_time or 0):
        parent = by_id.get(span.parent.span_id) if span.parent else None
        parent_name = (
            f"{service_of(parent)}: {parent.name}"
            if parent
            else ("(the caller)" if span.parent else "(root)")
        )
        lines.append(f"{service_of(span):13} | {span.name:58} | {span.kind.name:8} | {parent_name}")
    return lines


async def test_one_entry_submission_is_one_trace_across_submissions_judging_and_notifications(
    settings_for: Any, tap: EventTap, mail_sink: MailSink
) -> None:
    exporter = InMemorySpanExporter()
    notifications_settings = settings_for(
        "notifications", smtp_port=mail_sink.port, delivery_poll_seconds=0.2
    )
    async with (
        serving(exporting(create_registry(settings_for("registry")), exporter), "registry") as registry,
        serving(
            exporting(create_submissions(settings_for("submissions")), exporter), "submissions"
        ) as submissions,
        serving(exporting(create_judging(settings_for("judging")), exporter), "judging"),
        serving(
            exporting(create_notifications(notifications_settings), exporter), "notifications"
        ) as notifications,
    ):
        await ok(
            await notifications.post(
                "/recipients",
                json={
                    "name": "Seksi Informasi Publik Diskominfo",
                    "email": "ikp@malangkota.go.id",
                    "subscriptions": ["entry.submitted"],
                },
            ),
            201,
        )
        edition = await published_edition(registry)
        edition_id = edition["edition_id"]
        kim = await enrolled_kim(registry, edition_id, "KIM Pasreh Jaya", "bumiayu", 1)
        await tap.wait_for("enrolment.approved")

        trace_id = ""

        async def submitted() -> Any:
            """Each attempt (until submissions has heard of the enrolment) in a trace of its own."""
            nonlocal trace_id
            trace_id = secrets.token_hex(16)
            response = await submissions.post(
                f"/editions/{edition_id}/entries",
                json=entry_body(kim["kim_id"]),
                headers={"traceparent": f"00-{trace_id}-{CALLER_SPAN}-01"},
            )
            return response.json() if response.status_code == 201 else None

        entry = await eventually(submitted)
        (event,) = await tap.wait_for("entry.submitted")
        assert event.data["entry_id"] == entry["entry_id"]

        def in_trace() -> list[ReadableSpan]:
            return [s for s in exporter.get_finished_spans() if f"{s.context.trace_id:032x}" == trace_id]

        def complete() -> list[ReadableSpan] | None:
            spans = in_trace()
            sent = [s for s in spans if s.name == "send email" and service_of(s) == "notifications"]
            consumed = {service_of(s) for s in spans if s.kind == SpanKind.CONSUMER and "process" in s.name}
            # The email's own notification.delivered, published after the send (the inbox's
            # comes first: waiting for any one of them raced the email's).
            ids = {s.context.span_id: s for s in spans}

            def from_send(span: ReadableSpan) -> bool:
                while span.parent is not None and span.parent.span_id in ids:
                    span = ids[span.parent.span_id]
                    if span in sent:
                        return True
                return False

            delivered = [s for s in spans if "notification.delivered publish" in s.name and from_send(s)]
            return spans if sent and delivered and {"judging", "notifications"} <= consumed else None

        spans = await eventually(complete, timeout=30)

    print("\nOne entry submission's trace (service | span | kind | parent):")
    for line in span_table(spans):
        print("  " + line)

    by_id = {s.context.span_id: s for s in spans}
    (request,) = [s for s in spans if s.kind == SpanKind.SERVER and service_of(s) == "submissions"]
    # The request continues the caller's trace, under the caller's span.
    assert request.name == "POST /editions/{edition_id}/entries"
    assert request.parent is not None and f"{request.parent.span_id:016x}" == CALLER_SPAN
    assert request.attributes is not None and request.attributes["http.response.status_code"] == 201
    # Every other span hangs from a span of this trace: one tree, rooted at the request.
    for span in spans:
        if span is not request:
            assert span.parent is not None and span.parent.span_id in by_id, span.name
    assert {service_of(s) for s in spans} == {"submissions", "judging", "notifications"}

    def ancestors(span: ReadableSpan) -> list[ReadableSpan]:
        chain = []
        while span.parent is not None and span.parent.span_id in by_id:
            span = by_id[span.parent.span_id]
            chain.append(span)
        return chain

    # The relay's publish of entry.submitted (outside the request) descends from the request
    # through the trace context the outbox record kept. faststream's middleware puts its
    # "create" span in the AMQP headers; each consumer's span is a child of it.
    (created,) = [s for s in spans if s.name == "kim.events.entry.submitted create"]
    (published,) = [s for s in spans if s.name == "kim.events.entry.submitted publish"]
    assert created.parent is not None and created.parent.span_id == request.context.span_id
    assert created in ancestors(published)
    for service in ("judging", "notifications"):
        (consumed,) = [
            s for s in spans if service_of(s) == service and s.name == "kim.events.entry.submitted process"
        ]
        assert consumed.kind == SpanKind.CONSUMER
        assert consumed.parent is not None and consumed.parent.span_id == created.context.span_id
    # The email, sent later by notifications' sender, is a span under notifications' consumer
    # (the delivery kept the trace context), and its outcome event goes on from the send.
    (sent,) = [s for s in spans if s.name == "send email"]
    assert [service_of(a) for a in ancestors(sent)][:1] == ["notifications"]
    assert ancestors(sent)[0].name == "kim.events.entry.submitted process"
    assert any(sent in ancestors(s) for s in spans if s.name == "kim.events.notification.delivered publish")
    assert len(mail_sink.messages) == 1


async def test_a_console_page_and_the_api_calls_it_makes_are_one_trace(settings_for: Any) -> None:
    exporter = InMemorySpanExporter()
    registry_app = exporting(create_registry(settings_for("registry")), exporter)
    async with serving(registry_app, "registry") as registry:
        await ok(await registry.post("/editions", json=edition_body()), 201)
        to_registry = httpx.AsyncClient(transport=httpx.ASGITransport(app=registry_app))
        console_app = create_console(ConsoleSettings(registry_url="http://registry"), http=to_registry)
        console_app.state.tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
        async with (
            console_app.router.lifespan_context(console_app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=console_app), base_url="http://console"
            ) as browser,
        ):
            assert (await browser.get("/")).status_code == 200

    spans = exporter.get_finished_spans()
    (page,) = [s for s in spans if service_of(s) == "console" and s.kind == SpanKind.SERVER]
    assert page.name == "GET /" and page.parent is None
    calls = [s for s in spans if service_of(s) == "registry" and s.context.trace_id == page.context.trace_id]
    assert calls, [(service_of(s), s.name) for s in spans]
    for call in calls:
        assert call.kind == SpanKind.SERVER
        assert call.parent is not None and call.parent.span_id == page.context.span_id
    print("\nA console page's trace (service | span | kind | parent):")
    for line in span_table([page, *calls]):
        print("  " + line)
