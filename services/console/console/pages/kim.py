"""The KIM portal: a representative's home (`/kim`), the status page of each
edition (`/kim/lomba/{id}`: enrol, the entry, withdraw, the rank), and the entry
form (`/karya`, `/karya/ubah`) with its link check as the KIM types.

Every page acts for the KIM of the signed-in account (`visitor.session.kim_id`),
never for an id in the address: the entry is found among the KIM's own entries
(the services list only those for a representative, and refuse anyway)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlsplit
from uuid import UUID

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from ..embeds import Film, film_of
from ..i18n import N_, format_date, format_datetime, gettext
from ..services import ServiceError, Services, idempotency_of
from ..web import KimRep, ServicesDep, Visitor, redirect, render
from .public import dated

router = APIRouter(prefix="/kim")

# --- what the KIM's standing in an edition is -----------------------------------------------


@dataclass
class Step:
    text: str
    #: "done", "current", "todo" or "stopped" (rejected, withdrawn, disqualified)
    state: str
    detail: str = ""


@dataclass
class Standing:
    """The KIM's place in one edition, as the status page and the home show it."""

    edition: dict[str, Any]
    enrolment: dict[str, Any] | None
    entry: dict[str, Any] | None
    #: The submissions service's window (rules, open now), None if it does not know the edition yet.
    window: dict[str, Any] | None
    #: The KIM's placing in the announced results, or None.
    placing: dict[str, Any] | None
    announced: bool
    now: datetime
    steps: list[Step] = field(default_factory=list)

    @property
    def edition_id(self) -> str:
        return str(self.edition["edition_id"])

    @property
    def closed(self) -> bool:
        """Submissions are over: closed by staff or the deadline passed."""
        return (
            self.edition["status"] == "submissions_closed"
            or self.now >= self.edition["submission_closes_at"]
            or bool(self.window and self.window.get("closed_at"))
        )

    @property
    def not_open_yet(self) -> bool:
        return self.now < self.edition["submission_opens_at"]

    @property
    def approved(self) -> bool:
        return bool(self.enrolment and self.enrolment["status"] == "approved")

    @property
    def active_entry(self) -> dict[str, Any] | None:
        return self.entry if self.entry and self.entry["status"] == "submitted" else None

    @property
    def may_enrol(self) -> bool:
        return self.enrolment is None and not self.closed

    @property
    def may_submit(self) -> bool:
        return self.approved and self.active_entry is None and not self.closed and not self.not_open_yet

    @property
    def may_change(self) -> bool:
        return self.active_entry is not None and not self.closed

    @property
    def state(self) -> str:
        """One word for the home's table (its text: `STATE_TEXT`)."""
        if self.announced:
            return "announced"
        if self.enrolment is None:
            return "closed" if self.closed else "not_enrolled"
        if self.enrolment["status"] != "approved":
            return "enrolment_" + str(self.enrolment["status"])
        if self.closed:
            return "closed"
        if self.entry is None:
            return "approved"
        return "entry_" + str(self.entry["status"])

    @property
    def state_text(self) -> str:
        if self.state == "announced" and self.placing:
            return gettext("Results announced: rank %(rank)d", rank=self.placing["rank"])
        if self.state == "enrolment_rejected" and self.enrolment:
            return gettext("Enrolment rejected: %(reason)s", reason=self.enrolment.get("reason") or "–")
        if self.state == "entry_submitted" and self.entry:
            return gettext("Entry received (revision %(revision)d)", revision=self.entry["revision"])
        return gettext(STATE_TEXT[self.state])


STATE_TEXT = {
    "not_enrolled": N_("Not enrolled"),
    "enrolment_requested": N_("Enrolment waiting for staff approval"),
    "enrolment_rejected": N_("Enrolment rejected"),
    "approved": N_("Enrolment approved: you may submit an entry"),
    "entry_submitted": N_("Entry received"),
    "entry_withdrawn": N_("Entry withdrawn"),
    "entry_disqualified": N_("Entry disqualified"),
    "closed": N_("Submissions closed: the judges are at work"),
    "announced": N_("Results announced"),
}


