"""The staff's judging workspace for one edition: the panel (/juri), judging options and
rubric with the assignment and progress (/penilaian), ties, freeze, verify, announce and
correct (/hasil), the audit trail (/audit, CSV); and the dead letters of every consuming
service (/staf/pesan-tersisih)."""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from ..i18n import N_, gettext
from ..services import ServiceClient, ServiceError, Services, idempotent
from ..web import ServicesDep, Staff, Visitor, redirect, render, with_dates
from . import certificates

router = APIRouter(prefix="/staf")
WIB = ZoneInfo("Asia/Jakarta")
AUDIT_PAGE = 25
MIN_PASSWORD = 10  # the registry's own minimum

#: What a person reads for each API enum.
TIE_BREAK_RULES = {
    "priority_criterion": (
        N_("Priority criterion"),
        N_("The higher mean score on the priority criterion ranks first."),
    ),
    "head_to_head": (
        N_("Head to head"),
        N_("Among the equal entries, the one more of the judges who scored both placed higher."),
    ),
    "earlier_submission": (
        N_("Earlier submission"),
        N_("The entry submitted first ranks first."),
    ),
}
STATUSES = {
    "waiting_for_submissions": N_("Waiting for submissions to close"),
    "scoring": N_("Scoring"),
    "completed": N_("Judging complete"),
    "announced": N_("Results announced"),
}
ASSIGNMENT_MODES = {
    "all": N_("Every judge scores every entry"),
    "k_per_entry": N_("A set number of judges per entry"),
}
AUDIT_ACTIONS = {
    "rubric_set": N_("Rubric set"),
    "options_set": N_("Judging options set"),
    "judge_appointed": N_("Judge appointed"),
    "judge_removed": N_("Judge removed"),
    "entries_assigned": N_("Entries assigned"),
    "sheet_filled": N_("Score sheet filled"),
    "sheet_revised": N_("Score sheet revised"),
    "sheet_corrected": N_("Score sheet corrected"),
    "entry_left_competition": N_("Entry left the competition"),
    "judging_completed": N_("Judging completed"),
    "tie_detected": N_("Tie detected"),
    "tie_resolved": N_("Tie resolved"),
    "results_frozen": N_("Results frozen"),
    "results_verified": N_("Results verified"),
    "results_verification_failed": N_("Results verification failed"),
    "results_announced": N_("Results announced"),
    "judge_reminded": N_("Judge reminded"),
    "category_rubric_set": N_("Category rubric set"),
    "special_award_given": N_("Special award given"),
}
ROLES = {
    "staff": N_("Staff"),
    "judge": N_("Judge"),
    "kim_rep": N_("KIM representative"),
    "system": N_("System"),
}
#: The services that consume events, and so keep dead letters, as a person names them.
CONSUMERS = {
    "registry": N_("Registry (KIMs and editions)"),
    "submissions": N_("Submissions"),
    "judging": N_("Judging"),
    "notifications": N_("Notifications"),
}


def translated(table: dict[str, Any], key: str | None) -> str:
    """An API enum in the reader's language; an unknown one as it came."""
    if key is None:
        return ""
    found = table.get(key)
    if found is None:
        return key
    return gettext(found[0] if isinstance(found, tuple) else found)


def actor_of(label: str) -> str:
    """'staff:sari@malangkota.go.id' → 'Staf (sari@malangkota.go.id)'."""
    role, _, who = label.partition(":")
    if role in ROLES:
        return f"{gettext(ROLES[role])} ({who})" if who else gettext(ROLES[role])
    return label


async def judging_edition(services: Services, visitor: Visitor, edition_id: UUID) -> dict[str, Any]:
    found: dict[str, Any] = await services.judging.get(f"/editions/{edition_id}", visitor.caller)
    with_dates(found, "submissions_closed_at", "completed_at", "assigned_at")
    with_dates(found["options"], "judging_deadline")
    for judge in found["panel"]:
        with_dates(judge, "appointed_at")
    found["status_text"] = translated(STATUSES, found["status"])
    return found


