"""What staff see while judging runs: per judge and per entry what is missing,
who abstained and why; and the reminders judges behind get as the deadline
nears, once per judge per deadline."""

from __future__ import annotations

from datetime import datetime, timedelta

from judging.domain.options import JudgingOptions
from judging.service_layer import services
from judging.service_layer.commands import SetJudgingOptions
from judging.service_layer.reminders import remind_judges

from .fakes import NOW, FakeJudging, appoint, clock, flat, score, setup

WINDOW = timedelta(hours=48)


async def test_progress_per_judge_and_per_entry_with_who_abstained_and_why() -> None:
    uow, edition, entries = setup()
    pasreh, ganjur, mojolangu = entries
    rina = await appoint(uow, edition, "Rina")
    dimas = await appoint(uow, edition, "Dimas", kelurahan_codes=["mojolangu"])
    hendra = await appoint(uow, edition, "Hendra", kim_ids=[pasreh.kim_id])
    await score(uow, edition, pasreh, rina)

    found = await services.judging_progress(uow, edition)
    assert [(p.judge.name, len(p.assigned), len(p.done), p.missing) for p in found.judges] == [
        ("Rina", 3, 1, [ganjur.entry_id, mojolangu.entry_id]),
        ("Dimas", 2, 0, [pasreh.entry_id, ganjur.entry_id]),
        ("Hendra", 2, 0, [ganjur.entry_id, mojolangu.entry_id]),
    ]
    assert [(p.entry.kim_name, p.done, p.missing) for p in found.entries] == [
        ("KIM Pasreh Jaya", [rina], [dimas]),
        ("KIM Ganjur", [], [rina, dimas, hendra]),
        ("KIM Mojolangu", [], [rina, hendra]),
    ]
    why = {p.entry.kim_name: [(a.judge_name, a.reason("id")) for a in p.abstentions] for p in found.entries}
    assert why == {
        "KIM Pasreh Jaya": [("Hendra", "menyatakan keterkaitan dengan KIM Pasreh Jaya")],
        "KIM Ganjur": [],
        "KIM Mojolangu": [("Dimas", "menyatakan keterkaitan dengan Kelurahan Mojolangu")],
    }
    assert found.entries[2].abstentions[0].reason("en") == "declared an affiliation with Kelurahan Mojolangu"
    assert (found.required, found.recorded, found.missing) == (7, 1, 6)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def reminded_judges(uow: FakeJudging, at: datetime) -> list[str]:
    before = len(uow.of_type("judge.reminded"))
    await remind_judges(lambda cause: uow, Clock(at), WINDOW)
    return [e.data.name for e in uow.of_type("judge.reminded")[before:]]


async def test_judges_behind_are_reminded_once_as_the_deadline_nears() -> None:
    uow, edition, entries = setup()
    deadline = NOW + timedelta(days=3)
    await services.set_options(
        uow,
        clock,
        SetJudgingOptions(edition_id=edition.edition_id, options=JudgingOptions(judging_deadline=deadline)),
    )
    rina = await appoint(uow, edition, "Rina", email="rina@juri.example")
    dimas = await appoint(uow, edition, "Dimas", email="dimas@juri.example")
    await appoint(uow, edition, "Hendra")
    for each in entries:
        await score(uow, edition, each, rina, flat(80))
    await score(uow, edition, entries[0], dimas, flat(80))

    # Three days before: outside the 48-hour window.
    assert await reminded_judges(uow, NOW) == []
    # 47 hours before: Dimas (2 missing) and Hendra (3 missing) are told; Rina is done.
    assert await reminded_judges(uow, deadline - timedelta(hours=47)) == ["Dimas", "Hendra"]
    dimas_told = uow.of_type("judge.reminded")[0].data
    assert (dimas_told.email, dimas_told.assigned, [m.title for m in dimas_told.missing]) == (
        "dimas@juri.example",
        3,
        ["Film KIM Ganjur", "Film KIM Mojolangu"],
    )
    assert dimas_told.deadline == deadline
    # Later passes, or a restart reading the same records, tell nobody again.
    assert await reminded_judges(uow, deadline - timedelta(hours=1)) == []
    assert [r.judge_id for r in edition.reminders] == [dimas, edition.panel[2].judge_id]
    assert uow.actions().count("judge_reminded") == 2
    # Past the deadline, no reminders.
    assert await reminded_judges(uow, deadline + timedelta(minutes=1)) == []


async def test_no_reminders_without_a_deadline_or_once_judging_is_complete() -> None:
    uow, edition, entries = setup()
    rina = await appoint(uow, edition, "Rina")
    await score(uow, edition, entries[0], rina)
    assert await reminded_judges(uow, NOW) == []
    edition.options = JudgingOptions(judging_deadline=NOW + timedelta(hours=1))
    for each in entries[1:]:
        await score(uow, edition, each, rina)
    assert edition.status == "completed"
    assert await reminded_judges(uow, NOW) == []
