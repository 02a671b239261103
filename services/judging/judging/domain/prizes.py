"""The prizes an edition awards, by rank, as the registry words them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Prize:
    rank: int
    title: str
    #: The prize as the edition words it, e.g. "Trofi dan uang pembinaan".
    reward: str | None = None
    #: Cash in rupiah; None when there is no cash.
    amount: int | None = None
    #: What is given besides cash, e.g. "Trofi dan sertifikat".
    non_cash: str | None = None


def prize_for(prizes: Iterable[Prize], rank: int | None) -> Prize | None:
    """The prize of a place; None for no place, or a place without a prize."""
    if rank is None:
        return None
    return next((prize for prize in prizes if prize.rank == rank), None)
