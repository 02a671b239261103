"""/metrics against the real broker and MongoDB wire server: requests and events
move the counters, with route templates and event types as labels; the outbox,
dead-letter and delivery gauges follow what is stored."""

from __future__ import annotations

import importlib
import json
import logging
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
from notifications.main import create_app
from prometheus_client.parser import text_string_to_metric_families
from registry.main import create_app as create_registry
from submissions.main import create_app as create_submissions

from devstack.mail_sink import MailSink
from shared.platform.logs import correlation_id
from shared.platform.messaging import NOTIFICATIONS
from shared.platform.messaging.outbox import OUTBOX, PUBLISHED, outbox_document
from shared.platform.metrics import Metrics, watch_outbox
from shared.platform.persistence.mongo import connect

from ..support import OwnerPublisher, eventually, serving
from ..unit.notifications.samples import samples
from .flows import enrolled_kim, entry_body, ok, published_edition

LabelSet = tuple[tuple[str, str], ...]


async def scrape(api: httpx.AsyncClient) -> dict[str, dict[LabelSet, float]]:
    """Every sample of /metrics, by sample name then sorted labels (app_name and broker left out)."""
    answer = await api.get("/metrics")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain; version=")
    found: dict[str, dict[LabelSet, float]] = {}
    for family in text_string_to_metric_families(answer.text):
        for sample in family.samples:
            kept = ((k, v) for k, v in sample.labels.items() if k not in {"app_name", "broker"})
            labels = tuple(sorted(kept))
            found.setdefault(sample.name, {})[labels] = sample.value
    return found


