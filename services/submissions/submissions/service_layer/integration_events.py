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
    return c.EntryDetails(
        entry_id=entry.entry_id,
        edition_id=entry.edition_id,
        kim_id=entry.kim_id,
        kim_name=entry.kim_name,
        kelurahan=c.Region(code=entry.kelurahan.code, name=entry.kelurahan.name),
        title=entry.title,
        synopsis=entry.synopsis,
        video_url=entry.video.url,
        duration_seconds=entry.video.duration_seconds,
        umkm_featured=entry.umkm_featured,
        status=entry.status,
        revision=entry.version,
        submitted_at=entry.submitted_at,
        updated_at=entry.updated_at,
        disqualification_reason=entry.disqualification_reason,
    )
