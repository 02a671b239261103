"""Logs: one JSON object per line, each naming its service, level, logger, the
correlation id of the user action it belongs to and the trace it was written in.

The correlation id is kept in a context variable, set for each HTTP request
(`shared.platform.metrics.HttpMetrics`, from the `X-Correlation-ID` header or a
new one) and each consumed message (`shared.platform.metrics.ObserveConsumption`,
from the message's `correlation_id`). The trace id is the current OpenTelemetry
span's, null outside a span (or when no tracer provider is set up).
"""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from opentelemetry import trace

#: The correlation id of the request or message being handled; None outside one.
correlation_id: ContextVar[str | None] = ContextVar("kim_correlation_id", default=None)

HANDLER_NAME = "kim-json"

#: Loggers that come with their own text handlers (uvicorn's, faststream's): made to
#: write through the root's JSON handler instead.
#: uvicorn's line per request, which `--no-access-log` turns off (and which stays off).
ACCESS = "uvicorn.access"
THIRD_PARTY = ("uvicorn", "uvicorn.error", "uvicorn.access", "faststream", "faststream.access.rabbit")

#: The attributes every `LogRecord` has; any other one came through `extra=` and is kept.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        context = trace.get_current_span().get_span_context()
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "service": self.service,
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "correlation_id": correlation_id.get(),
            "trace_id": format(context.trace_id, "032x") if context.is_valid else None,
            "span_id": format(context.span_id, "016x") if context.is_valid else None,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(service: str, level: str = "INFO") -> None:
    """Every log line of the process as JSON on stderr (uvicorn's and faststream's too).

    The broker's per-message "Received"/"Processed" lines are DEBUG
    (`shared.platform.messaging.broker.make_broker`): not written at INFO.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service))
    handler.set_name(HANDLER_NAME)
    root = logging.getLogger()
    for old in list(root.handlers):  # ours from an earlier app of this process; others stay
        if old.get_name() == HANDLER_NAME:
            root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in THIRD_PARTY:
        logger = logging.getLogger(name)
        if name == ACCESS and not logger.handlers and not logger.propagate:
            continue  # `uvicorn --no-access-log` turned it off: no line per request
        logger.handlers.clear()
        logger.propagate = True
        # Whatever configured it before (uvicorn's own dictConfig, an earlier app of this
        # process): it follows the service's level now, and is not left switched off.
        logger.setLevel(logging.NOTSET)
        logger.disabled = False
