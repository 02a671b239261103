"""The RabbitMQ definitions the compose deployment's broker imports at every boot.

Generated from the code, so they cannot drift from it:

- the topology of `shared/platform/messaging/topology.py`: the exchanges, each consumer
  queue with its arguments and bindings, each dead-letter queue;
- one user per service, allowed only what that service does:
  configure nothing (the broker's definitions create everything; the services
  run with DECLARE_TOPOLOGY=false and only look their queues up);
  write to `kim.events`, and there only the routing keys of the events it
  produces (a topic permission); to `kim.replay`, and there only
  `<queue>.<event type>` of the events it produces (a replay, `POST
  /outbox/replay`, sends to one queue); and to its own `kim.requeue.<service>`,
  bound only to its own queue (a dead-letter requeue). Never to the default
  exchange, which reaches every queue with any message (see
  shared/platform/messaging/publishers.py);
  read its own queue and its own dead-letter queue, if it consumes one;
- one user for the console, which only listens: it declares, binds and reads its
  own exclusive `console.live.*` queues (one per process, see `LiveQueue`), reads
  `kim.events` to bind them, for the routing keys of the events it shows live,
  and writes nothing anywhere;
- an administrator for the management UI.

Passwords and the administrator's name are `{{VARIABLE}}` placeholders that
deploy/rabbitmq/render-definitions.sh fills in from the container's
environment when the broker starts.

    python deploy/rabbitmq/definitions.py           # rewrite definitions.template.json
    python deploy/rabbitmq/definitions.py --check   # exit 1 if it is out of date
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
from pathlib import Path
from typing import Any

from shared.platform.messaging.topology import (
    CONSOLE_LIVE,
    CONSUMER_QUEUES,
    DEAD_LETTERS,
    EVENTS,
    REPLAY,
    queue_of,
)

TEMPLATE = Path(__file__).with_name("definitions.template.json")

SERVICES = ("registry", "submissions", "judging", "notifications", "voting")
#: The console's user: a listener on its own live queues only.
CONSOLE = "console"
VHOST = "/"
ADMIN_USER = "{{RABBITMQ_ADMIN_USER}}"
ADMIN_PASSWORD = "{{RABBITMQ_ADMIN_PASSWORD}}"
NAME = re.compile(r"[A-Za-z0-9_.-]+")


def password_placeholder(service: str) -> str:
    return "{{RABBITMQ_" + service.upper() + "_PASSWORD}}"


def exactly(names: list[str]) -> str:
    """A permission regex matching exactly these names, or nothing."""
    for name in names:
        assert NAME.fullmatch(name), f"unexpected character in {name!r}"
    if not names:
        return "^$"
    return "^(" + "|".join(name.replace(".", r"\.") for name in sorted(set(names))) + ")$"


def wiring(service: str) -> tuple[list[str], list[str]]:
    """What a service, wired as it runs, publishes to kim.events (routing keys) and
    consumes (queue names): its broker's publishers and subscribers."""
    system = importlib.import_module(f"{service}.bootstrap").bootstrap()
    try:
        broker = system.runtime.broker
        assert {publisher.exchange.name for publisher in broker.publishers} <= {EVENTS.name}
        publishes = sorted({publisher.routing_key for publisher in broker.publishers})
        consumes = sorted({subscriber.queue.name for subscriber in broker.subscribers})
    finally:
        system.runtime.mongo.close()
    return publishes, consumes


