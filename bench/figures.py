"""Percentiles and rates, the way every measurement here reports them."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The nearest-rank percentile (0 < fraction <= 1); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def latency_ms(seconds: Sequence[float]) -> dict[str, float | None]:
    """p50, p95, p99 and max of `seconds`, in milliseconds."""
    found = {f"p{int(q * 100)}": percentile(seconds, q) for q in (0.5, 0.95, 0.99)}
    found["max"] = max(seconds) if seconds else None
    return {name: None if value is None else round(value * 1000, 1) for name, value in found.items()}


def rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else 0.0