def steps_of(standing: Standing) -> list[Step]:
    """The road from enrolling to the results, each step done, current, to do or stopped."""
    enrolment, entry = standing.enrolment, standing.entry
    steps: list[Step] = []
    if enrolment is None:
        steps.append(Step(gettext("Enrol in the competition"), "todo" if standing.closed else "current"))
    else:
        steps.append(
            Step(
                gettext("Enrolled"),
                "done",
                gettext("On %(date)s", date=_date(enrolment.get("requested_at"))),
            )
        )
    if enrolment is None:
        steps.append(Step(gettext("Staff approve the enrolment"), "todo"))
    elif enrolment["status"] == "requested":
        steps.append(
            Step(
                gettext("Enrolment waiting for staff approval"),
                "current",
                gettext("Staff check the enrolment; you can submit your entry once it is approved."),
            )
        )
    elif enrolment["status"] == "rejected":
        steps.append(
            Step(
                gettext("Enrolment rejected"),
                "stopped",
                gettext("Reason: %(reason)s", reason=enrolment.get("reason") or "–"),
            )
        )
    else:
        steps.append(Step(gettext("Enrolment approved"), "done"))
    if entry is None:
        current = standing.approved and not standing.closed
        steps.append(Step(gettext("Submit the entry"), "current" if current else "todo"))
    elif entry["status"] == "submitted":
        steps.append(
            Step(
                gettext("Entry received (revision %(revision)d)", revision=entry["revision"]),
                "done",
                gettext("Last changed %(moment)s", moment=_moment(entry.get("updated_at"))),
            )
        )
    elif entry["status"] == "withdrawn":
        steps.append(Step(gettext("Entry withdrawn"), "stopped" if standing.closed else "current"))
    else:
        steps.append(
            Step(
                gettext("Entry disqualified"),
                "stopped",
                gettext("Reason: %(reason)s", reason=entry.get("disqualification_reason") or "–"),
            )
        )
    if standing.closed:
        steps.append(
            Step(
                gettext("Submissions closed"),
                "done",
                gettext("The judges score the entries received."),
            )
        )
    else:
        steps.append(
            Step(
                gettext("Submissions close"),
                "todo",
                gettext("On %(moment)s", moment=_moment(standing.edition["submission_closes_at"])),
            )
        )
    if standing.announced:
        detail = (
            gettext("Your KIM is ranked %(rank)d.", rank=standing.placing["rank"])
            if standing.placing
            else gettext("Your KIM is not in the ranking.")
        )
        steps.append(Step(gettext("Results announced"), "done", detail))
    else:
        steps.append(Step(gettext("Results announced"), "current" if standing.closed else "todo"))
    return steps


def _date(value: Any) -> str:
    return format_date(datetime.fromisoformat(value)) if isinstance(value, str) else "–"


def _moment(value: Any) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return format_datetime(value) if isinstance(value, datetime) else "–"


async def _optional(call: Any) -> Any:
    """An answer that may not exist (yet): not known there, not announced."""
    try:
        return await call
    except ServiceError as error:
        if error.status in (404, 409):
            return None
        raise


def _kim_id(visitor: Visitor) -> str:
    assert visitor.session is not None and visitor.session.kim_id is not None
    return str(visitor.session.kim_id)


async def standing_in(
    services: Services, visitor: Visitor, edition: dict[str, Any], now: datetime
) -> Standing:
    """What the KIM has in this edition: its enrolment, its entry, the window, its rank."""
    edition_id = edition["edition_id"]
    caller = visitor.caller
    enrolments, entries, window, results = await asyncio.gather(
        services.registry.get(f"/editions/{edition_id}/enrolments", caller),
        _optional(services.submissions.get(f"/editions/{edition_id}/entries", caller)),
        _optional(services.submissions.get(f"/editions/{edition_id}/submission-window", caller)),
        _optional(services.judging.get(f"/editions/{edition_id}/results", visitor.anonymous_caller)),
    )
    kim = _kim_id(visitor)
    # The services answer a representative with their KIM's only; the console checks again.
    mine = [e for e in enrolments if str(e["kim_id"]) == kim]
    entries = [e for e in entries or [] if str(e["kim_id"]) == kim]
    enrolment = max(mine, key=lambda e: e["requested_at"]) if mine else None
    active = [e for e in entries if e["status"] == "submitted"]
    entry = (active or entries or [None])[-1]
    placing = None
    if results:
        placing = next((p for p in results["ranking"] if str(p["kim_id"]) == kim), None)
    standing = Standing(
        edition=edition,
        enrolment=enrolment,
        entry=entry,
        window=window,
        placing=placing,
        announced=results is not None,
        now=now,
    )
    standing.steps = steps_of(standing)
    return standing


async def _edition(services: Services, visitor: Visitor, edition_id: UUID) -> dict[str, Any]:
    return dated(await services.registry.get(f"/editions/{edition_id}", visitor.caller))


# --- the home ---------------------------------------------------------------------------------


