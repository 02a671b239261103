"""A local stand-in for the WhatsApp Business Cloud API: for the demo and the tests.

It takes template messages the way the Cloud API does (`POST /{version}/{phone
number id}/messages` with a bearer token), answers each with a message id, keeps
it (under `logdir` as `<n>.json` too), and then calls the notifications
service's status endpoint back, as Meta does: one callback per status (sent,
delivered, read), each signed `X-Hub-Signature-256: sha256=<HMAC-SHA256 of the
body under the app secret>`. What each callback was answered is kept with the
message.

Switches, for the tests: `plan(number, "429", "500", ...)` answers the next
messages to `number` that way (then normally); `not_on_whatsapp(number)` answers
error 131026 for it every time; `receipts` says which statuses are called back.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from notifications.domain.signature import sign_hub

from .processes import free_port

#: The Cloud API's error answers the switches give: HTTP status and error body.
ANSWERS: dict[str, tuple[int, dict[str, Any]]] = {
    "429": (429, {"code": 130429, "message": "(#130429) Rate limit hit", "type": "OAuthException"}),
    "500": (500, {"code": 131000, "message": "(#131000) Something went wrong", "type": "OAuthException"}),
    "503": (503, {"code": 2, "message": "(#2) Service temporarily unavailable", "type": "OAuthException"}),
    "not_on_whatsapp": (
        400,
        {
            "code": 131026,
            "message": "(#131026) Message undeliverable",
            "type": "OAuthException",
            "error_data": {
                "messaging_product": "whatsapp",
                "details": "Receiver is incapable of receiving this message",
            },
        },
    ),
    "unauthorized": (401, {"code": 190, "message": "Invalid OAuth access token.", "type": "OAuthException"}),
}


class _Server(ThreadingHTTPServer):
    request_queue_size = 128
    daemon_threads = True


@dataclass
class SentMessage:
    number: int
    message_id: str
    to: str
    body: dict[str, Any]
    #: (status, HTTP status the callback was answered with, or the error) per callback.
    callbacks: list[tuple[str, int | str]] = field(default_factory=list)

    @property
    def template(self) -> str:
        return str(self.body["template"]["name"])

    @property
    def language(self) -> str:
        return str(self.body["template"]["language"]["code"])

    @property
    def parameters(self) -> list[str]:
        components = self.body["template"].get("components") or [{}]
        return [p["text"] for p in components[0].get("parameters", [])]


#: How many times a status callback is tried before the fake gives up on it (one a second).
CALLBACK_ATTEMPTS = 120


class WhatsAppGateway:
    host = "127.0.0.1"

    def __init__(
        self,
        *,
        port: int | None = None,
        token: str = "token-lokal-whatsapp",
        phone_number_id: str = "106540352242922",
        app_secret: str | None = None,
        callback_url: str | None = None,
        logdir: Path | None = None,
        callback_delay: float = 0.2,
        receipts: tuple[str, ...] = ("sent", "delivered", "read"),
    ) -> None:
        self.port = port or free_port()
        self.token = token
        self.phone_number_id = phone_number_id
        self.app_secret = app_secret
        self.callback_url = callback_url
        self.logdir = logdir
        self.callback_delay = callback_delay
        self.receipts = receipts
        self.messages: list[SentMessage] = []
        #: Every request, answered or not: (to, HTTP status answered).
        self.requests: list[tuple[str, int]] = []
        self._planned: dict[str, deque[str]] = defaultdict(deque)
        self._not_on_whatsapp: set[str] = set()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._callbacks: list[threading.Thread] = []
        self._stopping = threading.Event()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def settings(self, api_version: str = "v21.0") -> dict[str, str]:
        """The notifications service's environment that points it here."""
        env = {
            "NOTIFICATIONS_WHATSAPP_BASE_URL": self.base_url,
            "NOTIFICATIONS_WHATSAPP_API_VERSION": api_version,
            "NOTIFICATIONS_WHATSAPP_PHONE_NUMBER_ID": self.phone_number_id,
            "NOTIFICATIONS_WHATSAPP_TOKEN": self.token,
        }
        if self.app_secret:
            env["NOTIFICATIONS_WHATSAPP_APP_SECRET"] = self.app_secret
        return env

    def plan(self, number: str, *answers: str) -> None:
        """Answer the next messages to `number` with these (keys of ANSWERS), in order."""
        with self._lock:
            self._planned[number].extend(answers)

    def not_on_whatsapp(self, number: str) -> None:
        with self._lock:
            self._not_on_whatsapp.add(number)

    def start(self) -> None:
        if self.logdir is not None:
            self.logdir.mkdir(parents=True, exist_ok=True)
        self._server = _Server((self.host, self.port), _handler_for(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="whatsapp-gateway", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()  # callbacks still being retried give up
        for thread in list(self._callbacks):
            thread.join(timeout=10)
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()

    # --- what a request gets ----------------------------------------------------------------

    def answer(self, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, dict[str, Any]]:
        if headers.get("Authorization") != f"Bearer {self.token}":
            status, error = ANSWERS["unauthorized"]
            return self._answered("?", status, {"error": error})
        if path.rstrip("/").split("/")[-2:] != [self.phone_number_id, "messages"]:
            return self._answered("?", 404, {"error": {"code": 100, "message": "Unknown path " + path}})
        try:
            body = json.loads(raw)
            to = str(body["to"])
            template = body["template"]
            assert body["messaging_product"] == "whatsapp" and body["type"] == "template"
            assert template["name"] and template["language"]["code"] in ("id", "en")
        except (ValueError, KeyError, TypeError, AssertionError):
            error = {"code": 100, "message": "(#100) Invalid parameter", "type": "OAuthException"}
            return self._answered("?", 400, {"error": error})
        with self._lock:
            planned = self._planned[to].popleft() if self._planned[to] else None
            if planned is None and to in self._not_on_whatsapp:
                planned = "not_on_whatsapp"
        if planned is not None:
            status, error = ANSWERS[planned]
            return self._answered(to, status, {"error": {**error, "fbtrace_id": uuid.uuid4().hex[:16]}})
        message_id = "wamid." + uuid.uuid4().hex
        with self._lock:
            message = SentMessage(number=len(self.messages) + 1, message_id=message_id, to=to, body=body)
            self.messages.append(message)
        self._save(message)
        if self.callback_url and self.app_secret and self.receipts:
            thread = threading.Thread(target=self._call_back, args=(message,), daemon=True)
            self._callbacks.append(thread)
            thread.start()
        answer = {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": to.lstrip("+")}],
            "messages": [{"id": message_id, "message_status": "accepted"}],
        }
        return self._answered(to, 200, answer)

    def _answered(self, to: str, status: int, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.requests.append((to, status))
        return status, body

    # --- the status callbacks -----------------------------------------------------------------

    def status_body(
        self,
        message_id: str,
        to: str,
        status: str,
        errors: list[dict[str, Any]] | None = None,
        reference: str | None = None,
    ) -> bytes:
        """A Cloud API status callback body for one status of one message (with the
        message's `biz_opaque_callback_data`, as the API echoes it)."""
        entry: dict[str, Any] = {
            "id": message_id,
            "status": status,
            "timestamp": str(int(time.time())),
            "recipient_id": to.lstrip("+"),
        }
        if reference is not None:
            entry["biz_opaque_callback_data"] = reference
        if errors:
            entry["errors"] = errors
        value = {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "6281100000000", "phone_number_id": self.phone_number_id},
            "statuses": [entry],
        }
        change = {"value": value, "field": "messages"}
        return json.dumps(
            {"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [change]}]}
        ).encode()

    def signed(self, body: bytes) -> dict[str, str]:
        assert self.app_secret is not None
        return {"Content-Type": "application/json", "X-Hub-Signature-256": sign_hub(self.app_secret, body)}

    def _call_back(self, message: SentMessage) -> None:
        assert self.callback_url is not None
        reference = message.body.get("biz_opaque_callback_data")
        for status in self.receipts:
            time.sleep(self.callback_delay)
            body = self.status_body(message.message_id, message.to, status, reference=reference)
            answered: int | str = "not called"
            # As Meta does, a callback the service did not take (down, restarting, 5xx) is
            # tried again, here every second for at most CALLBACK_ATTEMPTS seconds.
            for attempt in range(CALLBACK_ATTEMPTS):
                if attempt and self._stopping.wait(1.0):
                    break
                try:
                    answered = httpx.post(
                        self.callback_url, content=body, headers=self.signed(body), timeout=10
                    ).status_code
                except httpx.HTTPError as error:
                    answered = f"{type(error).__name__}: {error}"
                if isinstance(answered, int) and answered < 500:
                    break
            with self._lock:
                message.callbacks.append((status, answered))
            self._save(message)

    def _save(self, message: SentMessage) -> None:
        if self.logdir is None:
            return
        record = {
            "message_id": message.message_id,
            "to": message.to,
            "template": message.template,
            "language": message.language,
            "parameters": message.parameters,
            "body": message.body,
            "callbacks": [{"status": s, "answered": a} for s, a in message.callbacks],
        }
        path = self.logdir / f"{message.number}.json"
        path.write_text(json.dumps(record, ensure_ascii=False, indent=2))


def _handler_for(gateway: WhatsAppGateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, body = gateway.answer(self.path, dict(self.headers.items()), raw)
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # the records are the log

    return Handler
