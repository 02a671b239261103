"""The four services, as the console calls them: one small client per service over
one shared connection pool, sending the signed-in person's bearer token and their
language, renewing the token through the registry when it is about to expire or
a service answered 401.

- A service's refusal (4xx) becomes `ServiceError` with its code, message (in
  the reader's language: the services translate) and field, so a form can show
  it beside the field.
- A service that cannot be reached, or answers 5xx, becomes `ServiceUnavailable`:
  the app renders the "layanan sedang tidak tersedia" page (503).
- A session that cannot be renewed becomes `SignInAgain`: the person is sent to
  /masuk with a message.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

import httpx
from starlette.requests import Request

from shared.platform.logs import correlation_id
from shared.platform.telemetry import propagate_to

from .config import Settings
from .i18n import Language
from .session import SessionStore, SignedIn


class ServiceError(Exception):
    """A service refused the request: its error code, message and the field it names."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message, self.field = status, code, message, field


class ServiceUnavailable(Exception):
    def __init__(self, service: str) -> None:
        super().__init__(f"{service} is unavailable")
        self.service = service


class SignInAgain(Exception):
    """The session ended (signed out elsewhere, expired, revoked, account disabled)."""


@dataclass
class Caller:
    """Who the console calls a service for: their language and their session, if signed in."""

    language: Language
    session: SignedIn | None = None


