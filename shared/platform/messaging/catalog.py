"""The system-wide event catalog: one AsyncAPI 3.0 document for every event on
`kim.events`, generated from `shared.contracts` and the topology.

For each event: who publishes it and which queues consume it, its routing key,
the envelope with `type` and `version` as constants, the AMQP properties a
consumer can rely on, and an example (built from the schema and checked against
the contract). The delivery semantics, dead letters and versioning are in the
document's description. Every service serves it at `/asyncapi.json` (rendered as
plain HTML at `/asyncapi`), and it is written to `docs/asyncapi.json`:

    python -m shared.platform.messaging.catalog   # rewrites docs/asyncapi.json and docs/asyncapi.html

`tests/unit/test_event_catalog.py` fails when the written files are stale.
"""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from shared.contracts import CATALOG, EventClass, compatibility
from shared.contracts.producers import BY_EVERY_CONSUMER, PRODUCED_BY

from .topology import CONSUMER_QUEUES, DEAD_LETTERS, DELIVERY_LIMIT, EVENTS

ASYNCAPI_VERSION = "3.0.0"
AMQP_BINDING = "0.3.0"
REF = "#/components/schemas/{model}"
#: How the outbox relay publishes (`publishing.EventPublisher`): persistent, timestamped.
PUBLISHING = {"deliveryMode": 2, "mandatory": False, "timestamp": True, "ack": False}
DOCS = Path(__file__).resolve().parents[3] / "docs"

DESCRIPTION = f"""\
Every event of the KIM Contest system, on one RabbitMQ topic exchange, `{EVENTS.name}`.

**Consuming.** Declare a durable queue of your own, bind it to `{EVENTS.name}` with the
routing keys (each event's `type`, e.g. `entry.submitted`) you want, and read JSON. Do
not consume the services' own queues.

**The envelope.** Every message body is one JSON object: `event_id` (UUID), `type` (the
routing key), `version` (of the contract), `occurred_at`, `producer` (the service),
`correlation_id` (one per user action, shared by every event it caused), `causation_id`
(the event that caused this one, if any) and `data` (the payload). Unknown fields may
appear in a later release of the same version: ignore them.

**AMQP properties** on every message: `message_id` = the body's `event_id` (deduplicate
on it); `correlation_id` = the body's `correlation_id`; `content_type` =
`application/json`; `type` = the body's `type`; header `version` = the body's
`version`; `timestamp` = `occurred_at`, to the second; delivery mode 2 (persistent).

**Delivery.** At least once: an event may arrive more than once (after a broker or
network failure, or when an operator requeues it), so a consumer deduplicates on
`event_id`. A producer stores an event in the same transaction as the change that
caused it and publishes it afterwards, broker-confirmed, in the order stored: the
events of one producer arrive in order unless a redelivery interleaves. Events of
different producers have no order between them; `data.revision`, where present, tells
which state is newer.

**Dead letters.** The services' queues are quorum queues with a delivery limit of
{DELIVERY_LIMIT}; a message a consumer rejects (it does not match its contract) or that
keeps failing goes to the direct exchange `{DEAD_LETTERS.name}`, routed by the queue's
name, into `<queue>.dead-letters`. The consuming service keeps it, publishes
`message.dead_lettered` and lets staff requeue it once the cause is fixed.

**Versions.** Adding an optional field keeps the version. Any other change (a field
removed or renamed, a type narrowed or changed, a required field added) is a new
version, published side by side with the old one, on the same routing key, until every
consumer has moved; tell them apart by `type` and `version`, and acknowledge and ignore
a version you do not read. The JSON Schema of every version is kept in
`shared/contracts/schemas/`.
"""


def message_key(event: EventClass) -> str:
    return f"{event.event_type}.v{event.event_version}"


def producers_of(event: EventClass) -> list[str]:
    found = [service for service, events in PRODUCED_BY.items() if event in events]
    if event in BY_EVERY_CONSUMER:
        found += [queue.service for queue in CONSUMER_QUEUES if queue.name.endswith(".events")]
    return sorted(set(found))


