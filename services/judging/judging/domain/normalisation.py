"""Normalising each judge's totals, so a harsh and a lenient judge weigh alike.

For a judge j with weighted totals t (one per sheet they filled), mean μⱼ and
population standard deviation σⱼ, and over every counted sheet of the edition
the mean M and population standard deviation S of the weighted totals:

    zⱼ(t) = (t − μⱼ) / σⱼ          (0 when σⱼ = 0: the judge did not tell entries apart)
    n(t)  = min(100, max(0, M + S · zⱼ(t)))

so a normalised total lives on the rubric's 0–100 scale, where the edition's
totals as a whole live. A judge with fewer than `min_sheets` sheets has too
few for a meaningful spread: their sheets count with their raw totals
(n(t) = t), which are on the same scale.

Square roots are not rational, so this is computed with 50 significant
digits and compared at 12 decimal places, where equal values agree.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Context, Decimal
from fractions import Fraction
from uuid import UUID

PRECISION = Context(prec=50)
COMPARED_AT = Decimal("1e-12")
ZERO, HUNDRED = Decimal(0), Decimal(100)


@dataclass(frozen=True, kw_only=True)
class Total:
    sheet_id: UUID
    judge_id: UUID
    value: Fraction


@dataclass(frozen=True, kw_only=True)
class Normalised:
    value: Decimal
    #: The judge had too few sheets: this is the raw total.
    raw: bool


def decimal(value: Fraction) -> Decimal:
    return PRECISION.divide(Decimal(value.numerator), Decimal(value.denominator))


def exact_mean(values: Sequence[Fraction]) -> Fraction:
    """The exact mean, summed as integers over a common denominator: the same
    value as adding the fractions one by one, without reducing at every step."""
    mean, _ = _integer_sums(values)
    return mean


def _integer_sums(values: Sequence[Fraction]) -> tuple[Fraction, Fraction]:
    """The exact mean and population variance of `values`."""
    common = math.lcm(*(v.denominator for v in values))
    scaled = [v.numerator * (common // v.denominator) for v in values]
    count, total = len(scaled), sum(scaled)
    # Σ(v − μ)² / n = (n·Σa² − (Σa)²) / (n²·d²) for v = a / d.
    squares = sum(a * a for a in scaled)
    mean = Fraction(total, count * common)
    variance = Fraction(count * squares - total * total, (count * common) ** 2)
    return mean, variance


def _mean_and_spread(values: list[Fraction]) -> tuple[Fraction, Decimal]:
    mean, variance = _integer_sums(values)
    return mean, PRECISION.sqrt(decimal(variance))


def normalise(totals: Iterable[Total], min_sheets: int) -> dict[UUID, Normalised]:
    """Each sheet's normalised total, by sheet id, as the module says."""
    totals = list(totals)
    if not totals:
        return {}
    by_judge: dict[UUID, list[Fraction]] = defaultdict(list)
    for total in totals:
        by_judge[total.judge_id].append(total.value)
    pooled_mean, pooled_spread = _mean_and_spread([t.value for t in totals])
    spreads = {judge: _mean_and_spread(values) for judge, values in by_judge.items()}

    pooled = decimal(pooled_mean)
    # A judge gives the same total many times: each (judge, total) is computed once.
    computed: dict[tuple[UUID, int, int], Normalised] = {}
    found = {}
    for total in totals:
        key = (total.judge_id, total.value.numerator, total.value.denominator)  # cheaper to hash
        if key not in computed:
            if len(by_judge[total.judge_id]) < min_sheets:
                computed[key] = Normalised(value=decimal(total.value), raw=True)
            else:
                mean, spread = spreads[total.judge_id]
                z = ZERO if spread == 0 else PRECISION.divide(decimal(total.value - mean), spread)
                scaled = PRECISION.add(pooled, PRECISION.multiply(pooled_spread, z))
                computed[key] = Normalised(value=min(HUNDRED, max(ZERO, scaled)), raw=False)
        found[total.sheet_id] = computed[key]
    return found


def mean(values: list[Decimal]) -> Decimal:
    """The mean, at the precision ranking compares."""
    total = sum(values, ZERO)
    return PRECISION.divide(total, Decimal(len(values))).quantize(COMPARED_AT)
