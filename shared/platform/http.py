"""What every service's HTTP API shares: who the caller is and whether the
table of rules lets them in, errors in the reader's language, and the
correlation id of the user action a request belongs to."""

from __future__ import annotations

import logging
import re
from typing import Annotated, Any, ClassVar

from fastapi import Depends, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pymongo.errors import ConnectionFailure
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.kernel.errors import Conflict, DomainError, NotFound, Refused, Throttled
from shared.kernel.i18n import Language, negotiate
from shared.kernel.principal import ANONYMOUS, Forbidden, Principal, Unauthenticated
from shared.platform.access import DENY, Endpoint, Rule
from shared.platform.auth import InvalidToken, read_token
from shared.platform.logs import correlation_id
from shared.platform.persistence.unit_of_work import Cause
from shared.platform.revocation import TokenVersions

log = logging.getLogger("kim.http")

CORRELATION_HEADER = "X-Correlation-ID"
_CORRELATION_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def language_of(request: Request) -> Language:
    return negotiate(request.headers.get("accept-language"))


def cause_of(request: Request) -> Cause:
    """A user action's correlation id: the caller's, when it sent a sane one; else
    the one the logs of this request carry (`shared.platform.metrics.HttpMetrics`)."""
    given = request.headers.get(CORRELATION_HEADER)
    return Cause.new(given if given and _CORRELATION_ID.match(given) else correlation_id.get())


RequestLanguage = Annotated[Language, Depends(language_of)]
RequestCause = Annotated[Cause, Depends(cause_of)]


class RoleNotAllowed(Forbidden):
    code = "role_not_allowed"
    messages: ClassVar[dict[str, str]] = {
        "id": "Peran Anda ({role}) tidak berwenang untuk {method} {path}.",
        "en": "Your role ({role}) may not call {method} {path}.",
    }


def caller_of(request: Request) -> Principal:
    """The caller a request's bearer token names; anonymous without one."""
    header = request.headers.get("authorization")
    if not header:
        return ANONYMOUS
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken()
    secret = request.app.state.runtime.settings.auth_token_secret.get_secret_value()
    return read_token(secret, token.strip())


#: Declares the bearer token in the OpenAPI documents; `caller_of` reads it.
_BEARER = HTTPBearer(auto_error=False, description="a token from POST /auth/login on the registry")


async def authorize(
    request: Request, _declared: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)]
) -> Principal:
    """Every request's first step: the caller, checked against the endpoint's rule
    in `shared.platform.access`. An endpoint without a rule is refused to everyone.
    A token older than its account's latest version is refused (`session_ended`)."""
    principal = caller_of(request)
    versions: TokenVersions | None = getattr(request.app.state, "token_versions", None)
    if versions is not None:
        await versions.check(principal)
    route = request.scope.get("route")
    method = "GET" if request.method == "HEAD" else request.method
    endpoint: Endpoint = (method, getattr(route, "path", request.url.path))
    rules: dict[Endpoint, Rule] = request.app.state.access_rules
    rule = rules.get(endpoint)
    if rule is None:
        log.error("no access rule for %s %s: refused to everyone", *endpoint)
    if rule is None or rule.of(principal.role) is DENY:
        if principal.anonymous:
            raise Unauthenticated()
        raise RoleNotAllowed(role=principal.role, method=endpoint[0], path=endpoint[1])
    refuse_unknown_query_parameters(request, route)
    request.state.principal = principal
    return principal


def _query_names(dependant: Dependant | None) -> set[str]:
    if dependant is None:
        return set()
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def _declared_query_names(route: Any) -> frozenset[str]:
    """The query parameters a route and its dependencies declare, worked out once
    per route and kept on it."""
    if route is None:
        return frozenset()
    names: frozenset[str] | None = getattr(route, "_declared_query_names", None)
    if names is None:
        names = frozenset(_query_names(getattr(route, "dependant", None)))
        route._declared_query_names = names
    return names


def refuse_unknown_query_parameters(request: Request, route: Any) -> None:
    """A query parameter the endpoint does not declare is refused by name (422), as
    an unknown body field is: `?status[$ne]=x` is a mistake or an attack, never a filter."""
    if not request.query_params:
        return
    known = _declared_query_names(route)
    unknown = [name for name in request.query_params if name not in known]
    if unknown:
        raise RequestValidationError(
            [
                {"type": "extra_forbidden", "loc": ("query", name), "msg": "Extra inputs are not permitted"}
                for name in unknown
            ]
        )