# --- the panel --------------------------------------------------------------------------


async def panel_page(
    request: Request,
    visitor: Visitor,
    services: Services,
    edition_id: UUID,
    *,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    form: dict[str, Any] | None = None,
    email_taken: bool = False,
    opened: dict[str, str] | None = None,
) -> Response:
    edition = await judging_edition(services, visitor, edition_id)
    regions = await services.registry.get("/regions", visitor.caller)
    kims = await services.registry.get("/kims", visitor.caller)
    kim_names = {k["kim_id"]: k["name"] for k in kims}
    kelurahan_names = {k["code"]: k["name"] for kc in regions["kecamatan"] for k in kc["kelurahan"]}
    for judge in edition["panel"]:
        judge["declared"] = [kelurahan_names.get(c, c) for c in judge["affiliations"]["kelurahan_codes"]] + [
            kim_names.get(k, k) for k in judge["affiliations"]["kim_ids"]
        ]
    form = form or {"name": "", "email": "", "kelurahan_codes": [], "kim_ids": []}
    return render(
        request,
        "pages/staff_judging/panel.html",
        status_code,
        edition=edition,
        regions=regions["kecamatan"],
        kims=sorted(kims, key=lambda k: k["name"]),
        errors=errors or {},
        form=form,
        email_taken=email_taken,
        opened=opened,
    )


@router.get("/lomba/{edition_id}/juri")
async def panel(request: Request, edition_id: UUID, visitor: Staff, services: ServicesDep) -> Response:
    return await panel_page(request, visitor, services, edition_id)


@router.post("/lomba/{edition_id}/juri")
async def appoint_judge(
    request: Request,
    edition_id: UUID,
    visitor: Staff,
    services: ServicesDep,
    name: Annotated[str, Form(max_length=200)] = "",
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=128)] = "",
    kelurahan_codes: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies it)
    kim_ids: Annotated[list[str], Form()] = [],  # noqa: B006
    existing: Annotated[str, Form(max_length=1)] = "",
    idempotency_key: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    name, email = name.strip(), email.strip()
    form = {"name": name, "email": email, "kelurahan_codes": kelurahan_codes, "kim_ids": kim_ids}
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = gettext("Enter the judge's name.")
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        errors["email"] = gettext("Enter an email address like ayu@juri.id.")
    if password and len(password) < MIN_PASSWORD and not existing:
        errors["password"] = gettext("The password needs at least %(n)s characters.", n=MIN_PASSWORD)
    if errors:
        return await panel_page(
            request, visitor, services, edition_id, status_code=400, errors=errors, form=form
        )
    generated = "" if password or existing else secrets.token_urlsafe(12)
    if not existing:
        account = {"email": email, "name": name, "role": "judge", "password": password or generated}
        try:
            await services.registry.post(
                "/accounts", visitor.caller, json=account, headers=idempotent(idempotency_key)
            )
        except ServiceError as error:
            taken = error.code == "account_email_taken"
            field = "email" if taken or error.field not in ("name", "password") else error.field
            return await panel_page(
                request,
                visitor,
                services,
                edition_id,
                status_code=error.status,
                errors={field: error.message},
                form=form,
                email_taken=taken,
            )
    judge = {
        "name": name,
        "email": email,
        "affiliations": {"kelurahan_codes": kelurahan_codes, "kim_ids": kim_ids},
    }
    try:
        await services.judging.post(
            f"/editions/{edition_id}/judges", visitor.caller, json=judge, headers=idempotent(idempotency_key)
        )
    except ServiceError as error:
        field = {"kim_ids": "kim_ids", "kelurahan_codes": "kelurahan_codes"}.get(
            (error.field or "").split(".")[-1] if error.field else "", "name"
        )
        return await panel_page(
            request,
            visitor,
            services,
            edition_id,
            status_code=error.status,
            errors={field: error.message},
            form=form,
        )
    if generated:
        # Shown once, on this page only: never in a URL, a cookie or a log.
        return await panel_page(
            request,
            visitor,
            services,
            edition_id,
            opened={"name": name, "email": email, "password": generated},
        )
    return redirect(request, f"/staf/lomba/{edition_id}/juri", flash="judge_appointed")


