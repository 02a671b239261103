"""The console's ASGI app: `uvicorn console.main:create_app --factory`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from shared.platform.logs import configure_logging
from shared.platform.metrics import HttpMetrics, Metrics
from shared.platform.telemetry import TraceRequests, tracer_provider

from . import csrf, i18n, problems, session
from .config import Settings
from .inbox import Recipients
from .live import Listener, LiveInbox
from .pages import (
    auth,
    certificates,
    inbox,
    judge,
    kim,
    kim_feedback,
    kim_profile,
    my_inbox,
    preferences,
    public,
    results,
    signup,
    staff,
    staff_categories,
    staff_exports,
    staff_judging,
    staff_people,
    staff_reminders,
    staff_rounds,
    staff_voting,
    voting,
)
from .services import ServiceError, Services, ServiceUnavailable, SignInAgain
from .session import SessionStore
from .web import FLASH_COOKIE, NotAllowed, NotSignedIn, Visitor, redirect, render

log = logging.getLogger("console")
LANGUAGE_COOKIE = "kim_lang"
ONE_YEAR = 365 * 24 * 3600


def create_app(
    settings: Settings | None = None,
    clock: Callable[[], datetime] | None = None,
    http: httpx.AsyncClient | None = None,
) -> FastAPI:
    """The app; tests pass a clock and an HTTP client (e.g. one that reaches the services in process)."""
    settings = settings or Settings()
    configure_logging("console", settings.log_level)
    metrics = Metrics("console")
    secret = settings.session_secret.get_secret_value()
    store = SessionStore(secret)
    tokens = csrf.CsrfTokens(secret)
    traces = tracer_provider("console")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.services = Services(settings, store, http)
        listener = Listener(
            settings.amqp_url.get_secret_value(), app.state.live, publisher=settings.notifications_broker_user
        )
        listening = (
            asyncio.create_task(listener.run(), name="console-live-updates")
            if settings.live_updates
            else None
        )
        try:
            yield
        finally:
            if listening is not None:
                await listener.stop(listening)
            await app.state.services.close()
            traces.force_flush(5_000)

    async def protect(request: Request) -> None:
        """Every unsafe request carries the CSRF token of this browser or session."""
        if request.method in csrf.SAFE_METHODS:
            return
        token = request.headers.get(csrf.HEADER)
        if token is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            value = (await request.form()).get(csrf.FIELD)
            token = value if isinstance(value, str) else None
        tokens.check(_csrf_key(request), token)

    app = FastAPI(
        title="KIM Contest console",
        lifespan=lifespan,
        dependencies=[Depends(protect)],
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings
    app.state.tracer_provider = traces
    app.state.sessions = store
    app.state.clock = clock or (lambda: datetime.now(UTC))
    app.state.recipients = Recipients()
    app.state.live = LiveInbox()
    app.state.metrics = metrics
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")

    def _csrf_key(request: Request) -> str | None:
        signed_in = request.state.visitor.session
        return signed_in.csrf_key if signed_in else request.state.browser_key

    @app.middleware("http")
    async def meet_the_visitor(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if request.url.path.startswith("/static/"):
            return await call_next(request)
        language = i18n.language_of(
            request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language")
        )
        i18n.current_language.set(language)
        known_key = request.cookies.get(csrf.BROWSER_COOKIE)
        new_browser = not known_key or len(known_key) > 64
        browser_key = csrf.new_browser_key() if new_browser or known_key is None else known_key
        request.state.browser_key = browser_key
        signed_in = store.find(request.cookies.get(session.COOKIE))
        request.state.visitor = Visitor(
            language=language,
            session=signed_in,
            csrf_token=tokens.token_for(signed_in.csrf_key if signed_in else browser_key),
            path=request.url.path,
            flash=request.cookies.get(FLASH_COOKIE),
        )
        response = await call_next(request)
        if new_browser:
            response.set_cookie(
                csrf.BROWSER_COOKIE,
                browser_key,
                httponly=True,
                samesite="lax",
                secure=settings.secure_cookies,
            )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    @app.exception_handler(csrf.CsrfRefused)
    async def csrf_refused(request: Request, _: Exception) -> Response:
        return problem(request, 403, *problems.CSRF)

    @app.exception_handler(ServiceUnavailable)
    async def unavailable(request: Request, error: Exception) -> Response:
        log.warning("service unavailable: %s", error)
        return problem(request, 503, *problems.UNAVAILABLE)

    @app.exception_handler(SignInAgain)
    async def sign_in_again(request: Request, _: Exception) -> Response:
        response = redirect(request, auth.sign_in_path(request.url.path), flash="session_ended")
        response.delete_cookie(session.COOKIE)
        return response

    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, _: Exception) -> Response:
        return redirect(request, auth.sign_in_path(request.url.path), flash="sign_in_first")

    @app.exception_handler(NotAllowed)
    async def not_allowed(request: Request, _: Exception) -> Response:
        return problem(request, 403, *problems.NOT_ALLOWED)

    @app.exception_handler(ServiceError)
    async def refused(request: Request, error: Exception) -> Response:
        assert isinstance(error, ServiceError)
        if error.status == 404:
            return problem(request, 404, *problems.NOT_FOUND)
        if error.status in (401, 403):
            return problem(request, 403, *problems.NOT_ALLOWED)
        return problem(request, error.status, problems.REFUSED[0], message=error.message)

    @app.exception_handler(RequestValidationError)
    async def malformed(request: Request, error: Exception) -> Response:
        """An address or a form no page of ours makes: a page, not FastAPI's JSON."""
        assert isinstance(error, RequestValidationError)
        if any(problem_["loc"][:1] == ("path",) for problem_ in error.errors()):
            return problem(request, 404, *problems.NOT_FOUND)
        return problem(request, 400, *problems.REFUSED)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)
        if error.status_code == 404:
            return problem(request, 404, *problems.NOT_FOUND)
        return problem(
            request,
            error.status_code,
            *problems.REFUSED,
        )

    @app.exception_handler(Exception)
    async def failed(request: Request, error: Exception) -> Response:
        log.exception("unexpected error", exc_info=error)
        return problem(request, 500, *problems.FAILED)

    @app.get("/health", include_in_schema=False)
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/metrics", include_in_schema=False)
    async def metrics_page() -> Response:
        """Prometheus metrics (HTTP requests by route and status); keep it off the public internet."""
        body, content_type = await metrics.exposition()
        return Response(body, media_type=content_type)

    @app.get("/ready", include_in_schema=False)
    async def ready(request: Request) -> Response:
        clients = request.app.state.services.all
        answers = await asyncio.gather(*(client.health() for client in clients))
        status = {
            client.name: ("ok" if up else "unavailable") for client, up in zip(clients, answers, strict=True)
        }
        return JSONResponse(status, status_code=200 if all(answers) else 503)

    @app.get("/bahasa/{language}", include_in_schema=False)
    async def switch_language(request: Request, language: str, kembali: str = "/") -> Response:
        """The language switch in the header: remembered in a cookie for a year."""
        from .web import local_path

        response = redirect(request, local_path(kembali))
        if language in i18n.LANGUAGES:
            response.set_cookie(
                LANGUAGE_COOKIE, language, max_age=ONE_YEAR, samesite="lax", secure=settings.secure_cookies
            )
        return response

    app.include_router(auth.router)
    app.include_router(signup.router)
    app.include_router(public.router)
    app.include_router(results.router)
    app.include_router(staff.router)
    app.include_router(staff_people.router)
    app.include_router(staff_judging.router)
    app.include_router(staff_categories.router)
    app.include_router(inbox.router)
    app.include_router(judge.router)
    app.include_router(kim.router)
    app.include_router(kim_feedback.router)
    app.include_router(kim_profile.router)
    app.include_router(preferences.router)
    app.include_router(my_inbox.router)
    app.include_router(staff_reminders.router)
    app.include_router(staff_exports.router)
    app.include_router(certificates.router)
    app.include_router(staff_rounds.router)
    app.include_router(voting.router)
    app.include_router(staff_voting.router)
    # The visitor's address from X-Forwarded-For only when the peer is a configured reverse proxy
    # (uvicorn's own trust is turned off: --no-proxy-headers); it goes on to the registry's throttle.
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxy_list)
    # Every request counted and timed, its correlation id set for the logs.
    app.add_middleware(HttpMetrics, metrics=metrics)
    # Outermost: one server span per page request; its context goes on to the services' APIs.
    app.add_middleware(TraceRequests, provider=traces)
    return app


def problem(
    request: Request, status: int, title: str, explanation: str | None = None, *, message: str | None = None
) -> Response:
    """An error page in the reader's language; never a trace."""
    visitor: Any = getattr(request.state, "visitor", None)
    if visitor is None:  # failed before the visitor was known
        return Response(i18n.gettext(title), status_code=status, media_type="text/plain; charset=utf-8")
    if message is None:
        message = i18n.gettext(explanation) if explanation else ""
    response = render(request, "pages/problem.html", status, title=i18n.gettext(title), message=message)
    if status == 503:
        response.headers["Retry-After"] = "30"
    return response
