"""The staff workspace: the editions (drafts too), creating, editing, publishing and
closing one, its dashboard (where it stands and the next action) and its enrolments."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..i18n import N_, WIB, gettext, ngettext
from ..services import ServiceError, idempotency_of
from ..web import ServicesDep, Staff, redirect, render, with_dates
from .public import dated

router = APIRouter(prefix="/staf")

#: What people read for the services' enums: never a raw `published` on a page.
EDITION_STATUS = {
    "draft": N_("Draft"),
    "published": N_("Published"),
    "submissions_closed": N_("Submissions closed"),
}
ENROLMENT_STATUS = {"requested": N_("Waiting"), "approved": N_("Approved"), "rejected": N_("Rejected")}
JUDGING_STATUS = {
    "waiting_for_submissions": N_("Waiting for submissions"),
    "scoring": N_("Scoring under way"),
    "completed": N_("Scoring complete"),
    "announced": N_("Announced"),
}
RESULTS_STATE = {
    "not_frozen": N_("Not frozen"),
    "frozen": N_("Frozen, not verified yet"),
    "verified": N_("Verified, not announced yet"),
    "announced": N_("Announced"),
}
#: Prize rows the edition form offers (blank rows are left out).
PRIZE_ROWS = 5
#: Category fieldsets the form offers at most, and blank ones beside those the edition has.
CATEGORY_ROWS = 12
BLANK_CATEGORIES = 2
#: Prize rows per category (its places: 1st, 2nd, 3rd).
CATEGORY_PRIZE_ROWS = 3
CATEGORY_KINDS = {
    "ranked": N_("Ranked"),
    "special": N_("Jury's special award"),
    "favourite": N_("Favourite (public vote)"),
}
#: The kinds, short, as the dashboard lists the categories.
CATEGORY_KIND_NAMES = {
    "ranked": N_("ranked"),
    "special": N_("jury's special award"),
    "favourite": N_("public vote"),
}
CATEGORY_CODE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@router.get("")
async def staff_home(request: Request, visitor: Staff, services: ServicesDep) -> Response:
    editions = await services.registry.get("/editions", visitor.caller)
    return render(
        request, "pages/staff_home.html", editions=[dated(e) for e in editions], statuses=EDITION_STATUS
    )


# --- creating and editing an edition ---------------------------------------------------------


@dataclass
class PrizeRow:
    """One prize as typed: its name, how the edition words it, cash (rupiah) and non-cash."""

    title: str = ""
    reward: str = ""
    amount: str = ""
    non_cash: str = ""

    @classmethod
    def of(cls, prize: dict[str, Any] | None) -> PrizeRow:
        if prize is None:
            return cls()
        amount = prize.get("amount")
        return cls(
            title=prize["title"],
            reward=prize.get("reward") or "",
            amount="" if amount is None else str(amount),
            non_cash=prize.get("non_cash") or "",
        )

    @property
    def blank(self) -> bool:
        return not any(v.strip() for v in (self.title, self.reward, self.amount, self.non_cash))

    def to_body(
        self, rank: int, error: Callable[[str, str], None], title_field: str, amount_field: str
    ) -> dict[str, Any] | None:
        """The registry's prize, None for a blank row; a mistake goes to `error(field, message)`."""
        if self.blank:
            return None
        if not self.title.strip():
            error(title_field, gettext("Enter the prize's title, such as Juara %(rank)d.", rank=rank))
        amount = rupiah(self.amount)
        if self.amount.strip() and amount is None:
            error(amount_field, gettext("Enter the cash in rupiah as a whole number, such as 7500000."))
        return {
            "rank": rank,
            "title": self.title.strip(),
            "reward": self.reward.strip() or None,
            "amount": amount,
            "non_cash": self.non_cash.strip() or None,
        }


def rupiah(text: str) -> int | None:
    """A sum of rupiah as typed ("7.500.000", "Rp 7.500.000", "7500000"), None if it is not one."""
    digits = text.strip().lower().removeprefix("rp").strip().replace(".", "").replace(" ", "")
    return int(digits) if digits.isdigit() else None


