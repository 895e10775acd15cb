"""Which assessment a city's shown level comes from: its latest *complete* one.

A partial year (a few values uploaded for a new year) is assessed and its result kept, but it does
not demote the city: the level shown for the city comes from its latest assessment that reports
at least the share of indicators the framework asks for (``grading.shown_level_completeness``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from ecocite.assessment.model import Assessment
from ecocite.frameworks.schema import Framework, Stage


def counts_for_standing(completeness: float, framework: Framework) -> bool:
    """Whether an assessment this complete (share of indicators reported, 0–1) may set the city's shown level under ``framework``."""
    return completeness >= framework.grading.shown_level_completeness - 1e-9


def latest_standing(assessments: Iterable[Assessment], framework: Framework) -> Assessment | None:
    """Return the latest (by year, the last given winning a tie) assessment complete enough to set the city's shown level, or None when none is."""
    best: Assessment | None = None
    for a in assessments:
        if counts_for_standing(a.completeness, framework) and (best is None or a.year >= best.year):
            best = a
    return best


@dataclass(frozen=True)
class Coverage:
    """How many of a stage's indicators have a value in one year, against the requirement."""

    year: int
    reported: int
    total: int
    required: int

    @property
    def share(self) -> float:
        """Return the share of the stage's indicators that have a value (0 to 1)."""
        return self.reported / self.total if self.total else 0.0

    @property
    def complete(self) -> bool:
        """Tell whether enough indicators have a value for the level to stand."""
        return self.reported >= self.required


def coverage(values: pd.DataFrame, framework: Framework, *, stage: Stage | str) -> list[Coverage]:
    """For each year of a tidy value table (one city), how many of the stage's indicators have a value, and how many the framework asks for before a year sets the city's shown level.

    The count is of values present, before quality checks: the assessment itself may count fewer
    (a value below an indicator's ``data_quality_min`` counts as missing).
    """
    stage = Stage(stage)
    ids = {ind.id for _, ind in framework.indicators() if stage in ind.stages}
    total = len(ids)
    required = _ceil(framework.grading.shown_level_completeness * total)
    mine = values[values["indicator"].isin(ids) & values["value"].notna()]
    counts = mine.groupby("year")["indicator"].nunique()
    years = sorted({int(y) for y in values["year"]}, reverse=True)
    return [Coverage(y, int(counts.get(y, 0)), total, required) for y in years]


def _ceil(x: float) -> int:
    whole = int(x)
    return whole if x - whole < 1e-9 else whole + 1
