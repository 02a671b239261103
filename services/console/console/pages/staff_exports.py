"""Staff downloads of an edition as CSV and XLSX (`console/exports.py`): the results of the
latest frozen version (main ranking or a category: every judge's weighted total, the raw
and normalised scores, the prize; and every score sheet), the entries, the enrolments; and
the notifications' delivery log. Read from the services with the staff member's token,
headed in the page's language."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ..exports import CSV_MEDIA_TYPE, WIB, XLSX_MEDIA_TYPE, Table, attachment, csv_bytes, slug, xlsx_bytes
from ..i18n import N_, gettext
from ..services import ServiceError, Services, ServiceUnavailable
from ..web import ServicesDep, Staff, Visitor, render
from .staff_judging import translated

router = APIRouter(prefix="/staf")

FileFormat = Literal["csv", "xlsx"]
#: A category's code, as the registry's contract allows it (`shared.contracts.registry.Category`).
CategoryCode = Annotated[str | None, Query(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40)]
#: The most the notifications service lists at once (its `MAX_LIMIT`).
DELIVERY_LOG_LIMIT = 200

ENTRY_STATUSES = {
    "submitted": N_("Received"),
    "withdrawn": N_("Withdrawn"),
    "disqualified": N_("Disqualified"),
}
FILM_CHECKS = {
    "pending": N_("Not checked yet"),
    "ok": N_("Checked"),
    "needs_review": N_("Needs review"),
}
ENROLMENT_STATUSES = {
    "requested": N_("Waiting"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
}
CHANNELS = {
    "inbox": N_("Inbox"),
    "email": N_("Email"),
    # Names, the same in every language.
    "whatsapp": "WhatsApp",
    "webhook": "Webhook",
}
DELIVERY_STATUSES = {
    "pending": N_("Pending"),
    "sent": N_("Sent"),
    "delivered": N_("Delivered"),
    "failed": N_("Failed"),
}


def moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def prize_text(prize: dict[str, Any] | None) -> str | None:
    """ "Juara 1 — Rp5.000.000 — Trofi"; none for a place without a prize."""
    if not prize:
        return None
    worded = [prize.get("title"), prize.get("reward"), prize.get("non_cash")]
    return " — ".join(part for part in worded if part)


def prize_of(placing: dict[str, Any], prizes: dict[int, dict[str, Any]]) -> dict[str, Any] | None:
    """The placing's own prize when judging gives one (per category); else the edition's for its rank."""
    if "prize" in placing:
        found: dict[str, Any] | None = placing["prize"]
        return found
    return prizes.get(placing["rank"])


def judge_columns(snapshot: dict[str, Any], panel: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(judge_id, name) of every judge with a sheet in the results, in the panel's order."""
    scored = {sheet["judge_id"] for placing in snapshot["ranking"] for sheet in placing["sheets"]}
    names = {judge["judge_id"]: judge["name"] for judge in panel}
    ordered = [j["judge_id"] for j in panel if j["judge_id"] in scored]
    ordered += sorted(scored - set(ordered))
    return [(judge_id, names.get(judge_id, judge_id)) for judge_id in ordered]


def results_tables(
    snapshot: dict[str, Any],
    panel: list[dict[str, Any]],
    prizes: dict[int, dict[str, Any]],
    language: str,
) -> tuple[Table, Table]:
    """The ranking (one row per entry, one column per judge's weighted total) and every
    score sheet (criterion scores, weighted and normalised totals)."""
    judges = judge_columns(snapshot, panel)
    names = dict(judges)
    ranking = Table(
        gettext("Results"),
        [
            gettext("Rank"),
            gettext("Entry"),
            "KIM",
            "Kelurahan",
            gettext("Score"),
            gettext("Raw score"),
            gettext("Normalised score"),
            gettext("Prize"),
            gettext("Prize amount (Rp)"),
            *(gettext("Judge: %(name)s", name=name) for _, name in judges),
        ],
    )
    criteria = snapshot["rubric"]
    sheets = Table(
        gettext("Score sheets"),
        [
            gettext("Rank"),
            gettext("Entry"),
            "KIM",
            gettext("Judge"),
            *(f"{c['name_id'] if language == 'id' else c['name_en']} ({c['weight']}%)" for c in criteria),
            gettext("Weighted total"),
            gettext("Normalised total"),
        ],
    )
    for placing in snapshot["ranking"]:
        totals = {sheet["judge_id"]: sheet["total"] for sheet in placing["sheets"]}
        prize = prize_of(placing, prizes)
        ranking.rows.append(
            [
                placing["rank"],
                placing["entry_title"],
                placing["kim_name"],
                placing["kelurahan"]["name"],
                placing["score"],
                placing["raw_score"],
                placing["normalised_score"],
                prize_text(prize),
                prize.get("amount") if prize else None,
                *(totals.get(judge_id) for judge_id, _ in judges),
            ]
        )
        for sheet in placing["sheets"]:
            sheets.rows.append(
                [
                    placing["rank"],
                    placing["entry_title"],
                    placing["kim_name"],
                    names.get(sheet["judge_id"], sheet["judge_id"]),
                    *(sheet["scores"].get(c["criterion_id"]) for c in criteria),
                    sheet["total"],
                    sheet["normalised"],
                ]
            )
    return ranking, sheets


