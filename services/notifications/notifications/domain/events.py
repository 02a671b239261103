"""What happened to a delivery; each names the delivery as it now stands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .delivery import Delivery


@dataclass(frozen=True)
class DeliveryDelivered:
    delivery: Delivery


@dataclass(frozen=True)
class DeliveryFailed:
    delivery: Delivery