@router.get("")
async def kim_home(request: Request, visitor: KimRep, services: ServicesDep) -> Response:
    kim = await services.registry.get(f"/kims/{_kim_id(visitor)}", visitor.caller)
    standings: list[Standing] = []
    if kim.get("verified"):
        now = request.app.state.clock()
        editions = [
            dated(e)
            for e in await services.registry.get("/editions", visitor.caller)
            if e.get("status") in ("published", "submissions_closed")
        ]
        standings = list(await asyncio.gather(*(standing_in(services, visitor, e, now) for e in editions)))
    return render(request, "pages/kim_home.html", kim=kim, standings=standings)


# --- one edition's status page ---------------------------------------------------------------


@router.get("/lomba/{edition_id}")
async def edition_status(
    request: Request, edition_id: UUID, visitor: KimRep, services: ServicesDep
) -> Response:
    return await _status_page(request, edition_id, visitor, services)


async def _status_page(
    request: Request,
    edition_id: UUID,
    visitor: Visitor,
    services: Services,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    edition = await _edition(services, visitor, edition_id)
    standing = await standing_in(services, visitor, edition, request.app.state.clock())
    entry = standing.entry
    film = film_of(entry["video_url"]) if entry else None
    return render(
        request,
        "pages/kim/edition.html",
        status_code=status_code,
        standing=standing,
        edition=edition,
        entry=entry,
        film=film,
        film_check=film_check_text(entry),
        film_title=film_title_on_host(entry),
        categories=ranked_categories(edition),
        entered=entered_titles(edition, entry),
        errors=errors or {},
    )


def entered_titles(edition: dict[str, Any], entry: dict[str, Any] | None) -> list[str]:
    """The titles of the categories the entry is entered for, in the edition's order."""
    codes = set((entry or {}).get("categories", []))
    return [c["title"] for c in ranked_categories(edition) if c["code"] in codes]


@router.post("/lomba/{edition_id}/daftar")
async def enrol(request: Request, edition_id: UUID, visitor: KimRep, services: ServicesDep) -> Response:
    try:
        await services.registry.post(
            f"/editions/{edition_id}/enrolments",
            visitor.caller,
            json={"kim_id": _kim_id(visitor)},
            headers=await idempotency_of(request),
        )
    except ServiceError as error:
        if error.status in (401, 403, 404):
            raise
        return await _status_page(request, edition_id, visitor, services, {"enrol": error.message}, 400)
    return redirect(request, f"/kim/lomba/{edition_id}", flash="enrolment_requested")


def film_check_text(entry: dict[str, Any] | None) -> str | None:
    """What the submissions service found at the film's link, in words (None: nothing yet,
    or submissions does not check films). Its shape: status pending | ok | needs_review,
    duration_seconds, the host's title, and for needs_review a reason."""
    check = (entry or {}).get("film_check")
    if not check:
        return None
    seconds = check.get("duration_seconds")
    read = (
        gettext(
            "Duration read: %(minutes)d min %(seconds)d s",
            minutes=int(seconds) // 60,
            seconds=int(seconds) % 60,
        )
        if seconds
        else None
    )
    if check.get("status") == "ok":
        return read or gettext("The link opens.")
    if check.get("status") == "needs_review":
        reason = check.get("reason")
        if reason == "too_long":
            said = gettext("The film is longer than the competition allows; staff will check it.")
        elif reason == "duration_unknown":
            said = gettext("The film's length could not be read from its link; staff will check it.")
        else:
            said = gettext("The link could not be opened; staff will check it.")
        return f"{read}. {said}" if read else said
    return gettext("The film's length is being read from its link.")


def film_title_on_host(entry: dict[str, Any] | None) -> str | None:
    check = (entry or {}).get("film_check") or {}
    title = check.get("host_title") or check.get("title")
    return str(title) if title else None


# --- the entry form -----------------------------------------------------------------------------

#: The service's field names → the form's.
FORM_FIELDS = {
    "video_url": "video_url",
    "duration_seconds": "video_url",
    "title": "title",
    "synopsis": "synopsis",
    "umkm_featured": "umkm",
    "categories": "categories",
}


def ranked_categories(edition: dict[str, Any]) -> list[dict[str, Any]]:
    """The edition's categories a KIM enters its entry for (special awards and the
    favourite are not entered for)."""
    return [c for c in edition.get("categories", []) if c.get("kind") == "ranked"]


@dataclass
class EntryForm:
    video_url: str = ""
    title: str = ""
    synopsis: str = ""
    umkm: str = ""
    #: Codes of the ranked categories ticked.
    categories: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, entry: dict[str, Any]) -> EntryForm:
        return cls(
            video_url=entry["video_url"],
            title=entry["title"],
            synopsis=entry["synopsis"],
            umkm="\n".join(entry["umkm_featured"]),
            categories=list(entry.get("categories", [])),
        )

    @property
    def umkm_list(self) -> list[str]:
        return [line.strip() for line in self.umkm.splitlines() if line.strip()]

    def check(self, allowed_hosts: list[str]) -> dict[str, str]:
        """What the page can check before sending: the same rules the service applies."""
        errors: dict[str, str] = {}
        link_error = link_problem(self.video_url, allowed_hosts)
        if link_error:
            errors["video_url"] = link_error
        if len(self.title.strip()) < 2:
            errors["title"] = gettext("Enter the film's title.")
        if len(self.synopsis.strip()) < 20:
            errors["synopsis"] = gettext("Write a synopsis of at least 20 characters.")
        umkm = self.umkm_list
        if not umkm:
            errors["umkm"] = gettext("Name at least one UMKM the film features.")
        elif len(umkm) > 20 or any(len(u) > 200 for u in umkm):
            errors["umkm"] = gettext("At most 20 UMKM, each at most 200 characters.")
        return errors

    def body(self) -> dict[str, Any]:
        return {
            "title": self.title.strip(),
            "synopsis": self.synopsis.strip(),
            "video_url": self.video_url.strip(),
            "umkm_featured": self.umkm_list,
            "categories": self.categories,
        }


