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
    raise TypeError(f"no integration event for {event!r}")


def entry_details(entry: Entry) -> c.EntryDetails:
    """The entry as it now stands, read from it by attribute (`Entry.video_url`,
    `Entry.revision` … name what the contract calls them); v1's `duration_seconds`
    is 0 while the film's length is not yet known."""
    fields = {name: getattr(entry, name) for name in c.EntryDetails.model_fields}
    fields["duration_seconds"] = entry.duration_seconds or 0
    return c.EntryDetails.model_validate(fields, from_attributes=True)
