"""Event contracts (v1) of the catalog in DESIGN.md, and the catalog itself."""

from collections.abc import Iterable
from typing import Annotated, Any, Union

from pydantic import Discriminator, Tag

from .envelope import AnyEvent, Envelope, Payload
from .judging import (
    Affiliations,
    Announcement,
    AssignedEntry,
    CriterionScore,
    JudgeAppointed,
    JudgeAppointment,
    JudgeAssigned,
    JudgeAssignment,
    JudgeReminded,
    JudgeReminder,
    JudgeRemoved,
    JudgingCompleted,
    JudgingCompletion,
    Placing,
    ScoreRecorded,
    ScoreSheetDetails,
    TieDetails,
    TieDetected,
    WinnerAnnounced,
)
from .notifications import DeliveryOutcome, NotificationDelivered, NotificationFailed
from .operations import DeadLetter, MessageDeadLettered
from .registry import (
    AccountChanged,
    AccountDetails,
    AccountOpened,
    EditionDetails,
    EditionPublished,
    EditionRules,
    EditionSubmissionsClosed,
    EditionUpdated,
    EnrolmentApproved,
    EnrolmentDetails,
    EnrolmentRejected,
    EnrolmentRequested,
    KimProfile,
    KimRegistered,
    KimUpdated,
    KimVerified,
    Member,
    Prize,
    Region,
    SubmissionsClosure,
)
from .submissions import (
    EntryDetails,
    EntryDisqualified,
    EntryFilmChecked,
    EntryRevised,
    EntrySubmitted,
    EntryWithdrawn,
    FilmCheckDetails,
)
from .voting import Tally, TallyLine, VoterCode, VoterCodeRequested, VotesTallied

EventClass = type[Envelope]

#: Every event of the catalog, by (routing key, version).
CATALOG: dict[tuple[str, int], EventClass] = {
    (cls.event_type, cls.event_version): cls
    for cls in (
        KimRegistered,
        KimUpdated,
        KimVerified,
        EditionPublished,
        EditionUpdated,
        EditionSubmissionsClosed,
        EnrolmentRequested,
        EnrolmentApproved,
        EnrolmentRejected,
        AccountOpened,
        AccountChanged,
        JudgeAppointed,
        JudgeRemoved,
        JudgeAssigned,
        JudgeReminded,
        EntrySubmitted,
        EntryRevised,
        EntryWithdrawn,
        EntryDisqualified,
        EntryFilmChecked,
        ScoreRecorded,
        JudgingCompleted,
        TieDetected,
        WinnerAnnounced,
        NotificationDelivered,
        NotificationFailed,
        MessageDeadLettered,
        VoterCodeRequested,
        VotesTallied,
    )
}


def one_of(events: Iterable[EventClass]) -> Any:
    """The type "any one of `events`", told apart by the envelope's type and
    version (a discriminated union: each message is parsed by one contract only)."""

    def key(value: Any) -> str:
        if isinstance(value, dict):
            return f"{value.get('type')}/v{value.get('version')}"
        return f"{value.type}/v{value.version}"

    tagged = tuple(Annotated[event, Tag(f"{event.event_type}/v{event.event_version}")] for event in events)
    return Annotated[Union[tagged], Discriminator(key)]  # noqa: UP007 - built from a tuple at run time
