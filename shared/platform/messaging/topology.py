"""Where events go.

One durable topic exchange, `kim.events`, routed by `<subject>.<verb>`. Each
consuming service has one durable quorum queue per purpose, bound to exactly
the events it handles, with a delivery limit and a dead-letter queue of its own.

Every service declares the whole table at start-up, producers included, so an
event published before its consumer first started still has a queue to wait in.
"""

from __future__ import annotations

from dataclasses import dataclass

from faststream.rabbit import ExchangeType, QueueType, RabbitBroker, RabbitExchange, RabbitQueue

from shared import contracts as c

EVENTS = RabbitExchange("kim.events", type=ExchangeType.TOPIC, durable=True)
DEAD_LETTERS = RabbitExchange("kim.dead-letters", type=ExchangeType.DIRECT, durable=True)
#: A producer's stored events, resent to one consumer queue (a replay), routed by
#: `<queue>.<event type>` so the broker's topic permissions still allow each
#: user only its own event types (see `publishers`).
REPLAY = RabbitExchange("kim.replay", type=ExchangeType.TOPIC, durable=True)
#: `kim.requeue.<service>`: bound only to that service's queue, written only by it.
REQUEUE_PREFIX = "kim.requeue."

#: Deliveries of one message before the broker dead-letters it. Queue arguments
#: must match wherever the queue is declared, so this is fixed here, not per
#: service; change it on a running broker with a policy.
DELIVERY_LIMIT = 5


@dataclass(frozen=True)
class ConsumerQueue:
    name: str
    handles: tuple[c.EventClass, ...]

    @property
    def service(self) -> str:
        """The service that consumes it: `judging` of `judging.events` and `judging.accounts`."""
        return self.name.partition(".")[0]

    @property
    def routing_keys(self) -> list[str]:
        return sorted({event.event_type for event in self.handles})

    @property
    def dead_letter_name(self) -> str:
        return f"{self.name}.dead-letters"

    def queue(self) -> RabbitQueue:
        return RabbitQueue(
            self.name,
            queue_type=QueueType.QUORUM,
            durable=True,
            arguments={
                "x-dead-letter-exchange": DEAD_LETTERS.name,
                "x-dead-letter-routing-key": self.name,
                "x-delivery-limit": DELIVERY_LIMIT,
            },
        )

    def dead_letter_queue(self) -> RabbitQueue:
        return RabbitQueue(self.dead_letter_name, queue_type=QueueType.QUORUM, durable=True)

    def requeue_exchange(self) -> RabbitExchange:
        """Where this service sends its own dead letters back to this queue."""
        return RabbitExchange(REQUEUE_PREFIX + self.service, type=ExchangeType.DIRECT, durable=True)

    def replay_key(self, event_type: str) -> str:
        """The routing key on `kim.replay` of an event of `event_type` for this queue."""
        return f"{self.name}.{event_type}"


# The registry records on each KIM the places it won in the registry's own editions.
REGISTRY = ConsumerQueue("registry.events", handles=(c.WinnerAnnounced,))

SUBMISSIONS = ConsumerQueue(
    "submissions.events",
    handles=(
        c.KimRegistered,
        c.KimUpdated,
        c.KimVerified,
        c.EditionPublished,
        c.EditionUpdated,
        c.EditionSubmissionsClosed,
        c.EnrolmentRequested,
        c.EnrolmentApproved,
        c.EnrolmentRejected,
    ),
)

JUDGING = ConsumerQueue(
    "judging.events",
    handles=(
        c.EditionPublished,
        c.EditionUpdated,
        c.EditionSubmissionsClosed,
        c.EntrySubmitted,
        c.EntryRevised,
        c.EntryWithdrawn,
        c.EntryDisqualified,
        c.EntryFilmChecked,
    ),
)

# Voting keeps the editions (title, favourite category), each KIM's kecamatan and
# the entries of the public gallery.
VOTING = ConsumerQueue(
    "voting.events",
    handles=(
        c.EditionPublished,
        c.EditionUpdated,
        c.KimRegistered,
        c.KimUpdated,
        c.KimVerified,
        c.EntrySubmitted,
        c.EntryRevised,
        c.EntryWithdrawn,
        c.EntryDisqualified,
    ),
)

# Notifications hears every event of the catalog except its own reports, which
# would otherwise notify about notifying: the accounts make and keep its
# recipients (who is told, not what happened), the rest is told.
NOTIFICATIONS = ConsumerQueue(
    "notifications.events",
    handles=tuple(event for event in c.CATALOG.values() if not event.event_type.startswith("notification.")),
)


def _accounts_of(service: str) -> ConsumerQueue:
    return ConsumerQueue(f"{service}.accounts", handles=(c.AccountOpened, c.AccountChanged))


# Every service but the registry (which owns the accounts) learns each account's
# token version from these, on a queue of its own, to refuse tokens issued before a
# sign-out or a disable (`shared.platform.revocation`).
ACCOUNT_QUEUES = tuple(
    _accounts_of(service) for service in ("submissions", "judging", "notifications", "voting")
)

CONSUMER_QUEUES = (REGISTRY, SUBMISSIONS, JUDGING, VOTING, NOTIFICATIONS, *ACCOUNT_QUEUES)


@dataclass(frozen=True)
class LiveQueue:
    """A queue that only feeds what is open right now, not a consumer of record.

    Each process declares its own at start-up: exclusive (only its connection may
    use it), auto-deleted when that connection closes, not durable and without a
    dead-letter queue. Nothing in it is kept: what it carries can be read again
    through the owning service's API, so an event that arrives while no process
    listens is lost on purpose. Not in CONSUMER_QUEUES: services do not declare it.
    """

    prefix: str
    handles: tuple[c.EventClass, ...]

    @property
    def routing_keys(self) -> list[str]:
        return sorted({event.event_type for event in self.handles})


# The console pushes new inbox items to the open pages of the recipient they
# reached (the staff inbox, its unread badge). It reads the items themselves
# from the notifications service; the event only says "look again".
CONSOLE_LIVE = LiveQueue("console.live", handles=(c.NotificationDelivered,))


def queue_of(service: str) -> ConsumerQueue | None:
    """The queue a service consumes: the one named after it, if any."""
    return next((queue for queue in CONSUMER_QUEUES if queue.name == f"{service}.events"), None)


def accounts_queue_of(service: str) -> ConsumerQueue | None:
    """The queue a service learns token versions from, if it has one (not the registry)."""
    return next((queue for queue in ACCOUNT_QUEUES if queue.service == service), None)


async def declare_topology(broker: RabbitBroker) -> None:
    """Declare the exchanges, every consumer queue, its bindings (events, replay,
    requeue) and its dead-letter queue."""
    events = await broker.declare_exchange(EVENTS)
    dead_letters = await broker.declare_exchange(DEAD_LETTERS)
    replay = await broker.declare_exchange(REPLAY)
    for consumer in CONSUMER_QUEUES:
        queue = await broker.declare_queue(consumer.queue())
        for key in consumer.routing_keys:
            await queue.bind(events, routing_key=key)
        dead = await broker.declare_queue(consumer.dead_letter_queue())
        await dead.bind(dead_letters, routing_key=consumer.name)
        for key in consumer.routing_keys:
            await queue.bind(replay, routing_key=consumer.replay_key(key))
        requeue = await broker.declare_exchange(consumer.requeue_exchange())
        await queue.bind(requeue, routing_key=consumer.name)
