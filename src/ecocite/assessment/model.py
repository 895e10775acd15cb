"""The result of an assessment: plain, JSON-serialisable, reproducible.

An assessment records the framework version and a hash of the data it used and nothing that
changes between runs (no clock time), so the same inputs always give the same JSON.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from ecocite.frameworks.schema import DataQuality, IndicatorKind, Stage

IndicatorStatus = Literal[
    "scored", "passed", "failed", "measured", "missing", "insufficient_quality"
]
ReasonCode = Literal[
    "level_reached",
    "no_level",
    "control_failed",
    "control_missing",
    "insufficient_quality",
    "category_below_minimum",
    "points_below_next_level",
    "core_missing",
    "completeness_below_next_level",
]


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class IndicatorResult(_Result):
    """How one indicator was judged: its value, points, status and data quality."""

    indicator: str
    category: str
    kind: IndicatorKind
    unit: str
    value: float | None
    points: float
    max_points: float
    scaled_points: float
    status: IndicatorStatus
    requirement: float | None = None
    source: str | None = None
    quality: DataQuality | None = None
    verified: bool | None = None
    provenance: str | None = None


class CategoryScore(_Result):
    """The points of one category, against its maximum and minimum."""

    category: str
    points: float
    max_points: float
    min_points: float | None
    below_minimum: bool
    reported: int
    indicators: int


class Reason(_Result):
    """Why the level is what it is. Reports render ``code`` with its fields in each language."""

    code: ReasonCode
    indicator: str | None = None
    category: str | None = None
    level: str | None = None
    value: float | None = None
    threshold: float | None = None


GapWhy = Literal["control", "category_minimum", "points", "data"]


class GapAction(_Result):
    """Bring ``indicator`` from ``current_value`` to ``target_value`` to gain ``points_gain``."""

    indicator: str
    category: str
    unit: str
    current_value: float | None
    target_value: float | None  # None: report a value (completeness grading)
    points_gain: float
    relative_change: float | None
    why: GapWhy


class GapAnalysis(_Result):
    """What it takes to reach the next level: points needed and the actions that earn them."""

    target_level: str
    points_needed: float
    reachable: bool
    actions: list[GapAction]


class Assessment(_Result):
    """The frozen result of assessing one city and year against one framework version."""

    city: str
    year: int
    stage: Stage
    framework_id: str
    framework_version: str
    grading: Literal["points", "completeness"]
    data_hash: str
    engine_version: str
    total: float
    bonus: float
    score: float
    scale: float
    level: str | None
    level_rank: int
    all_controls_passed: bool
    completeness: float
    quality_counts: dict[str, int]
    verified_share: float
    reasons: list[Reason]
    categories: list[CategoryScore]
    indicators: list[IndicatorResult]
    gap: GapAnalysis | None

    def category(self, category_id: str) -> CategoryScore:
        """Return the score of one category."""
        return next(c for c in self.categories if c.category == category_id)

    def indicator(self, indicator_id: str) -> IndicatorResult:
        """Return the result of one indicator."""
        return next(i for i in self.indicators if i.indicator == indicator_id)
