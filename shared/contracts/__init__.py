"""Event contracts (v1) of the catalog in DESIGN.md, and the catalog itself."""

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
    EntryRevised,
    EntrySubmitted,
    EntryWithdrawn,
)

EventClass = type[Envelope]  # type: ignore[type-arg]

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
        JudgeAppointed,
        JudgeRemoved,
        JudgeAssigned,
        JudgeReminded,
        EntrySubmitted,
        EntryRevised,
        EntryWithdrawn,
        EntryDisqualified,
        ScoreRecorded,
        JudgingCompleted,
        TieDetected,
        WinnerAnnounced,
        NotificationDelivered,
        NotificationFailed,
        MessageDeadLettered,
    )
}
