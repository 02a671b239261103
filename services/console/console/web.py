"""What every page shares: the templates, the visitor making the request (language,
session, CSRF token, flash message), role guards and rendering."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from . import i18n, inbox
from .i18n import N_, Language
from .services import Caller, Services
from .session import SignedIn

templates = Environment(
    loader=PackageLoader("console", "templates"),
    autoescape=select_autoescape(default=True),
    extensions=["jinja2.ext.i18n"],
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.install_gettext_callables(i18n.raw_gettext, i18n.raw_ngettext, newstyle=True)  # type: ignore[attr-defined]
#: A new Idempotency-Key for each form rendered (`macros.csrf_field`): a form sent twice
#: (a double click, a retry after a lost answer) creates its thing once.
templates.globals["new_form_key"] = lambda: secrets.token_urlsafe(18)
templates.filters.update(
    date=i18n.format_date,
    time=i18n.format_time,
    datetime=i18n.format_datetime,
    number=i18n.format_number,
)

FLASH_COOKIE = "kim_flash"
#: The one-off messages a page may carry to the next (the cookie holds the key only).
FLASHES = {
    "signed_in": N_("You are signed in."),
    "signed_out": N_("You have signed out."),
    "password_reset": N_("Your password is changed. Sign in with the new one."),
    "password_changed": N_("Your password is changed and every session has ended. Sign in with the new one."),
    "session_ended": N_("Your session has ended. Please sign in again."),
    "preferences_saved": N_("Your notification settings are saved."),
    "reminders_saved": N_("The reminder days are saved."),
    "sign_in_first": N_("Please sign in to open that page."),
    # The staff workspace (pages/staff.py, pages/staff_people.py)
    "edition_created": N_("The edition has been saved as a draft."),
    "edition_saved": N_("The edition has been saved."),
    "edition_copied": N_(
        "Next year's edition has been saved as a draft. Check its dates and details, then publish it."
    ),
    "edition_published": N_("The edition has been published."),
    "submissions_closed": N_("Submissions are closed."),
    "enrolment_approved": N_("The enrolment has been approved."),
    "enrolment_rejected": N_("The enrolment has been rejected."),
    "kim_verified": N_("The KIM has been verified."),
    "account_opened": N_("The account has been opened."),
    "account_disabled": N_("The account has been disabled."),
    "account_enabled": N_("The account has been enabled."),
    # staff_judging: the panel, judging, results and dead letters
    "judge_appointed": N_("The judge is appointed."),
    "judge_removed": N_("The judge is removed from the panel."),
    "rubric_saved": N_("The rubric is saved."),
    "options_saved": N_("The judging options are saved."),
    "entries_assigned": N_("The entries are shared among the judges; they have been told."),
    "tie_resolved": N_("The tie is resolved."),
    "results_frozen": N_("The results are frozen as a new version."),
    "results_announced": N_("The results are announced."),
    # staff_rounds: a shortlist round then a final round
    "rounds_saved": N_("The rounds are saved."),
    "rounds_cleared": N_("The edition is judged in one round again."),
    "shortlist_closed": N_("The shortlist round is closed; the final round is open."),
    "award_given": N_("The award is given, with the jury's reason."),
    "dead_letter_requeued": N_("The message is sent back to its queue."),
    "marked_read": N_("Marked as read."),
    "notifications_on": N_("Notifications are on: new ones appear in your inbox."),
    # The KIM portal (pages/kim.py)
    "enrolment_requested": N_("Your enrolment is sent; staff will check it."),
    "entry_submitted": N_("Your entry is received."),
    "entry_revised": N_("Your entry is changed."),
    "entry_withdrawn": N_("Your entry is withdrawn."),
    # The KIM's profile (pages/kim_profile.py)
    "profile_saved": N_(
        "Your KIM's profile is saved. It shows on its public page once staff have verified the KIM."
    ),
    "sheet_saved": N_("Your score sheet is saved. You can still revise it until judging completes."),
    # The Juara Favorit (pages/staff_voting.py)
    "vote_window_saved": N_("The vote window is saved."),
    "vote_closed": N_("Voting is closed."),
    "vote_voided": N_("The vote is voided; the reason is kept."),
    "flag_dismissed": N_("The flag is dismissed; the reason is kept."),
    "tally_frozen": N_("The tally is frozen."),
}

#: The sections of the console and the roles that may open them.
SECTIONS = (
    ("staff", "/staf", N_("Staff workspace")),
    ("staff", "/staf/kim", N_("KIM verification")),
    ("staff", "/staf/akun", N_("Accounts")),
    ("staff", "/staf/pesan-tersisih", N_("Dead letters")),
    ("judge", "/juri", N_("Judge's desk")),
    ("judge", "/kotak-masuk", N_("Inbox")),
    ("kim_rep", "/kim", N_("KIM portal")),
    ("kim_rep", "/kotak-masuk", N_("Inbox")),
    ("staff", "/pengaturan/pemberitahuan", N_("Notification settings")),
    ("judge", "/pengaturan/pemberitahuan", N_("Notification settings")),
    ("kim_rep", "/pengaturan/pemberitahuan", N_("Notification settings")),
)


@dataclass
class Visitor:
    """The person making a request."""

    language: Language
    session: SignedIn | None
    csrf_token: str
    path: str
    flash: str | None = None
    #: Unread inbox items, for the header's badge (staff with an inbox only).
    unread: int | None = None

    @property
    def caller(self) -> Caller:
        return Caller(self.language, self.session)

    @property
    def anonymous_caller(self) -> Caller:
        """For what anyone may read: the public view, whoever asks."""
        return Caller(self.language)

    @property
    def signed_in(self) -> bool:
        return self.session is not None

    @property
    def sections(self) -> list[tuple[str, str]]:
        """The navigation: the sections this person's role opens."""
        role = self.session.role if self.session else None
        return [(href, i18n.gettext(label)) for section_role, href, label in SECTIONS if section_role == role]

    @property
    def current_section(self) -> str | None:
        """The section this page belongs to: the longest one whose path it is in
        (`/staf/kim/...` is in "KIM verification", not also in "Staff workspace")."""
        within = [href for _, href, _ in SECTIONS if self.path == href or self.path.startswith(href + "/")]
        return max(within, key=len, default=None)