class ServiceClient:
    def __init__(self, name: str, base_url: str, http: httpx.AsyncClient, services: Services) -> None:
        self.name, self.base_url, self._http, self._services = name, base_url.rstrip("/"), http, services

    async def get(self, path: str, caller: Caller, **kwargs: Any) -> Any:
        return await self.request("GET", path, caller, **kwargs)

    async def post(self, path: str, caller: Caller, **kwargs: Any) -> Any:
        return await self.request("POST", path, caller, **kwargs)

    async def put(self, path: str, caller: Caller, **kwargs: Any) -> Any:
        return await self.request("PUT", path, caller, **kwargs)

    async def patch(self, path: str, caller: Caller, **kwargs: Any) -> Any:
        return await self.request("PATCH", path, caller, **kwargs)

    async def delete(self, path: str, caller: Caller, **kwargs: Any) -> Any:
        return await self.request("DELETE", path, caller, **kwargs)

    async def download(self, path: str, caller: Caller) -> httpx.Response:
        """A file the service serves (e.g. a CSV), as its response: renewed like any call,
        refused or unavailable the same way."""
        session = caller.session
        if session is not None and session.needs_renewal(self._services.store.clock()):
            await self._services.renew(session, session.access_token)
        response = await self._send("GET", path, caller, None, None)
        if response.status_code == 401 and session is not None:
            await self._services.renew(session, self._sent_token(response))
            response = await self._send("GET", path, caller, None, None)
        if response.status_code >= 400:
            answer_of(self.name, response)
        return response

    async def request(
        self,
        method: str,
        path: str,
        caller: Caller,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        """The service's JSON answer (None for 204)."""
        session = caller.session
        if session is not None and session.needs_renewal(self._services.store.clock()):
            await self._services.renew(session, session.access_token)
        response = await self._send(method, path, caller, json, params, headers)
        if response.status_code == 401 and session is not None:
            await self._services.renew(session, self._sent_token(response))
            response = await self._send(method, path, caller, json, params, headers)
            if response.status_code == 401:
                raise SignInAgain()
        return answer_of(self.name, response)

    async def health(self) -> bool:
        try:
            return (await self._http.get(f"{self.base_url}/health", timeout=2.0)).status_code == 200
        except httpx.HTTPError:
            return False

    async def _send(
        self,
        method: str,
        path: str,
        caller: Caller,
        json: Any,
        params: dict[str, Any] | None,
        extra: dict[str, str] | None = None,
    ) -> httpx.Response:
        headers: dict[str, str] = {"Accept-Language": caller.language, **(extra or {})}
        if caller.session is not None:
            headers["Authorization"] = f"Bearer {caller.session.access_token}"
        if (action := correlation_id.get()) is not None:
            # The visitor's action keeps one correlation id, from the console's log to the events it causes.
            headers.setdefault("X-Correlation-ID", action)
        try:
            return await self._http.request(
                method, f"{self.base_url}{path}", json=json, params=params, headers=headers
            )
        except httpx.TransportError as error:
            raise ServiceUnavailable(self.name) from error

    @staticmethod
    def _sent_token(response: httpx.Response) -> str:
        return response.request.headers.get("Authorization", "").removeprefix("Bearer ")


def idempotent(key: str) -> dict[str, str] | None:
    """The Idempotency-Key header of a creating request, from the form's hidden field
    (a new key per form rendered); none when the form sent none or a malformed one."""
    key = key.strip()
    return {"Idempotency-Key": key} if 0 < len(key) <= 128 and key.isascii() and key.isprintable() else None


async def idempotency_of(request: Request) -> dict[str, str] | None:
    """The Idempotency-Key header for the creating request a form asks for: the form's
    hidden `idempotency_key` (`macros.csrf_field`), so a form sent twice creates once."""
    key = (await request.form()).get("idempotency_key", "")
    return idempotent(key if isinstance(key, str) else "")


def answer_of(service: str, response: httpx.Response) -> Any:
    if response.status_code >= 500:
        raise ServiceUnavailable(service)
    if response.status_code >= 400:
        try:
            error = response.json()["error"]
            raise ServiceError(response.status_code, error["code"], error["message"], error.get("field"))
        except (ValueError, KeyError, TypeError) as malformed:
            raise ServiceUnavailable(service) from malformed
    if response.status_code == 204 or not response.content:
        return None
    return response.json()


class Services:
    """The four clients, the shared pool and the session table renewals update."""

    def __init__(
        self, settings: Settings, store: SessionStore, http: httpx.AsyncClient | None = None
    ) -> None:
        # Each call to a service carries the page request's trace context (`traceparent`).
        self.http = propagate_to(
            http
            or httpx.AsyncClient(
                timeout=httpx.Timeout(settings.request_timeout_seconds, connect=3.0),
                limits=httpx.Limits(max_connections=50, max_keepalive_connections=20),
            )
        )
        self.store = store
        self.registry = ServiceClient("registry", settings.registry_url, self.http, self)
        self.submissions = ServiceClient("submissions", settings.submissions_url, self.http, self)
        self.judging = ServiceClient("judging", settings.judging_url, self.http, self)
        self.notifications = ServiceClient("notifications", settings.notifications_url, self.http, self)
        #: The public vote and the gallery (issue 18). Not in `all`: /ready names the four.
        self.voting = ServiceClient("voting", settings.voting_url, self.http, self)

    @property
    def all(self) -> tuple[ServiceClient, ...]:
        return (self.registry, self.submissions, self.judging, self.notifications)

    async def log_in(self, email: str, password: str, language: Language, visitor: str | None) -> SignedIn:
        """Signs in at the registry, telling it the visitor's address (`X-Forwarded-For`),
        which the registry believes when it trusts the console (`REGISTRY_TRUSTED_PROXIES`):
        its login throttle then counts the visitor, not the console."""
        answer = await self.registry.post(
            "/auth/login",
            Caller(language),
            json={"email": email, "password": password},
            headers={"X-Forwarded-For": visitor} if visitor else None,
        )
        return SignedIn.from_login(answer, self.store.clock())

    async def renew(self, session: SignedIn, stale_token: str) -> None:
        """New tokens for a session, once even when several requests ask at the same time:
        the registry would take a refresh token presented twice for a stolen one."""
        async with session.renewing:
            if session.access_token != stale_token and not session.needs_renewal(self.store.clock()):
                return  # another request renewed it meanwhile
            try:
                answer = await self.registry.post(
                    "/auth/refresh", Caller("id"), json={"refresh_token": session.refresh_token}
                )
            except ServiceError as error:
                self.store.remove(session)
                raise SignInAgain() from error
            session.take(answer, self.store.clock())

    async def log_out(self, session: SignedIn) -> None:
        self.store.remove(session)
        with contextlib.suppress(ServiceError):  # already ended at the registry: nothing left to end
            await self.registry.post(
                "/auth/logout", Caller("id"), json={"refresh_token": session.refresh_token}
            )

    async def close(self) -> None:
        await self.http.aclose()
