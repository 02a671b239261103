"""Templates: one per handled event type, rendering every sample in Indonesian
and English without a gap, and saying what staff need to know."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from notifications.domain.audience import SCOPES
from notifications.domain.formats import duration, score, when
from notifications.domain.templates import TEMPLATES

from shared import contracts as c
from shared.kernel.i18n import LANGUAGES
from shared.platform.messaging import NOTIFICATIONS

from .samples import WINNERS, samples

# The accounts (recipients follow them) and the vote's tally are kept, not told; a voter's
# code is told only to its own address, in its own words (`voter_codes`), never to a subscriber.
# One template per type, whatever versions of it the queue reads (winner.announced v1 and v2).
HANDLED = sorted({e.event_type for e in NOTIFICATIONS.handles if SCOPES[e.event_type].staff})


def test_there_is_a_template_for_every_handled_type_and_no_other() -> None:
    assert sorted(TEMPLATES) == HANDLED
    assert all(TEMPLATES[t].event.event_type == t for t in TEMPLATES)


@pytest.mark.parametrize("sparse", [False, True], ids=["full", "sparse"])
@pytest.mark.parametrize("event_type", HANDLED)
def test_every_template_renders_its_event_in_both_languages(event_type: str, sparse: bool) -> None:
    event = samples(sparse=sparse)[event_type]
    rendered = {language: TEMPLATES[event_type].render(event.data, language) for language in LANGUAGES}
    for message in rendered.values():
        assert message.subject.strip() and message.text.strip()
        assert "\n" not in message.subject
        for text in (message.subject, message.text):
            assert "{" not in text and "}" not in text and "None" not in text
    assert rendered["id"] != rendered["en"]


@pytest.mark.parametrize("event_type", HANDLED)
def test_both_languages_use_the_same_values(event_type: str) -> None:
    template = TEMPLATES[event_type]
    assert template.id.about and template.en.about and template.placeholders()
    for wording in (template.id, template.en):
        used = {p for p in template.placeholders() if "{" + p + "}" in wording.subject + wording.body}
        assert used, f"{event_type} tells nothing from the event"


def render(event_type: str, language: str = "id", **kwargs: object) -> tuple[str, str]:
    event = samples(**kwargs)[event_type]  # type: ignore[arg-type]
    message = TEMPLATES[event_type].render(event.data, language)  # type: ignore[arg-type]
    return message.subject, message.text


def test_a_new_entry_tells_which_kim_sent_what_how_long_and_where_to_watch() -> None:
    subject, text = render("entry.submitted")
    assert subject == "Karya baru: Topeng Malangan dari Tangan-Tangan Istimewa"
    for fact in (
        "KIM Pasreh Jaya",
        "Kelurahan Bumiayu",
        "4 menit 5 detik",
        "https://youtu.be/pasreh2024",
        "Sanggar Topeng Pasreh",
        "1 Agustus 2024 pukul 17.00 WIB",
    ):
        assert fact in text
    subject, text = render("entry.submitted", "en")
    assert subject == "New entry: Topeng Malangan dari Tangan-Tangan Istimewa"
    assert "4 min 5 s" in text and "1 August 2024, 17:00 WIB" in text


def test_the_winners_are_listed_by_rank_with_kim_title_and_score() -> None:
    _, text = render("winner.announced")
    positions = [text.index(f"Juara {p.rank}: {p.kim_name}") for p in WINNERS]
    assert positions == sorted(positions)
    assert '"Topeng Malangan dari Tangan-Tangan Istimewa", nilai 87,50' in text
    assert '"Keripik Tempe Sanan", nilai 85,25' in text
    _, text = render("winner.announced", "en")
    assert 'Rank 3: KIM Mojolangu (Kelurahan Bumiayu), "Kopi Lereng Arjuno", score 83.00' in text


def test_an_enrolment_request_tells_staff_a_kim_is_waiting() -> None:
    subject, text = render("enrolment.requested")
    assert "KIM Ganjur" in subject and "menunggu persetujuan" in text
    assert "Kelurahan Polowijen, Kecamatan Blimbing" in text


def test_a_rejection_gives_the_reason() -> None:
    assert "Alasan: Berkas pendaftaran tidak lengkap." in render("enrolment.rejected")[1]
    assert "Alasan: tidak ada" in render("enrolment.rejected", sparse=True)[1]


def test_a_closure_says_whether_staff_or_the_deadline_closed_it() -> None:
    by_staff, by_deadline = (
        render("edition.submissions_closed"),
        render("edition.submissions_closed", sparse=True),
    )
    assert "oleh staf" in by_staff[0] and "oleh staf Diskominfo" in by_staff[1]
    assert "batas waktu" in by_deadline[0] and "batas waktu pengumpulan telah lewat" in by_deadline[1]
    assert "deadline passed" in render("edition.submissions_closed", "en", sparse=True)[1]


def test_a_published_edition_lists_its_prizes_in_rank_order() -> None:
    _, text = render("edition.published")
    assert text.index("Juara 1 (Rp 5.000.000)") < text.index("Juara 2") < text.index("- Juara 3\n")


def test_values_read_as_each_language_writes_them() -> None:
    midnight_utc = datetime(2024, 12, 31, 20, 30, tzinfo=UTC)
    assert when(midnight_utc, "id") == "1 Januari 2025 pukul 03.30 WIB"
    assert when(midnight_utc, "en") == "1 January 2025, 03:30 WIB"
    assert (duration(60, "id"), duration(45, "en"), duration(125, "id")) == (
        "1 menit",
        "45 s",
        "2 menit 5 detik",
    )
    assert (duration(0, "id"), duration(0, "en")) == ("belum diketahui", "not yet known")
    assert (score(87.456, "id"), score(87.456, "en")) == ("87,46", "87.46")


def test_the_service_never_publishes_templates_for_its_own_reports() -> None:
    assert c.NotificationDelivered.event_type not in TEMPLATES


def test_a_judge_is_told_their_entries_and_judging_blind_not_the_kim() -> None:
    subject, text = render("judge.assigned")
    assert subject == "Tugas penilaian Lomba Video Pendek KIM 2024: 2 karya"
    assert '"Keripik Tempe Sanan" — KIM Ganjur (Kelurahan Polowijen)' in text
    assert "8 Agustus 2024 pukul 17.00 WIB" in text
    _, blind = render("judge.assigned", sparse=True)
    assert (
        '- "Kopi Lereng Arjuno"\n' in blind and "KIM Ganjur" not in blind and "tanpa identitas KIM" in blind
    )
    subject, text = render("judge.reminded", "en")
    assert subject == "Reminder: 2 score sheets for Lomba Video Pendek KIM 2024 still to fill"
    assert "Of the 7 entries assigned to you, 2 are not scored yet" in text


def test_a_correction_says_which_version_it_corrects_and_why() -> None:
    _, text = render("winner.announced")
    assert "Versi 2, koreksi atas versi 1. Alasan: Satu karya didiskualifikasi setelah pengumuman." in text
    assert "9f2c9f2c" in text
    _, first = render("winner.announced", "en", sparse=True)
    assert "Version 1." in first and "correcting" not in first


def test_a_kim_whose_film_needs_review_is_told_by_email() -> None:
    template = TEMPLATES["entry.film_checked"]
    told = template.addressee_of(samples()["entry.film_checked"].data)
    assert told is not None and (told.name, told.email) == ("KIM Pasreh Jaya", "kim.pasreh@example.id")
    assert template.addressee_of(samples(sparse=True)["entry.film_checked"].data) is None
