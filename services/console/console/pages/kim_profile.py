"""The KIM's profile: its representative's editor (`/kim/profil`) and the public
page anyone may open (`/profil-kim/{kim_id}`).

The editor has four sections (members, innovations, achievements, sponsors), each
a list of rows added and removed on the server, so it works without JavaScript:
every button submits the whole form with `aksi` (`tambah-<section>`,
`hapus-<section>-<n>`, `simpan`). Achievements from this system's competitions are
the registry's: shown, never sent back. The public page is cache-friendly like the
results page (ETag, `Cache-Control: public`), with Open Graph tags."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..i18n import N_, gettext
from ..services import ServiceError
from ..web import CurrentVisitor, KimRep, ServicesDep, Visitor, redirect, render
from .results import cached, if_none_match

router = APIRouter()

LEVELS = {
    "kelurahan": N_("Kelurahan level"),
    "kecamatan": N_("Kecamatan level"),
    "kota": N_("City"),
    "provinsi": N_("Province"),
    "nasional": N_("National"),
}


@dataclass(frozen=True)
class Section:
    name: str
    fields: tuple[str, ...]
    most: int
    #: The field a row cannot be without (a row with nothing in it is dropped).
    required: str


SECTIONS = (
    Section("members", ("name", "role", "expertise"), 50, "name"),
    Section("innovations", ("title", "description", "since"), 20, "title"),
    Section("achievements", ("title", "level", "year", "reward"), 20, "title"),
    Section("sponsors", ("name", "kind"), 20, "name"),
)
BY_NAME = {section.name: section for section in SECTIONS}
#: How long a field of a row may be, as the registry takes it.
LONGEST = {"description": 5000}
DEFAULT_LONGEST = 200

Rows = dict[str, list[dict[str, str]]]


def rows_of(kim: dict[str, Any]) -> Rows:
    """The KIM's lists as the form's rows (every value a string; declared achievements only)."""
    rows: Rows = {}
    for section in SECTIONS:
        items = kim.get(section.name) or []
        if section.name == "achievements":
            items = [a for a in items if a.get("source", "declared") == "declared"]
        rows[section.name] = [
            {key: "" if item.get(key) is None else str(item[key]) for key in section.fields} for item in items
        ]
    return rows


async def form_rows(request: Request) -> tuple[Rows, str]:
    form = await request.form()
    rows: Rows = {}
    for section in SECTIONS:
        columns = [[str(v).strip() for v in form.getlist(f"{section.name}-{key}")] for key in section.fields]
        count = min(len(column) for column in columns)
        rows[section.name] = [
            {
                key: columns[k][i][: LONGEST.get(key, DEFAULT_LONGEST) + 1]
                for k, key in enumerate(section.fields)
            }
            for i in range(count)
        ][: section.most + 1]
    return rows, str(form.get("aksi", "simpan"))[:40]


def body_of(rows: Rows, this_year: int) -> tuple[dict[str, list[dict[str, Any]]], dict[str, str]]:
    """The PATCH body from the rows, and what the page can tell at once, by input id.
    Rows left wholly empty are dropped."""
    body: dict[str, list[dict[str, Any]]] = {}
    errors: dict[str, str] = {}
    for section in SECTIONS:
        items = []
        kept = [row for row in rows[section.name] if any(row.values())]
        for i, row in enumerate(kept):
            if not row[section.required]:
                errors[f"{section.name}-{section.required}-{i}"] = (
                    gettext("Enter the name.") if section.required == "name" else gettext("Enter the title.")
                )
            for key, value in row.items():
                if len(value) > LONGEST.get(key, DEFAULT_LONGEST):
                    errors[f"{section.name}-{key}-{i}"] = gettext(
                        "Write at most %(most)s characters.", most=LONGEST.get(key, DEFAULT_LONGEST)
                    )
            item: dict[str, Any] = {key: value or None for key, value in row.items()}
            for key in ("since", "year"):
                if key not in row:
                    continue
                if row[key] == "" and key == "since":
                    continue
                if not row[key].isdigit() or not 1945 <= int(row[key]) <= this_year:
                    errors[f"{section.name}-{key}-{i}"] = gettext(
                        "Enter a year from 1945 to %(latest)s, like 2023.", latest=this_year
                    )
                else:
                    item[key] = int(row[key])
            if section.name == "achievements" and row["level"] not in LEVELS:
                errors[f"achievements-level-{i}"] = gettext("Choose the level.")
            if section.name == "innovations":
                item["description"] = row["description"]
            items.append(item)
        rows[section.name] = kept
        if len(kept) > section.most:
            errors[section.name] = gettext("At most %(most)s rows.", most=section.most)
        body[section.name] = items
    return body, errors


def input_of(field: str | None) -> str:
    """'members.2.name' → 'members-name-2', the input beside which the registry's message goes."""
    parts = (field or "").split(".")
    if len(parts) == 3 and parts[0] in BY_NAME and parts[1].isdigit():
        return f"{parts[0]}-{parts[2]}-{parts[1]}"
    if parts and parts[0] in BY_NAME:
        return parts[0]
    return "profile"