def entries_table(entries: list[dict[str, Any]]) -> Table:
    table = Table(
        gettext("Entries"),
        [
            gettext("Title"),
            "KIM",
            "Kelurahan",
            gettext("Status"),
            gettext("Revision"),
            gettext("Submitted at (WIB)"),
            gettext("Changed at (WIB)"),
            gettext("Film link"),
            gettext("Duration (seconds)"),
            gettext("UMKM featured"),
            gettext("Film check"),
            gettext("Reason for disqualification"),
            gettext("Entry ID"),
        ],
    )
    for entry in entries:
        check = entry.get("film_check") or {}
        table.rows.append(
            [
                entry["title"],
                entry["kim_name"],
                entry["kelurahan"]["name"],
                translated(ENTRY_STATUSES, entry["status"]),
                entry["revision"],
                moment(entry["submitted_at"]),
                moment(entry["updated_at"]),
                entry["video_url"],
                entry["duration_seconds"],
                "; ".join(entry["umkm_featured"]),
                translated(FILM_CHECKS, check.get("status")),
                entry["disqualification_reason"],
                entry["entry_id"],
            ]
        )
    return table


def enrolments_table(enrolments: list[dict[str, Any]]) -> Table:
    table = Table(
        gettext("Enrolments"),
        [
            "KIM",
            "Kelurahan",
            gettext("Status"),
            gettext("Reason"),
            gettext("Requested at (WIB)"),
            gettext("Decided at (WIB)"),
            gettext("Enrolment ID"),
        ],
    )
    for enrolment in enrolments:
        table.rows.append(
            [
                enrolment["kim_name"],
                enrolment["kelurahan"]["name"],
                translated(ENROLMENT_STATUSES, enrolment["status"]),
                enrolment["reason"],
                moment(enrolment["requested_at"]),
                moment(enrolment["decided_at"]),
                enrolment["enrolment_id"],
            ]
        )
    return table


def deliveries_table(deliveries: list[dict[str, Any]]) -> Table:
    table = Table(
        gettext("Delivery log"),
        [
            gettext("Created at (WIB)"),
            gettext("Event"),
            gettext("Channel"),
            gettext("Status"),
            gettext("Subject"),
            gettext("Recipient ID"),
            gettext("Address"),
            gettext("Attempts"),
            gettext("Delivered at (WIB)"),
            gettext("Failed at (WIB)"),
            gettext("Read at (WIB)"),
            gettext("Last error"),
            gettext("Delivery ID"),
        ],
    )
    for delivery in deliveries:
        table.rows.append(
            [
                moment(delivery["created_at"]),
                delivery["event_type"],
                translated(CHANNELS, delivery["channel"]),
                translated(DELIVERY_STATUSES, delivery["status"]),
                delivery["subject"],
                delivery["recipient_id"],
                delivery["address"],
                delivery["attempts"],
                moment(delivery["delivered_at"]),
                moment(delivery["failed_at"]),
                moment(delivery["read_at"]),
                delivery["last_error"],
                delivery["delivery_id"],
            ]
        )
    return table


def download(tables: list[Table], file_format: FileFormat, stem: str) -> Response:
    """CSV: the first table (a file holds one); XLSX: every table, a sheet each."""
    if file_format == "csv":
        return Response(csv_bytes(tables[0]), media_type=CSV_MEDIA_TYPE, headers=attachment(f"{stem}.csv"))
    return Response(xlsx_bytes(tables), media_type=XLSX_MEDIA_TYPE, headers=attachment(f"{stem}.xlsx"))


async def registry_edition(services: Services, visitor: Visitor, edition_id: UUID) -> dict[str, Any]:
    found: dict[str, Any] = await services.registry.get(f"/editions/{edition_id}", visitor.caller)
    return found


def by_category(category: str | None) -> dict[str, Any] | None:
    return {"category": category} if category else None


async def versions(
    services: Services, visitor: Visitor, edition_id: UUID, category: str | None
) -> list[dict[str, Any]]:
    """The frozen versions of the results (none when judging does not know the edition yet;
    a category judging does not know is its refusal, the console's 404 page)."""
    try:
        found: list[dict[str, Any]] = await services.judging.get(
            f"/editions/{edition_id}/snapshots", visitor.caller, params=by_category(category)
        )
    except ServiceError as error:
        if error.status == 404 and category is None:
            return []
        raise
    return found


