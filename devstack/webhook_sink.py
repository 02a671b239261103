"""A local HTTP server that records every webhook POSTed to it and checks its
signature: for the demo and the tests."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from notifications.domain.signature import verify

from .processes import free_port


class _Server(ThreadingHTTPServer):
    # The notifications service sends a batch of webhooks at once; the default
    # listen backlog of 5 would reset some of those connections.
    request_queue_size = 128


@dataclass
class ReceivedHook:
    headers: dict[str, str]
    body: bytes
    json: Any
    #: None when the sink has no secret to check with.
    signature_valid: bool | None


class WebhookSink:
    host = "127.0.0.1"
    path = "/hooks/kim"

    def __init__(
        self, port: int | None = None, secret: str | None = None, logdir: Path | None = None
    ) -> None:
        self.port = port or free_port()
        self.secret = secret
        self.logdir = logdir
        self.received: list[ReceivedHook] = []
        #: The status every POST is answered with; set it to make senders retry.
        self.respond_with = 200
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}{self.path}"

    def start(self) -> None:
        if self.logdir is not None:
            self.logdir.mkdir(parents=True, exist_ok=True)
        self._server = _Server((self.host, self.port), _handler_for(self))
        self._thread = threading.Thread(target=self._server.serve_forever, name="webhook-sink", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()

    def record(self, headers: dict[str, str], body: bytes) -> int:
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
        valid = None
        if self.secret is not None:
            timestamp = headers.get("X-KIM-Timestamp", "")
            signature = headers.get("X-KIM-Signature", "")
            valid = verify(self.secret, timestamp, body, signature)
        hook = ReceivedHook(headers=headers, body=body, json=parsed, signature_valid=valid)
        with self._lock:
            self.received.append(hook)
            number = len(self.received)
            status = self.respond_with
        if self.logdir is not None:
            record = {
                "headers": headers,
                "body": body.decode(errors="replace"),
                "json": parsed,
                "signature_valid": valid,
                "answered": status,
            }
            (self.logdir / f"{number}.json").write_text(json.dumps(record, ensure_ascii=False, indent=2))
        return status


def _handler_for(sink: WebhookSink) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status = sink.record(dict(self.headers.items()), body)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # the records are the log

    return Handler