def kim_of(visitor: Visitor) -> UUID | None:
    """The representative's own KIM: the editor never takes a KIM from the request."""
    return visitor.session.kim_id if visitor.session else None


async def editor(
    request: Request,
    visitor: Visitor,
    services: ServicesDep,
    *,
    rows: Rows | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    kim: dict[str, Any] = await services.registry.get(f"/kims/{kim_of(visitor)}", visitor.caller)
    won = [a for a in kim.get("achievements", []) if a.get("source") == "competition"]
    return render(
        request,
        "pages/kim/profile_edit.html",
        status_code,
        kim=kim,
        rows=rows if rows is not None else rows_of(kim),
        competition=sorted(won, key=lambda a: a["year"], reverse=True),
        errors=errors or {},
        levels=[(level, gettext(label)) for level, label in LEVELS.items()],
        sections={section.name: section for section in SECTIONS},
    )


@router.get("/kim/profil")
async def edit_profile(request: Request, visitor: KimRep, services: ServicesDep) -> Response:
    return await editor(request, visitor, services)


@router.post("/kim/profil")
async def save_profile(request: Request, visitor: KimRep, services: ServicesDep) -> Response:
    rows, action = await form_rows(request)
    verb, _, rest = action.partition("-")
    name, _, index_text = rest.partition("-")
    section = BY_NAME.get(name)
    if verb == "tambah" and section is not None:
        if len(rows[section.name]) < section.most:
            rows[section.name].append(dict.fromkeys(section.fields, ""))
        return await editor(request, visitor, services, rows=rows)
    if verb == "hapus" and section is not None:
        if index_text.isdigit() and int(index_text) < len(rows[section.name]):
            rows[section.name].pop(int(index_text))
        return await editor(request, visitor, services, rows=rows)
    body, errors = body_of(rows, request.app.state.clock().year)
    if not errors:
        try:
            await services.registry.patch(f"/kims/{kim_of(visitor)}", visitor.caller, json=body)
        except ServiceError as error:
            if error.status not in (400, 409, 422):
                raise
            errors = {input_of(error.field): error.message}
    if errors:
        return await editor(request, visitor, services, rows=rows, errors=errors, status_code=400)
    return redirect(request, "/kim/profil", flash="profile_saved")


@router.get("/profil-kim/{kim_id}")
async def public_profile(
    request: Request, kim_id: UUID, visitor: CurrentVisitor, services: ServicesDep
) -> Response:
    profile: dict[str, Any] = await services.registry.get(f"/kims/{kim_id}/profile", visitor.anonymous_caller)
    tag = None if visitor.flash else etag(profile, visitor)
    if tag is not None and tag in if_none_match(request):
        return cached(Response(status_code=304), tag)
    base = request.app.state.settings.public_url.rstrip("/")
    response = render(
        request,
        "pages/kim_profile.html",
        profile=profile,
        levels={level: gettext(label) for level, label in LEVELS.items()},
        page_url=f"{base}/profil-kim/{kim_id}",
        site_url=base,
    )
    return cached(response, tag)


def etag(profile: dict[str, Any], visitor: Visitor) -> str:
    """Strong: the profile as the registry answered it, the language and the visitor's header."""
    shown = json.dumps(
        [profile, visitor.session.name if visitor.session else None, visitor.csrf_token],
        sort_keys=True,
        default=str,
    )
    return f'"{hashlib.sha256(shown.encode()).hexdigest()[:32]}-{visitor.language}"'