class NotSignedIn(Exception):
    """A page that needs a session, asked for without one: off to /masuk."""


class NotAllowed(Exception):
    """A signed-in person whose role does not open the page: 403."""


def visitor(request: Request) -> Visitor:
    visitor: Visitor = request.state.visitor
    return visitor


def services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


CurrentVisitor = Annotated[Visitor, Depends(visitor)]
ServicesDep = Annotated[Services, Depends(services)]


def requires(*roles: str) -> Any:
    """A dependency: the visitor, signed in with one of these roles."""

    def guard(request: Request) -> Visitor:
        person = visitor(request)
        if person.session is None:
            raise NotSignedIn()
        if person.session.role not in roles:
            raise NotAllowed()
        return person

    return Depends(guard)


async def staff_with_inbox(request: Request, person: Annotated[Visitor, requires("staff")]) -> Visitor:
    """Staff, with their unread count for the header's badge (not for htmx fragments)."""
    if person.session is not None and not request.headers.get("HX-Request"):
        person.unread = await inbox.unread_count(
            services(request), request.app.state.recipients, person.session, person.caller
        )
    return person


Staff = Annotated[Visitor, Depends(staff_with_inbox)]
Judge = Annotated[Visitor, requires("judge")]
KimRep = Annotated[Visitor, requires("kim_rep")]


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    person = visitor(request)
    page = templates.get_template(template).render(
        visitor=person,
        flash=i18n.gettext(FLASHES[person.flash]) if person.flash in FLASHES else None,
        now=request.app.state.clock(),
        **context,
    )
    response = HTMLResponse(page, status_code=status_code)
    if person.flash:
        response.delete_cookie(FLASH_COOKIE)
    return response


def redirect(request: Request, to: str, *, flash: str | None = None) -> Response:
    """303 to a page (an htmx request is told with HX-Redirect), carrying a flash message."""
    response: Response
    if request.headers.get("HX-Request"):
        response = Response(status_code=204, headers={"HX-Redirect": to})
    else:
        response = RedirectResponse(to, status_code=303)
    if flash:
        response.set_cookie(FLASH_COOKIE, flash, httponly=True, samesite="lax", max_age=120)
    return response


def local_path(target: str | None, default: str = "/") -> str:
    """Only a path on this site: never an open redirect to another host."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def with_dates(found: dict[str, Any], *keys: str) -> dict[str, Any]:
    """A service's answer with these ISO 8601 moments as datetimes, for the date filters."""
    for key in keys:
        if found.get(key):
            found[key] = datetime.fromisoformat(found[key])
    return found
