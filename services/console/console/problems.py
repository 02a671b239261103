"""The error pages a person may meet: a title and what to do, each a catalogue msgid."""

from __future__ import annotations

from .i18n import N_

CSRF = (
    N_("This form has expired"),
    N_(
        "The form was sent without its security token, or from a page that is too old or from another site. Go back, reload the page and try again."
    ),
)

UNAVAILABLE = (
    N_("The service is temporarily unavailable"),
    N_(
        "Part of the system is not answering right now. Your data is safe. Please try again in a few minutes."
    ),
)

NOT_ALLOWED = (
    N_("You cannot open this page"),
    N_(
        "Your account does not have access to this page. Sign in with another account or go back to the home page."
    ),
)

NOT_FOUND = (
    N_("Page not found"),
    N_("Check the address, or start again from the home page."),
)

REFUSED = (
    N_("The request was refused"),
    N_("The request could not be processed. Go back and try again."),
)

FAILED = (
    N_("Something went wrong"),
    N_(
        "An unexpected error happened. Please try again; if it keeps happening, contact the Diskominfo staff."
    ),
)
