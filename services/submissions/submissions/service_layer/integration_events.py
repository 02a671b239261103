"""Entries' domain events as the integration events other services read."""

from __future__ import annotations

from shared import contracts as c

from ..domain import events
from ..domain.entry import Entry


def to_integration(event: object) -> tuple[c.EventClass, c.Payload]:
    match event:
        case events.EntrySubmitted(entry):
            return c.EntrySubmitted, entry_details(entry)
        case events.EntryRevised(entry):
            return c.EntryRevised, entry_details(entry)
        case events.EntryWithdrawn(entry):
            return c.EntryWithdrawn, entry_details(entry)
        case events.EntryDisqualified(entry):
            return c.EntryDisqualified, entry_details(entry)
        case events.EntryFilmChecked(entry, kim_email):
            return c.EntryFilmChecked, film_check_details(entry, kim_email)
    raise TypeError(f"no integration event for {event!r}")


def entry_details(entry: Entry) -> c.EntryDetails:
    """The entry as it now stands, read from it by attribute (`Entry.video_url`,
    `Entry.revision` … name what the contract calls them); v1's `duration_seconds`
    is 0 while the film's length is not yet known."""
    fields = {name: getattr(entry, name) for name in c.EntryDetails.model_fields}
    fields["duration_seconds"] = entry.duration_seconds or 0
    return c.EntryDetails.model_validate(fields, from_attributes=True)


def film_check_details(entry: Entry, kim_email: str | None = None) -> c.FilmCheckDetails:
    check = entry.film_check
    assert check is not None and check.checked_at is not None, "recorded checks only"
    return c.FilmCheckDetails(
        entry_id=entry.entry_id,
        edition_id=entry.edition_id,
        kim_id=entry.kim_id,
        kim_name=entry.kim_name,
        title=entry.title,
        video_url=check.video_url,
        revision=entry.revision,
        status="ok" if check.status == "ok" else "needs_review",
        needs_review=check.needs_review,
        reason=check.reason,
        reachable=check.reachable,
        duration_seconds=check.duration_seconds,
        host_title=check.host_title,
        max_video_seconds=check.max_video_seconds or 0,
        checked_at=check.checked_at,
        kim_email=kim_email,
    )
