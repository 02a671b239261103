"""Messaging every service shares: topology, broker, publishing, outbox relay."""

from .broker import make_broker
from .consuming import event_type_of, handler, handles, ignore_the_rest, subscribe
from .outbox import OutboxRecord, OutboxRelay, outbox_document
from .publishers import PUBLISHED_BY, Publishers, user_of_url, verify_publisher
from .publishing import EventPublisher
from .topology import (
    ACCOUNT_QUEUES,
    CONSOLE_LIVE,
    CONSUMER_QUEUES,
    DEAD_LETTERS,
    DELIVERY_LIMIT,
    EVENTS,
    JUDGING,
    NOTIFICATIONS,
    REGISTRY,
    REPLAY,
    SUBMISSIONS,
    VOTING,
    ConsumerQueue,
    LiveQueue,
    accounts_queue_of,
    declare_topology,
    queue_of,
)
