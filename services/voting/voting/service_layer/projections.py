"""What voting keeps from other services' events: editions (title, favourite
categories), entries (the gallery, the categories each is entered for) and each
KIM's kecamatan. Each event is applied once."""

from __future__ import annotations

from typing import Any

from shared import contracts as c
from shared.platform.persistence.unit_of_work import apply_once

from ..domain.edition import Edition, Favourite
from ..domain.entry import Entry, Kim, Region
from .ballots import changed
from .unit_of_work import VotingUnitOfWork


def favourites_of(details: c.EditionDetails) -> list[Favourite]:
    """The edition's favourite categories (kind "favourite"), in its order."""
    return [
        Favourite(code=category.code, title=category.title, favourite_of=category.favourite_of)
        for category in details.categories
        if category.kind == "favourite"
    ]


async def record_edition(uow: VotingUnitOfWork, event: c.EditionPublished | c.EditionUpdated) -> bool:
    details = event.data
    favourites = favourites_of(details)

    async def effect(uow: VotingUnitOfWork) -> None:
        edition = await uow.editions.get(details.edition_id)
        if edition is None:
            uow.editions.add(
                Edition(
                    edition_id=details.edition_id,
                    title=details.title,
                    favourites=favourites,
                    revision=details.revision,
                )
            )
        else:
            edition.apply_registry(title=details.title, favourites=favourites, revision=details.revision)

    applied = await apply_once(uow, event, effect)
    changed()
    return applied


async def record_entry(
    uow: VotingUnitOfWork,
    event: c.EntrySubmitted | c.EntryRevised | c.EntryWithdrawn | c.EntryDisqualified,
) -> bool:
    details = event.data

    async def effect(uow: VotingUnitOfWork) -> None:
        entry = await uow.entries.get(details.entry_id)
        if entry is not None and entry.revision >= details.revision:
            return  # an older revision arriving late changes nothing
        kim = await uow.kims.get(details.kim_id)
        fields: dict[str, Any] = {
            "edition_id": details.edition_id,
            "kim_id": details.kim_id,
            "kim_name": details.kim_name,
            "kelurahan": Region(code=details.kelurahan.code, name=details.kelurahan.name),
            "title": details.title,
            "synopsis": details.synopsis,
            "video_url": details.video_url,
            "umkm_featured": list(details.umkm_featured),
            "status": details.status,
            "revision": details.revision,
            "submitted_at": details.submitted_at,
            "categories": list(details.categories),
        }
        if entry is None:
            uow.entries.add(
                Entry(entry_id=details.entry_id, kecamatan=kim.kecamatan if kim else None, **fields)
            )
            return
        for name, value in fields.items():
            setattr(entry, name, value)
        if kim is not None:
            entry.kecamatan = kim.kecamatan

    applied = await apply_once(uow, event, effect)
    changed()  # a withdrawn or disqualified entry takes no vote from now on
    return applied


async def record_kim(uow: VotingUnitOfWork, event: c.KimRegistered | c.KimUpdated | c.KimVerified) -> bool:
    profile = event.data
    kecamatan = Region(code=profile.kecamatan.code, name=profile.kecamatan.name)

    async def effect(uow: VotingUnitOfWork) -> None:
        kim = await uow.kims.get(profile.kim_id)
        if kim is None:
            uow.kims.add(Kim(kim_id=profile.kim_id, kecamatan=kecamatan, revision=profile.revision))
        elif profile.revision >= kim.revision:
            kim.kecamatan, kim.revision = kecamatan, profile.revision
        else:
            return
        for entry in await uow.entries.of_kim(profile.kim_id):
            entry.kecamatan = kecamatan

    return await apply_once(uow, event, effect)
