"""The notifications' own figure on /metrics: deliveries by channel and state.

Read from the deliveries collection when /metrics is scraped (at most once per
`metrics_refresh_seconds`, see `shared.platform.metrics`), never per event.
"""

from __future__ import annotations

from collections.abc import Callable

from motor.motor_asyncio import AsyncIOMotorCollection

from shared.platform.metrics import Metrics

from ..domain.recipient import CHANNELS

STATES = ("pending", "sent", "delivered", "failed")


def watch_deliveries(metrics: Metrics, deliveries: Callable[[], AsyncIOMotorCollection]) -> None:
    gauge = metrics.gauge(
        "kim_notification_deliveries",
        "Deliveries stored, by channel and state (pending, sent, delivered, failed)",
        ("channel", "state"),
    )
    for channel in CHANNELS:  # every series from the first scrape on, 0 until there is one
        for state in STATES:
            gauge.labels(channel, state).set(0)

    async def notification_deliveries() -> None:
        counted = deliveries().aggregate(
            [{"$group": {"_id": {"channel": "$channel", "state": "$status"}, "count": {"$sum": 1}}}]
        )
        seen = {(group["_id"]["channel"], group["_id"]["state"]): group["count"] async for group in counted}
        for channel in CHANNELS:
            for state in STATES:
                gauge.labels(channel, state).set(seen.get((channel, state), 0))
        for (channel, state), count in seen.items():
            if channel not in CHANNELS or state not in STATES:
                gauge.labels(str(channel), str(state)).set(count)

    metrics.refreshers.append(notification_deliveries)
