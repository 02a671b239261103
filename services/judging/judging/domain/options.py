"""How an edition is judged, set by staff before scoring starts: who scores
which entry, whether judges see the KIM, whether scores are normalised per
judge, the declared tie-break chain, and the judging deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from .errors import JudgesPerEntryInvalid, TieBreakRepeated

AssignmentMode = Literal["all", "k_per_entry"]
TieBreakRule = Literal["priority_criterion", "head_to_head", "earlier_submission"]

#: The rules a tie-break chain is declared from, in the words results show.
TIE_BREAK_RULES: dict[TieBreakRule, str] = {
    "priority_criterion": "mean score on the priority criterion, higher first",
    "head_to_head": "head-to-head: more judges who scored both preferred it",
    "earlier_submission": "earlier first submission",
}

#: Today's behaviour before options existed, and what the demo uses.
DEFAULT_TIE_BREAK: tuple[TieBreakRule, ...] = ("priority_criterion", "earlier_submission")


@dataclass(frozen=True, kw_only=True)
class JudgingOptions:
    #: "all": every judge on the panel scores every entry they have no conflict
    #: with; "k_per_entry": staff assign `judges_per_entry` judges to each entry.
    assignment_mode: AssignmentMode = "all"
    judges_per_entry: int | None = None
    #: Judges see entries without the KIM's name or kelurahan.
    blind: bool = False
    #: Rank on per-judge z-scores rescaled to 0–100 (see `normalisation`).
    normalise: bool = False
    #: A judge with fewer sheets than this counts with raw totals when normalising.
    min_sheets_per_judge: int = 5
    tie_break: tuple[TieBreakRule, ...] = DEFAULT_TIE_BREAK
    #: The criterion `priority_criterion` compares; None: the rubric's heaviest.
    priority_criterion: str | None = None
    #: Judges behind on their sheets are reminded as this nears.
    judging_deadline: datetime | None = None

    def __post_init__(self) -> None:
        if (self.assignment_mode == "k_per_entry") != (self.judges_per_entry is not None):
            raise JudgesPerEntryInvalid(mode=self.assignment_mode)
        if len(set(self.tie_break)) != len(self.tie_break):
            raise TieBreakRepeated(tie_break=", ".join(self.tie_break))


DEFAULT_OPTIONS = JudgingOptions()
