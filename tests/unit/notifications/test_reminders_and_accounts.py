"""Reminders before the deadline (on an injected clock, with a job restarted on the same
storage) and recipients that follow accounts, on the fake unit of work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from notifications.domain.errors import ChannelNotOffered, RemindersInvalid, UnknownEventType
from notifications.domain.personal import REMINDER
from notifications.domain.projections import EditionSchedule
from notifications.service_layer.commands import ChoosePreferences
from notifications.service_layer.notifying import notify
from notifications.service_layer.reminding import ReminderJob, set_reminder_days
from notifications.service_layer.services import choose_preferences, my_recipient

from shared import contracts as c
from shared.kernel.principal import Principal

from .fakes import Clock, FakeNotifications
from .samples import AT, EDITION_ID, edition, enrolment, entry, event, kim

CLOSES = AT + timedelta(days=30)


def test_the_reminder_due_is_the_nearest_whose_moment_passed_before_the_deadline() -> None:
    schedule = EditionSchedule(edition_id=EDITION_ID, closes_at=CLOSES, updated_at=AT)
    assert schedule.due(CLOSES - timedelta(days=4)) is None
    assert schedule.due(CLOSES - timedelta(days=3)) == 3
    assert schedule.due(CLOSES - timedelta(days=2)) == 3
    assert schedule.due(CLOSES - timedelta(hours=23)) == 1
    assert schedule.due(CLOSES) is None
    schedule.days_before = [7]
    assert schedule.due(CLOSES - timedelta(days=5)) == 7
    schedule.closed = True
    assert schedule.due(CLOSES - timedelta(days=5)) is None


@pytest.mark.parametrize("days", [[0], [61], [3, 3], [1, 2, 3, 4, 5, 6]])
async def test_reminder_days_out_of_bounds_are_refused(days: list[int]) -> None:
    with pytest.raises(RemindersInvalid):
        await set_reminder_days(FakeNotifications(), Clock(), EDITION_ID, days)


def account(role: str, *, kim_id: UUID | None = None, revision: int = 1, **extra: Any) -> c.AccountDetails:
    return c.AccountDetails(
        account_id=extra.pop("account_id", uuid4()),
        email=extra.pop("email", f"{role}-{uuid4().hex[:6]}@example.id"),
        name=extra.pop("name", f"Akun {role}"),
        role=role,  # type: ignore[arg-type]
        kim_id=kim_id,
        disabled=extra.pop("disabled", False),
        revision=revision,
    )


async def publish(uow: FakeNotifications, clock: Clock, *events: Any) -> None:
    for e in events:
        await notify(uow, e, clock)


async def test_an_approved_kim_without_an_entry_is_reminded_once_per_reminder_across_restarts() -> None:
    uow, clock = FakeNotifications(), Clock(AT)
    lazy, busy, pending = kim(), kim(), kim()
    enrolments = {
        k.kim_id: enrolment("approved").model_copy(update={"kim_id": k.kim_id, "enrolment_id": uuid4()})
        for k in (lazy, busy)
    }
    enrolments[pending.kim_id] = enrolment("requested").model_copy(
        update={"kim_id": pending.kim_id, "enrolment_id": uuid4()}
    )
    reps = {k.kim_id: account("kim_rep", kim_id=k.kim_id) for k in (lazy, busy, pending)}
    await publish(
        uow,
        clock,
        *(event(c.KimRegistered, k) for k in (lazy, busy, pending)),
        *(event(c.AccountOpened, a) for a in reps.values()),
        event(c.EditionPublished, edition()),
        *(
            event(c.EnrolmentApproved if e.status == "approved" else c.EnrolmentRequested, e)
            for e in enrolments.values()
        ),
        event(c.EntrySubmitted, entry().model_copy(update={"kim_id": busy.kim_id})),
    )
    woken: list[int] = []

    def job() -> ReminderJob:  # a fresh job, as after a restart, on the same storage
        return ReminderJob(
            uow_for=uow.caused_by, clock=clock, poll_seconds=60, wake_sender=lambda: woken.append(1)
        )

    assert await job().run_once() == 0  # 30 days before: nothing due
    clock.now = CLOSES - timedelta(days=3, hours=-1)
    assert await job().run_once() == 1  # WhatsApp (email is its fallback); the inbox is delivered at once
    assert await job().run_once() == 0
    assert await job().run_once() == 0
    clock.now = CLOSES - timedelta(hours=20)
    assert await job().run_once() == 1
    assert await job().run_once() == 0
    clock.now = CLOSES + timedelta(hours=1)
    assert await job().run_once() == 0

    sent = await uow.reminders.of_edition(EDITION_ID)
    assert [(r.kim_id, r.days_before) for r in sent] == [(lazy.kim_id, 3), (lazy.kim_id, 1)]
    rep = await uow.recipients.of_account(reps[lazy.kim_id].account_id)
    assert rep is not None and sent[0].recipient_ids == [rep.recipient_id]
    reminders = [d for d in uow.deliveries.items.values() if d.event_type == REMINDER]
    assert sorted((d.channel, d.recipient_id == rep.recipient_id) for d in reminders) == sorted(
        [(ch, True) for ch in ("inbox", "whatsapp")] * 2
    )
    assert any("3 hari lagi" in d.subject for d in reminders) and any(
        "1 hari lagi" in d.subject for d in reminders
    )
    assert len(woken) == 2


async def test_a_kim_who_withdrew_its_entry_is_reminded_again_and_staff_choose_the_days() -> None:
    uow, clock = FakeNotifications(), Clock(AT)
    k = kim()
    submitted = entry().model_copy(update={"kim_id": k.kim_id})
    withdrawn = entry("withdrawn").model_copy(
        update={"kim_id": k.kim_id, "entry_id": submitted.entry_id, "revision": submitted.revision + 1}
    )
    await publish(
        uow,
        clock,
        event(c.AccountOpened, account("kim_rep", kim_id=k.kim_id)),
        event(c.EditionPublished, edition()),
        event(c.EnrolmentApproved, enrolment("approved").model_copy(update={"kim_id": k.kim_id})),
        event(c.EntrySubmitted, submitted),
    )
    job = ReminderJob(uow_for=uow.caused_by, clock=clock, poll_seconds=60, wake_sender=lambda: None)
    clock.now = CLOSES - timedelta(days=2)
    await job.run_once()
    assert await uow.reminders.of_edition(EDITION_ID) == []  # it has an entry
    await publish(uow, clock, event(c.EntryWithdrawn, withdrawn))
    await set_reminder_days(uow, clock, EDITION_ID, [10])
    clock.now = CLOSES - timedelta(days=5)
    await job.run_once()
    assert [r.days_before for r in await uow.reminders.of_edition(EDITION_ID)] == [10]


async def test_recipients_follow_accounts_keep_the_highest_revision_and_adopt_a_hand_made_one() -> None:
    uow, clock = FakeNotifications(), Clock(AT)
    k = kim()
    rep = account("kim_rep", kim_id=k.kim_id, revision=2)
    await publish(uow, clock, event(c.AccountOpened, rep))
    (made,) = uow.recipients.items.values()
    assert (made.role, made.kim_id, made.language, made.whatsapp) == ("kim_rep", k.kim_id, "id", None)
    assert "enrolment.approved" in made.subscriptions and "score.recorded" not in made.subscriptions
    await publish(uow, clock, event(c.KimRegistered, k))
    assert made.whatsapp == k.whatsapp  # the KIM's number, arriving after the account

    older = rep.model_copy(update={"email": "lama@example.id", "revision": 1})
    await publish(uow, clock, event(c.AccountChanged, older))
    assert made.email == rep.email
    disabled = rep.model_copy(update={"email": "baru@example.id", "disabled": True, "revision": 3})
    await publish(uow, clock, event(c.AccountChanged, disabled), event(c.AccountChanged, disabled))
    assert (made.email, made.active, made.revision, len(uow.recipients.items)) == (
        "baru@example.id",
        False,
        3,
        1,
    )

    from notifications.domain.recipient import Recipient

    hand_made = Recipient.create(
        name="IKP",
        email="IKP@malangkota.go.id",
        language="en",
        subscriptions=["tie.detected"],
        webhook=None,
        now=AT,
    )
    uow.recipients.add(hand_made)
    staff = account("staff", email="ikp@malangkota.go.id")
    await publish(uow, clock, event(c.AccountOpened, staff))
    assert len(uow.recipients.items) == 2
    assert (hand_made.account_id, hand_made.role, hand_made.subscriptions, hand_made.language) == (
        staff.account_id,
        "staff",
        ["tie.detected"],
        "en",
    )


async def test_a_person_reads_and_chooses_their_own_preferences_before_their_account_event_arrives() -> None:
    uow, clock = FakeNotifications(), Clock(AT)
    k = kim()
    caller = Principal(
        account_id=uuid4(), role="kim_rep", email="rep@example.id", name="Ibu Rep", kim_id=k.kim_id
    )
    mine = await my_recipient(uow, clock, caller)
    assert mine.chosen("entry.submitted") == ["inbox", "whatsapp", "email"]
    changed = await choose_preferences(
        uow,
        clock,
        caller,
        ChoosePreferences(language="en", channels={"entry.submitted": ["email"], "enrolment.rejected": []}),
    )
    assert changed is mine and mine.language == "en"
    assert mine.chosen("entry.submitted") == ["email"] and "enrolment.rejected" not in mine.subscriptions
    with pytest.raises(UnknownEventType):
        await choose_preferences(
            uow, clock, caller, ChoosePreferences(channels={"score.recorded": ["inbox"]})
        )
    with pytest.raises(ChannelNotOffered):
        await choose_preferences(
            uow, clock, caller, ChoosePreferences(channels={"entry.submitted": ["webhook"]})
        )
    # The account event arrives later: the same recipient follows it, choices kept.
    await publish(
        uow, clock, event(c.AccountOpened, account("kim_rep", kim_id=k.kim_id, account_id=caller.account_id))
    )
    assert len(uow.recipients.items) == 1 and mine.chosen("entry.submitted") == ["email"]
    judge = Principal(account_id=uuid4(), role="judge", email="juri@example.id", name="Juri")
    assert (await my_recipient(uow, clock, judge)).chosen("judge.assigned") == ["inbox", "email"]
    assert datetime.now(UTC) > AT
