"""Assess cities against a reference framework: one city-year in full, or thousands in a batch."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ecocite import __version__
from ecocite.assessment.compiled import CompiledStage, StageScores, compile_stage, score_stage
from ecocite.assessment.gap import gap_to_next_level
from ecocite.assessment.model import Assessment, CategoryScore, IndicatorResult, Reason
from ecocite.data.tidy import QUALITY_LEVELS, data_hash
from ecocite.frameworks.schema import Framework, Stage

_QUALITY_RANK = {q: r for r, q in enumerate(QUALITY_LEVELS)}


def _usable_matrix(
    cs: CompiledStage, values: pd.DataFrame, cases: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """(n, k) values usable for scoring, and (n, k) values as reported (before the quality rule)."""
    col = {ind: j for j, ind in enumerate(cs.ids)}
    row = {
        (c, int(y)): i for i, (c, y) in enumerate(cases[["city", "year"]].itertuples(index=False))
    }
    reported = np.full((len(cases), len(cs.ids)), np.nan)
    usable = reported.copy()
    if values.empty:
        return usable, reported
    v = values[values["indicator"].isin(col.keys())]
    keys = list(zip(v["city"], v["year"].astype(int), strict=True))
    r = np.array([row.get(key, -1) for key in keys], dtype=np.int64)
    keep = r >= 0
    c = v["indicator"].map(col).to_numpy()[keep]
    r = r[keep]
    vals = v["value"].to_numpy(dtype=float)[keep]
    ranks = v["quality"].map(_QUALITY_RANK).to_numpy()[keep]
    reported[r, c] = vals
    good = ranks >= cs.quality_min[c]
    usable[r[good], c[good]] = vals[good]
    return usable, reported


def _core_mask(cs: CompiledStage) -> np.ndarray:
    return np.array([cs.framework.indicator(i).core for i in cs.ids], dtype=bool)


def assess_many(
    framework: Framework,
    values: pd.DataFrame,
    *,
    stage: Stage | str = Stage.PLANNING_DESIGN,
    cases: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Score every city and year in ``values`` (the canonical table of ``read_indicator_table``).

    Returns one row per city and year: total, bonus, score, level, all_controls_passed, completeness
    and one ``category:<id>`` column of scaled points per category. Use :func:`assess` for the full
    result of one city-year (indicator detail, reasons and gap analysis).
    """
    cs = compile_stage(framework, stage)
    if cases is None:
        cases = (
            values[["city", "year"]]
            .drop_duplicates()
            .sort_values(["city", "year"])
            .reset_index(drop=True)
        )
    usable, _ = _usable_matrix(cs, values, cases)
    scores = score_stage(cs, usable, core=_core_mask(cs))
    levels = [level.id for level in framework.grading.levels]
    out = cases[["city", "year"]].copy()
    out["total"] = scores.total
    out["bonus"] = scores.bonus
    out["score"] = scores.score
    out["level"] = pd.Series(
        [levels[i] if i >= 0 else None for i in scores.level_index], index=out.index, dtype=object
    )
    out["level_rank"] = scores.level_index + 1
    out["all_controls_passed"] = scores.all_controls
    out["completeness"] = scores.completeness
    for ci, cat in enumerate(cs.categories):
        out[f"category:{cat}"] = scores.category_points[:, ci]
    return out


def _reasons(
    cs: CompiledStage, s: StageScores, usable: np.ndarray, values: np.ndarray
) -> list[Reason]:
    grading = cs.framework.grading
    levels = grading.levels
    li = int(s.level_index[0])
    reasons: list[Reason] = []
    if li >= 0:
        reasons.append(
            Reason(
                code="level_reached",
                level=levels[li].id,
                value=float(s.score[0]),
                threshold=levels[li].min_points
                if grading.method == "points"
                else levels[li].min_reported,
            )
        )
    else:
        reasons.append(Reason(code="no_level"))
    for j in np.flatnonzero(cs.control & ~s.control_ok[0]):
        ind = cs.ids[j]
        if np.isnan(values[0, j]):
            reasons.append(
                Reason(code="control_missing", indicator=ind, threshold=float(cs.requirement[j]))
            )
        elif np.isnan(usable[0, j]):
            reasons.append(
                Reason(
                    code="insufficient_quality",
                    indicator=ind,
                    value=float(values[0, j]),
                    threshold=float(cs.requirement[j]),
                )
            )
        else:
            reasons.append(
                Reason(
                    code="control_failed",
                    indicator=ind,
                    value=float(values[0, j]),
                    threshold=float(cs.requirement[j]),
                )
            )
    scoring = cs.scored | cs.bonus
    for j in np.flatnonzero(scoring & ~np.isnan(values[0]) & np.isnan(usable[0])):
        reasons.append(
            Reason(code="insufficient_quality", indicator=cs.ids[j], value=float(values[0, j]))
        )
    for ci, cat in enumerate(cs.categories):
        minimum = cs.category_min[ci]
        if not np.isnan(minimum) and s.category_points[0, ci] < minimum:
            reasons.append(
                Reason(
                    code="category_below_minimum",
                    category=cat,
                    value=float(s.category_points[0, ci]),
                    threshold=float(minimum),
                )
            )
    if li + 1 < len(levels):
        nxt = levels[li + 1]
        if grading.method == "points" and s.score[0] < float(nxt.min_points or 0):
            reasons.append(
                Reason(
                    code="points_below_next_level",
                    level=nxt.id,
                    value=float(s.score[0]),
                    threshold=nxt.min_points,
                )
            )
        if grading.method == "completeness":
            if s.completeness[0] < float(nxt.min_reported or 0):
                reasons.append(
                    Reason(
                        code="completeness_below_next_level",
                        level=nxt.id,
                        value=float(s.completeness[0]),
                        threshold=nxt.min_reported,
                    )
                )
            if nxt.all_core_reported and not s.core_reported[0]:
                reasons.append(Reason(code="core_missing", level=nxt.id))
    return reasons


