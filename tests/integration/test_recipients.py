"""Everyone is told what concerns them, on the real broker and database: an edition
walked with four KIMs (three enrolled) and two judges, from their accounts opening
to the winners; each KIM hears exactly its own messages, each judge theirs, staff
what they subscribe to; a KIM without an entry is reminded once, across a restart
of the service; and a person reads and changes their own preferences."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import httpx
from notifications.main import create_app

from devstack.mail_sink import MailSink
from shared import contracts as c
from shared.kernel.principal import Principal

from ..support import bearer_for, eventually, serving
from ..unit.notifications.samples import (
    BLIMBING,
    EDITION_ID,
    POLOWIJEN,
    edition,
    entry,
    event,
    judge_assignment,
    kim,
    samples,
)
from .flows import ok
from .test_notifications import producer  # noqa: F401 - the fixture

START = datetime(2024, 8, 1, 3, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def account(role: str, email: str, *, kim_id: UUID | None = None) -> c.AccountDetails:
    return c.AccountDetails(
        account_id=uuid4(),
        email=email,
        name=email.split("@")[0],
        role=role,
        kim_id=kim_id,
        disabled=False,
        revision=1,
    )  # type: ignore[arg-type]


def enrolment(kim_profile: c.KimProfile, status: str = "approved") -> c.EnrolmentDetails:
    return c.EnrolmentDetails(
        enrolment_id=uuid4(),
        edition_id=EDITION_ID,
        kim_id=kim_profile.kim_id,
        kim_name=kim_profile.name,
        kelurahan=POLOWIJEN,
        kecamatan=BLIMBING,
        status=status,  # type: ignore[arg-type]
        at=START,
        revision=2,
    )


def appointment(judge: c.AccountDetails) -> c.JudgeAppointment:
    return c.JudgeAppointment(
        edition_id=EDITION_ID,
        judge_id=uuid4(),
        name=judge.name,
        email=judge.email,
        affiliations=c.Affiliations(),
        at=START,
    )


async def inbox_counts(api: httpx.AsyncClient, recipient_id: str) -> list[dict[str, Any]]:
    return await ok(
        await api.get("/deliveries", params={"recipient_id": recipient_id, "channel": "inbox", "limit": 200})
    )


async def test_each_kim_and_judge_hears_exactly_its_own_and_a_kim_is_reminded_once_across_a_restart(
    settings_for: Any,
    amqp_url_for: Callable[[str], str],
    mail_sink: MailSink,  # noqa: F811 - the fixture
) -> None:
    clock = Clock()
    settings = settings_for(
        "notifications",
        smtp_port=mail_sink.port,
        delivery_poll_seconds=0.2,
        reminder_poll_seconds=0.2,
        console_url="http://console.test",
    )
    kims = [
        kim().model_copy(update={"name": f"KIM Uji {n}", "whatsapp": f"+62812000000{n}"}) for n in range(4)
    ]
    reps = [account("kim_rep", f"rep{n}@example.id", kim_id=k.kim_id) for n, k in enumerate(kims)]
    judges = [account("judge", f"juri{n}@example.id") for n in range(2)]
    staff = account("staff", "staf@malangkota.go.id")
    closes = START + timedelta(days=10)
    the_edition = edition().model_copy(update={"submission_closes_at": closes})
    enrolled = kims[:3]
    entries = {
        k.kim_id: entry().model_copy(update={"kim_id": k.kim_id, "kim_name": k.name}) for k in kims[:2]
    }

    # What each event is, and whom it concerns.
    told: dict[str, list[Any]] = {str(r.account_id): [] for r in [*reps, *judges, staff]}
    published: list[Any] = []

    def tell(e: Any, *accounts: c.AccountDetails) -> None:
        published.append(e)
        for a in accounts:
            told[str(a.account_id)].append(e)

    for a in [*reps, *judges, staff]:
        tell(event(c.AccountOpened, a))
    told = {key: [] for key in told}  # accounts are kept, not told
    for n, k in enumerate(kims):
        tell(event(c.KimRegistered, k), reps[n], staff)
        tell(event(c.KimVerified, k.model_copy(update={"verified": True, "revision": 2})), reps[n])
    tell(event(c.EditionPublished, the_edition), staff)
    for n, k in enumerate(enrolled):
        tell(event(c.EnrolmentApproved, enrolment(k)), reps[n])
    tell(event(c.EnrolmentRejected, enrolment(kims[3], "rejected")), reps[3])
    for n, k in enumerate(kims[:2]):
        tell(event(c.EntrySubmitted, entries[k.kim_id]), reps[n], staff)
    for j in judges:
        tell(event(c.JudgeAppointed, appointment(j)), j)
        assignment = judge_assignment().model_copy(update={"email": j.email, "name": j.name})
        tell(event(c.JudgeAssigned, assignment), j)

    app = create_app(settings, clock)
    async with serving(app, "notifications") as api, producer(amqp_url_for) as bus:
        for e in published:
            await bus.publish(e)

        # The number comes with kim.registered, which may be handled after account.opened.
        async def numbered() -> list[dict[str, Any]] | None:
            found = await _recipients(api, 7)
            numbers = {r["account_id"]: r["whatsapp"] for r in found or []}
            return found if numbers.get(str(reps[0].account_id)) else None

        everyone = await eventually(numbered)
        by_account = {r["account_id"]: r for r in everyone}
        assert by_account[str(reps[0].account_id)]["whatsapp"] == kims[0].whatsapp
        await eventually(lambda: _inbox_filled(api, by_account, told))

        # Two and a half days before the deadline: KIM 2 (approved, no entry) is reminded.
        clock.now = closes - timedelta(days=2, hours=12)
        reminded = await eventually(lambda: _reminded(api, 1))
    # A restart, still before the 1-day reminder: nothing is reminded twice.
    async with serving(create_app(settings, clock), "notifications") as api, producer(amqp_url_for) as bus:
        clock.now = closes - timedelta(days=1, hours=12)
        later = _after_passes(api)
        assert await later == reminded
        assert [(r["kim_name"], r["days_before"]) for r in reminded] == [("KIM Uji 2", 3)]

        published = []
        tell(
            event(
                c.EditionSubmissionsClosed,
                c.SubmissionsClosure(
                    edition_id=EDITION_ID, closed_at=closes, closed_by="deadline", revision=3
                ),
            ),
            *reps[:3],
            *judges,
            staff,
        )
        tell(
            event(
                c.EntryDisqualified,
                entries[kims[1].kim_id].model_copy(
                    update={
                        "status": "disqualified",
                        "disqualification_reason": "Durasi lebih dari 5 menit.",
                        "revision": 2,
                    }
                ),
            ),
            reps[1],
        )
        tell(
            event(
                c.JudgingCompleted,
                c.JudgingCompletion(
                    edition_id=EDITION_ID, completed_at=closes, entries=1, judges=2, sheets=2
                ),
            ),
            *judges,
            staff,
        )
        tell(event(c.WinnerAnnounced, samples()["winner.announced"].data), *reps[:3], *judges, staff)
        for e in published:
            await bus.publish(e)
        await eventually(lambda: _inbox_filled(api, by_account, told))

        counts = {}
        for key, events in told.items():
            recipient_id = by_account[key]["recipient_id"]
            items = await inbox_counts(api, recipient_id)
            expected = Counter(e.type for e in events)
            if key == str(reps[2].account_id):
                expected["submission.reminder"] += 1
            assert Counter(i["event_type"] for i in items) == expected, by_account[key]["name"]
            own = {str(e.event_id) for e in events}
            assert {i["event_id"] for i in items if i["event_type"] != "submission.reminder"} == own
            counts[by_account[key]["name"]] = len(items)
        # No KIM heard of another KIM's event.
        for n, rep in enumerate(reps):
            theirs = await inbox_counts(api, by_account[str(rep.account_id)]["recipient_id"])
            others = {str(e.event_id) for m, r in enumerate(reps) if m != n for e in told[str(r.account_id)]}
            shared = {str(e.event_id) for e in told[str(rep.account_id)]}
            assert not ({i["event_id"] for i in theirs} & (others - shared))
        assert counts == {"rep0": 6, "rep1": 7, "rep2": 6, "rep3": 3, "juri0": 5, "juri1": 5, "staf": 10}

        # KIMs are emailed in their own words, with a plain and an HTML part and a link.
        mails = await eventually(
            lambda: [m for m in mail_sink.messages if m["To"] == "rep2@example.id"] or None
        )
        reminder_mail = await eventually(
            lambda: next((m for m in mail_sink.messages if "Pengingat" in str(m["Subject"])), None)
        )
        assert reminder_mail["To"] == "rep2@example.id" and mails
        assert reminder_mail.get_content_type() == "multipart/alternative"
        html = reminder_mail.get_body(("html",)).get_content()
        assert f'href="http://console.test/kim/lomba/{EDITION_ID}"' in html

        # A KIM representative reads and changes their own preferences.
        rep0 = Principal(
            account_id=reps[0].account_id, role="kim_rep", email=reps[0].email, kim_id=kims[0].kim_id
        )
        headers = bearer_for(app, rep0)
        mine = await ok(await api.get("/recipients/me", headers=headers))
        assert mine["recipient_id"] == by_account[str(reps[0].account_id)]["recipient_id"]
        row = next(p for p in mine["preferences"] if p["event_type"] == "entry.submitted")
        assert row["channels"] == ["inbox", "whatsapp", "email"] and row["about"]["id"]
        changed = await ok(
            await api.put(
                "/recipients/me/preferences",
                json={"language": "en", "channels": {"entry.submitted": ["inbox"]}},
                headers=headers,
            )
        )
        assert changed["language"] == "en"
        assert next(p for p in changed["preferences"] if p["event_type"] == "entry.submitted")[
            "channels"
        ] == ["inbox"]
        refused = await api.put(
            "/recipients/me/preferences", json={"channels": {"tie.detected": ["inbox"]}}, headers=headers
        )
        assert (refused.status_code, refused.json()["error"]["code"]) == (422, "unknown_event_type")
        my_inbox = await ok(await api.get("/recipients/me/inbox", headers=headers))
        assert len(my_inbox["items"]) == 6
        staff_only = await api.get(f"/editions/{EDITION_ID}/reminders", headers=headers)
        assert staff_only.status_code == 403
        days = await ok(await api.put(f"/editions/{EDITION_ID}/reminders", json={"days_before": [5, 2]}))
        assert days["days_before"] == [5, 2] and len(days["reminded"]) == 1


async def _recipients(api: httpx.AsyncClient, count: int) -> list[dict[str, Any]] | None:
    found = [r for r in await ok(await api.get("/recipients")) if r["account_id"]]
    return found if len(found) >= count else None


async def _inbox_filled(
    api: httpx.AsyncClient, by_account: dict[str, Any], told: dict[str, list[Any]]
) -> bool:
    for key, events in told.items():
        items = await inbox_counts(api, by_account[key]["recipient_id"])
        if len([i for i in items if i["event_type"] != "submission.reminder"]) < len(events):
            return False
    return True


async def _reminded(api: httpx.AsyncClient, count: int) -> list[dict[str, Any]] | None:
    found = (await ok(await api.get(f"/editions/{EDITION_ID}/reminders")))["reminded"]
    return found if len(found) >= count else None


async def _after_passes(api: httpx.AsyncClient) -> list[dict[str, Any]]:
    import asyncio

    await asyncio.sleep(1.0)  # five passes of the job at 0.2 s
    return (await ok(await api.get(f"/editions/{EDITION_ID}/reminders")))["reminded"]


async def test_reminder_days_can_be_set_changed_and_turned_off_for_any_edition(
    settings_for: Callable[..., Any],
) -> None:
    """Fuzzing found `{"days_before": []}` answered 500; each of these answers 200."""
    edition = uuid4()  # not heard of yet: the choice waits for its deadline
    async with serving(create_app(settings_for("notifications")), "notifications") as api:
        for days in ([], [3, 1], [], [7], [7]):
            answer = await api.put(f"/editions/{edition}/reminders", json={"days_before": days})
            assert answer.status_code == 200, (days, answer.text)
            assert answer.json()["days_before"] == days
        assert (await ok(await api.get(f"/editions/{edition}/reminders")))["days_before"] == [7]
