"""Retrying a creating request safely: the `Idempotency-Key` header.

A client that sends `POST` with `Idempotency-Key: <up to 128 visible characters>` and
gets no answer (a lost connection, a timeout) sends the same request again with the
same key: the service answers what it answered the first time (status and body)
instead of creating a duplicate or refusing the second as over a limit. The same key
with a different body is refused (422 `idempotency_key_reused`); while the first is
still being answered, a second is 409 `idempotency_key_in_use`.

Keys are scoped to the caller (the token's account; an anonymous caller by its
address) and the path, kept for a day in the service's `idempotency_keys`
collection (only the answer and a hash of the body), so every replica honours them.
Answers of 5xx, 401, 403, 409 and 429 are not kept: those are worth trying again.
A key still unanswered after `ABANDONED_AFTER` was left by a process that died while
answering it (SIGKILL, a lost machine): the next request with it is answered afresh.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.responses import JSONResponse
from motor.motor_asyncio import AsyncIOMotorCollection
from pymongo.errors import DuplicateKeyError
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.kernel.i18n import negotiate
from shared.platform.auth import read_token
from shared.platform.http import HTTP_ERRORS, error_body

HEADER = "idempotency-key"
COLLECTION = "idempotency_keys"
KEPT_FOR = timedelta(days=1)
#: Longer than any request takes: an unanswered key this old is nobody's any more.
ABANDONED_AFTER = timedelta(seconds=30)
_KEY = re.compile(r"^[\x21-\x7e]{1,128}$")
#: Answers worth trying again: not kept.
_NOT_KEPT = {401, 403, 409, 429}

MESSAGES = {
    "idempotency_key_reused": {
        "id": "Idempotency-Key ini sudah dipakai untuk permintaan dengan isi yang berbeda. "
        "Gunakan kunci baru untuk permintaan baru.",
        "en": "This Idempotency-Key was already used for a request with a different body. "
        "Use a new key for a new request.",
    },
    "idempotency_key_in_use": {
        "id": "Permintaan dengan Idempotency-Key ini masih diproses. Coba lagi sebentar lagi.",
        "en": "A request with this Idempotency-Key is still being answered. Try again shortly.",
    },
    "idempotency_key_invalid": {
        "id": "Idempotency-Key harus 1 sampai 128 karakter yang terlihat (tanpa spasi).",
        "en": "The Idempotency-Key must be 1 to 128 visible characters (no spaces).",
    },
}


def _refusal(code: str, status: int, headers: Headers) -> JSONResponse:
    language = negotiate(headers.get("accept-language"))
    return JSONResponse(
        {"error": {"code": code, "message": MESSAGES[code][language], "field": "Idempotency-Key"}},
        status_code=status,
    )


class Idempotency:
    """ASGI middleware: answers a repeated `POST` with an `Idempotency-Key` from what it kept."""

    def __init__(
        self,
        app: ASGIApp,
        collection: Callable[[], AsyncIOMotorCollection],
        token_secret: Callable[[], str],
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.app = app
        self.collection = collection
        self.token_secret = token_secret
        self.now = now

    def _caller(self, scope: Scope, headers: Headers) -> str:
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            try:
                return f"account:{read_token(self.token_secret(), token.strip()).account_id}"
            except Exception:  # noqa: BLE001 - refused by `authorize` anyway; not kept apart
                return "invalid-token"
        client = scope.get("client")
        return f"anonymous:{client[0] if client else 'unknown'}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        key = headers.get(HEADER)
        if key is None:
            await self.app(scope, receive, send)
            return
        if not _KEY.match(key):
            await _refusal("idempotency_key_invalid", 422, headers)(scope, receive, send)
            return

        body, more = b"", True
        while more:
            try:
                message = await receive()
            except HTTPException as error:  # over the body limit (`BodyLimit`), in chunks
                code, messages = HTTP_ERRORS[error.status_code]
                text = messages[negotiate(headers.get("accept-language"))]
                await JSONResponse(error_body(code, text), status_code=error.status_code)(
                    scope, receive, send
                )
                return
            if message["type"] != "http.request":
                await self.app(scope, receive, send)  # the client went away: let the app see it
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
        body_hash = hashlib.sha256(body).hexdigest()
        scoped = f"{self._caller(scope, headers)}\n{scope['path']}\n{key}"
        record_id = hashlib.sha256(scoped.encode()).hexdigest()
        collection = self.collection()
        now = self.now()

        await collection.delete_one({"_id": record_id, "created_at": {"$lt": now - KEPT_FOR}})
        try:
            await collection.insert_one(
                {"_id": record_id, "body_hash": body_hash, "created_at": now, "status": None}
            )
        except DuplicateKeyError:
            kept: dict[str, Any] | None = await collection.find_one({"_id": record_id})
            if kept is None:  # forgotten meanwhile: answer as new next time
                await _refusal("idempotency_key_in_use", 409, headers)(scope, receive, send)
                return
            if kept["body_hash"] != body_hash:
                await _refusal("idempotency_key_reused", 422, headers)(scope, receive, send)
                return
            if kept.get("status") is not None:
                await self._replay(kept, send)
                return
            if not await self._take_over(collection, kept, now):
                await _refusal("idempotency_key_in_use", 409, headers)(scope, receive, send)
                return

        answered: dict[str, Any] = {"status": 500, "headers": [], "body": b""}

        async def replay_body() -> Message:
            nonlocal body
            sent, body = body, b""
            return {"type": "http.request", "body": sent, "more_body": False}

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                answered["status"] = message["status"]
                answered["headers"] = [
                    (name.decode("latin-1"), value.decode("latin-1"))
                    for name, value in message.get("headers", [])
                    if name.lower() in (b"content-type", b"location")
                ]
            elif message["type"] == "http.response.body":
                answered["body"] += message.get("body", b"")
            await send(message)

        try:
            await self.app(scope, replay_body, keep)
        finally:
            status = answered["status"]
            if status >= 500 or status in _NOT_KEPT:
                await collection.delete_one({"_id": record_id})
            else:
                await collection.update_one(
                    {"_id": record_id},
                    {"$set": {"status": status, "headers": answered["headers"], "body": answered["body"]}},
                )

    @staticmethod
    async def _take_over(collection: AsyncIOMotorCollection, kept: dict[str, Any], now: datetime) -> bool:
        """Whether an unanswered key was abandoned (older than ABANDONED_AFTER) and is now
        this request's: one request takes it, however many try at once."""
        created = kept["created_at"]
        if created.tzinfo is None:
            created = created.replace(tzinfo=UTC)
        if created > now - ABANDONED_AFTER:
            return False
        taken = await collection.update_one(
            {"_id": kept["_id"], "status": None, "created_at": kept["created_at"]},
            {"$set": {"created_at": now}},
        )
        return taken.modified_count == 1

    @staticmethod
    async def _replay(kept: dict[str, Any], send: Send) -> None:
        headers = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in kept["headers"]]
        headers.append((b"idempotent-replayed", b"true"))
        await send({"type": "http.response.start", "status": kept["status"], "headers": headers})
        await send({"type": "http.response.body", "body": bytes(kept["body"])})
