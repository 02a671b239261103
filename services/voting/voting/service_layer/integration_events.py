"""The voting service's domain events as the integration events other services read."""

from __future__ import annotations

from shared import contracts as c

from ..domain import events


def to_integration(event: object) -> tuple[c.EventClass, c.Payload] | None:
    match event:
        case events.CodeRequested(request, edition_title, code, language):
            return c.VoterCodeRequested, c.VoterCode(
                request_id=request.request_id,
                edition_id=request.edition_id,
                edition_title=edition_title,
                channel=request.channel,
                address=request.address,
                code=code,
                expires_at=request.expires_at,
                language=language,
                at=request.requested_at,
            )
        case events.TallyFrozen(frozen):
            tally = frozen.tally
            return c.VotesTallied, c.Tally(
                edition_id=tally.edition_id,
                edition_title=tally.edition_title,
                category_code=tally.category_code,
                counted=tally.counted,
                voided=tally.voided,
                flagged=tally.flagged,
                standings=[
                    c.TallyLine(
                        rank=s.rank,
                        entry_id=s.entry_id,
                        entry_title=s.entry_title,
                        kim_id=s.kim_id,
                        kim_name=s.kim_name,
                        kelurahan=c.Region(code=s.kelurahan.code, name=s.kelurahan.name),
                        votes=s.votes,
                    )
                    for s in tally.standings
                ],
                tie_break=tally.tie_break,
                version=frozen.number,
                content_hash=frozen.content_hash,
                frozen_at=frozen.frozen_at,
            )
    return None
