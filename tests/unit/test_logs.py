"""The JSON log formatter: one object per line, with the service, level, logger,
message, correlation id and trace id (null outside a span)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from opentelemetry import trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags

from shared.platform.logs import HANDLER_NAME, JsonFormatter, configure_logging, correlation_id


def record(message: str, *args: object, level: int = logging.INFO, **extra: object) -> logging.LogRecord:
    made = logging.LogRecord("kim.outbox", level, __file__, 1, message, args, None)
    for key, value in extra.items():
        setattr(made, key, value)
    return made


def test_a_line_is_one_json_object_with_service_level_logger_and_message() -> None:
    line = JsonFormatter("judging").format(record("%d ballots counted", 3, level=logging.WARNING))
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["service"] == "judging"
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "kim.outbox"
    assert entry["message"] == "3 ballots counted"
    assert entry["time"].endswith("+00:00")
    assert entry["correlation_id"] is None and entry["trace_id"] is None and entry["span_id"] is None


def test_the_correlation_id_is_the_one_of_the_request_or_message_being_handled() -> None:
    token = correlation_id.set("3f1c2a9e5b7d")
    try:
        entry = json.loads(JsonFormatter("registry").format(record("kim registered")))
    finally:
        correlation_id.reset(token)
    assert entry["correlation_id"] == "3f1c2a9e5b7d"
    assert json.loads(JsonFormatter("registry").format(record("after")))["correlation_id"] is None


def test_the_trace_id_is_the_current_spans() -> None:
    context = SpanContext(
        trace_id=0x4BF92F3577B34DA6A3CE929D0E0E4736,
        span_id=0x00F067AA0BA902B7,
        is_remote=False,
        trace_flags=TraceFlags(TraceFlags.SAMPLED),
    )
    with trace.use_span(NonRecordingSpan(context)):
        entry = json.loads(JsonFormatter("submissions").format(record("entry stored")))
    assert entry["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert entry["span_id"] == "00f067aa0ba902b7"


def test_extra_fields_and_exceptions_are_kept() -> None:
    try:
        raise ValueError("no such edition")
    except ValueError:
        import sys

        failed = record("lookup failed", level=logging.ERROR, event_type="entry.submitted")
        failed.exc_info = sys.exc_info()
    entry = json.loads(JsonFormatter("submissions").format(failed))
    assert entry["event_type"] == "entry.submitted"
    assert "ValueError: no such edition" in entry["exception"]
    assert entry["message"] == "lookup failed"


def test_text_with_newlines_and_non_ascii_stays_on_one_line() -> None:
    line = JsonFormatter("console").format(record("Pendaftaran KIM “Maju”\nbaris kedua"))
    assert "\n" not in line
    assert json.loads(line)["message"] == "Pendaftaran KIM “Maju”\nbaris kedua"


@pytest.fixture
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler.get_name() == HANDLER_NAME:
            root.removeHandler(handler)
    for handler in handlers:
        if handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(level)


def test_configure_logging_writes_uvicorns_and_faststreams_lines_as_json_once(
    restored_logging: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    # As uvicorn's own logging setup, or an earlier test, may have left it.
    monkeypatch.setattr(logging.getLogger("uvicorn.error"), "disabled", True)
    monkeypatch.setattr(logging.getLogger("uvicorn.error"), "level", logging.WARNING)
    configure_logging("notifications", "INFO")
    configure_logging("notifications", "INFO")  # a second app in the process: still one handler
    ours = [h for h in logging.getLogger().handlers if h.get_name() == HANDLER_NAME]
    assert len(ours) == 1
    logging.getLogger("uvicorn.error").info("Started server process")
    logging.getLogger("faststream.access.rabbit").debug("Received")  # per message: not at INFO
    logging.getLogger("kim.broker").debug("Processed")
    logging.getLogger("kim.outbox").warning("outbox relay could not publish")
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(e["logger"], e["level"], e["message"]) for e in lines] == [
        ("uvicorn.error", "INFO", "Started server process"),
        ("kim.outbox", "WARNING", "outbox relay could not publish"),
    ]
    assert {e["service"] for e in lines} == {"notifications"}


def test_an_access_log_turned_off_by_uvicorn_stays_off_and_one_left_on_is_json(
    restored_logging: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    access = logging.getLogger("uvicorn.access")
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    # `uvicorn --no-access-log`: no handler of its own, not propagated.
    monkeypatch.setattr(access, "handlers", [])
    monkeypatch.setattr(access, "propagate", False)
    configure_logging("judging", "INFO")
    assert not access.hasHandlers()  # what uvicorn asks before writing a line per request
    access.info('127.0.0.1 - "GET /health HTTP/1.1" 200')
    # Left on (uvicorn's own handler): written through ours, as JSON.
    monkeypatch.setattr(access, "handlers", [logging.StreamHandler(io.StringIO())])
    configure_logging("judging", "INFO")
    assert access.hasHandlers() and access.propagate
    access.info('127.0.0.1 - "GET /results HTTP/1.1" 200')
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(e["logger"], e["message"]) for e in lines] == [
        ("uvicorn.access", '127.0.0.1 - "GET /results HTTP/1.1" 200')
    ]