async def categories(services: Services, visitor: Visitor, edition_id: UUID) -> list[dict[str, Any]]:
    """The edition's categories at judging; none where judging does not offer them (yet)."""
    try:
        found = await services.judging.get(f"/editions/{edition_id}/categories", visitor.caller)
    except (ServiceError, ServiceUnavailable):
        return []
    return [c for c in found if isinstance(c, dict) and c.get("code")] if isinstance(found, list) else []


async def exports_page(
    request: Request,
    edition_id: UUID,
    visitor: Visitor,
    services: Services,
    *,
    status_code: int = 200,
    missing: str | None = None,
) -> Response:
    edition = await registry_edition(services, visitor, edition_id)
    frozen = await versions(services, visitor, edition_id, None)
    return render(
        request,
        "pages/staff/exports.html",
        status_code,
        edition=edition,
        latest=max((v["version"] for v in frozen), default=None),
        categories=await categories(services, visitor, edition_id),
        missing=missing,
        delivery_log_limit=DELIVERY_LOG_LIMIT,
    )


@router.get("/lomba/{edition_id}/ekspor")
async def exports(request: Request, edition_id: UUID, visitor: Staff, services: ServicesDep) -> Response:
    return await exports_page(request, edition_id, visitor, services)


async def latest_results(
    request: Request,
    edition_id: UUID,
    visitor: Visitor,
    services: Services,
    category: str | None,
    file_format: FileFormat,
    *,
    sheets_only: bool,
) -> Response:
    frozen = await versions(services, visitor, edition_id, category)
    if not frozen:
        return await exports_page(request, edition_id, visitor, services, status_code=404, missing="results")
    latest = max(v["version"] for v in frozen)
    snapshot = await services.judging.get(
        f"/editions/{edition_id}/snapshots/{latest}", visitor.caller, params=by_category(category)
    )
    edition = await registry_edition(services, visitor, edition_id)
    judging = await services.judging.get(f"/editions/{edition_id}", visitor.caller)
    prizes = {} if category else {p["rank"]: p for p in edition.get("prizes", [])}
    ranking, sheets = results_tables(snapshot, judging["panel"], prizes, visitor.language)
    stem = "-".join(part for part in (slug(edition["title"]), category, f"v{latest}") if part)
    if sheets_only:
        return download([sheets], file_format, f"nilai-{stem}")
    return download([ranking, sheets], file_format, f"hasil-{stem}")


@router.get("/lomba/{edition_id}/ekspor/hasil.{file_format}")
async def results_export(
    request: Request,
    edition_id: UUID,
    file_format: FileFormat,
    visitor: Staff,
    services: ServicesDep,
    category: CategoryCode = None,
) -> Response:
    """The ranking (and in XLSX a second sheet of every score sheet)."""
    return await latest_results(
        request, edition_id, visitor, services, category, file_format, sheets_only=False
    )


@router.get("/lomba/{edition_id}/ekspor/nilai.{file_format}")
async def sheets_export(
    request: Request,
    edition_id: UUID,
    file_format: FileFormat,
    visitor: Staff,
    services: ServicesDep,
    category: CategoryCode = None,
) -> Response:
    """Every score sheet of the latest frozen version: criterion scores and totals."""
    return await latest_results(
        request, edition_id, visitor, services, category, file_format, sheets_only=True
    )


@router.get("/lomba/{edition_id}/ekspor/karya.{file_format}")
async def entries_export(
    edition_id: UUID, file_format: FileFormat, visitor: Staff, services: ServicesDep
) -> Response:
    edition = await registry_edition(services, visitor, edition_id)
    entries = await services.submissions.get(f"/editions/{edition_id}/entries", visitor.caller)
    return download([entries_table(entries)], file_format, f"karya-{slug(edition['title'])}")


@router.get("/lomba/{edition_id}/ekspor/pendaftaran.{file_format}")
async def enrolments_export(
    edition_id: UUID, file_format: FileFormat, visitor: Staff, services: ServicesDep
) -> Response:
    edition = await registry_edition(services, visitor, edition_id)
    enrolments = await services.registry.get(f"/editions/{edition_id}/enrolments", visitor.caller)
    return download([enrolments_table(enrolments)], file_format, f"pendaftaran-{slug(edition['title'])}")


@router.get("/ekspor/log-pengiriman.{file_format}")
async def delivery_log_export(
    request: Request, file_format: FileFormat, visitor: Staff, services: ServicesDep
) -> Response:
    """The newest deliveries of every edition (the log is the notifications service's, not an edition's)."""
    deliveries = await services.notifications.get(
        "/deliveries", visitor.caller, params={"limit": DELIVERY_LOG_LIMIT}
    )
    today = request.app.state.clock().astimezone(WIB).date().isoformat()
    return download([deliveries_table(deliveries)], file_format, f"log-pengiriman-{today}")
