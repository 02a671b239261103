"""The outside consumer's checks (tests/e2e/outside_consumer.py) catch a message the
catalog does not describe: they are what the end-to-end walk relies on."""

from __future__ import annotations

import copy

from shared.platform.messaging.catalog import asyncapi_catalog

from ..e2e.outside_consumer import OutsideConsumer, Received

CATALOG = asyncapi_catalog()


def as_published(routing_key: str) -> Received:
    message = CATALOG["components"]["messages"][f"{routing_key}.v1"]
    body = copy.deepcopy(message["examples"][0]["payload"])
    return Received(
        routing_key=routing_key,
        body=body,
        properties={
            "message_id": body["event_id"],
            "correlation_id": body["correlation_id"],
            "content_type": "application/json",
            "type": routing_key,
            "headers": {"version": 1},
            "delivery_mode": 2,
        },
    )


def outsider() -> OutsideConsumer:
    return OutsideConsumer("unused", "unused", wanted=(), catalog=CATALOG)


def test_a_message_as_the_catalog_describes_it_passes() -> None:
    for key in ("entry.submitted", "winner.announced"):
        assert outsider().problems_with(as_published(key)) == []


def test_a_body_or_property_the_catalog_does_not_describe_is_caught() -> None:
    wrong_id = as_published("entry.submitted")
    wrong_id.properties["message_id"] = "something-else"
    assert any("message_id" in p for p in outsider().problems_with(wrong_id))

    missing = as_published("entry.submitted")
    del missing.body["data"]["title"]
    assert any("'title' is a required property" in p for p in outsider().problems_with(missing))

    wrong_type = as_published("winner.announced")
    wrong_type.body["type"] = "entry.submitted"
    assert outsider().problems_with(wrong_type) != []

    no_header = as_published("winner.announced")
    no_header.properties["headers"] = {}
    assert any("version" in p for p in outsider().problems_with(no_header))
