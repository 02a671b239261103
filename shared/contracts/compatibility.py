"""Each contract version's JSON Schema, committed, and the one change a version allows.

`versions/<type>.v<version>.json` holds the JSON Schema of every event contract
version of the catalog. A version may only gain optional fields (a consumer that
has not moved ignores them; one that has moved reads older messages, from a
replay or a dead-letter queue, without them). Anything else — a field removed or
renamed, a type narrowed, widened or changed, a constraint changed, a required
field added, an optional one made required — breaks a consumer on one side or
the other, so it is a new version, published side by side (see `envelope.py`).

`tests/unit/test_contract_compatibility.py` fails on a breaking change to a
committed version, and on a committed schema that is not the contract's.

    python -m shared.contracts.compatibility   # writes new versions' schemas and
                                               # compatible changes; refuses breaking ones
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from . import CATALOG, EventClass

VERSIONS = Path(__file__).resolve().parent / "versions"

#: Keywords that say what a value means, not which values are valid.
DESCRIPTIVE = {"title", "description", "examples", "default"}


def contract_schema(
    event: EventClass, ref_template: str = "#/$defs/{model}"
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The JSON Schema of one contract version, with `type` and `version` as the
    constants they are, and the schemas it refers to."""
    schema = event.model_json_schema(ref_template=ref_template)
    defs = schema.pop("$defs", {})
    schema["title"] = event.__name__
    properties = schema["properties"]
    properties["type"] = {
        "const": event.event_type,
        "type": "string",
        "title": "Type",
        "description": "the routing key",
    }
    properties["version"] = {
        "const": event.event_version,
        "type": "integer",
        "title": "Version",
        "description": "of this contract",
    }
    properties["event_id"]["description"] = "also the AMQP message_id: deduplicate on it"
    properties["correlation_id"]["description"] = "one per user action; also the AMQP correlation_id property"
    return schema, defs


def standalone_schema(event: EventClass) -> dict[str, Any]:
    """One contract version's JSON Schema, in one document (draft 2020-12)."""
    schema, defs = contract_schema(event)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema, "$defs": defs}


def file_of(event: EventClass) -> Path:
    return VERSIONS / f"{event.event_type}.v{event.event_version}.json"


def committed(event: EventClass) -> dict[str, Any] | None:
    path = file_of(event)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def as_text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


# --- what changed -----------------------------------------------------------------------------


def breaking_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What in `new` breaks a consumer of `old`: everything but optional fields added
    and descriptive keywords changed."""
    found: list[str] = []
    _compare(old, new, "", old.get("$defs", {}), new.get("$defs", {}), found, set())
    return found


def _resolve(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = {
            **defs[schema["$ref"].rsplit("/", 1)[-1]],
            **{k: v for k, v in schema.items() if k != "$ref"},
        }
    return schema


def _compare(
    old: Any,
    new: Any,
    at: str,
    old_defs: dict[str, Any],
    new_defs: dict[str, Any],
    found: list[str],
    seen: set[tuple[str, str]],
) -> None:
    if not isinstance(old, dict) or not isinstance(new, dict):
        if old != new:
            found.append(f"{at or 'the message'}: {old!r} became {new!r}")
        return
    key = (json.dumps(old, sort_keys=True), json.dumps(new, sort_keys=True))
    if key in seen:  # a recursive schema
        return
    seen.add(key)
    old, new = _resolve(old, old_defs), _resolve(new, new_defs)
    where = at or "the message"
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    for name in old_props:
        if name not in new_props:
            found.append(f"{where}: field {name!r} removed")
        else:
            _compare(
                old_props[name], new_props[name], f"{at}.{name}".lstrip("."), old_defs, new_defs, found, seen
            )
    old_required, new_required = set(old.get("required", ())), set(new.get("required", ()))
    for name in sorted(new_required - old_required):
        what = "made required" if name in old_props else "added as a required field"
        found.append(f"{where}: {name!r} {what}")
    for name in sorted(old_required - new_required):
        if name in new_props:
            found.append(f"{where}: {name!r} no longer required (older consumers need it)")
    for union in ("anyOf", "oneOf", "allOf"):
        olds, news = old.get(union, []), new.get(union, [])
        unmatched_new = list(news)
        for option in olds:
            match = next((n for n in unmatched_new if not _differences(option, n, old_defs, new_defs)), None)
            if match is None:
                found.append(f"{where}: {_label(option, old_defs)} no longer accepted (type narrowed)")
            else:
                unmatched_new.remove(match)
        for option in unmatched_new:
            found.append(f"{where}: {_label(option, new_defs)} now accepted (type widened)")
    for sub in ("items", "additionalProperties", "prefixItems"):
        if sub in old or sub in new:
            _compare(
                old.get(sub),
                new.get(sub),
                f"{at}[]" if sub == "items" else f"{at}.{sub}",
                old_defs,
                new_defs,
                found,
                seen,
            )
    ignored = DESCRIPTIVE | {
        "properties",
        "required",
        "anyOf",
        "oneOf",
        "allOf",
        "items",
        "additionalProperties",
        "prefixItems",
        "$defs",
        "$schema",
        "$ref",
    }
    for keyword in sorted((old.keys() | new.keys()) - ignored):
        if old.get(keyword) != new.get(keyword):
            found.append(f"{where}: {keyword} {old.get(keyword)!r} became {new.get(keyword)!r}")


def _differences(old: Any, new: Any, old_defs: dict[str, Any], new_defs: dict[str, Any]) -> list[str]:
    found: list[str] = []
    _compare(old, new, "", old_defs, new_defs, found, set())
    return found


def _label(schema: dict[str, Any], defs: dict[str, Any]) -> str:
    schema = _resolve(schema, defs)
    return str(
        schema.get("type") or schema.get("const") or schema.get("enum") or schema.get("title") or schema
    )


# --- writing ----------------------------------------------------------------------------------


def write(events: list[EventClass] | None = None) -> tuple[list[Path], list[str]]:
    """Write the schema of every version that has none and of every compatible
    change; refuse (and report) breaking ones."""
    written: list[Path] = []
    refused: list[str] = []
    VERSIONS.mkdir(exist_ok=True)
    for event in events or list(CATALOG.values()):
        current, before = standalone_schema(event), committed(event)
        if before == current:
            continue
        breaking = breaking_changes(before, current) if before is not None else []
        if breaking:
            refused += [f"{event.event_type} v{event.event_version}: {change}" for change in breaking]
            continue
        file_of(event).write_text(as_text(current), encoding="utf-8")
        written.append(file_of(event))
    return written, refused


if __name__ == "__main__":
    paths, breaking = write()
    for path in paths:
        print("wrote", path)
    for change in breaking:
        print("BREAKING (publish a new version instead):", change, file=sys.stderr)
    sys.exit(1 if breaking else 0)