def assess(
    framework: Framework,
    values: pd.DataFrame,
    *,
    city: str,
    year: int,
    stage: Stage | str = Stage.PLANNING_DESIGN,
    gaps: bool = True,
) -> Assessment:
    """Return the full assessment of one city and year.

    Parameters
    ----------
    framework
        The reference framework (its id and version are recorded in the result).
    values
        The canonical indicator table (from ``read_indicator_table``); rows of other cities or years
        are ignored.
    city, year
        Which city-year to assess.
    stage
        ``planning_design`` or ``implementation_operation``.
    gaps
        Compute the gap analysis to the next label level.
    """
    cs = compile_stage(framework, stage)
    mine = values[(values["city"] == city) & (values["year"].astype(int) == int(year))]
    cases = pd.DataFrame({"city": [city], "year": [int(year)]})
    usable, reported = _usable_matrix(cs, mine, cases)
    s = score_stage(cs, usable, core=_core_mask(cs))
    by_indicator = mine.set_index("indicator")
    results: list[IndicatorResult] = []
    for j, ind_id in enumerate(cs.ids):
        ind = framework.indicator(ind_id)
        value = reported[0, j]
        row = by_indicator.loc[ind_id] if ind_id in by_indicator.index else None
        if np.isnan(value):
            status = "missing"
        elif np.isnan(usable[0, j]):
            status = "insufficient_quality"
        elif ind.kind.value == "control":
            status = "passed" if s.control_ok[0, j] else "failed"
        elif ind.kind.value == "measure":
            status = "measured"
        else:
            status = "scored"
        is_scored = bool(cs.scored[j])
        results.append(
            IndicatorResult(
                indicator=ind_id,
                category=cs.categories[cs.category_of[j]],
                kind=ind.kind.value,
                unit=ind.unit,
                value=None if np.isnan(value) else float(value),
                points=float(s.points[0, j]),
                max_points=float(cs.max_points[j]),
                scaled_points=float(s.points[0, j] * cs.scale_factor)
                if is_scored
                else float(s.points[0, j]),
                status=status,
                requirement=ind.requirement,
                source=None if row is None else str(row["source"]),
                quality=None if row is None else str(row["quality"]),
                verified=None if row is None else bool(row["verified"]),
                provenance=None if row is None or not row["provenance"] else str(row["provenance"]),
            )
        )
    categories = []
    for ci, cat in enumerate(framework.categories):
        in_cat = cs.category_of == ci
        cat_max = float(cs.max_points[in_cat & cs.scored].sum() * cs.scale_factor)
        minimum = cat.min_points
        categories.append(
            CategoryScore(
                category=cat.id,
                points=float(s.category_points[0, ci]),
                max_points=cat_max,
                min_points=minimum,
                below_minimum=minimum is not None and float(s.category_points[0, ci]) < minimum,
                reported=int(s.reported[0, in_cat].sum()),
                indicators=int(in_cat.sum()),
            )
        )
    quality_counts = {q: int((mine["quality"] == q).sum()) for q in reversed(QUALITY_LEVELS)}
    li = int(s.level_index[0])
    return Assessment(
        city=city,
        year=int(year),
        stage=cs.stage.value,
        framework_id=framework.id,
        framework_version=framework.version,
        grading=framework.grading.method,
        data_hash=data_hash(mine),
        engine_version=__version__,
        total=float(s.total[0]),
        bonus=float(s.bonus[0]),
        score=float(s.score[0]),
        scale=framework.grading.scale,
        level=framework.grading.levels[li].id if li >= 0 else None,
        level_rank=li + 1,
        all_controls_passed=bool(s.all_controls[0]),
        completeness=float(s.completeness[0]),
        quality_counts=quality_counts,
        verified_share=float(mine["verified"].mean()) if len(mine) else 0.0,
        reasons=_reasons(cs, s, usable, reported),
        categories=categories,
        indicators=results,
        gap=gap_to_next_level(cs, s, usable, reported) if gaps else None,
    )
