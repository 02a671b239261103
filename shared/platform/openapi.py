"""Every error a route can answer with, in its OpenAPI document, with the real body.

FastAPI documents a 200/201 and a 422 typed as its own `HTTPValidationError`
(`{"detail": [...]}`), a shape our services never send. `document_errors`
replaces the app's `openapi()` so that, whenever the document is built, each
operation lists the statuses it can really answer with, all as our one error
body (`ErrorBody`: `{"error": {"code", "message", "field", "fields"}}`), worked
out from what every route shares, so a route added later is documented too:

- 401: on every route (a malformed or expired token is refused everywhere; where
  the table of rules denies anonymous callers, also without a token);
- 403: where the table of rules (`shared.platform.access`) denies a signed-in
  role (`role_not_allowed`) or lets it in for what is its own only (the reasons
  the ownership checks give: `Forbidden` subclasses with that `owner`);
- 404: on routes with a path parameter (the thing it names does not exist);
- 409: on writes (a domain conflict, or `concurrent_change` from any commit);
- 400 and 413: on routes that take a body (one that cannot be decoded; one over
  `BodyLimit`);
- 422: on every route (an unknown query parameter is refused on all of them);
- 503: wherever the database is used (it is away);
- and what a route declares itself with `responses=may_raise(SomeError, ...)`
  (e.g. a 429 from the login's throttle).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field

from shared.kernel.errors import DomainError
from shared.kernel.principal import ROLES, Forbidden, Unauthenticated
from shared.platform.access import DENY, OWN, Endpoint, Rule
from shared.platform.auth import InvalidToken
from shared.platform.http import STATUS_OF, RoleNotAllowed


class FieldProblem(BaseModel):
    model_config = ConfigDict(title="FieldProblem")

    field: str = Field(description="the field, dotted for nested ones, e.g. `members.0.phone`")
    code: str = Field(description="what is wrong, e.g. `missing`, `string_too_long`")
    message: str = Field(description="in the reader's language (Accept-Language: id, en)")


class Problem(BaseModel):
    model_config = ConfigDict(title="Problem")

    code: str = Field(description="stable, for programs: e.g. `not_your_kim`, `invalid_request`")
    message: str = Field(description="for people, in the reader's language (Accept-Language: id, en)")
    field: str | None = Field(None, description="the field at fault, when there is one")
    fields: list[FieldProblem] | None = Field(None, description="422 `invalid_request`: every field at fault")


class ErrorBody(BaseModel):
    """Every error any service answers with (4xx and 503)."""

    model_config = ConfigDict(title="ErrorBody")

    error: Problem


REASONS = {
    400: "The request body cannot be read (not UTF-8 JSON)",
    401: "Not signed in, or the token is invalid or has expired",
    403: "Signed in, but not allowed",
    404: "Not found",
    409: "Clashes with the current state",
    413: "The request body is too large",
    422: "The request breaks a rule: a field, a query parameter or a rule of the domain",
    429: "Too many attempts: wait for Retry-After seconds",
    503: "The database cannot be reached right now: try again after Retry-After seconds",
}

#: Operations that answer without the database (`/ready` documents its own 503).
WITHOUT_DATABASE = {"/health", "/ready", "/asyncapi", "/asyncapi.json", "/asyncapi.yaml"}

WRITES = {"post", "put", "patch", "delete"}

_REF = "#/components/schemas/ErrorBody"


def status_of(error: type[DomainError]) -> int:
    return next((status for kind, status in STATUS_OF if issubclass(error, kind)), 400)


class _Placeholders(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return f"<{key}>"


def _filled(template: str) -> str:
    return template.format_map(_Placeholders())


def _example(error: type[DomainError]) -> dict[str, Any]:
    message = error.messages.get("id") or next(iter(error.messages.values()))
    body: dict[str, Any] = {"code": error.code, "message": _filled(message)}
    if error.field:
        body["field"] = error.field
    return {"summary": _filled(error.messages.get("en", error.code)), "value": {"error": body}}


def _response(status: int, errors: Iterable[type[DomainError]] = ()) -> dict[str, Any]:
    errors = list(errors)
    content: dict[str, Any] = {"schema": {"$ref": _REF}}
    if errors:
        content["examples"] = {error.code: _example(error) for error in errors}
    description = REASONS.get(status, "Refused")
    if errors:
        description += ": " + ", ".join(f"`{error.code}`" for error in errors)
    return {"description": description, "content": {"application/json": content}}


def may_raise(*errors: type[DomainError]) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route that may answer with these domain errors beyond
    the ones every route of its kind documents."""
    by_status: dict[int, list[type[DomainError]]] = {}
    for error in errors:
        by_status.setdefault(status_of(error), []).append(error)
    return {status: _response(status, found) for status, found in by_status.items()}