@router.post("/lomba/{edition_id}/juri/{judge_id}/hapus")
async def remove_judge(
    request: Request, edition_id: UUID, judge_id: UUID, visitor: Staff, services: ServicesDep
) -> Response:
    await services.judging.delete(f"/editions/{edition_id}/judges/{judge_id}", visitor.caller)
    return redirect(request, f"/staf/lomba/{edition_id}/juri", flash="judge_removed")


# --- judging options, rubric, assignment, progress --------------------------------------


def rows_of(rubric: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [{k: str(c[k]) for k in ("criterion_id", "name_id", "name_en", "weight")} for c in rubric]


async def judging_page(
    request: Request,
    visitor: Visitor,
    services: Services,
    edition_id: UUID,
    *,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    rows: list[dict[str, str]] | None = None,
    options: dict[str, Any] | None = None,
) -> Response:
    edition = await judging_edition(services, visitor, edition_id)
    progress = await progress_of(services, visitor, edition_id)
    current = edition["options"]
    deadline = current["judging_deadline"]
    options = options or {
        **current,
        "judges_per_entry": "" if current["judges_per_entry"] is None else str(current["judges_per_entry"]),
        "judging_deadline": deadline.astimezone(WIB).strftime("%Y-%m-%dT%H:%M") if deadline else "",
    }
    tie_break = list(options["tie_break"]) + [""] * (3 - len(options["tie_break"]))
    return render(
        request,
        "pages/staff_judging/judging.html",
        status_code,
        edition=edition,
        progress=progress,
        errors=errors or {},
        rows=rows if rows is not None else rows_of(edition["rubric"]),
        options=options,
        tie_break=tie_break,
        rules=[(rule, gettext(label), gettext(text)) for rule, (label, text) in TIE_BREAK_RULES.items()],
        modes=[(mode, gettext(label)) for mode, label in ASSIGNMENT_MODES.items()],
    )


@router.get("/lomba/{edition_id}/penilaian")
async def judging(request: Request, edition_id: UUID, visitor: Staff, services: ServicesDep) -> Response:
    return await judging_page(request, visitor, services, edition_id)


@router.get("/lomba/{edition_id}/penilaian/kemajuan")
async def judging_progress(
    request: Request, edition_id: UUID, visitor: Staff, services: ServicesDep
) -> Response:
    """The progress section alone: htmx swaps it in while the judging page is open."""
    progress = await progress_of(services, visitor, edition_id)
    edition = {"edition_id": edition_id}
    return render(request, "pages/staff_judging/_progress.html", edition=edition, progress=progress)


async def progress_of(services: Services, visitor: Visitor, edition_id: UUID) -> dict[str, Any]:
    progress: dict[str, Any] = await services.judging.get(f"/editions/{edition_id}/progress", visitor.caller)
    names = {j["judge_id"]: j["name"] for j in progress["judges"]}
    for entry in progress["entries"]:
        entry["missing_names"] = [names.get(j, j) for j in entry["missing"]]
    return progress


@router.post("/lomba/{edition_id}/penilaian/rubrik")
async def set_rubric(request: Request, edition_id: UUID, visitor: Staff, services: ServicesDep) -> Response:
    """Rows are added, removed and moved on the server (no JavaScript needed); `simpan` saves."""
    form = await request.form()
    ids, names_id, names_en, weights = (
        [str(v) for v in form.getlist(key)] for key in ("criterion_id", "name_id", "name_en", "weight")
    )
    rows = [
        {"criterion_id": c.strip(), "name_id": n.strip(), "name_en": e.strip(), "weight": w.strip()}
        for c, n, e, w in zip(ids, names_id, names_en, weights, strict=False)
    ][:10]
    action = str(form.get("aksi", "simpan"))
    verb, _, index_text = action.partition("-")
    index = int(index_text) if index_text.isdigit() and int(index_text) < len(rows) else None
    if verb == "tambah" and len(rows) < 10:
        rows.append({"criterion_id": "", "name_id": "", "name_en": "", "weight": ""})
    elif verb == "hapus" and index is not None:
        rows.pop(index)
    elif verb in ("naik", "turun") and index is not None:
        other = index - 1 if verb == "naik" else index + 1
        if 0 <= other < len(rows):
            rows[index], rows[other] = rows[other], rows[index]
    if verb != "simpan":
        return await judging_page(request, visitor, services, edition_id, rows=rows)
    errors = rubric_errors(rows)
    if not errors:
        criteria = [{**row, "weight": int(row["weight"])} for row in rows]
        try:
            await services.judging.put(
                f"/editions/{edition_id}/rubric", visitor.caller, json={"criteria": criteria}
            )
        except ServiceError as error:
            errors = {row_field(error.field, "rubric"): error.message}
    if errors:
        return await judging_page(
            request, visitor, services, edition_id, status_code=400, errors=errors, rows=rows
        )
    return redirect(request, f"/staf/lomba/{edition_id}/penilaian", flash="rubric_saved")


def rubric_errors(rows: list[dict[str, str]]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if len(rows) < 2:
        errors["rubric"] = gettext("A rubric needs at least two criteria.")
    seen: set[str] = set()
    for i, row in enumerate(rows):
        if not re.fullmatch(r"[a-z][a-z0-9_]{1,39}", row["criterion_id"]):
            errors[f"criterion_id-{i}"] = gettext(
                "Enter a code of lowercase letters, digits and underscores, "
                "starting with a letter, like tema."
            )
        elif row["criterion_id"] in seen:
            errors[f"criterion_id-{i}"] = gettext("Each criterion needs its own code.")
        seen.add(row["criterion_id"])
        for key in ("name_id", "name_en"):
            if not row[key]:
                errors[f"{key}-{i}"] = gettext("Enter the criterion's name.")
        if not row["weight"].isdigit() or not 1 <= int(row["weight"]) <= 100:
            errors[f"weight-{i}"] = gettext("Enter a weight from 1 to 100.")
    if not errors:
        total = sum(int(row["weight"]) for row in rows)
        if total != 100:
            errors["rubric"] = gettext(
                "The weights add up to %(total)s; they must add up to 100.", total=total
            )
    return errors


def row_field(field: str | None, default: str) -> str:
    """'criteria.2.weight' → 'weight-2', the input beside which the service's message goes."""
    parts = (field or "").split(".")
    if len(parts) == 3 and parts[0] == "criteria" and parts[1].isdigit():
        return f"{parts[2]}-{parts[1]}"
    return default


@router.post("/lomba/{edition_id}/penilaian/opsi")
async def set_options(
    request: Request,
    edition_id: UUID,
    visitor: Staff,
    services: ServicesDep,
    assignment_mode: Annotated[str, Form(max_length=20)] = "all",
    judges_per_entry: Annotated[str, Form(max_length=3)] = "",
    blind: Annotated[str, Form(max_length=5)] = "",
    normalise: Annotated[str, Form(max_length=5)] = "",
    min_sheets_per_judge: Annotated[str, Form(max_length=4)] = "5",
    tie_break: Annotated[list[str], Form()] = [],  # noqa: B006
    priority_criterion: Annotated[str, Form(max_length=40)] = "",
    judging_deadline: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    chain = [rule for rule in tie_break if rule][:3]
    k, least = judges_per_entry.strip(), min_sheets_per_judge.strip()
    options: dict[str, Any] = {
        "assignment_mode": assignment_mode,
        "judges_per_entry": k,
        "blind": bool(blind),
        "normalise": bool(normalise),
        "min_sheets_per_judge": least,
        "tie_break": chain,
        "priority_criterion": priority_criterion,
        "judging_deadline": judging_deadline,
    }
    errors: dict[str, str] = {}
    if assignment_mode not in ASSIGNMENT_MODES:
        errors["assignment_mode"] = gettext("Choose how entries are shared among the judges.")
    if assignment_mode == "k_per_entry" and not (k.isdigit() and 1 <= int(k) <= 20):
        errors["judges_per_entry"] = gettext("Enter how many judges score each entry, from 1 to 20.")
    if not (least.isdigit() and 2 <= int(least) <= 1000):
        errors["min_sheets_per_judge"] = gettext("Enter a number from 2 to 1000.")
    if any(rule not in TIE_BREAK_RULES for rule in chain) or len(set(chain)) != len(chain):
        errors["tie_break-0"] = gettext("Choose each tie-break rule at most once.")
    deadline = None
    if judging_deadline:
        try:
            deadline = datetime.fromisoformat(judging_deadline).replace(tzinfo=WIB)
        except ValueError:
            errors["judging_deadline"] = gettext("Enter the deadline as a date and a time.")
    if not errors:
        body = {
            "assignment_mode": assignment_mode,
            "judges_per_entry": int(k) if assignment_mode == "k_per_entry" else None,
            "blind": options["blind"],
            "normalise": options["normalise"],
            "min_sheets_per_judge": int(least),
            "tie_break": chain,
            "priority_criterion": priority_criterion or None,
            "judging_deadline": deadline.isoformat() if deadline else None,
        }
        try:
            await services.judging.put(f"/editions/{edition_id}/judging-options", visitor.caller, json=body)
        except ServiceError as error:
            field = error.field if error.field in options else "assignment_mode"
            errors = {"tie_break-0" if field == "tie_break" else str(field): error.message}
    if errors:
        return await judging_page(
            request, visitor, services, edition_id, status_code=400, errors=errors, options=options
        )
    return redirect(request, f"/staf/lomba/{edition_id}/penilaian", flash="options_saved")


@router.post("/lomba/{edition_id}/penilaian/bagikan")
async def assign(request: Request, edition_id: UUID, visitor: Staff, services: ServicesDep) -> Response:
    try:
        await services.judging.post(f"/editions/{edition_id}/assignments", visitor.caller)
    except ServiceError as error:
        return await judging_page(
            request, visitor, services, edition_id, status_code=error.status, errors={"assign": error.message}
        )
    return redirect(request, f"/staf/lomba/{edition_id}/penilaian", flash="entries_assigned")


# --- results: ties, freeze, verify, announce, correct -----------------------------------


async def results_page(
    request: Request,
    visitor: Visitor,
    services: Services,
    edition_id: UUID,
    *,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    verification: dict[str, Any] | None = None,
    confirm_announce: bool = False,
) -> Response:
    edition = await judging_edition(services, visitor, edition_id)
    entries = await services.judging.get(f"/editions/{edition_id}/entries", visitor.caller)
    titles = {e["entry_id"]: f"{e['title']} ({e['kim_name']})" for e in entries}
    ties = await services.judging.get(f"/editions/{edition_id}/ties", visitor.caller)
    for tie in ties:
        tie["entries"] = [(entry_id, titles.get(entry_id, entry_id)) for entry_id in tie["entry_ids"]]
        if tie["resolution"]:
            with_dates(tie["resolution"], "resolved_at")
            tie["resolution"]["order_titles"] = [titles.get(e, e) for e in tie["resolution"]["order"]]
            tie["resolution"]["by"] = actor_of(tie["resolution"]["resolved_by"])
    versions = await services.judging.get(f"/editions/{edition_id}/snapshots", visitor.caller)
    for version in versions:
        with_dates(version, "frozen_at", "verified_at", "announced_at")
    latest = versions[-1] if versions else None
    issued = (
        await certificates.of_edition(services, visitor, edition_id)
        if edition.get("announced_version")
        else []
    )
    return render(
        request,
        "pages/staff_judging/results.html",
        status_code,
        edition=edition,
        ties=[t for t in ties if t["stands"]],
        versions=list(reversed(versions)),
        latest=latest,
        errors=errors or {},
        verification=verification,
        confirm_announce=confirm_announce,
        certificates=issued,
    )


@router.get("/lomba/{edition_id}/hasil")
async def results(request: Request, edition_id: UUID, visitor: Staff, services: ServicesDep) -> Response:
    return await results_page(request, visitor, services, edition_id)


@router.post("/lomba/{edition_id}/hasil/seri/{tie_id}")
async def resolve_tie(
    request: Request, edition_id: UUID, tie_id: UUID, visitor: Staff, services: ServicesDep
) -> Response:
    form = await request.form()
    reason = str(form.get("reason", "")).strip()[:1000]
    positions: list[tuple[int, str]] = []
    for key, value in form.multi_items():
        if key.startswith("posisi-") and str(value).isdigit():
            positions.append((int(str(value)), key.removeprefix("posisi-")))
    order = [entry_id for _, entry_id in sorted(positions)]
    errors: dict[str, str] = {}
    if len({p for p, _ in positions}) != len(positions) or not positions:
        errors[f"order-{tie_id}"] = gettext("Give each entry its own place.")
    if not reason:
        errors[f"reason-{tie_id}"] = gettext("Say why the entries are in this order.")
    if not errors:
        try:
            await services.judging.post(
                f"/editions/{edition_id}/ties/{tie_id}/resolution",
                visitor.caller,
                json={"order": order, "reason": reason},
            )
        except ServiceError as error:
            field = "reason" if error.field == "reason" else "order"
            errors = {f"{field}-{tie_id}": error.message}
    if errors:
        return await results_page(request, visitor, services, edition_id, status_code=400, errors=errors)
    return redirect(request, f"/staf/lomba/{edition_id}/hasil", flash="tie_resolved")


@router.post("/lomba/{edition_id}/hasil/bekukan")
async def freeze(
    request: Request,
    edition_id: UUID,
    visitor: Staff,
    services: ServicesDep,
    reason: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    body = {"reason": reason.strip()} if reason.strip() else {}
    try:
        await services.judging.post(f"/editions/{edition_id}/snapshots", visitor.caller, json=body)
    except ServiceError as error:
        field = (
            "reason" if error.field == "reason" or error.code == "correction_reason_required" else "freeze"
        )
        return await results_page(
            request, visitor, services, edition_id, status_code=error.status, errors={field: error.message}
        )
    return redirect(request, f"/staf/lomba/{edition_id}/hasil", flash="results_frozen")


@router.post("/lomba/{edition_id}/hasil/versi/{version}/verifikasi")
async def verify(
    request: Request, edition_id: UUID, version: int, visitor: Staff, services: ServicesDep
) -> Response:
    try:
        answer = await services.judging.post(
            f"/editions/{edition_id}/snapshots/{version}/verification", visitor.caller
        )
    except ServiceError as error:
        return await results_page(
            request, visitor, services, edition_id, status_code=error.status, errors={"verify": error.message}
        )
    # The page shows the hashes side by side, so it is rendered here, not redirected.
    return await results_page(request, visitor, services, edition_id, verification=answer)


@router.get("/lomba/{edition_id}/hasil/umumkan")
async def confirm_announcement(
    request: Request, edition_id: UUID, visitor: Staff, services: ServicesDep
) -> Response:
    return await results_page(request, visitor, services, edition_id, confirm_announce=True)


@router.post("/lomba/{edition_id}/hasil/umumkan")
async def announce(request: Request, edition_id: UUID, visitor: Staff, services: ServicesDep) -> Response:
    try:
        await services.judging.post(f"/editions/{edition_id}/announcement", visitor.caller)
    except ServiceError as error:
        return await results_page(
            request,
            visitor,
            services,
            edition_id,
            status_code=error.status,
            errors={"announce": error.message},
        )
    return redirect(request, f"/staf/lomba/{edition_id}/hasil", flash="results_announced")


# --- the audit trail --------------------------------------------------------------------


@router.get("/lomba/{edition_id}/audit")
async def audit(
    request: Request, edition_id: UUID, visitor: Staff, services: ServicesDep, halaman: int = 1
) -> Response:
    edition = await judging_edition(services, visitor, edition_id)
    records = await services.judging.get(f"/editions/{edition_id}/audit", visitor.caller)
    newest_first = list(reversed(records))
    pages = max(1, -(-len(newest_first) // AUDIT_PAGE))
    page = min(max(1, halaman), pages)
    shown = newest_first[(page - 1) * AUDIT_PAGE : page * AUDIT_PAGE]
    for record in shown:
        with_dates(record, "at")
        record["who"] = actor_of(record["actor"])
        record["what"] = translated(AUDIT_ACTIONS, record["action"])
    return render(
        request,
        "pages/staff_judging/audit.html",
        edition=edition,
        records=shown,
        page=page,
        pages=pages,
        total=len(records),
    )


@router.get("/lomba/{edition_id}/audit.csv")
async def audit_csv(request: Request, edition_id: UUID, visitor: Staff, services: ServicesDep) -> Response:
    answer = await services.judging.download(f"/editions/{edition_id}/audit.csv", visitor.caller)
    return Response(
        answer.content,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="audit-{edition_id}.csv"'},
    )


# --- dead letters -----------------------------------------------------------------------


def consumer(services: Services, name: str) -> ServiceClient:
    if name not in CONSUMERS:
        raise ServiceError(404, "not_found", "")
    client: ServiceClient = getattr(services, name)
    return client


@router.get("/pesan-tersisih")
async def dead_letters(request: Request, visitor: Staff, services: ServicesDep) -> Response:
    found: list[dict[str, Any]] = []
    for name in CONSUMERS:
        for letter in await consumer(services, name).get("/dead-letters", visitor.caller):
            found.append(
                {**with_dates(letter, "dead_at"), "service": name, "service_name": gettext(CONSUMERS[name])}
            )
    found.sort(key=lambda letter: letter["dead_at"], reverse=True)
    return render(request, "pages/staff_judging/dead_letters.html", letters=found)


@router.get("/pesan-tersisih/{service}/{dead_letter_id}")
async def dead_letter(
    request: Request, service: str, dead_letter_id: UUID, visitor: Staff, services: ServicesDep
) -> Response:
    letter = await consumer(services, service).get(f"/dead-letters/{dead_letter_id}", visitor.caller)
    with_dates(letter, "dead_at")
    letter["requeued_at"] = [datetime.fromisoformat(moment) for moment in letter["requeued_at"]]
    return render(
        request,
        "pages/staff_judging/dead_letter.html",
        letter=letter,
        service=service,
        service_name=gettext(CONSUMERS[service]),
        errors={},
    )


@router.post("/pesan-tersisih/{service}/{dead_letter_id}/kirim-ulang")
async def requeue(
    request: Request,
    service: str,
    dead_letter_id: UUID,
    visitor: Staff,
    services: ServicesDep,
    yakin: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    client = consumer(services, service)
    if yakin != "ya":
        letter = await client.get(f"/dead-letters/{dead_letter_id}", visitor.caller)
        with_dates(letter, "dead_at")
        letter["requeued_at"] = [datetime.fromisoformat(moment) for moment in letter["requeued_at"]]
        errors = {"yakin": gettext("Confirm that the cause is fixed before sending it again.")}
        return render(
            request,
            "pages/staff_judging/dead_letter.html",
            400,
            letter=letter,
            service=service,
            service_name=gettext(CONSUMERS[service]),
            errors=errors,
        )
    await client.post(f"/dead-letters/{dead_letter_id}/requeue", visitor.caller)
    return redirect(request, "/staf/pesan-tersisih", flash="dead_letter_requeued")