def consumers_of(event: EventClass) -> list[str]:
    return sorted(queue.name for queue in CONSUMER_QUEUES if event in queue.handles)


def contract_schema(event: EventClass) -> tuple[dict[str, Any], dict[str, Any]]:
    """One contract version's JSON Schema (the one committed, see `compatibility`),
    referring to the document's components."""
    return compatibility.contract_schema(event, ref_template=REF)


# --- examples ---------------------------------------------------------------------------------


def _example_value(schema: dict[str, Any], defs: dict[str, Any], name: str, seed: str) -> Any:
    if "$ref" in schema:
        return _example_value(defs[schema["$ref"].rsplit("/", 1)[-1]], defs, name, seed)
    if "const" in schema:
        return schema["const"]
    if schema.get("examples"):
        return schema["examples"][0]
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    for union in ("anyOf", "oneOf"):
        if union in schema:
            options = [option for option in schema[union] if option.get("type") != "null"]
            return _example_value(options[0], defs, name, seed) if options else None
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {
            key: _example_value(value, defs, key, seed)
            for key, value in schema.get("properties", {}).items()
            if key in schema.get("required", ()) or "default" not in value
        }
    if kind == "array":
        return [_example_value(schema.get("items", {}), defs, name, seed)]
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return float(max(80, schema.get("minimum", 0)))
    if kind == "boolean":
        return True
    if kind == "string":
        form = schema.get("format")
        if form == "uuid":
            return str(uuid5(NAMESPACE_URL, f"kim-contest:{seed}:{name}"))
        if form == "date-time":
            return "2024-08-01T09:00:00+07:00"
        if form == "date":
            return "2024-08-01"
        if form == "email":
            return "staf@diskominfo.malangkota.example"
        if form == "uri":
            return "https://www.youtube.com/watch?v=contoh"
        return f"contoh {name}"
    return None


def example_of(event: EventClass, producer: str) -> dict[str, Any]:
    """A message of `event` as it travels, checked against its contract."""
    schema, defs = contract_schema(event)
    body = _example_value(schema, defs, "", message_key(event))
    body.update(
        event_id=str(uuid5(NAMESPACE_URL, f"kim-contest:{message_key(event)}:event")),
        occurred_at="2024-08-01T09:00:00+07:00",
        producer=producer,
        correlation_id="3f1c2a9e-5b7d-4e8a-9c01-2d3e4f5a6b7c",
        causation_id=None,
    )
    return event.model_validate(body).model_dump(mode="json")


# --- the document -----------------------------------------------------------------------------


def _exchange_binding() -> dict[str, Any]:
    return {
        "amqp": {
            "is": "routingKey",
            "exchange": {
                "name": EVENTS.name,
                "type": "topic",
                "durable": True,
                "autoDelete": False,
                "vhost": "/",
            },
            "bindingVersion": AMQP_BINDING,
        }
    }


def _queue_binding(name: str) -> dict[str, Any]:
    return {
        "amqp": {
            "is": "queue",
            "queue": {"name": name, "durable": True, "exclusive": False, "autoDelete": False, "vhost": "/"},
            "bindingVersion": AMQP_BINDING,
        }
    }


def _message(event: EventClass) -> dict[str, Any]:
    key = message_key(event)
    producers = producers_of(event)
    example = example_of(event, producers[0])
    return {
        "name": key,
        "title": f"{event.event_type} v{event.event_version}",
        "summary": " ".join((event.__doc__ or "").split()),
        "contentType": "application/json",
        "headers": {
            "type": "object",
            "properties": {"version": {"type": "integer", "const": event.event_version}},
            "required": ["version"],
        },
        "payload": {"$ref": REF.format(model=event.__name__)},
        "correlationId": {
            "description": "One per user action: the AMQP correlation_id property, and the body's "
            "correlation_id.",
            "location": "$message.payload#/correlation_id",
        },
        "bindings": {"amqp": {"messageType": event.event_type, "bindingVersion": AMQP_BINDING}},
        "examples": [
            {
                "name": f"{event.event_type.replace('.', '_')}_v{event.event_version}",
                "summary": f"A {event.event_type} event as {producers[0]} publishes it",
                "headers": {"version": event.event_version},
                "payload": example,
            }
        ],
        "x-amqp-properties": {
            "message_id": "the body's event_id",
            "correlation_id": "the body's correlation_id",
            "content_type": "application/json",
            "type": event.event_type,
            "headers.version": event.event_version,
            "timestamp": "the body's occurred_at, to the second",
            "delivery_mode": 2,
        },
        "x-produced-by": producers,
        "x-consumed-by": consumers_of(event),
    }


