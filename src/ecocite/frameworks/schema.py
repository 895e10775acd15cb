"""The schema of a reference framework: categories → indicators, scoring rules and label levels.

A framework is data (a versioned YAML file), validated by these pydantic models. Every threshold
carries its source; a figure with no public source says so (``own_choice: true``).
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ecocite.i18n import Text
from ecocite.units import UnitError, parse_unit


class Stage(StrEnum):
    """GB/T 51255-2017 evaluates in two stages."""

    PLANNING_DESIGN = "planning_design"
    IMPLEMENTATION_OPERATION = "implementation_operation"


class Direction(StrEnum):
    """Which way an indicator improves."""

    HIGHER = "higher"  # a higher value is better
    LOWER = "lower"  # a lower value is better
    NEUTRAL = "neutral"  # no better side: measured and reported only


class IndicatorKind(StrEnum):
    """The role of an indicator in the grading (control, scored or bonus item)."""

    CONTROL = "control"  # must pass for any label (控制项)
    SCORED = "scored"  # earns points (评分项)
    BONUS = "bonus"  # innovation points on top (加分项)
    MEASURE = "measure"  # measured and reported, never scored (ISO 37120 style)


class DataQuality(StrEnum):
    """The quality of a value's data source."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """Return the quality as a rank (low 0, medium 1, high 2)."""
        return {"low": 0, "medium": 1, "high": 2}[self.value]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """Where a threshold comes from. ``own_choice`` marks a figure chosen by the framework's authors."""

    text: str
    url: str | None = None
    own_choice: bool = False


class Band(_Strict):
    """Reaching ``threshold`` (at least, or at most for lower-is-better) earns ``points``."""

    threshold: float
    points: float = Field(ge=0)


class BandScoring(_Strict):
    """Points by value bands."""

    method: Literal["bands"]
    bands: list[Band] = Field(min_length=1)


class LinearScoring(_Strict):
    """Points grow linearly from 0 at ``worst`` to the indicator's maximum at ``best``."""

    method: Literal["linear"]
    worst: float
    best: float

    @model_validator(mode="after")
    def _distinct(self) -> LinearScoring:
        if self.worst == self.best:
            raise ValueError("linear scoring needs worst != best")
        return self


Scoring = BandScoring | LinearScoring


class Range(_Strict):
    """The physically possible values, in the indicator's unit (import rejects values outside)."""

    min: float | None = None
    max: float | None = None


class Indicator(_Strict):
    """An indicator: its unit, direction, ranges, scoring or requirement, and source."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Text
    description: Text | None = None
    unit: str
    direction: Direction = Direction.HIGHER
    kind: IndicatorKind
    stages: list[Stage] = Field(default_factory=lambda: list(Stage), min_length=1)
    points: float = Field(default=0, ge=0, description="maximum points (scored and bonus items)")
    scoring: Scoring | None = Field(default=None, discriminator="method")
    requirement: float | None = Field(
        default=None, description="control items: the value to reach (at least, or at most)"
    )
    range: Range = Range()
    plausible: Range | None = Field(
        default=None,
        description="values usual for a city (inside ``range``); the illustrative generator stays"
        " within them",
    )
    whole: bool = Field(default=False, description="values are whole numbers (a year, a count)")
    data_quality_min: DataQuality = DataQuality.LOW
    core: bool = Field(default=False, description="completeness grading: a core indicator")
    crosswalk: dict[str, str] = Field(default_factory=dict)
    source: Source | None = None

    @field_validator("unit")
    @classmethod
    def _unit_known(cls, value: str) -> str:
        try:
            parse_unit(value)
        except UnitError as exc:
            raise ValueError(str(exc)) from exc
        return value

    @model_validator(mode="after")
    def _plausible_inside_range(self) -> Indicator:
        if self.plausible is None:
            return self
        low, high = self.plausible.min, self.plausible.max
        if low is None or high is None or low >= high:
            raise ValueError("'plausible' needs both 'min' and 'max', with min < max")
        if (self.range.min is not None and low < self.range.min) or (
            self.range.max is not None and high > self.range.max
        ):
            raise ValueError("'plausible' must lie inside 'range'")
        return self

    @model_validator(mode="after")
    def _rules_fit_kind(self) -> Indicator:
        if self.direction == Direction.NEUTRAL and self.kind != IndicatorKind.MEASURE:
            raise ValueError("only a measure item can be neutral; say which direction is better")
        if self.kind in (IndicatorKind.SCORED, IndicatorKind.BONUS):
            if self.scoring is None:
                raise ValueError(f"a {self.kind.value} item needs 'scoring'")
            if self.points <= 0:
                raise ValueError(f"a {self.kind.value} item needs 'points' > 0")
            if isinstance(self.scoring, BandScoring):
                top = max(b.points for b in self.scoring.bands)
                if top > self.points:
                    raise ValueError(
                        f"a band gives {top} points, more than 'points' ({self.points})"
                    )
                thresholds = [b.threshold for b in self.scoring.bands]
                points = [b.points for b in self.scoring.bands]
                ordered = sorted(
                    zip(thresholds, points, strict=True), reverse=self.direction == Direction.LOWER
                )
                if [p for _, p in ordered] != sorted(points):
                    raise ValueError(
                        "bands must give more points for better values "
                        f"({self.direction.value} is better)"
                    )
            else:
                better = self.scoring.best > self.scoring.worst
                if better != (self.direction == Direction.HIGHER):
                    raise ValueError(
                        f"linear 'best' must be {'above' if self.direction == Direction.HIGHER else 'below'}"
                        " 'worst' for this direction"
                    )
            if self.source is None:
                raise ValueError("every threshold needs a 'source'")
        if self.kind == IndicatorKind.CONTROL:
            if self.requirement is None:
                raise ValueError("a control item needs 'requirement'")
            if self.source is None:
                raise ValueError("every threshold needs a 'source'")
        return self

    def meets(self, value: float, threshold: float) -> bool:
        """Tell whether ``value`` meets ``threshold`` in the indicator's direction."""
        return value >= threshold if self.direction == Direction.HIGHER else value <= threshold


