"""Who an event reaches, tested as a rule: over generated events and recipients, a
KIM representative never hears of another KIM's event and always hears of their
own when subscribed; a judge hears only what names them or their panel; staff
hear what they subscribe to. And every event the service consumes has a decision."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from hypothesis import given, settings
from hypothesis import strategies as st
from notifications.domain.audience import SCOPES, Knowledge, concerns, default_subscriptions, menu
from notifications.domain.personal import JUDGE_TEMPLATES, KIM_TEMPLATES, REMINDER
from notifications.domain.recipient import Recipient

from shared.platform.messaging import NOTIFICATIONS

from .samples import samples

NOW = datetime(2024, 8, 1, tzinfo=UTC)
KIMS = [UUID(int=n) for n in range(1, 5)]
EDITIONS = [UUID(int=100 + n) for n in range(2)]
JUDGES = ["juri.satu@example.id", "Juri.Dua@example.id", "juri.tiga@example.id"]
TOLD = [t for t, scope in SCOPES.items() if scope.staff]


def test_every_event_the_service_consumes_has_a_scoping_decision_and_nothing_else_does() -> None:
    assert set(SCOPES) == {event.event_type for event in NOTIFICATIONS.handles}


def test_what_a_kim_or_a_judge_may_hear_has_a_template_addressed_to_them() -> None:
    assert set(menu("kim_rep")) == set(KIM_TEMPLATES)
    assert set(menu("judge")) == set(JUDGE_TEMPLATES)
    assert REMINDER in default_subscriptions("kim_rep")
    assert not {"score.recorded", "tie.detected", "message.dead_lettered"} & set(menu("kim_rep"))


def recipient(
    role: str | None, *, kim: UUID | None = None, email: str | None = None, **extra: Any
) -> Recipient:
    fields: dict[str, Any] = {
        "recipient_id": UUID(int=10_000 + hash((role, kim, email)) % 10_000),
        "name": "someone",
        "email": email,
        "subscriptions": list(default_subscriptions(role)) if role else list(TOLD),  # type: ignore[arg-type]
        "created_at": NOW,
        "updated_at": NOW,
        "role": role,
        "kim_id": kim,
        **extra,
    }
    return Recipient(**fields)


events = st.fixed_dictionaries(
    {
        "type": st.sampled_from(TOLD),
        "kim_id": st.one_of(st.none(), st.sampled_from(KIMS).map(str)),
        "edition_id": st.sampled_from(EDITIONS).map(str),
        "email": st.one_of(st.none(), st.sampled_from(JUDGES), st.sampled_from(JUDGES).map(str.upper)),
    }
)
recipients = st.one_of(
    st.builds(
        lambda kim, active, subscribed: (
            recipient("kim_rep", kim=kim, email="rep@example.id", active=active)
            if subscribed
            else recipient("kim_rep", kim=kim, email="rep@example.id", active=active, subscriptions=[])
        ),
        st.sampled_from(KIMS),
        st.booleans(),
        st.booleans(),
    ),
    st.builds(
        lambda email, active: recipient("judge", email=email, active=active),
        st.sampled_from(JUDGES),
        st.booleans(),
    ),
    st.builds(lambda active: recipient("staff", email="staf@malangkota.go.id", active=active), st.booleans()),
    st.builds(lambda: recipient(None, email="ikp@malangkota.go.id")),
)
knowledge = st.builds(
    Knowledge,
    entered=st.frozensets(st.sampled_from(KIMS).map(str)),
    panel=st.frozensets(st.sampled_from(JUDGES).map(str.lower)),
)


def data_of(event: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in event.items() if k != "type" and v is not None}


@settings(max_examples=300, deadline=None)
@given(events, recipients, knowledge)
def test_an_event_reaches_exactly_whom_it_concerns(
    event: dict[str, Any], who: Recipient, known: Knowledge
) -> None:
    event_type, data = event["type"], data_of(event)
    told = concerns(event_type, data, who, known)
    scope = SCOPES[event_type]
    listening = who.active and event_type in who.subscriptions
    if not listening:
        assert not told
        return
    if who.role == "kim_rep":
        mine = str(who.kim_id)
        if "kim_id" in data and data["kim_id"] != mine:
            assert not told, "a KIM representative heard of another KIM's event"
        if scope.kim_rep == "own_kim":
            assert told == (data.get("kim_id") == mine)
        elif scope.kim_rep == "entered_edition":
            assert told == (mine in known.entered and data.get("kim_id") in (None, mine))
        else:
            assert not told
    elif who.role == "judge":
        email = (who.email or "").lower()
        if scope.judge == "named":
            assert told == ((data.get("email") or "").lower() == email)
        elif scope.judge == "panel":
            assert told == (email in known.panel)
        else:
            assert not told
    else:
        assert told


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(KIMS), knowledge)
def test_real_events_of_one_kim_never_reach_another_kims_representative(kim: UUID, known: Knowledge) -> None:
    for event_type, event in samples().items():
        if event_type not in TOLD:
            continue
        data = event.data.model_dump(mode="json")
        rep = recipient("kim_rep", kim=kim, email="rep@example.id")
        if data.get("kim_id") is not None and data["kim_id"] != str(kim):
            assert not concerns(event_type, data, rep, known), event_type


def test_a_disabled_or_kimless_representative_hears_nothing() -> None:
    data = {"kim_id": str(KIMS[0]), "edition_id": str(EDITIONS[0])}
    everything = Knowledge(entered=frozenset(str(k) for k in KIMS))
    assert concerns("enrolment.approved", data, recipient("kim_rep", kim=KIMS[0]), everything)
    assert not concerns(
        "enrolment.approved", data, recipient("kim_rep", kim=KIMS[0], active=False), everything
    )
    assert not concerns("enrolment.approved", data, recipient("kim_rep", kim=None), everything)