def current_caller(request: Request) -> Principal:
    principal: Principal | None = getattr(request.state, "principal", None)
    if principal is None:  # every route runs `authorize` first; this is a safety net
        raise Unauthenticated()
    return principal


#: The caller of this request, already let in by the table of rules.
Caller = Annotated[Principal, Depends(current_caller)]

STATUS_OF = (
    (Refused, 422),
    (NotFound, 404),
    (Conflict, 409),
    (Unauthenticated, 401),
    (Forbidden, 403),
    (Throttled, 429),
)


def _status(error: DomainError) -> int:
    return next((status for kind, status in STATUS_OF if isinstance(error, kind)), 400)


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **{k: v for k, v in extra.items() if v}}}


# Indonesian and English for the validation errors people meet most; others fall
# back to pydantic's English text.
VALIDATION_MESSAGES: dict[str, dict[str, str]] = {
    "missing": {"id": "Wajib diisi.", "en": "This field is required."},
    "string_too_short": {
        "id": "Terlalu pendek: minimal {min_length} karakter.",
        "en": "Too short: at least {min_length} characters.",
    },
    "string_too_long": {
        "id": "Terlalu panjang: maksimal {max_length} karakter.",
        "en": "Too long: at most {max_length} characters.",
    },
    "too_short": {
        "id": "Terlalu sedikit: minimal {min_length} isian.",
        "en": "Too few items: at least {min_length}.",
    },
    "too_long": {
        "id": "Terlalu banyak: maksimal {max_length} isian.",
        "en": "Too many items: at most {max_length}.",
    },
    "greater_than": {"id": "Harus lebih dari {gt}.", "en": "Must be greater than {gt}."},
    "greater_than_equal": {"id": "Minimal {ge}.", "en": "Must be at least {ge}."},
    "less_than": {"id": "Harus kurang dari {lt}.", "en": "Must be less than {lt}."},
    "less_than_equal": {"id": "Maksimal {le}.", "en": "Must be at most {le}."},
    "string_pattern_mismatch": {
        "id": "Format tidak valid atau berisi karakter yang tidak diizinkan.",
        "en": "Invalid format, or characters that are not allowed.",
    },
    "int_parsing": {"id": "Harus berupa bilangan bulat.", "en": "Must be a whole number."},
    "int_type": {
        "id": "Harus berupa bilangan bulat (bukan teks atau true/false).",
        "en": "Must be a whole number (not text nor true/false).",
    },
    "string_type": {"id": "Harus berupa teks.", "en": "Must be text."},
    "uuid_parsing": {"id": "Bukan ID yang valid.", "en": "Not a valid ID."},
    "datetime_parsing": {
        "id": "Tanggal/waktu tidak valid; gunakan format ISO 8601, mis. 2024-08-01T00:00:00+07:00.",
        "en": "Not a valid date-time; use ISO 8601, e.g. 2024-08-01T00:00:00+07:00.",
    },
    "timezone_aware": {
        "id": "Sertakan zona waktu, mis. +07:00.",
        "en": "Include a time zone, e.g. +07:00.",
    },
    "url_parsing": {"id": "Bukan tautan yang valid.", "en": "Not a valid link."},
    "value_error": {"id": "Nilai tidak valid: {error}", "en": "Invalid value: {error}"},
    "literal_error": {"id": "Pilih salah satu: {expected}.", "en": "Choose one of: {expected}."},
    "enum": {"id": "Pilih salah satu: {expected}.", "en": "Choose one of: {expected}."},
    "json_invalid": {"id": "Isi permintaan bukan JSON yang valid.", "en": "The body is not valid JSON."},
    "extra_forbidden": {"id": "Kolom ini tidak dikenal.", "en": "This field is not known."},
    "float_type": {"id": "Harus berupa angka.", "en": "Must be a number."},
    "bool_type": {"id": "Harus true atau false.", "en": "Must be true or false."},
    "string_not_text": {
        "id": "Bukan teks Unicode yang valid.",
        "en": "Not valid Unicode text.",
    },
    "text_spoofing": {
        "id": "Berisi karakter tak terlihat atau pengubah arah teks ({character}) yang tidak diizinkan.",
        "en": "Holds an invisible or direction-changing character ({character}), which is not allowed.",
    },
    "text_combining_marks": {
        "id": "Terlalu banyak tanda diakritik bertumpuk (lebih dari {most} berturut-turut).",
        "en": "Too many stacked combining marks (more than {most} in a row).",
    },
    "date_out_of_range": {
        "id": "Tanggal harus antara tahun {earliest} dan sebelum {latest}.",
        "en": "The date must be from the year {earliest} to before {latest}.",
    },
    "password_common": {
        "id": "Kata sandi ini terlalu umum (ada di daftar kata sandi yang sering dipakai atau bocor). "
        "Pilih yang lain, mis. beberapa kata acak.",
        "en": "This password is too common (it is on a list of often used or leaked passwords). "
        "Choose another, e.g. a few random words.",
    },
    "password_repetitive": {
        "id": "Kata sandi tidak boleh berupa karakter yang diulang-ulang.",
        "en": "The password must not be the same characters over and over.",
    },
    "password_sequential": {
        "id": "Kata sandi tidak boleh berupa urutan, seperti 1234567890 atau qwertyuiop.",
        "en": "The password must not be a sequence such as 1234567890 or qwertyuiop.",
    },
    "password_has_email": {
        "id": "Kata sandi tidak boleh memuat nama pada alamat email akun.",
        "en": "The password must not contain the name in the account's email address.",
    },
    "password_not_text": {
        "id": "Kata sandi hanya boleh berisi teks yang dapat dicetak (tanpa karakter kendali).",
        "en": "The password may hold only printable text (no control characters).",
    },
}


