"""A framework compiled to arrays for one stage, and the vectorised scoring rules.

Scoring many cities and years is a handful of numpy operations over a (cases × indicators) matrix,
so the rules live here once and serve both a single assessment and a batch of thousands.

Rules
-----
- Band scoring: an indicator earns the points of the best band whose threshold it reaches (at least
  the threshold when higher is better, at most when lower is better).
- Linear scoring: 0 points at ``worst``, the indicator's maximum at ``best``, linear between, clipped.
- Scored points are rescaled so that every stage totals the framework's ``scale`` (100): a stage
  with fewer applicable indicators is not penalised for the ones it does not assess.
- Bonus points are added on top of the scaled total, up to ``bonus_cap``.
- Control items pass when their value reaches ``requirement``; a missing value fails.
- A value whose data quality is below the indicator's ``data_quality_min`` counts as missing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ecocite.frameworks.schema import (
    BandScoring,
    DataQuality,
    Direction,
    Framework,
    IndicatorKind,
    LinearScoring,
    Stage,
)

KIND_CODES = {
    IndicatorKind.CONTROL: 0,
    IndicatorKind.SCORED: 1,
    IndicatorKind.BONUS: 2,
    IndicatorKind.MEASURE: 3,
}


@dataclass(frozen=True)
class CompiledStage:
    """The indicators of one framework stage as parallel arrays (k = number of indicators)."""

    framework: Framework
    stage: Stage
    ids: tuple[str, ...]
    category_of: np.ndarray  # (k,) index into categories
    categories: tuple[str, ...]
    kind: np.ndarray  # (k,) KIND_CODES
    sign: np.ndarray  # (k,) +1 higher is better, -1 lower is better
    max_points: np.ndarray  # (k,)
    band_thresholds: np.ndarray  # (k, B) signed thresholds (+inf where no band)
    band_points: np.ndarray  # (k, B)
    is_linear: np.ndarray  # (k,) bool
    linear_worst: np.ndarray  # (k,)
    linear_best: np.ndarray  # (k,)
    requirement: np.ndarray  # (k,) control threshold (nan elsewhere)
    quality_min: np.ndarray  # (k,) rank of the minimum data quality
    category_min: np.ndarray  # (c,) minimum scaled points per category (nan = none)
    scale_factor: float  # scaled points per raw scored point

    @property
    def scored(self) -> np.ndarray:
        """Return the mask of scored items."""
        return self.kind == KIND_CODES[IndicatorKind.SCORED]

    @property
    def bonus(self) -> np.ndarray:
        """Return the mask of bonus items."""
        return self.kind == KIND_CODES[IndicatorKind.BONUS]

    @property
    def control(self) -> np.ndarray:
        """Return the mask of control items."""
        return self.kind == KIND_CODES[IndicatorKind.CONTROL]

    def index(self, indicator_id: str) -> int:
        """Return the position of an indicator in the compiled arrays."""
        return self.ids.index(indicator_id)


def compile_stage(framework: Framework, stage: Stage | str) -> CompiledStage:
    """Compile the indicators of ``framework`` that apply at ``stage``."""
    stage = Stage(stage)
    if stage not in framework.stages:
        raise ValueError(f"{framework.key} has no stage {stage.value!r}")
    pairs = [(c, i) for c, i in framework.indicators() if stage in i.stages]
    cats = tuple(c.id for c in framework.categories)
    k = len(pairs)
    n_bands = max(
        [len(i.scoring.bands) for _, i in pairs if isinstance(i.scoring, BandScoring)] or [1]
    )
    thresholds = np.full((k, n_bands), np.inf)
    band_points = np.zeros((k, n_bands))
    is_linear = np.zeros(k, bool)
    worst = np.zeros(k)
    best = np.ones(k)
    requirement = np.full(k, np.nan)
    sign = np.ones(k)
    for j, (_, ind) in enumerate(pairs):
        sign[j] = 1.0 if ind.direction == Direction.HIGHER else -1.0
        if isinstance(ind.scoring, BandScoring):
            for b, band in enumerate(ind.scoring.bands):
                thresholds[j, b] = sign[j] * band.threshold
                band_points[j, b] = band.points
        elif isinstance(ind.scoring, LinearScoring):
            is_linear[j] = True
            worst[j], best[j] = ind.scoring.worst, ind.scoring.best
        if ind.requirement is not None:
            requirement[j] = ind.requirement
    kind = np.array([KIND_CODES[i.kind] for _, i in pairs], dtype=np.int8)
    max_points = np.array([i.points for _, i in pairs], dtype=float)
    raw_scored_max = float(max_points[kind == KIND_CODES[IndicatorKind.SCORED]].sum())
    scale_factor = framework.grading.scale / raw_scored_max if raw_scored_max > 0 else 0.0
    return CompiledStage(
        framework=framework,
        stage=stage,
        ids=tuple(i.id for _, i in pairs),
        category_of=np.array([cats.index(c.id) for c, _ in pairs], dtype=np.int32),
        categories=cats,
        kind=kind,
        sign=sign,
        max_points=max_points,
        band_thresholds=thresholds,
        band_points=band_points,
        is_linear=is_linear,
        linear_worst=worst,
        linear_best=best,
        requirement=requirement,
        quality_min=np.array(
            [DataQuality(i.data_quality_min).rank for _, i in pairs], dtype=np.int8
        ),
        category_min=np.array(
            [np.nan if c.min_points is None else c.min_points for c in framework.categories]
        ),
        scale_factor=scale_factor,
    )


def indicator_points(cs: CompiledStage, values: np.ndarray) -> np.ndarray:
    """Raw points per case and indicator; ``values`` is (n, k) with NaN for missing/unusable."""
    signed = values * cs.sign  # NaN stays NaN and compares False
    reached = signed[:, :, None] >= cs.band_thresholds[None, :, :]
    band = np.where(reached, cs.band_points[None, :, :], 0.0).max(axis=2)
    span = cs.linear_best - cs.linear_worst
    with np.errstate(invalid="ignore"):
        frac = np.clip((values - cs.linear_worst) / span, 0.0, 1.0)
    linear = np.nan_to_num(frac, nan=0.0) * cs.max_points
    points = np.where(cs.is_linear, linear, band)
    scoring = cs.scored | cs.bonus
    return np.where(scoring, points, 0.0)


def controls_passed(cs: CompiledStage, values: np.ndarray) -> np.ndarray:
    """(n, k) bool: control items reaching their requirement (False where missing)."""
    with np.errstate(invalid="ignore"):
        ok = values * cs.sign >= cs.requirement * cs.sign
    return ok & cs.control


@dataclass(frozen=True)
class StageScores:
    """Scores of n cases: everything the label decision needs, as arrays."""

    points: np.ndarray  # (n, k) raw points
    category_points: np.ndarray  # (n, c) scaled
    total: np.ndarray  # (n,) scaled scored total
    bonus: np.ndarray  # (n,)
    score: np.ndarray  # (n,) total + bonus
    control_ok: np.ndarray  # (n, k) bool (True for non-controls)
    all_controls: np.ndarray  # (n,) bool
    categories_ok: np.ndarray  # (n,) bool
    reported: np.ndarray  # (n, k) bool: a usable value exists
    completeness: np.ndarray  # (n,) share of indicators with a usable value
    core_reported: np.ndarray  # (n,) bool
    level_index: np.ndarray  # (n,) index into grading.levels, -1 = no level


def score_stage(
    cs: CompiledStage, values: np.ndarray, *, core: np.ndarray | None = None
) -> StageScores:
    """Score (n, k) usable values (NaN = missing or below the quality requirement)."""
    grading = cs.framework.grading
    points = indicator_points(cs, values)
    scaled = points * cs.scale_factor
    n, n_cats = values.shape[0], len(cs.categories)
    category_points = np.zeros((n, n_cats))
    scored_scaled = np.where(cs.scored, scaled, 0.0)
    np.add.at(category_points.T, cs.category_of, scored_scaled.T)
    total = scored_scaled.sum(axis=1)
    bonus = np.minimum(np.where(cs.bonus, points, 0.0).sum(axis=1), grading.bonus_cap)
    score = total + bonus
    passed = controls_passed(cs, values)
    control_ok = passed | ~cs.control
    all_controls = control_ok.all(axis=1)
    with np.errstate(invalid="ignore"):
        below = category_points < np.where(np.isnan(cs.category_min), -np.inf, cs.category_min)
    categories_ok = np.asarray(~below.any(axis=1))
    reported = ~np.isnan(values)
    k = values.shape[1]
    completeness = reported.sum(axis=1) / k if k else np.zeros(n)
    core_mask = core if core is not None else np.zeros(k, bool)
    core_reported = (reported | ~core_mask).all(axis=1)

    level_index = np.full(n, -1, dtype=np.int32)
    for li, level in enumerate(grading.levels):
        if grading.method == "points":
            ok = score >= float(level.min_points or 0) - 1e-9
            ok &= categories_ok
        else:
            ok = completeness >= float(level.min_reported or 0) - 1e-9
            if level.all_core_reported:
                ok &= core_reported
        if level.requires_all_controls:
            ok &= all_controls
        level_index = np.where(ok, li, level_index)
    return StageScores(
        points=points,
        category_points=category_points,
        total=total,
        bonus=bonus,
        score=score,
        control_ok=control_ok,
        all_controls=all_controls,
        categories_ok=categories_ok,
        reported=reported,
        completeness=completeness,
        core_reported=core_reported,
        level_index=level_index,
    )
