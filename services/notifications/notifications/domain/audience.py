"""Who an event reaches: one rule, `concerns`, for every event type and every recipient.

- Staff, and recipients made by hand, are told what they subscribe to.
- A KIM representative hears about their own KIM (its profile, enrolments and
  entries: the event's `kim_id` is theirs) and about the editions their KIM
  entered (an enrolment not rejected), never about another KIM's.
- A judge hears about their own seat and assignments (the event names them by
  email, as the judging contract carries it) and about the editions whose panel
  they sit on.

What the rule needs beyond the event and the recipient is the `Knowledge` of
the event's edition: which KIMs entered it and who sits on its panel, kept
from enrolment.* and judge.* events (`service_layer/following.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .personal import REMINDER
from .recipient import Recipient, RecipientRole

KimScope = Literal["own_kim", "entered_edition"]
JudgeScope = Literal["named", "panel"]


@dataclass(frozen=True)
class Scope:
    """Who may hear of one event type, besides staff subscribed to it."""

    #: Staff and hand-made recipients (False: nobody is told, the event only keeps knowledge).
    staff: bool = True
    kim_rep: KimScope | None = None
    judge: JudgeScope | None = None


@dataclass(frozen=True)
class Knowledge:
    """What is known of the event's edition (all ids as strings, emails lower case)."""

    #: KIMs with an enrolment (not rejected) in the edition.
    entered: frozenset[str] = frozenset()
    #: Emails of the judges on the edition's panel.
    panel: frozenset[str] = frozenset()


#: Every event type the service consumes, and who it reaches. A test checks the
#: catalog has no event without a decision here.
SCOPES: dict[str, Scope] = {
    "account.opened": Scope(staff=False),
    "account.changed": Scope(staff=False),
    "kim.registered": Scope(kim_rep="own_kim"),
    "kim.updated": Scope(kim_rep="own_kim"),
    "kim.verified": Scope(kim_rep="own_kim"),
    "edition.published": Scope(),
    "edition.updated": Scope(kim_rep="entered_edition", judge="panel"),
    "edition.submissions_closed": Scope(kim_rep="entered_edition", judge="panel"),
    "enrolment.requested": Scope(kim_rep="own_kim"),
    "enrolment.approved": Scope(kim_rep="own_kim"),
    "enrolment.rejected": Scope(kim_rep="own_kim"),
    "entry.submitted": Scope(kim_rep="own_kim"),
    "entry.revised": Scope(kim_rep="own_kim"),
    "entry.withdrawn": Scope(kim_rep="own_kim"),
    "entry.disqualified": Scope(kim_rep="own_kim"),
    "entry.film_checked": Scope(kim_rep="own_kim"),
    "judge.appointed": Scope(judge="named"),
    "judge.removed": Scope(judge="named"),
    "judge.assigned": Scope(judge="named"),
    "judge.reminded": Scope(judge="named"),
    "score.recorded": Scope(),
    "judging.completed": Scope(judge="panel"),
    "tie.detected": Scope(),
    "winner.announced": Scope(kim_rep="entered_edition", judge="panel"),
    # Staff are told; the KIMs read the shortlist with the results (no personal wording yet).
    "shortlist.announced": Scope(),
    "message.dead_lettered": Scope(),
    # A voter's code goes only to the address the event names (`voter_codes`), never to
    # a subscriber: it is a secret.
    "voter.code_requested": Scope(staff=False),
    # Kept, not told: the Juara Favorit reaches people when judging announces it
    # (winner.announced), as every category does.
    "votes.tallied": Scope(staff=False),
}

#: What "Aktifkan pemberitahuan" has subscribed staff to: what asks them to act and the milestones.
STAFF_DEFAULTS = (
    "kim.registered",
    "enrolment.requested",
    "edition.published",
    "entry.submitted",
    "edition.submissions_closed",
    "judging.completed",
    "tie.detected",
    "winner.announced",
    "message.dead_lettered",
)


def menu(role: RecipientRole | None) -> list[str]:
    """The event types a recipient of `role` may be told about (what their preferences list)."""
    if role == "kim_rep":
        return [*(t for t, scope in SCOPES.items() if scope.kim_rep is not None), REMINDER]
    if role == "judge":
        return [t for t, scope in SCOPES.items() if scope.judge is not None]
    return [t for t, scope in SCOPES.items() if scope.staff]


def default_subscriptions(role: RecipientRole | None) -> tuple[str, ...]:
    """What an account is subscribed to when it opens: everything that concerns a KIM
    representative or a judge; for staff, what asks them to act."""
    if role == "staff" or role is None:
        return STAFF_DEFAULTS
    return tuple(menu(role))


def _same(value: Any, known: Any) -> bool:
    return value is not None and known is not None and str(value).lower() == str(known).lower()


def concerns(event_type: str, data: Mapping[str, Any], recipient: Recipient, knowledge: Knowledge) -> bool:
    """Whether the event (its type and its data as JSON) reaches `recipient`."""
    scope = SCOPES.get(event_type)
    if scope is None or not recipient.active or event_type not in recipient.subscriptions:
        return False
    if recipient.role == "kim_rep":
        if recipient.kim_id is None:
            return False
        kim = str(recipient.kim_id)
        if scope.kim_rep == "own_kim":
            return _same(data.get("kim_id"), kim)
        if scope.kim_rep == "entered_edition":
            # An edition's own news, not a KIM's: but never one naming another KIM.
            named = data.get("kim_id")
            return kim in knowledge.entered and (named is None or _same(named, kim))
        return False
    if recipient.role == "judge":
        email = (recipient.email or "").lower()
        if not email:
            return False
        if scope.judge == "named":
            return _same(data.get("email"), email)
        if scope.judge == "panel":
            return email in knowledge.panel
        return False
    return scope.staff
