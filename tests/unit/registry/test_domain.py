from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from registry.domain import events
from registry.domain.edition import Edition, Prize, Rules
from registry.domain.enrolment import Enrolment
from registry.domain.errors import (
    EditionNotOpenForEnrolment,
    EnrolmentAlreadyDecided,
    EnrolmentDecisionTooLate,
    InvalidWhatsApp,
    KimAlreadyVerified,
    KimNotVerified,
    PrizeRankNotAwarded,
    SubmissionsAlreadyClosed,
    UnknownKelurahan,
    WindowAlreadyOver,
    WindowClosesBeforeItOpens,
)
from registry.domain.kim import Kim, whatsapp_e164
from registry.domain.regions import RegionCatalog

NOW = datetime(2024, 8, 1, 9, 0, tzinfo=UTC)
REGIONS = RegionCatalog.load()


def a_kim(verified: bool = True) -> Kim:
    kim = Kim.register(
        name="KIM Pasreh Jaya",
        kelurahan=REGIONS.kelurahan("bumiayu"),
        chair="Siti",
        whatsapp="081234567890",
        email="pasreh@example.id",
        members=[],
        now=NOW,
    )
    if verified:
        kim.verify(NOW)
    return kim


def an_edition(**changes: object) -> Edition:
    fields: dict[str, object] = {
        "title": "Lomba Video Pendek KIM 2024",
        "theme": "UMKM",
        "description": "",
        "submission_opens_at": NOW,
        "submission_closes_at": NOW + timedelta(days=30),
        "rules": Rules(
            max_video_seconds=300, allowed_video_hosts=["www.YouTube.com", "youtu.be"], entries_per_kim=1
        ),
        "awarded_ranks": 3,
        "prizes": [Prize(rank=1, title="Juara 1")],
        "now": NOW,
    }
    fields.update(changes)
    return Edition.draft(**fields)  # type: ignore[arg-type]


def test_kota_malang_has_five_kecamatan_and_57_kelurahan() -> None:
    assert len(REGIONS.kecamatan()) == 5
    assert len(REGIONS.all_kelurahan()) == 57
    assert REGIONS.kelurahan("mojolangu").kecamatan.name == "Lowokwaru"
    assert REGIONS.kelurahan("bumiayu").kecamatan.name == "Kedungkandang"


def test_an_unknown_kelurahan_is_refused_with_its_code() -> None:
    with pytest.raises(UnknownKelurahan) as refused:
        REGIONS.kelurahan("atlantis")
    assert "atlantis" in refused.value.message("id") and "GET /regions" in refused.value.message("en")


@pytest.mark.parametrize("number", ["081234567890", "+62 812-3456-7890", "6281234567890"])
def test_whatsapp_numbers_are_stored_in_e164(number: str) -> None:
    assert whatsapp_e164(number) == "+6281234567890"


@pytest.mark.parametrize("number", ["0341-551234", "12345", "+1 202 555 0143", "not a number"])
def test_a_number_that_is_not_an_indonesian_mobile_is_refused(number: str) -> None:
    with pytest.raises(InvalidWhatsApp):
        whatsapp_e164(number)


def test_registering_and_verifying_record_events_once() -> None:
    kim = a_kim(verified=False)
    kim.verify(NOW)
    with pytest.raises(KimAlreadyVerified):
        kim.verify(NOW)
    assert [type(e) for e in kim.events] == [events.KimRegistered, events.KimVerified]


def test_an_update_that_changes_nothing_records_nothing() -> None:
    kim = a_kim(verified=False)
    kim.events.clear()
    kim.update(name="KIM Pasreh Jaya", chair="Siti")
    assert kim.events == []
    kim.update(chair="Budi")
    assert [type(e) for e in kim.events] == [events.KimUpdated]


def test_an_edition_normalises_hosts_and_checks_its_window_and_prizes() -> None:
    assert an_edition().rules.allowed_video_hosts == ["youtube.com", "youtu.be"]
    with pytest.raises(WindowClosesBeforeItOpens):
        an_edition(submission_closes_at=NOW - timedelta(minutes=1))
    with pytest.raises(PrizeRankNotAwarded):
        an_edition(prizes=[Prize(rank=4, title="Harapan 1")])


def test_an_edition_cannot_be_published_after_its_deadline_nor_closed_twice() -> None:
    edition = an_edition()
    with pytest.raises(WindowAlreadyOver):
        edition.publish(NOW + timedelta(days=31))
    edition.publish(NOW)
    assert edition.deadline_passed(NOW + timedelta(days=30))
    edition.close_submissions(NOW + timedelta(days=30), by="deadline")
    with pytest.raises(SubmissionsAlreadyClosed):
        edition.close_submissions(NOW + timedelta(days=31), by="staff")
    assert [type(e) for e in edition.events] == [events.EditionPublished, events.SubmissionsClosed]


def test_revising_a_draft_publishes_nothing_but_revising_a_published_edition_does() -> None:
    edition = an_edition()
    edition.revise(theme="UMKM dan pariwisata")
    assert edition.events == []
    edition.publish(NOW)
    edition.revise(theme="UMKM, pariwisata dan budaya")
    assert [type(e) for e in edition.events] == [events.EditionPublished, events.EditionUpdated]


def test_only_a_verified_kim_enrols_in_a_published_edition() -> None:
    edition = an_edition()
    with pytest.raises(EditionNotOpenForEnrolment):
        Enrolment.request(edition=edition, kim=a_kim(), now=NOW)
    edition.publish(NOW)
    with pytest.raises(KimNotVerified):
        Enrolment.request(edition=edition, kim=a_kim(verified=False), now=NOW)
    enrolment = Enrolment.request(edition=edition, kim=a_kim(), now=NOW)
    assert enrolment.status == "requested" and enrolment.kelurahan.code == "bumiayu"


def test_staff_decide_enrolments_until_submissions_close() -> None:
    edition = an_edition()
    edition.publish(NOW)
    enrolment = Enrolment.request(edition=edition, kim=a_kim(), now=NOW)
    enrolment.reject(edition=edition, reason="Berkas belum lengkap", now=NOW)
    enrolment.approve(edition=edition, now=NOW)
    assert (enrolment.status, enrolment.reason) == ("approved", None)
    with pytest.raises(EnrolmentAlreadyDecided):
        enrolment.approve(edition=edition, now=NOW)
    edition.close_submissions(NOW, by="staff")
    with pytest.raises(EnrolmentDecisionTooLate):
        enrolment.reject(edition=edition, reason="Terlambat", now=NOW)
    assert [type(e) for e in enrolment.events] == [
        events.EnrolmentRequested,
        events.EnrolmentRejected,
        events.EnrolmentApproved,
    ]


def test_region_catalog_loads_another_city(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "city.json"
    path.write_text(
        '{"city": "Kota Batu", "province": "Jawa Timur", "kecamatan": '
        '[{"code": "batu", "name": "Batu", "kelurahan": [{"code": "ngaglik", "name": "Ngaglik"}]}]}'
    )
    catalog = RegionCatalog.load(path)
    assert catalog.city == "Kota Batu" and catalog.kelurahan("ngaglik").kecamatan.code == "batu"