class CorrelationIds(logging.Handler):
    """What the log's correlation id was when each line was written."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, str | None]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append((record.getMessage(), correlation_id.get()))


def value(found: dict[str, dict[LabelSet, float]], name: str, **labels: str) -> float:
    return found.get(name, {}).get(tuple(sorted(labels.items())), 0.0)


async def test_requests_and_events_move_the_notifications_counters_with_their_labels(
    settings_for: Any,
    amqp_url_for: Callable[[str], str],
    mail_sink: MailSink,  # noqa: F811
) -> None:
    settings = settings_for(
        "notifications", smtp_port=mail_sink.port, delivery_poll_seconds=0.2, metrics_refresh_seconds=0
    )
    lines = CorrelationIds()
    logging.getLogger("kim.messaging").addHandler(lines)
    async with serving(create_app(settings), "notifications") as api, OwnerPublisher(amqp_url_for) as bus:
        before = await scrape(api)
        assert value(before, "kim_outbox_pending") == 0
        assert value(before, "kim_notification_deliveries", channel="inbox", state="delivered") == 0

        staff = await ok(await api.post("/recipients", json=_staff()), 201)
        await ok(await api.get(f"/recipients/{staff['recipient_id']}/inbox"))
        assert (await api.get(f"/recipients/{uuid.uuid4()}")).status_code == 404

        entry = samples()["entry.submitted"]
        poison = entry.model_dump(mode="json")
        del poison["data"]["title"]
        await bus.publish(entry, json.dumps(poison).encode())  # dead-lettered
        fresh = samples()["entry.submitted"]
        await bus.publish(fresh)

        published = "kim.events.notification.delivered"

        async def settled() -> dict[str, dict[LabelSet, float]] | None:
            found = await scrape(api)
            ready = (
                value(found, "kim_dead_letters", state="waiting") == 1
                and value(found, "kim_notification_deliveries", channel="inbox", state="delivered") == 1
                and value(
                    found, "faststream_published_messages_total", destination=published, status="success"
                )
                >= 1
                and value(found, "kim_outbox_pending") == 0
            )
            return found if ready else None

        found = await eventually(settled)
    logging.getLogger("kim.messaging").removeHandler(lines)
    rejected = [seen for message, seen in lines.seen if message.startswith("dead-lettering a malformed")]
    assert rejected == [entry.correlation_id], "the log line names the message's correlation id"

    http = found["kim_http_requests_total"]
    assert http[(("method", "POST"), ("route", "/recipients"), ("status", "201"))] == 1
    assert http[(("method", "GET"), ("route", "/recipients/{recipient_id}/inbox"), ("status", "200"))] == 1
    assert http[(("method", "GET"), ("route", "/recipients/{recipient_id}"), ("status", "404"))] == 1
    assert not [labels for labels in http if staff["recipient_id"] in str(labels)], "no raw paths as labels"
    latency = found["kim_http_request_duration_seconds_count"]
    assert latency[(("method", "POST"), ("route", "/recipients"))] == 1

    handler = "kim.events.entry.submitted"
    assert value(found, "faststream_received_messages_total", handler=handler) == 2
    assert value(found, "faststream_received_processed_messages_total", handler=handler, status="acked") == 1
    # The malformed one: its handler failed (faststream counts "error"); `RejectMalformed` then rejects it.
    assert value(found, "faststream_received_processed_messages_total", handler=handler, status="error") == 1
    assert value(found, "faststream_received_processed_messages_duration_seconds_count", handler=handler) == 2
    assert value(found, "kim_outbox_oldest_pending_age_seconds") == 0
    assert value(found, "kim_dead_letters", state="requeued") == 0
    assert value(found, "kim_consumer_redeliveries_total", event_type="entry.submitted") == 0
    # The dead letter was taken from the dead-letter queue (kim.dead-letters) and kept.
    processed = found["faststream_received_processed_messages_total"]
    kept = [dict(k)["handler"] for k in processed if dict(k)["handler"].startswith("kim.dead-letters.")]
    assert kept == [f"kim.dead-letters.{NOTIFICATIONS.name}"]


async def test_every_service_serves_metrics(settings_for: Any) -> None:
    for service in ("registry", "submissions", "judging"):
        app = importlib.import_module(f"{service}.main").create_app(settings_for(service))
        async with serving(app, service, caller=None) as api:
            await ok(await api.get("/health"))
            found = await scrape(api)
            assert value(found, "kim_http_requests_total", method="GET", route="/health", status="200") == 1
            assert "kim_outbox_pending" in found and "kim_outbox_oldest_pending_age_seconds" in found
            assert "kim_dead_letters" in found, service


async def test_the_outbox_gauges_count_pending_records_and_the_oldest_ones_age(
    mongodb_url: str, database_name: str
) -> None:
    client = connect(mongodb_url, "test")
    try:
        db = client[database_name]
        metrics = Metrics("submissions", refresh_seconds=0)
        watch_outbox(metrics, lambda: db)
        events = [samples()["entry.submitted"] for _ in range(3)]
        records = [outbox_document(event) for event in events]
        records[0]["state"] = PUBLISHED  # sent: not counted, however old
        records[0]["created_at"] -= timedelta(hours=1)
        records[1]["created_at"] -= timedelta(seconds=90)
        await db[OUTBOX].insert_many(records)
        text = (await metrics.exposition())[0].decode()
        found = {s.name: s.value for f in text_string_to_metric_families(text) for s in f.samples}
        assert found["kim_outbox_pending"] == 2
        assert 90 <= found["kim_outbox_oldest_pending_age_seconds"] < 150
    finally:
        client.close()


def _staff() -> dict[str, Any]:
    return {"name": "Seksi Informasi Publik Diskominfo", "email": None, "subscriptions": ["entry.submitted"]}


async def test_an_entry_costs_two_database_commands_counted_by_command_and_collection(
    settings_for: Any,
) -> None:
    """`kim_database_commands_total` counts what the app sends MongoDB. A KIM's second
    entry is two: one `bulkWrite` of the entry, its enrolment's count (expecting the
    version the first one wrote, kept in memory since) and the outbox record, then the
    commit. The edition read for the first is kept a second: read again only if the
    second entry comes later than that."""
    async with (
        serving(create_registry(settings_for("registry")), "registry") as registry,
        serving(create_submissions(settings_for("submissions", metrics_refresh_seconds=0)), "x") as api,
    ):
        edition = await published_edition(registry, max_video_seconds=300, entries_per_kim=2)
        edition_id = edition["edition_id"]
        kim = await enrolled_kim(registry, edition_id, "KIM Pasreh Jaya", "bumiayu", 1)

        async def submitted(title: str) -> Any:
            answer = await api.post(
                f"/editions/{edition_id}/entries", json=entry_body(kim["kim_id"], title=title)
            )
            return answer if answer.status_code == 201 else None

        await eventually(lambda: submitted("Pertama"))  # once submissions knows the approval
        before = await scrape(api)
        assert (await submitted("Kedua")) is not None
        after = await scrape(api)

    def entry_commands(found: dict[str, dict[LabelSet, float]]) -> dict[tuple[str, str], float]:
        """The commands on the entry's collections (not the relay's, leases' or tokens')."""
        return {
            (dict(labels)["command"], dict(labels)["collection"]): count
            for labels, count in found.get("kim_database_commands_total", {}).items()
            if dict(labels)["collection"]
            in {"editions", "enrolments", "entries", "entries+enrolments+outbox", ""}
            and dict(labels)["command"] not in {"ping", "endSessions", "serverStatus"}
        }

    spent = {
        key: count - entry_commands(before).get(key, 0.0)
        for key, count in entry_commands(after).items()
        if count != entry_commands(before).get(key, 0.0)
    }
    assert spent.pop(("find", "editions"), 0) <= 1
    assert spent == {("bulkWrite", ""): 1, ("commitTransaction", ""): 1}