class Category(_Strict):
    """A category of indicators, with its optional minimum points."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Text
    description: Text | None = None
    min_points: float | None = Field(
        default=None, ge=0, description="minimum score of this category, on the framework's scale"
    )
    min_points_source: Source | None = None
    crosswalk: dict[str, str] = Field(default_factory=dict)
    indicators: list[Indicator] = Field(min_length=1)


class LabelLevel(_Strict):
    """A label level and the bar to reach it.

    A label level: reached with at least ``min_points`` (points grading) or ``min_reported``
    indicators reported (completeness grading), and all control items passed if required.
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_]*$")
    name: Text
    min_points: float | None = None
    min_reported: float | None = Field(
        default=None, description="completeness grading: share of indicators reported, 0–1"
    )
    all_core_reported: bool = False
    requires_all_controls: bool = True
    source: Source | None = None


class Grading(_Strict):
    """How a framework grades: by points or by completeness, and its label levels."""

    method: Literal["points", "completeness"]
    scale: float = Field(
        default=100, gt=0, description="scored items are rescaled to this total for each stage"
    )
    bonus_cap: float = Field(default=10, ge=0)
    levels: list[LabelLevel] = Field(min_length=1)
    source: Source | None = None
    shown_level_completeness: float = Field(
        default=0,
        ge=0,
        le=1,
        description="share of a stage's indicators an assessment must report for its level to"
        " become the city's shown level; a less complete (partial) year is kept and shown, but"
        " the city keeps the level of its latest complete assessment",
    )
    shown_level_source: Source | None = None

    @model_validator(mode="after")
    def _levels_fit_method(self) -> Grading:
        key = "min_points" if self.method == "points" else "min_reported"
        values = [getattr(level, key) for level in self.levels]
        if any(v is None for v in values):
            raise ValueError(f"every level needs '{key}' when grading by {self.method}")
        if values != sorted(values):
            raise ValueError("levels must be listed from lowest to highest")
        if self.shown_level_completeness > 0 and self.shown_level_source is None:
            raise ValueError("'shown_level_completeness' needs a 'shown_level_source'")
        return self


class Framework(_Strict):
    """A versioned reference framework: categories, indicators, grading and label levels."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    version: str = Field(pattern=r"^\d+(\.\d+){0,2}$")
    name: Text
    description: Text | None = None
    publisher: str | None = None
    stages: list[Stage] = Field(default_factory=lambda: list(Stage), min_length=1)
    grading: Grading
    categories: list[Category] = Field(min_length=1)
    licence_note: str | None = None

    @model_validator(mode="after")
    def _unique_ids(self) -> Framework:
        seen: set[str] = set()
        for cat in self.categories:
            for ind in cat.indicators:
                if ind.id in seen:
                    raise ValueError(f"indicator id {ind.id!r} is used twice")
                seen.add(ind.id)
        cats = [c.id for c in self.categories]
        if len(cats) != len(set(cats)):
            raise ValueError("category ids must be unique")
        return self

    @property
    def key(self) -> str:
        """Return the key ``id@version``."""
        return f"{self.id}@{self.version}"

    def indicators(self) -> list[tuple[Category, Indicator]]:
        """Return every (category, indicator) pair in order."""
        return [(cat, ind) for cat in self.categories for ind in cat.indicators]

    @cached_property
    def _by_id(self) -> dict[str, Indicator]:
        return {ind.id: ind for _, ind in self.indicators()}

    def indicator(self, indicator_id: str) -> Indicator:
        """Return the indicator with this id."""
        return self._by_id[indicator_id]

    def indicator_ids(self) -> list[str]:
        """Return every indicator id in order."""
        return [ind.id for _, ind in self.indicators()]