@dataclass
class CategoryRow:
    """A category as typed; a row with neither code nor title is left out (or removed)."""

    code: str = ""
    title: str = ""
    kind: str = "ranked"
    awarded_ranks: str = "1"
    description: str = ""
    prizes: list[PrizeRow] = field(default_factory=list)
    #: A favourite category's ranked category (its code): the films the public votes on.
    favourite_of: str = ""

    @classmethod
    def of(cls, category: dict[str, Any]) -> CategoryRow:
        by_rank = {p["rank"]: p for p in category.get("prizes", [])}
        return cls(
            code=category["code"],
            title=category["title"],
            kind=category["kind"],
            awarded_ranks=str(category["awarded_ranks"]),
            description=category.get("description") or "",
            prizes=[PrizeRow.of(by_rank.get(rank)) for rank in range(1, CATEGORY_PRIZE_ROWS + 1)],
            favourite_of=category.get("favourite_of") or "",
        )

    @property
    def blank(self) -> bool:
        return not self.code.strip() and not self.title.strip()

    def prize_rows(self) -> list[PrizeRow]:
        return (list(self.prizes) + [PrizeRow() for _ in range(CATEGORY_PRIZE_ROWS)])[:CATEGORY_PRIZE_ROWS]

    def to_body(self, n: int, errors: dict[str, str]) -> dict[str, Any]:
        """The registry's category (`n`: its fieldset, from 1), mistakes into `errors`."""
        name = f"category_{n}_"
        code = self.code.strip()
        if not CATEGORY_CODE.match(code) or len(code) > 40:
            errors[name + "code"] = gettext(
                "Enter a code of lowercase letters, digits and hyphens, such as sinematografi."
            )
        if not self.title.strip():
            errors[name + "title"] = gettext("Enter the category's title, such as Sinematografi Terbaik.")
        if self.kind not in CATEGORY_KINDS:
            errors[name + "kind"] = gettext("Choose the kind of category.")
        favourite_of = self.favourite_of.strip()
        if favourite_of and (not CATEGORY_CODE.match(favourite_of) or len(favourite_of) > 40):
            errors[name + "favourite_of"] = gettext(
                "Enter a code of lowercase letters, digits and hyphens, such as sinematografi."
            )
        ranks = whole_number(self.awarded_ranks)
        if ranks is None or not 1 <= ranks <= 50:
            errors[name + "awarded_ranks"] = gettext(
                "Enter a whole number from %(low)d to %(high)d.", low=1, high=50
            )

        def error(at: str, message: str) -> None:
            errors.setdefault(at, message)

        prizes = [
            prize.to_body(rank, error, f"{name}prize_title_{rank}", f"{name}prize_amount_{rank}")
            for rank, prize in enumerate(self.prize_rows(), start=1)
        ]
        return {
            "code": code,
            "title": self.title.strip(),
            "kind": self.kind,
            "awarded_ranks": ranks or 1,
            "description": self.description.strip(),
            "prizes": [p for p in prizes if p is not None],
            "favourite_of": favourite_of or None,
        }