def definitions() -> dict[str, Any]:
    users = [{"name": ADMIN_USER, "password": ADMIN_PASSWORD, "tags": "administrator"}]
    permissions = [{"user": ADMIN_USER, "vhost": VHOST, "configure": ".*", "write": ".*", "read": ".*"}]
    topic_permissions = []
    for service in SERVICES:
        publishes, consumes = wiring(service)
        own_queue = queue_of(service)
        requeue = [own_queue.requeue_exchange().name] if own_queue is not None else []
        users.append({"name": service, "password": password_placeholder(service), "tags": ""})
        permissions.append(
            {
                "user": service,
                "vhost": VHOST,
                "configure": "^$",
                "write": exactly([EVENTS.name, REPLAY.name, *requeue]),
                "read": exactly(consumes),
            }
        )
        topic_permissions.append(
            {
                "user": service,
                "vhost": VHOST,
                "exchange": EVENTS.name,
                "write": exactly(publishes),
                "read": "^$",
            }
        )
        replays = [
            consumer.replay_key(key)
            for consumer in CONSUMER_QUEUES
            for key in consumer.routing_keys
            if key in publishes
        ]
        topic_permissions.append(
            {
                "user": service,
                "vhost": VHOST,
                "exchange": REPLAY.name,
                "write": exactly(replays),
                "read": "^$",
            }
        )
    live_queues = "^" + CONSOLE_LIVE.prefix.replace(".", r"\.") + r"\..+$"
    users.append({"name": CONSOLE, "password": password_placeholder(CONSOLE), "tags": ""})
    permissions.append(
        {
            "user": CONSOLE,
            "vhost": VHOST,
            "configure": live_queues,
            # Binding a queue needs write on the queue and read on the exchange.
            "write": live_queues,
            "read": "^(" + EVENTS.name.replace(".", r"\.") + "|" + live_queues[1:-1] + ")$",
        }
    )
    topic_permissions.append(
        {
            "user": CONSOLE,
            "vhost": VHOST,
            "exchange": EVENTS.name,
            "write": "^$",
            "read": exactly(sorted({event.event_type for event in CONSOLE_LIVE.handles})),
        }
    )
    exchanges = [
        {
            "name": exchange.name,
            "vhost": VHOST,
            "type": exchange.type.value,
            "durable": exchange.durable,
            "auto_delete": exchange.auto_delete,
            "internal": False,
            "arguments": exchange.arguments or {},
        }
        for exchange in (EVENTS, DEAD_LETTERS, REPLAY, *(c.requeue_exchange() for c in CONSUMER_QUEUES))
    ]
    queues = []
    bindings: list[dict[str, Any]] = []
    for consumer in CONSUMER_QUEUES:
        for queue in (consumer.queue(), consumer.dead_letter_queue()):
            queues.append(
                {
                    "name": queue.name,
                    "vhost": VHOST,
                    "durable": queue.durable,
                    "auto_delete": queue.auto_delete,
                    "arguments": queue.arguments or {},
                }
            )
        bindings.extend(_binding(EVENTS.name, consumer.name, key) for key in consumer.routing_keys)
        bindings.append(_binding(DEAD_LETTERS.name, consumer.dead_letter_name, consumer.name))
        bindings.extend(
            _binding(REPLAY.name, consumer.name, consumer.replay_key(k)) for k in consumer.routing_keys
        )
        bindings.append(_binding(consumer.requeue_exchange().name, consumer.name, consumer.name))
    return {
        "users": users,
        "vhosts": [{"name": VHOST}],
        "permissions": permissions,
        "topic_permissions": topic_permissions,
        "exchanges": exchanges,
        "queues": queues,
        "bindings": bindings,
    }


def _binding(source: str, queue: str, routing_key: str) -> dict[str, Any]:
    return {
        "source": source,
        "vhost": VHOST,
        "destination": queue,
        "destination_type": "queue",
        "routing_key": routing_key,
        "arguments": {},
    }


def rendered() -> str:
    return json.dumps(definitions(), indent=2) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check that the template is up to date")
    args = parser.parse_args()
    text = rendered()
    if args.check:
        if not TEMPLATE.is_file() or TEMPLATE.read_text() != text:
            print(f"{TEMPLATE} is out of date: run python {Path(__file__).as_posix()}", file=sys.stderr)
            return 1
        return 0
    TEMPLATE.write_text(text)
    print(f"wrote {TEMPLATE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
