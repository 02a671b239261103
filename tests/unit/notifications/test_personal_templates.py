"""What KIMs and judges are told: every template renders in Indonesian and English,
full and sparse, with no placeholder left, a link into the console page it is about,
no English in the Indonesian one, and an HTML part that escapes what it shows."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import EmailMessage
from uuid import uuid4

import pytest
from notifications.adapters.email import SmtpMailer
from notifications.config import Settings
from notifications.domain.delivery import Notice
from notifications.domain.personal import JUDGE_TEMPLATES, KIM_TEMPLATES, REMINDER, Personal, Reminder
from notifications.domain.recipient import Recipient

from shared import contracts as c

from .samples import EDITION_ID, event, kim, samples

CONSOLE = "https://kim.malangkota.go.id"
NOW = datetime(2024, 8, 1, 10, 0, tzinfo=UTC)
#: Words an English text has and an Indonesian one must not.
ENGLISH = re.compile(
    r"\b(the|your|was|were|entry|contest|submitted|judge|winners?|please|dear|see|open)\b", re.I
)
#: Words every Indonesian message of this kind uses.
INDONESIAN = re.compile(r"\b(Anda|karya|lomba|KIM|juri|Pengumpulan|Pemenang|Selamat|Pendaftaran)\b")

REMINDER_DATA = Reminder(
    edition_id=EDITION_ID,
    edition_title="Lomba Video Pendek KIM 2024",
    kim_id=uuid4(),
    kim_name="KIM Pasreh Jaya",
    closes_at=datetime(2024, 8, 31, 10, 0, tzinfo=UTC),
    days_before=3,
)

CASES = [
    pytest.param(template, sparse, id=f"{role}-{template.event_type}-{'sparse' if sparse else 'full'}")
    for role, templates in (("kim", KIM_TEMPLATES), ("judge", JUDGE_TEMPLATES))
    for template in templates.values()
    for sparse in (False, True)
]


def data_for(template: Personal, sparse: bool) -> object:
    if template.event_type == REMINDER:
        return REMINDER_DATA
    return samples(sparse=sparse)[template.event_type].data


@pytest.mark.parametrize(("template", "sparse"), CASES)
def test_every_template_renders_in_both_languages_with_a_link_and_no_placeholder_left(
    template: Personal, sparse: bool
) -> None:
    data = data_for(template, sparse)
    for language in ("id", "en"):
        message = template.render(data, language, CONSOLE)
        for text in (message.subject, message.text):
            assert not re.search(r"\{[a-z_]+\}", text), text
        edition_path = {
            "/kim/lomba/{edition_id}": f"/kim/lomba/{EDITION_ID}",
            "/juri/{edition_id}": f"/juri/{EDITION_ID}",
            "/lomba/{edition_id}/hasil": f"/lomba/{EDITION_ID}/hasil",
            "/kim": "/kim",
        }[template.path]
        assert f"{CONSOLE}{edition_path}" in message.text
        assert message.html is not None and f'href="{CONSOLE}{edition_path}"' in message.html
    indonesian = template.render(data, "id", CONSOLE)
    english = template.render(data, "en", CONSOLE)
    assert indonesian.text != english.text
    # Values (names, titles, the link) may be anything; the wording around them is Indonesian.
    wording = template.id.subject + " " + template.id.body
    assert not ENGLISH.search(re.sub(r"\{[a-z_]+\}", "", wording)), wording
    assert INDONESIAN.search(wording), wording
    assert ENGLISH.search(template.en.subject + " " + template.en.body)


def test_the_html_part_escapes_what_the_event_carries() -> None:
    profile = kim().model_copy(update={"name": '<script>alert("x")</script> & Co'})
    message = KIM_TEMPLATES["kim.verified"].render(profile, "id", CONSOLE)
    assert message.html is not None
    assert "<script>" not in message.html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in message.html
    assert '<script>alert("x")</script> & Co' in message.text  # the plain part as written


def test_a_kim_is_emailed_a_plain_text_and_an_html_part_in_its_own_words() -> None:
    rep = Recipient.for_account(
        account_id=uuid4(),
        role="kim_rep",
        name="Ibu Sri",
        email="pasreh@example.id",
        kim_id=uuid4(),
        whatsapp="+6281234567890",
        active=True,
        revision=1,
        now=NOW,
    )
    approved = samples()["enrolment.approved"]
    notice = Notice.of(approved, languages=(), readers=[rep], console_url=CONSOLE)
    deliveries = {d.channel: d for d in notice.deliveries_to(rep, NOW, offered=("inbox", "email"))}
    assert set(deliveries) == {"inbox", "email"}
    assert deliveries["inbox"].subject.startswith("Pendaftaran ") and deliveries["inbox"].html is None
    mail = SmtpMailer(Settings()).message(deliveries["email"], "pasreh@example.id")
    parsed = message_from_bytes(bytes(mail))
    assert parsed.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in parsed.walk()][1:]
    assert parts == ["text/plain", "text/html"]
    assert isinstance(mail, EmailMessage)
    html = mail.get_body(("html",))
    assert html is not None and f"{CONSOLE}/kim/lomba/{EDITION_ID}" in html.get_content()


def test_staff_still_read_the_staff_wording_and_a_reminder_reads_as_one() -> None:
    staff = Recipient.create(
        name="IKP",
        email="ikp@malangkota.go.id",
        language="en",
        subscriptions=["enrolment.approved"],
        webhook=None,
        now=NOW,
    )
    notice = Notice.of(samples()["enrolment.approved"], languages=("en",), readers=[staff])
    assert notice.message_for(staff).html is None
    reminder = Notice.of_reminder(
        REMINDER_DATA,
        readers=[
            Recipient.for_account(
                account_id=uuid4(),
                role="kim_rep",
                name="x",
                email="x@example.id",
                kim_id=REMINDER_DATA.kim_id,
                whatsapp=None,
                active=True,
                revision=1,
                now=NOW,
            )
        ],
        now=NOW,
        correlation_id="r",
        console_url=CONSOLE,
    )
    (message,) = reminder.messages.values()
    assert message.subject == "Pengingat: 3 hari lagi pengumpulan karya Lomba Video Pendek KIM 2024 ditutup"
    assert c.EntrySubmitted.event_type not in reminder.event_type
    assert event  # samples' helper stays importable for other tests