def _refs_to(events: list[EventClass]) -> dict[str, Any]:
    return {message_key(e): {"$ref": f"#/components/messages/{message_key(e)}"} for e in events}


def _add_schemas(into: dict[str, Any], found: dict[str, Any]) -> None:
    for name, schema in found.items():
        if name in into and into[name] != schema:
            raise ValueError(f"two different schemas are both called {name}")
        into[name] = schema


def asyncapi_catalog() -> dict[str, Any]:
    events = sorted(CATALOG.values(), key=lambda e: (e.event_type, e.event_version))
    schemas: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for event in events:
        schema, defs = contract_schema(event)
        _add_schemas(schemas, {**defs, event.__name__: schema})
        key = message_key(event)
        messages[key] = _message(event)
        channel = channels.setdefault(
            event.event_type,
            {
                "address": event.event_type,
                "title": f"{EVENTS.name}, routing key {event.event_type}",
                "description": f"Messages published to `{EVENTS.name}` with routing key "
                f"`{event.event_type}`.",
                "messages": {},
                "bindings": _exchange_binding(),
            },
        )
        channel["messages"][key] = {"$ref": f"#/components/messages/{key}"}
        for producer in producers_of(event):
            operations[f"{producer}.publishes.{key}"] = {
                "action": "send",
                "title": f"{producer} publishes {event.event_type} v{event.event_version}",
                "channel": {"$ref": f"#/channels/{event.event_type}"},
                "messages": [{"$ref": f"#/channels/{event.event_type}/messages/{key}"}],
                "bindings": {"amqp": {**PUBLISHING, "bindingVersion": AMQP_BINDING}},
            }
    for queue in CONSUMER_QUEUES:
        handled = sorted(queue.handles, key=lambda e: (e.event_type, e.event_version))
        channels[queue.name] = {
            "address": queue.name,
            "title": f"queue {queue.name}",
            "description": f"{queue.service}'s quorum queue, bound to `{EVENTS.name}` "
            f"with: {', '.join(queue.routing_keys)}. Delivery limit {DELIVERY_LIMIT}; its dead "
            f"letters go to `{queue.dead_letter_name}`.",
            "messages": _refs_to(handled),
            "bindings": _queue_binding(queue.name),
        }
        channels[queue.dead_letter_name] = {
            "address": queue.dead_letter_name,
            "title": f"dead letters of {queue.name}",
            "description": f"What `{queue.name}` set aside: bound to `{DEAD_LETTERS.name}` (direct) with "
            f"routing key `{queue.name}`; each message unchanged, with RabbitMQ's `x-death` header.",
            "messages": _refs_to(handled),
            "bindings": _queue_binding(queue.dead_letter_name),
        }
        operations[f"{queue.name.removesuffix('.events')}.consumes"] = {
            "action": "receive",
            "title": f"{queue.name.removesuffix('.events')} consumes {queue.name}",
            "channel": {"$ref": f"#/channels/{queue.name}"},
            "messages": [{"$ref": f"#/channels/{queue.name}/messages/{message_key(e)}"} for e in handled],
            "bindings": {"amqp": {"ack": True, "bindingVersion": AMQP_BINDING}},
        }
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {"title": "KIM Contest: event catalog", "version": "1.0.0", "description": DESCRIPTION},
        "defaultContentType": "application/json",
        "servers": {
            "rabbitmq": {
                "host": "localhost:5672",
                "protocol": "amqp",
                "protocolVersion": "0.9.1",
                "pathname": "/",
                "description": "The deployment's RabbitMQ; ask its operators for the address and an account.",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": dict(sorted(schemas.items()))},
    }


def catalog_json(document: dict[str, Any] | None = None) -> str:
    return json.dumps(document or asyncapi_catalog(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


# --- the page ---------------------------------------------------------------------------------


def catalog_html(document: dict[str, Any] | None = None) -> str:
    """The catalog as one plain HTML page: no script, nothing from another host."""
    document = document or asyncapi_catalog()
    e = html.escape
    rows = []
    sections = []
    for key, message in document["components"]["messages"].items():
        schema_name = message["payload"]["$ref"].rsplit("/", 1)[-1]
        routing_key = message["bindings"]["amqp"]["messageType"]
        rows.append(
            f'<tr><td><a href="#{e(key)}"><code>{e(routing_key)}</code></a></td>'
            f"<td>{e(str(message['headers']['properties']['version']['const']))}</td>"
            f"<td>{e(', '.join(message['x-produced-by']))}</td>"
            f"<td>{e(', '.join(message['x-consumed-by']) or '—')}</td><td>{e(message['summary'])}</td></tr>"
        )
        used = {schema_name} | _refs(document["components"]["schemas"], schema_name)
        schemas = {name: document["components"]["schemas"][name] for name in sorted(used)}
        sections.append(
            f'<section id="{e(key)}"><h2>{e(message["title"])}</h2><p>{e(message["summary"])}</p>'
            f"<p>Published by {e(', '.join(message['x-produced-by']))} to <code>{e(EVENTS.name)}</code>, "
            f"routing key <code>{e(message['bindings']['amqp']['messageType'])}</code>; consumed by "
            f"{e(', '.join(message['x-consumed-by']) or 'no service queue')}.</p>"
            f"<h3>AMQP properties</h3><pre>{e(json.dumps(message['x-amqp-properties'], indent=2))}</pre>"
            f"<h3>Example</h3><pre>{e(json.dumps(message['examples'][0]['payload'], indent=2))}</pre>"
            f"<details><summary>JSON Schema</summary><pre>{e(json.dumps(schemas, indent=2))}</pre></details>"
            "</section>"
        )
    description = "".join(
        f"<p>{_inline(paragraph)}</p>" for paragraph in document["info"]["description"].split("\n\n")
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(document['info']['title'])}</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:72rem;margin:1rem auto;padding:0 1rem;"
        "line-height:1.5}table{border-collapse:collapse;width:100%}td,th{border:1px solid #b1b4b6;"
        "padding:.3rem .5rem;text-align:left;vertical-align:top}pre{background:#f3f2f1;padding:.5rem;"
        "overflow-x:auto}code{background:#f3f2f1}</style></head><body><main>"
        f"<h1>{e(document['info']['title'])}</h1>{description}"
        '<p>The machine-readable document: <a href="asyncapi.json">asyncapi.json</a> (AsyncAPI '
        f"{e(document['asyncapi'])}).</p>"
        '<table id="events"><caption>Events</caption><thead><tr><th>type</th><th>version</th>'
        "<th>published by</th><th>consumed by (queues)</th><th>what</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
        + "".join(sections)
        + "</main></body></html>\n"
    )


def _refs(schemas: dict[str, Any], name: str, seen: set[str] | None = None) -> set[str]:
    seen = seen if seen is not None else set()
    for found in json.dumps(schemas[name]).split('"$ref": "')[1:]:
        ref = found.split('"', 1)[0].rsplit("/", 1)[-1]
        if ref not in seen:
            seen.add(ref)
            _refs(schemas, ref, seen)
    return seen


def _inline(text: str) -> str:
    """Markdown's `code` and **bold**, escaped."""
    parts = html.escape(text).split("`")
    out = "".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts))
    bold = out.split("**")
    return "".join(f"<strong>{part}</strong>" if i % 2 else part for i, part in enumerate(bold))


def write(directory: Path = DOCS) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    document = asyncapi_catalog()
    written = [directory / "asyncapi.json", directory / "asyncapi.html"]
    written[0].write_text(catalog_json(document), encoding="utf-8")
    written[1].write_text(catalog_html(document), encoding="utf-8")
    return written


if __name__ == "__main__":
    for path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else DOCS):
        print(path)