def _subclasses(kind: type[DomainError]) -> list[type[DomainError]]:
    found: list[type[DomainError]] = []
    for sub in kind.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def forbidden_reasons(rule: Rule | None, packages: set[str]) -> list[type[DomainError]]:
    """Why a signed-in caller is refused on an endpoint with this rule."""
    if rule is None:
        return [RoleNotAllowed]
    reasons: list[type[DomainError]] = []
    if any(rule.of(role) is DENY for role in ROLES):
        reasons.append(RoleNotAllowed)
    owning = {role for role in ROLES if rule.of(role) is OWN}
    for reason in _subclasses(Forbidden):
        owner = getattr(reason, "owner", None)
        if owner in owning and reason.__module__.split(".")[0] in packages and reason not in reasons:
            reasons.append(reason)
    return reasons


def _unauthenticated(rule: Rule | None) -> list[type[DomainError]]:
    return [Unauthenticated, InvalidToken] if rule is None or rule.anonymous is DENY else [InvalidToken]


def errors_of(
    method: str, path: str, operation: dict[str, Any], rule: Rule | None, packages: set[str]
) -> dict[str, dict[str, Any]]:
    found = {
        "401": _response(401, _unauthenticated(rule)),
        "422": _response(422),
    }
    reasons = forbidden_reasons(rule, packages)
    if reasons:
        found["403"] = _response(403, reasons)
    if "{" in path:
        found["404"] = _response(404)
    if method in WRITES:
        found["409"] = _response(409)
    if "requestBody" in operation:
        found["400"] = _response(400)
        found["413"] = _response(413)
    if path not in WITHOUT_DATABASE:
        found["503"] = _response(503)
    return found


def _merge(declared: dict[str, Any], generic: dict[str, Any]) -> dict[str, Any]:
    """A route's own declaration of a status wins, keeping the generic's examples."""
    merged = dict(generic)
    for key, value in declared.items():
        if key == "content":
            merged["content"] = value
        else:
            merged[key] = value
    examples = generic.get("content", {}).get("application/json", {}).get("examples")
    mine = declared.get("content", {}).get("application/json", {})
    if examples and "schema" in mine and mine.get("schema", {}).get("$ref") == _REF:
        mine.setdefault("examples", {}).update(
            {k: v for k, v in examples.items() if k not in mine["examples"]}
        )
        merged["description"] = declared.get("description", generic["description"])
    return merged


def with_errors(schema: dict[str, Any], rules: dict[Endpoint, Rule], packages: set[str]) -> dict[str, Any]:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    error_schema = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(error_schema.pop("$defs", {}))
    components["ErrorBody"] = error_schema
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if method not in {"get", "put", "post", "patch", "delete", "head", "options"}:
                continue
            responses = operation.setdefault("responses", {})
            rule = rules.get((method.upper(), path))
            for status, generic in errors_of(method, path, operation, rule, packages).items():
                declared = responses.get(status)
                if declared is None or "HTTPValidationError" in str(declared):
                    responses[status] = generic
                else:
                    responses[status] = _merge(declared, generic)
            operation["responses"] = dict(sorted(responses.items()))
    if "HTTPValidationError" not in json.dumps(schema.get("paths", {})):
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
    return schema


def document_errors(app: FastAPI, packages: set[str]) -> None:
    """Build `app`'s OpenAPI document with every error each route can answer with.

    Done when the document is first asked for, so routes included after this
    call are documented the same way."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = with_errors(generate(), app.state.access_rules, packages)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def count_responses(schema: dict[str, Any]) -> tuple[int, int]:
    """(operations, documented responses) of an OpenAPI document."""
    operations = [
        operation
        for item in schema.get("paths", {}).values()
        for method, operation in item.items()
        if method in {"get", "put", "post", "patch", "delete"}
    ]
    return len(operations), sum(len(operation.get("responses", {})) for operation in operations)
