"""What every service's HTTP API shares: errors in the reader's language and
the correlation id of the user action a request belongs to."""

from __future__ import annotations

import re
from typing import Annotated, Any, TypeVar

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pymongo.errors import ConnectionFailure
from starlette.exceptions import HTTPException

from .errors import Conflict, DomainError, NotFound, Refused
from .i18n import Language, negotiate
from .unit_of_work import Cause

CORRELATION_HEADER = "X-Correlation-ID"
_CORRELATION_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def language_of(request: Request) -> Language:
    return negotiate(request.headers.get("accept-language"))


def cause_of(request: Request) -> Cause:
    """A user action's correlation id: the caller's, when it sent a sane one."""
    given = request.headers.get(CORRELATION_HEADER)
    return Cause.new(given if given and _CORRELATION_ID.match(given) else None)


RequestLanguage = Annotated[Language, Depends(language_of)]
RequestCause = Annotated[Cause, Depends(cause_of)]

S = TypeVar("S")
W = TypeVar("W")


def service_dependencies(system: type[S], unit_of_work: type[W]) -> tuple[Any, Any]:
    """A service's `System` and `UoW` dependency aliases: the wired service kept
    in `app.state.system`, and a unit of work carrying the request's cause."""

    def wired(request: Request) -> S:
        return request.app.state.system  # type: ignore[no-any-return]

    def for_this_request(request: Request, cause: RequestCause) -> W:
        return request.app.state.system.uow(cause)  # type: ignore[no-any-return]

    return Annotated[system, Depends(wired)], Annotated[unit_of_work, Depends(for_this_request)]


STATUS_OF = ((Refused, 422), (NotFound, 404), (Conflict, 409))


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
    "int_type": {"id": "Harus berupa bilangan bulat.", "en": "Must be a whole number."},
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


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, error: DomainError) -> JSONResponse:
        language = language_of(request)
        return JSONResponse(
            error_body(error.code, error.message(language), field=error.field),
            status_code=_status(error),
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
        code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
        return JSONResponse(
            error_body(code, str(error.detail)), status_code=error.status_code, headers=error.headers
        )
