"""Next year's edition from last year's: judging copies the source edition's
rubric, its judging options (without the deadline, which belonged to that
year), its categories' rubrics (for the categories of the same code) and its
panel, appointing the same judges again (so each is invited anew)."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import TYPE_CHECKING

from .audit import SYSTEM
from .categories import CategoryRubricSet
from .category_errors import CategoryCriterionUnknown
from .panel import Affiliations

if TYPE_CHECKING:
    from .edition import Edition


def copy_setup(edition: Edition, source: Edition, *, now: datetime) -> bool:
    """Copy `source`'s judging setup into `edition`, once; False if it was copied already."""
    if edition.copied_from is not None:
        return False
    edition.copied_from = source.edition_id
    edition.set_rubric(source.rubric, by=SYSTEM, now=now)
    edition.set_options(dataclasses.replace(source.options, judging_deadline=None), by=SYSTEM, now=now)
    weights = {c.code: c.weights for c in source.categories if c.weights is not None}
    for category in edition.categories:
        if category.kind != "ranked" or category.code not in weights:
            continue
        category.weights = dict(weights[category.code] or {})
        try:
            category.rubric_over(edition.rubric)
        except CategoryCriterionUnknown:
            category.weights = None
            continue
        edition.events.append(CategoryRubricSet(edition, category, SYSTEM, now))
    for judge in source.panel:
        edition.appoint(
            name=judge.name,
            email=judge.email,
            affiliations=Affiliations(
                kelurahan_codes=list(judge.affiliations.kelurahan_codes),
                kim_ids=list(judge.affiliations.kim_ids),
            ),
            by=SYSTEM,
            now=now,
        )
    return True
