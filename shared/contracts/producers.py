"""Which service publishes which event of the catalog.

Each service's `bootstrap.PRODUCES` names the same classes (a unit test holds
them together); the system-wide event catalog (AsyncAPI) is written from here.
Every service that consumes a queue also publishes `message.dead_lettered`.
"""

from __future__ import annotations

from . import judging as j
from . import notifications as n
from . import registry as r
from . import submissions as s
from . import voting as v
from .envelope import Envelope
from .operations import MessageDeadLettered

PRODUCED_BY: dict[str, tuple[type[Envelope], ...]] = {
    "registry": (
        r.KimRegistered,
        r.KimUpdated,
        r.KimVerified,
        r.EditionPublished,
        r.EditionUpdated,
        r.EditionSubmissionsClosed,
        r.EnrolmentRequested,
        r.EnrolmentApproved,
        r.EnrolmentRejected,
        r.AccountOpened,
        r.AccountChanged,
    ),
    "submissions": (
        s.EntrySubmitted,
        s.EntryRevised,
        s.EntryWithdrawn,
        s.EntryDisqualified,
        s.EntryFilmChecked,
    ),
    "judging": (
        j.JudgeAppointed,
        j.JudgeRemoved,
        j.JudgeAssigned,
        j.JudgeReminded,
        j.ScoreRecorded,
        j.JudgingCompleted,
        j.TieDetected,
        j.WinnerAnnounced,
    ),
    "voting": (v.VoterCodeRequested, v.VotesTallied),
    "notifications": (n.NotificationDelivered, n.NotificationFailed),
}

#: Published by every service that consumes a queue, when it sets a message aside.
BY_EVERY_CONSUMER = (MessageDeadLettered,)