@dataclass
class EditionForm:
    """The edition form as typed: strings, so a refused form comes back as it was."""

    title: str = ""
    theme: str = ""
    description: str = ""
    opens_date: str = ""
    opens_time: str = "00:00"
    closes_date: str = ""
    closes_time: str = "23:59"
    max_video_seconds: str = "300"
    allowed_video_hosts: str = "youtube.com, youtu.be"
    entries_per_kim: str = "1"
    awarded_ranks: str = "3"
    prizes: list[PrizeRow] | None = None
    categories: list[CategoryRow] | None = None
    #: The fieldset (from 1) of each category sent, in order: where the registry's
    #: `categories.{i}...` refusals go.
    sent_categories: list[int] = field(default_factory=list, init=False)

    @classmethod
    def of_edition(cls, edition: dict[str, Any]) -> EditionForm:
        opens = datetime.fromisoformat(str(edition["submission_opens_at"])).astimezone(WIB)
        closes = datetime.fromisoformat(str(edition["submission_closes_at"])).astimezone(WIB)
        by_rank = {p["rank"]: p for p in edition["prizes"]}
        return cls(
            title=edition["title"],
            theme=edition["theme"],
            description=edition["description"],
            opens_date=opens.date().isoformat(),
            opens_time=opens.strftime("%H:%M"),
            closes_date=closes.date().isoformat(),
            closes_time=closes.strftime("%H:%M"),
            max_video_seconds=str(edition["rules"]["max_video_seconds"]),
            allowed_video_hosts=", ".join(edition["rules"]["allowed_video_hosts"]),
            entries_per_kim=str(edition["rules"]["entries_per_kim"]),
            awarded_ranks=str(edition["awarded_ranks"]),
            prizes=[PrizeRow.of(by_rank.get(rank)) for rank in range(1, PRIZE_ROWS + 1)],
            categories=[CategoryRow.of(c) for c in edition.get("categories", [])],
        )

    def prize_rows(self) -> list[PrizeRow]:
        return (list(self.prizes or []) + [PrizeRow() for _ in range(PRIZE_ROWS)])[:PRIZE_ROWS]

    def category_rows(self) -> list[CategoryRow]:
        """The categories typed (blank ones kept in place) and blank fieldsets to add more."""
        rows = list(self.categories or [])
        while rows and rows[-1].blank:
            rows.pop()
        rows += [CategoryRow() for _ in range(BLANK_CATEGORIES)]
        return rows[: max(CATEGORY_ROWS, len(self.categories or []))]

    def to_body(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The registry's edition body, or the errors, field by field, to show beside them."""
        errors: dict[str, str] = {}
        if len(self.title.strip()) < 2:
            errors["title"] = gettext("Enter the edition's title.")
        if not self.theme.strip():
            errors["theme"] = gettext("Enter the theme.")
        opens = wib_moment(self.opens_date, self.opens_time)
        if opens is None:
            errors["opens_date"] = gettext("Enter the date and time submissions open.")
        closes = wib_moment(self.closes_date, self.closes_time)
        if closes is None:
            errors["closes_date"] = gettext("Enter the date and time submissions close.")
        elif opens is not None and closes <= opens:
            errors["closes_date"] = gettext("Submissions must close after they open.")
        numbers: dict[str, int] = {}
        for name, low, high in (
            ("max_video_seconds", 10, 3 * 3600),
            ("entries_per_kim", 1, 20),
            ("awarded_ranks", 1, 50),
        ):
            value = whole_number(getattr(self, name))
            if value is None or not low <= value <= high:
                errors[name] = gettext("Enter a whole number from %(low)d to %(high)d.", low=low, high=high)
            else:
                numbers[name] = value
        hosts = [
            h.strip().lower() for h in self.allowed_video_hosts.replace("\n", ",").split(",") if h.strip()
        ]
        if not hosts:
            errors["allowed_video_hosts"] = gettext("Enter at least one video host, such as youtube.com.")

        def error(at: str, message: str) -> None:
            errors.setdefault(at, message)

        prizes = [
            prize.to_body(rank, error, f"prize_title_{rank}", f"prize_amount_{rank}")
            for rank, prize in enumerate(self.prize_rows(), start=1)
        ]
        self.sent_categories = []
        categories = []
        for n, category in enumerate(self.categories or [], start=1):
            if not category.blank:
                self.sent_categories.append(n)
                categories.append(category.to_body(n, errors))
        if errors:
            return {}, errors
        assert opens is not None and closes is not None
        return {
            "title": self.title.strip(),
            "theme": self.theme.strip(),
            "description": self.description.strip(),
            "submission_opens_at": opens.isoformat(),
            "submission_closes_at": closes.isoformat(),
            "rules": {
                "max_video_seconds": numbers["max_video_seconds"],
                "allowed_video_hosts": hosts,
                "entries_per_kim": numbers["entries_per_kim"],
            },
            "awarded_ranks": numbers["awarded_ranks"],
            "prizes": [p for p in prizes if p is not None],
            "categories": categories,
        }, {}


def wib_moment(day: str, clock: str) -> datetime | None:
    """A date and time typed in WIB, as an aware moment (None if either is not one)."""
    try:
        return datetime.combine(
            date.fromisoformat(day.strip()), time.fromisoformat(clock.strip() or "00:00"), WIB
        )
    except ValueError:
        return None


def whole_number(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None


#: The registry's field names → the form's.
SERVICE_FIELDS = {
    "submission_opens_at": "opens_date",
    "submission_closes_at": "closes_date",
    "rules.max_video_seconds": "max_video_seconds",
    "rules.entries_per_kim": "entries_per_kim",
    "rules.allowed_video_hosts": "allowed_video_hosts",
}
FORM_FIELDS = (
    "title",
    "theme",
    "description",
    "opens_date",
    "closes_date",
    "max_video_seconds",
    "allowed_video_hosts",
    "entries_per_kim",
    "awarded_ranks",
)


def form_field_of(service_field: str | None, sent_categories: list[int] | None = None) -> str:
    """Where a refusal goes on the edition form: beside the field the service names
    (`sent_categories`: the fieldset of each category the form sent, in order)."""
    if not service_field:
        return "title"
    parts = service_field.split(".")
    if parts[0] == "prizes":
        if len(parts) > 1 and parts[1].isdigit():
            return f"prize_title_{int(parts[1]) + 1}"
        return "prize_title_1"
    if parts[0] == "categories":
        sent = sent_categories or []
        index = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
        n = sent[index] if index < len(sent) else index + 1
        rest = parts[2] if len(parts) > 2 else "title"
        if rest == "prizes":
            rank = int(parts[3]) + 1 if len(parts) > 3 and parts[3].isdigit() else 1
            return f"category_{n}_prize_title_{min(rank, CATEGORY_PRIZE_ROWS)}"
        kept = ("code", "kind", "awarded_ranks", "favourite_of")
        return f"category_{n}_{rest if rest in kept else 'title'}"
    for prefix, name in SERVICE_FIELDS.items():
        if service_field == prefix or service_field.startswith(prefix + "."):
            return name
    return service_field if service_field in FORM_FIELDS else "title"


async def edition_form_of(request: Request) -> EditionForm:
    form = await request.form()

    def text(name: str) -> str:
        value = form.get(name, "")
        return value[:5000] if isinstance(value, str) else ""

    def prize(prefix: str, rank: int) -> PrizeRow:
        return PrizeRow(
            title=text(f"{prefix}prize_title_{rank}"),
            reward=text(f"{prefix}prize_reward_{rank}"),
            amount=text(f"{prefix}prize_amount_{rank}"),
            non_cash=text(f"{prefix}prize_non_cash_{rank}"),
        )

    categories = [
        CategoryRow(
            code=text(f"category_{n}_code"),
            title=text(f"category_{n}_title"),
            kind=text(f"category_{n}_kind") or "ranked",
            awarded_ranks=text(f"category_{n}_awarded_ranks") or "1",
            description=text(f"category_{n}_description"),
            prizes=[prize(f"category_{n}_", rank) for rank in range(1, CATEGORY_PRIZE_ROWS + 1)],
            favourite_of=text(f"category_{n}_favourite_of"),
        )
        for n in range(1, CATEGORY_ROWS + 1)
    ]
    return EditionForm(
        **{name: text(name) for name in (*FORM_FIELDS, "opens_time", "closes_time")},
        prizes=[prize("", rank) for rank in range(1, PRIZE_ROWS + 1)],
        categories=categories,
    )


def edition_form_page(
    request: Request, form: EditionForm, errors: dict[str, str], edition: dict[str, Any] | None = None
) -> Response:
    return render(
        request,
        "pages/staff/edition_form.html",
        status_code=400 if errors else 200,
        form=form,
        errors=errors,
        edition=edition,
        kinds=CATEGORY_KINDS,
    )


@router.get("/lomba/baru")
async def new_edition(request: Request, visitor: Staff) -> Response:
    return edition_form_page(request, EditionForm(), {})


@router.post("/lomba/baru")
async def create_edition(request: Request, visitor: Staff, services: ServicesDep) -> Response:
    form = await edition_form_of(request)
    body, errors = form.to_body()
    if not errors:
        try:
            created = await services.registry.post(
                "/editions", visitor.caller, json=body, headers=await idempotency_of(request)
            )
        except ServiceError as error:
            errors = {form_field_of(error.field, form.sent_categories): error.message}
        else:
            return redirect(request, f"/staf/lomba/{created['edition_id']}", flash="edition_created")
    return edition_form_page(request, form, errors)


@router.get("/lomba/{edition_id}/ubah")
async def edit_edition(request: Request, edition_id: UUID, visitor: Staff, services: ServicesDep) -> Response:
    edition = await services.registry.get(f"/editions/{edition_id}", visitor.caller)
    return edition_form_page(request, EditionForm.of_edition(edition), {}, edition)


@router.post("/lomba/{edition_id}/ubah")
async def revise_edition(
    request: Request, edition_id: UUID, visitor: Staff, services: ServicesDep
) -> Response:
    edition = await services.registry.get(f"/editions/{edition_id}", visitor.caller)
    form = await edition_form_of(request)
    body, errors = form.to_body()
    if not errors:
        try:
            await services.registry.request("PATCH", f"/editions/{edition_id}", visitor.caller, json=body)
        except ServiceError as error:
            errors = {form_field_of(error.field, form.sent_categories): error.message}
        else:
            return redirect(request, f"/staf/lomba/{edition_id}", flash="edition_saved")
    return edition_form_page(request, form, errors, edition)


@router.post("/lomba/{edition_id}/terbitkan")
async def publish_edition(
    request: Request, edition_id: UUID, visitor: Staff, services: ServicesDep
) -> Response:
    try:
        await services.registry.post(f"/editions/{edition_id}/publication", visitor.caller)
    except ServiceError as error:
        if error.status in (401, 403, 404):
            raise
        # e.g. the window is already over: said on the dashboard, beside the window, with the way to fix it
        return await dashboard_page(request, edition_id, visitor, services, {"window": error.message})
    return redirect(request, f"/staf/lomba/{edition_id}", flash="edition_published")


@router.get("/lomba/{edition_id}/tutup")
async def confirm_closing(
    request: Request, edition_id: UUID, visitor: Staff, services: ServicesDep
) -> Response:
    """The confirmation step: closing cannot be undone."""
    edition = dated(await services.registry.get(f"/editions/{edition_id}", visitor.caller))
    entries = await services.submissions.get(
        f"/editions/{edition_id}/entries", visitor.caller, params={"status": "submitted"}
    )
    return render(request, "pages/staff/close.html", edition=edition, entries=len(entries))


@router.post("/lomba/{edition_id}/tutup")
async def close_submissions(
    request: Request, edition_id: UUID, visitor: Staff, services: ServicesDep
) -> Response:
    await services.registry.post(f"/editions/{edition_id}/submissions-closure", visitor.caller)
    return redirect(request, f"/staf/lomba/{edition_id}", flash="submissions_closed")


# --- the dashboard ---------------------------------------------------------------------------


@dataclass
class NextAction:
    text: str
    href: str
    #: "link", or "publish" (a form: publishing is a POST)
    kind: str = "link"


async def optional(call: Awaitable[Any]) -> Any:
    """A judging answer that may not exist yet (the edition not known there, no ranking yet)."""
    try:
        return await call
    except ServiceError:
        return None


def results_state(snapshots: list[dict[str, Any]] | None) -> tuple[str, int | None]:
    if not snapshots:
        return "not_frozen", None
    latest = max(snapshots, key=lambda s: s["version"])
    if latest.get("announced_at"):
        return "announced", latest["version"]
    if latest.get("verified_at"):
        return "verified", latest["version"]
    return "frozen", latest["version"]


def next_action(
    edition: dict[str, Any],
    *,
    unverified_kims: int,
    pending: int,
    judging: dict[str, Any] | None,
    open_ties: int,
    results: str,
) -> NextAction | None:
    """What staff should do next for this edition, most urgent first."""
    base = f"/staf/lomba/{edition['edition_id']}"
    if edition["status"] == "draft":
        return NextAction(gettext("Publish the edition"), f"{base}/terbitkan", "publish")
    if pending:
        text = ngettext(
            "%(num)d enrolment waiting for approval", "%(num)d enrolments waiting for approval", pending
        )
        return NextAction(text, f"{base}/pendaftaran")
    if unverified_kims and edition["status"] == "published":
        text = ngettext(
            "%(num)d KIM waiting for verification", "%(num)d KIMs waiting for verification", unverified_kims
        )
        return NextAction(text, "/staf/kim")
    panel = [j for j in (judging or {}).get("panel", []) if not j.get("removed_at")]
    if judging is not None and not panel and results == "not_frozen":
        return NextAction(gettext("Appoint the judging panel"), f"{base}/juri")
    if edition["status"] == "published":
        return None  # submissions are open: nothing to do until they close
    status = judging["status"] if judging else None
    if status == "scoring":
        missing = judging["progress"]["missing"] if judging else 0
        text = ngettext("%(num)d score sheet still missing", "%(num)d score sheets still missing", missing)
        return NextAction(text, f"{base}/penilaian")
    if open_ties:
        text = ngettext("Resolve %(num)d tie", "Resolve %(num)d ties", open_ties)
        return NextAction(text, f"{base}/hasil")
    if status == "completed" and results == "not_frozen":
        return NextAction(gettext("Freeze the results"), f"{base}/hasil")
    if results == "frozen":
        return NextAction(gettext("Verify the results"), f"{base}/hasil")
    if results == "verified":
        return NextAction(gettext("Announce the results"), f"{base}/hasil")
    return None


def count(items: list[dict[str, Any]] | None, key: str, value: Any) -> int:
    return sum(1 for item in items or [] if item.get(key) == value)


@router.get("/lomba/{edition_id}")
async def dashboard(request: Request, edition_id: UUID, visitor: Staff, services: ServicesDep) -> Response:
    return await dashboard_page(request, edition_id, visitor, services)


@dataclass
class CopyForm:
    """Next year's edition as typed on the dashboard: the new window in WIB, an optional title."""

    title: str = ""
    opens_date: str = ""
    opens_time: str = "00:00"
    closes_date: str = ""
    closes_time: str = "23:59"

    @classmethod
    def suggested(cls, edition: dict[str, Any]) -> CopyForm:
        """The opening a year after this edition's, at the same time (WIB)."""
        opens = edition["submission_opens_at"].astimezone(WIB)
        try:
            next_year = opens.replace(year=opens.year + 1)
        except ValueError:  # 29 February
            next_year = opens + timedelta(days=365)
        return cls(opens_date=next_year.date().isoformat(), opens_time=next_year.strftime("%H:%M"))

    def to_body(self) -> tuple[dict[str, Any], dict[str, str]]:
        errors: dict[str, str] = {}
        body: dict[str, Any] = {}
        opens = wib_moment(self.opens_date, self.opens_time)
        if opens is None:
            errors["copy_opens_date"] = gettext("Enter the date and time submissions open.")
        else:
            body["submission_opens_at"] = opens.isoformat()
        if self.closes_date.strip():
            closes = wib_moment(self.closes_date, self.closes_time or "23:59")
            if closes is None:
                errors["copy_closes_date"] = gettext("Enter the date and time submissions close.")
            elif opens is not None and closes <= opens:
                errors["copy_closes_date"] = gettext("Submissions must close after they open.")
            else:
                body["submission_closes_at"] = closes.isoformat()
        if self.title.strip():
            body["title"] = self.title.strip()
        return body, errors


#: The registry's refusals of a copy → the dashboard's copy form.
COPY_FIELDS = {"submission_closes_at": "copy_closes_date", "title": "copy_title"}


@router.post("/lomba/{edition_id}/salin")
async def copy_edition(request: Request, edition_id: UUID, visitor: Staff, services: ServicesDep) -> Response:
    """Next year's edition: a draft copied from this one; then its dashboard."""
    typed = await request.form()

    def text(name: str) -> str:
        value = typed.get(f"copy_{name}", "")
        return value[:500] if isinstance(value, str) else ""

    form = CopyForm(
        **{name: text(name) for name in ("title", "opens_date", "opens_time", "closes_date", "closes_time")}
    )
    body, errors = form.to_body()
    if not errors:
        try:
            created = await services.registry.post(
                f"/editions/{edition_id}/copies",
                visitor.caller,
                json=body,
                headers=await idempotency_of(request),
            )
        except ServiceError as error:
            if error.status in (401, 403, 404):
                raise
            errors = {COPY_FIELDS.get(error.field or "", "copy_opens_date"): error.message}
        else:
            return redirect(request, f"/staf/lomba/{created['edition_id']}", flash="edition_copied")
    return await dashboard_page(request, edition_id, visitor, services, errors, form)


async def dashboard_page(
    request: Request,
    edition_id: UUID,
    visitor: Any,
    services: Any,
    errors: dict[str, str] | None = None,
    copy: CopyForm | None = None,
) -> Response:
    caller = visitor.caller
    edition = dated(await services.registry.get(f"/editions/{edition_id}", caller))
    kims, enrolments, entries, judging, progress, ties, snapshots = await asyncio.gather(
        services.registry.get("/kims", caller),
        services.registry.get(f"/editions/{edition_id}/enrolments", caller),
        services.submissions.get(f"/editions/{edition_id}/entries", caller),
        optional(services.judging.get(f"/editions/{edition_id}", caller)),
        optional(services.judging.get(f"/editions/{edition_id}/progress", caller)),
        optional(services.judging.get(f"/editions/{edition_id}/ties", caller)),
        optional(services.judging.get(f"/editions/{edition_id}/snapshots", caller)),
    )
    state, version = results_state(snapshots)
    open_ties = sum(1 for tie in ties or [] if tie.get("stands") and not tie.get("resolution"))
    unverified = count(kims, "verified", False)
    pending = count(enrolments, "status", "requested")
    return render(
        request,
        "pages/staff/dashboard.html",
        status_code=400 if errors else 200,
        errors=errors or {},
        edition=edition,
        statuses=EDITION_STATUS,
        kinds=CATEGORY_KIND_NAMES,
        copy=copy or CopyForm.suggested(edition),
        kims={"registered": len(kims), "verified": len(kims) - unverified},
        enrolments={s: count(enrolments, "status", s) for s in ENROLMENT_STATUS},
        entries={s: count(entries, "status", s) for s in ("submitted", "withdrawn", "disqualified")},
        judging=judging,
        judging_status=JUDGING_STATUS,
        progress=progress,
        ties=ties or [],
        open_ties=open_ties,
        results=gettext(RESULTS_STATE[state]),
        results_version=version,
        action=next_action(
            edition,
            unverified_kims=unverified,
            pending=pending,
            judging=judging,
            open_ties=open_ties,
            results=state,
        ),
    )


# --- enrolments ------------------------------------------------------------------------------


async def enrolments_page(
    request: Request,
    edition_id: UUID,
    visitor: Any,
    services: Any,
    errors: dict[str, str] | None = None,
    reasons: dict[str, str] | None = None,
) -> Response:
    edition = await services.registry.get(f"/editions/{edition_id}", visitor.caller)
    enrolments = [
        with_dates(e, "requested_at", "decided_at")
        for e in await services.registry.get(f"/editions/{edition_id}/enrolments", visitor.caller)
    ]
    return render(
        request,
        "pages/staff/enrolments.html",
        status_code=400 if errors else 200,
        edition=edition,
        pending=[e for e in enrolments if e["status"] == "requested"],
        decided=[e for e in enrolments if e["status"] != "requested"],
        statuses=ENROLMENT_STATUS,
        errors=errors or {},
        reasons=reasons or {},
    )


@router.get("/lomba/{edition_id}/pendaftaran")
async def enrolments(request: Request, edition_id: UUID, visitor: Staff, services: ServicesDep) -> Response:
    return await enrolments_page(request, edition_id, visitor, services)


@router.post("/lomba/{edition_id}/pendaftaran/{enrolment_id}/setujui")
async def approve_enrolment(
    request: Request, edition_id: UUID, enrolment_id: UUID, visitor: Staff, services: ServicesDep
) -> Response:
    await services.registry.post(f"/enrolments/{enrolment_id}/approval", visitor.caller)
    return redirect(request, f"/staf/lomba/{edition_id}/pendaftaran", flash="enrolment_approved")


@router.post("/lomba/{edition_id}/pendaftaran/{enrolment_id}/tolak")
async def reject_enrolment(
    request: Request,
    edition_id: UUID,
    enrolment_id: UUID,
    visitor: Staff,
    services: ServicesDep,
) -> Response:
    # The field is named after the enrolment: the page has one reason box per KIM waiting.
    field = f"reason-{enrolment_id}"
    given = (await request.form()).get(field, "")
    reason = given[:1000] if isinstance(given, str) else ""
    if not reason.strip():
        errors = {field: gettext("Enter the reason for rejecting this enrolment.")}
    else:
        try:
            await services.registry.post(
                f"/enrolments/{enrolment_id}/rejection", visitor.caller, json={"reason": reason.strip()}
            )
        except ServiceError as error:
            errors = {field: error.message}
        else:
            return redirect(request, f"/staf/lomba/{edition_id}/pendaftaran", flash="enrolment_rejected")
    return await enrolments_page(request, edition_id, visitor, services, errors, {str(enrolment_id): reason})