def host_of(url: str) -> str:
    return (urlsplit(url.strip()).hostname or "").lower().removeprefix("www.")


def link_problem(url: str, allowed_hosts: list[str]) -> str | None:
    """Why this film link would be refused (the submissions service's own rules), or None."""
    url = url.strip()
    if not url:
        return gettext("Enter the link to your film.")
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return gettext("The link must start with https:// (a secure link).")
    host = host_of(url)
    if allowed_hosts and not any(host == a or host.endswith("." + a) for a in allowed_hosts):
        return gettext(
            "Films on %(host)s are not accepted; use one of: %(allowed)s.",
            host=host,
            allowed=", ".join(allowed_hosts),
        )
    return None


def allowed_hosts_of(edition: dict[str, Any], window: dict[str, Any] | None) -> list[str]:
    if window and window.get("allowed_video_hosts"):
        return list(window["allowed_video_hosts"])
    return list(edition["rules"]["allowed_video_hosts"])


async def _entry_page(
    request: Request,
    edition_id: UUID,
    visitor: Visitor,
    services: Services,
    *,
    revising: bool,
    form: EntryForm | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> tuple[Standing, Response]:
    edition = await _edition(services, visitor, edition_id)
    standing = await standing_in(services, visitor, edition, request.app.state.clock())
    if revising and standing.active_entry is None:
        return standing, render(request, "pages/kim/no_entry.html", status_code=404, edition=edition)
    if form is None:
        form = EntryForm.of(standing.active_entry) if revising and standing.active_entry else EntryForm()
    preview = _preview(form.video_url, allowed_hosts_of(edition, standing.window))
    return standing, render(
        request,
        "pages/kim/entry_form.html",
        status_code=status_code,
        standing=standing,
        edition=edition,
        revising=revising,
        form=form,
        errors=errors or {},
        preview=preview,
        hosts=allowed_hosts_of(edition, standing.window),
        categories=ranked_categories(edition),
    )


def _preview(url: str, allowed_hosts: list[str]) -> Film | None:
    return film_of(url.strip()) if url.strip() and link_problem(url, allowed_hosts) is None else None


@router.get("/lomba/{edition_id}/karya")
async def new_entry(request: Request, edition_id: UUID, visitor: KimRep, services: ServicesDep) -> Response:
    _, page = await _entry_page(request, edition_id, visitor, services, revising=False)
    return page


@router.get("/lomba/{edition_id}/karya/ubah")
async def revise_form(request: Request, edition_id: UUID, visitor: KimRep, services: ServicesDep) -> Response:
    _, page = await _entry_page(request, edition_id, visitor, services, revising=True)
    return page


Text = Annotated[str, Form(max_length=6000)]


@router.post("/lomba/{edition_id}/karya")
async def submit_entry(
    request: Request,
    edition_id: UUID,
    visitor: KimRep,
    services: ServicesDep,
    video_url: Text = "",
    title: Text = "",
    synopsis: Text = "",
    umkm: Text = "",
) -> Response:
    ticked = await ticked_categories(request)
    form = EntryForm(video_url, title, synopsis, umkm, ticked)
    return await _send(request, edition_id, visitor, services, form, False)


@router.post("/lomba/{edition_id}/karya/ubah")
async def revise_entry(
    request: Request,
    edition_id: UUID,
    visitor: KimRep,
    services: ServicesDep,
    video_url: Text = "",
    title: Text = "",
    synopsis: Text = "",
    umkm: Text = "",
) -> Response:
    ticked = await ticked_categories(request)
    form = EntryForm(video_url, title, synopsis, umkm, ticked)
    return await _send(request, edition_id, visitor, services, form, True)


async def ticked_categories(request: Request) -> list[str]:
    """The category checkboxes ticked (at most 30; codes only, checked by submissions)."""
    ticked = (await request.form()).getlist("categories")
    return [code[:40] for code in ticked if isinstance(code, str)][:30]


async def _send(
    request: Request, edition_id: UUID, visitor: Visitor, services: Services, form: EntryForm, revising: bool
) -> Response:
    edition = await _edition(services, visitor, edition_id)
    standing = await standing_in(services, visitor, edition, request.app.state.clock())
    entry = standing.active_entry
    if revising and entry is None:
        return render(request, "pages/kim/no_entry.html", status_code=404, edition=edition)
    if standing.closed:
        # The form is gone; the page says submissions are closed.
        _, page = await _entry_page(request, edition_id, visitor, services, revising=revising, form=form)
        return page
    errors = form.check(allowed_hosts_of(edition, standing.window))
    written = form.body()
    if not ranked_categories(edition):
        del written["categories"]  # none to enter for: the entry's stay as they are
    if not errors:
        try:
            if revising and entry is not None:
                await services.submissions.patch(
                    f"/entries/{entry['entry_id']}", visitor.caller, json=written
                )
            else:
                body = {**written, "kim_id": _kim_id(visitor)}
                await services.submissions.post(
                    f"/editions/{edition_id}/entries",
                    visitor.caller,
                    json=body,
                    headers=await idempotency_of(request),
                )
        except ServiceError as error:
            if error.status in (401, 403):
                raise
            field_name = (error.field or "").split(".")[0]
            errors = {FORM_FIELDS.get(field_name, "entry"): error.message}
    if errors:
        _, page = await _entry_page(
            request,
            edition_id,
            visitor,
            services,
            revising=revising,
            form=form,
            errors=errors,
            status_code=400,
        )
        return page
    return redirect(
        request, f"/kim/lomba/{edition_id}", flash="entry_revised" if revising else "entry_submitted"
    )


@router.get("/lomba/{edition_id}/karya/periksa-tautan")
async def check_link(
    request: Request,
    edition_id: UUID,
    visitor: KimRep,
    services: ServicesDep,
    video_url: Annotated[str, Query(max_length=600)] = "",
) -> Response:
    """The htmx fragment beside the link field: what is wrong with it, or the film's preview."""
    edition = await _edition(services, visitor, edition_id)
    window = await _optional(
        services.submissions.get(f"/editions/{edition_id}/submission-window", visitor.caller)
    )
    hosts = allowed_hosts_of(edition, window)
    problem = link_problem(video_url, hosts) if video_url.strip() else None
    return render(
        request,
        "pages/kim/_link_check.html",
        problem=problem,
        preview=_preview(video_url, hosts),
        title="",
    )


# --- withdrawing ----------------------------------------------------------------------------------


@router.get("/lomba/{edition_id}/karya/tarik")
async def confirm_withdrawal(
    request: Request, edition_id: UUID, visitor: KimRep, services: ServicesDep
) -> Response:
    edition = await _edition(services, visitor, edition_id)
    standing = await standing_in(services, visitor, edition, request.app.state.clock())
    if standing.active_entry is None:
        return render(request, "pages/kim/no_entry.html", status_code=404, edition=edition)
    return render(
        request, "pages/kim/withdraw.html", edition=edition, standing=standing, entry=standing.active_entry
    )


@router.post("/lomba/{edition_id}/karya/tarik")
async def withdraw(request: Request, edition_id: UUID, visitor: KimRep, services: ServicesDep) -> Response:
    edition = await _edition(services, visitor, edition_id)
    standing = await standing_in(services, visitor, edition, request.app.state.clock())
    entry = standing.active_entry
    if entry is None:
        return render(request, "pages/kim/no_entry.html", status_code=404, edition=edition)
    try:
        await services.submissions.post(f"/entries/{entry['entry_id']}/withdrawal", visitor.caller)
    except ServiceError as error:
        if error.status in (401, 403, 404):
            raise
        return await _status_page(request, edition_id, visitor, services, {"withdraw": error.message}, 400)
    return redirect(request, f"/kim/lomba/{edition_id}", flash="entry_withdrawn")
