"""Certificates: issued with the announcement (one per awarded place with its
prize, one "Peserta" per KIM in the ranking), with a random code and the
snapshot's hash; none before the announcement; checked by code (valid, then
superseded by a correction; invalid when the snapshot no longer hashes to it)."""

from __future__ import annotations

import dataclasses
import re

import pytest
from judging.adapters.mongo import MongoCertificateRepository
from judging.domain.certificate import CODE_LENGTH, new_code
from judging.domain.errors import CertificateNotFound, ResultsNotAnnounced
from judging.domain.prizes import Prize
from judging.service_layer import certificates, projections, results
from judging.service_layer.commands import AnnounceResults, FreezeResults, VerifyResults

from .fakes import NOW, FakeJudging, clock, setup
from .test_results_versions import completed, disqualified

PRIZES = [
    Prize(rank=1, title="Juara 1", amount=7_500_000, non_cash="Trofi"),
    Prize(rank=2, title="Juara 2", amount=5_000_000, non_cash="Trofi"),
]


async def announce(uow: FakeJudging, edition_id: object, version: int, reason: str | None = None) -> None:
    await results.freeze(uow, clock, FreezeResults(edition_id=edition_id, reason=reason))  # type: ignore[arg-type]
    await results.verify(uow, clock, VerifyResults(edition_id=edition_id, version=version))  # type: ignore[arg-type]
    await results.announce(uow, clock, AnnounceResults(edition_id=edition_id))  # type: ignore[arg-type]


def test_codes_are_short_url_safe_and_different() -> None:
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(re.fullmatch(rf"[A-Z2-7]{{{CODE_LENGTH}}}", code) for code in codes)


async def test_none_before_the_announcement_then_one_per_place_and_one_per_participant() -> None:
    uow, edition, entries = setup()  # Pasreh Jaya, Ganjur, Mojolangu; two awarded places
    edition.prizes = PRIZES
    await completed(uow, edition, entries)  # 90, 85, 80
    with pytest.raises(ResultsNotAnnounced):
        await certificates.of_edition(uow, edition.edition_id)
    await results.freeze(uow, clock, FreezeResults(edition_id=edition.edition_id, reason=None))
    await results.verify(uow, clock, VerifyResults(edition_id=edition.edition_id, version=1))
    assert not uow.certificates.items  # frozen and verified is not announced
    await results.announce(uow, clock, AnnounceResults(edition_id=edition.edition_id))

    issued = await certificates.of_edition(uow, edition.edition_id)
    snapshot = await uow.snapshots.numbered(edition.edition_id, 1)
    assert snapshot is not None
    assert [(c.certificate.kim_name, c.certificate.place) for c in issued] == [
        ("KIM Pasreh Jaya", 1),
        ("KIM Ganjur", 2),
        ("KIM Ganjur", None),
        ("KIM Mojolangu", None),
        ("KIM Pasreh Jaya", None),
    ]
    first = issued[0].certificate
    assert first.prize == PRIZES[0] and issued[1].certificate.prize == PRIZES[1]
    assert all(c.certificate.prize is None for c in issued[2:])
    assert first.entry_title == "Film KIM Pasreh Jaya" and first.entry_id == entries[0].entry_id
    assert {c.certificate.content_hash for c in issued} == {snapshot.content_hash}
    assert {c.certificate.results_version for c in issued} == {1}
    assert {c.status for c in issued} == {"valid"}
    assert first.announced_at == NOW and first.category is None
    assert len({c.certificate.code for c in issued}) == 5

    checked = await certificates.check(uow, first.code.lower())  # as typed: any case
    assert (checked.status, checked.superseded_by, checked.snapshot_intact) == ("valid", None, True)


async def test_a_correction_supersedes_the_certificates_of_the_version_before() -> None:
    uow, edition, entries = setup()
    edition.prizes = PRIZES
    await completed(uow, edition, entries)
    await announce(uow, edition.edition_id, 1)
    (old_first,) = [c for c in uow.certificates.items.values() if c.place == 1]
    await projections.record_entry(uow, disqualified(entries[0]), clock)  # the winner leaves
    await announce(uow, edition.edition_id, 2, reason="KIM Pasreh Jaya didiskualifikasi.")

    old = await certificates.check(uow, old_first.code)
    assert (old.status, old.superseded_by) == ("superseded", 2)
    assert old.certificate.kim_name == "KIM Pasreh Jaya"
    (new_first,) = [c for c in uow.certificates.items.values() if c.place == 1 and c.results_version == 2]
    new = await certificates.check(uow, new_first.code)
    assert (new.status, new.certificate.kim_name, new.certificate.prize) == ("valid", "KIM Ganjur", PRIZES[0])
    listed = await certificates.of_edition(uow, edition.edition_id)
    assert [(c.certificate.results_version, c.status) for c in listed][:2] == [(2, "valid"), (2, "valid")]
    assert sum(1 for c in listed if c.status == "superseded") == 5  # version 1's: 2 places, 3 participants


async def test_a_snapshot_changed_behind_the_applications_back_makes_its_certificates_invalid() -> None:
    uow, edition, entries = setup()
    await completed(uow, edition, entries)
    await announce(uow, edition.edition_id, 1)
    code = next(iter(uow.certificates.items))
    snapshot = await uow.snapshots.numbered(edition.edition_id, 1)
    assert snapshot is not None
    first = snapshot.results.standings[0]
    tampered = dataclasses.replace(first, kim_name="KIM Lain")
    snapshot.results = dataclasses.replace(
        snapshot.results, standings=(tampered, *snapshot.results.standings[1:])
    )
    checked = await certificates.check(uow, code)
    assert (checked.status, checked.snapshot_intact) == ("invalid", False)


async def test_an_unknown_code_is_refused_by_name() -> None:
    uow, _, _ = setup()
    with pytest.raises(CertificateNotFound) as refused:
        await certificates.check(uow, "AAAAAAAAAA")
    assert "AAAAAAAAAA" in refused.value.message("id") and "diumumkan" in refused.value.message("id")


async def test_a_certificate_survives_storage_as_it_was_issued() -> None:
    uow, edition, entries = setup()
    edition.prizes = PRIZES
    await completed(uow, edition, entries)
    await announce(uow, edition.edition_id, 1)
    for certificate in uow.certificates.items.values():
        document = MongoCertificateRepository.to_document(certificate)
        assert document["_id"] == certificate.code
        assert MongoCertificateRepository.from_document(document) == certificate


async def test_the_prizes_come_from_the_registry_with_each_revision() -> None:
    from uuid import uuid4

    from shared import contracts as c

    uow = FakeJudging()
    edition_id = uuid4()

    def published(revision: int, amount: int) -> c.EditionUpdated:
        return c.EditionUpdated.new(
            c.EditionDetails(
                edition_id=edition_id,
                title="Lomba 2024",
                theme="UMKM",
                description="-",
                submission_opens_at=NOW,
                submission_closes_at=NOW,
                rules=c.EditionRules(
                    max_video_seconds=300, allowed_video_hosts=["youtu.be"], entries_per_kim=1
                ),
                awarded_ranks=1,
                prizes=[c.Prize(rank=1, title="Juara 1", amount=amount, non_cash="Trofi")],
                status="published",
                revision=revision,
            ),
            producer="registry",
            correlation_id=f"edition-{revision}",
        )

    await projections.record_edition(uow, published(1, 5_000_000))
    await projections.record_edition(uow, published(2, 7_500_000))
    edition = await uow.editions.require(edition_id)
    assert edition.prizes == [Prize(rank=1, title="Juara 1", amount=7_500_000, non_cash="Trofi")]
