"""Prizes, and which results they go with: the edition's main ranking (its
prizes) or one of its categories (each with its own)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

CategoryKind = Literal["ranked", "special", "favourite"]


@dataclass(frozen=True, kw_only=True)
class Prize:
    """What a place wins, as the registry's edition words it."""

    rank: int
    title: str
    reward: str | None = None
    #: Cash in rupiah; None when there is none.
    amount: int | None = None
    non_cash: str | None = None


@dataclass(frozen=True, kw_only=True)
class CategoryRef:
    """Which category results are about (None stands for the main ranking)."""

    code: str
    title: str
    kind: CategoryKind


def prize_for(prizes: Iterable[Prize], rank: int | None) -> Prize | None:
    """The prize of `rank`, if the results award one (none for no place)."""
    if rank is None:
        return None
    return next((prize for prize in prizes if prize.rank == rank), None)