def field_of(location: tuple[Any, ...]) -> str:
    parts = [str(p) for p in location]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def validation_message(error: dict[str, Any], language: Language) -> str:
    templates = VALIDATION_MESSAGES.get(error["type"])
    if templates is None:
        return error["msg"] if language == "en" else f"Nilai tidak valid ({error['msg']})."
    try:
        return templates[language].format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return error["msg"]


HTTP_ERRORS: dict[int, tuple[str, dict[str, str]]] = {
    # FastAPI's answer to a body it cannot even decode (not UTF-8, say).
    400: (
        "unreadable_body",
        {
            "id": "Isi permintaan tidak dapat dibaca: kirim JSON dalam UTF-8.",
            "en": "The request body cannot be read: send JSON in UTF-8.",
        },
    ),
    404: ("not_found", {"id": "Alamat tidak ditemukan.", "en": "Not found."}),
    405: ("method_not_allowed", {"id": "Metode tidak diizinkan.", "en": "Method not allowed."}),
    413: (
        "body_too_large",
        {"id": "Isi permintaan terlalu besar.", "en": "The request body is too large."},
    ),
}


class BodyLimit:
    """Refuses a request body over the limit (413, the same JSON error as the rest):
    at once when its Content-Length says so, else as soon as more has been read."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            code, messages = HTTP_ERRORS[413]
            language = negotiate(headers.get("accept-language"))
            await JSONResponse(error_body(code, messages[language]), status_code=413)(scope, receive, send)
            return
        read = 0

        async def counted() -> Message:
            nonlocal read
            message = await receive()
            read += len(message.get("body", b""))
            if read > self.max_body_bytes:
                raise HTTPException(413)  # inside the app: answered by `http_error`
            return message

        await self.app(scope, counted, send)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, error: DomainError) -> JSONResponse:
        language = language_of(request)
        headers = {}
        if isinstance(error, Unauthenticated):
            headers["WWW-Authenticate"] = "Bearer"
        if isinstance(error, Throttled):
            headers["Retry-After"] = str(error.retry_after_seconds)
        return JSONResponse(
            error_body(error.code, error.message(language), field=error.field),
            status_code=_status(error),
            headers=headers,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        language = language_of(request)
        fields = [
            {
                "field": field_of(tuple(item["loc"])),
                "code": item["type"],
                "message": validation_message(item, language),
            }
            for item in error.errors()
        ]
        summary = {
            "id": "Periksa kembali isian: " + ", ".join(f["field"] for f in fields) + ".",
            "en": "Please check: " + ", ".join(f["field"] for f in fields) + ".",
        }[language]
        return JSONResponse(
            error_body(
                "invalid_request", summary, field=fields[0]["field"] if fields else None, fields=fields
            ),
            status_code=422,
        )

    @app.exception_handler(ConnectionFailure)
    async def database_away(request: Request, error: ConnectionFailure) -> JSONResponse:
        message = {
            "id": "Basis data sedang tidak dapat dihubungi. Coba lagi sebentar lagi.",
            "en": "The database cannot be reached right now. Try again shortly.",
        }[language_of(request)]
        return JSONResponse(
            error_body("service_unavailable", message), status_code=503, headers={"Retry-After": "5"}
        )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        code, message = HTTP_ERRORS.get(error.status_code, ("http_error", {}))
        text = message.get(language_of(request)) or str(error.detail)
        return JSONResponse(error_body(code, text), status_code=error.status_code, headers=error.headers)
