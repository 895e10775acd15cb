"""Gap analysis: the smallest set of improvements that lifts a city to the next label level.

"Smallest" is measured per indicator as the change needed relative to the indicator's scoring span
(the distance between its worst and best thresholds), so that a change of 5 percentage points and a
change of 0.5 t/person are comparable. The search is deterministic and easy to
explain to a jury, and the point search is exact to a hundredth of a point:

1. every failing or missing control item must reach its requirement;
2. every category below its minimum is raised from its own indicators;
3. the remaining points come from the combination of moves with the least total change, found by
   dynamic programming over the points gained (a multiple-choice knapsack).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ecocite.assessment.compiled import CompiledStage, StageScores, score_stage
from ecocite.assessment.model import GapAction, GapAnalysis, GapWhy

GAIN_RESOLUTION = (
    0.01  # points: plans are exact to a hundredth of a point, then checked by re-scoring
)
LINEAR_STEPS = 20  # partial improvements considered for a linear indicator


def _span(cs: CompiledStage, j: int) -> float:
    if cs.is_linear[j]:
        return abs(cs.linear_best[j] - cs.linear_worst[j])
    t = cs.band_thresholds[j][np.isfinite(cs.band_thresholds[j])]
    if len(t) > 1:
        return float(t.max() - t.min())
    return abs(float(t[0])) if len(t) and t[0] != 0 else 1.0


def _reference(cs: CompiledStage, j: int, current: float) -> float:
    """Return the value a change is measured from.

    Where a change is measured from: the current value, or for missing data the value that
    earns no points.
    """
    if not math.isnan(current):
        return current
    if cs.is_linear[j]:
        return float(cs.linear_worst[j])
    t = cs.band_thresholds[j][np.isfinite(cs.band_thresholds[j])]
    first = float(t.min()) * cs.sign[j] if len(t) else 0.0
    return first - cs.sign[j] * _span(cs, j) / max(len(t), 1)


def _options(
    cs: CompiledStage, j: int, current: float, points_now: float
) -> list[tuple[float, float, float]]:
    """(target value, raw points after, effort) for each way of improving indicator j."""
    ref = _reference(cs, j, current)
    span = _span(cs, j) or 1.0
    out: list[tuple[float, float, float]] = []
    if cs.is_linear[j]:
        worst, best, top = cs.linear_worst[j], cs.linear_best[j], cs.max_points[j]
        for step in range(1, LINEAR_STEPS + 1):
            pts = points_now + (top - points_now) * step / LINEAR_STEPS
            if pts > points_now:
                target = float(worst + (best - worst) * pts / top)
                out.append((target, float(pts), abs(target - ref) / span))
        return out
    for b in range(cs.band_thresholds.shape[1]):
        signed = cs.band_thresholds[j, b]
        pts = cs.band_points[j, b]
        if np.isfinite(signed) and pts > points_now:
            target = float(signed * cs.sign[j])
            out.append((target, float(pts), abs(target - ref) / span))
    return out


def _plan(
    cs: CompiledStage,
    values: np.ndarray,
    points: np.ndarray,
    allowed: np.ndarray,
    deficit: float,
) -> list[tuple[int, float, float]]:
    """Return the least total change (sum of relative efforts) gaining ``deficit`` points.

    A multiple-choice knapsack solved by dynamic programming over gains in hundredths of a point:
    ``best[g]`` is the least effort that gains at least ``g``. Returns (indicator, target, gain).
    """
    units = math.ceil(deficit / GAIN_RESOLUTION - 1e-9)
    if units <= 0:
        return []
    best = np.full(units + 1, np.inf)
    best[0] = 0.0
    grid = np.arange(units + 1)
    history: list[tuple[int, list[tuple[float, float, float]], np.ndarray]] = []
    for j in np.flatnonzero(allowed):
        weight = cs.scale_factor if cs.scored[j] else 1.0
        pts_now = float(points[j])
        opts = _options(cs, int(j), values[0, j], pts_now)
        if not opts:
            continue
        choice = np.full(units + 1, -1, dtype=np.int16)
        new = best.copy()
        for o, (_, pts_after, effort) in enumerate(opts):
            gain_units = int((pts_after - pts_now) * weight / GAIN_RESOLUTION + 1e-9)
            if gain_units <= 0:
                continue
            candidate = best[np.maximum(grid - gain_units, 0)] + effort
            better = candidate < new - 1e-12
            new = np.where(better, candidate, new)
            choice = np.where(better, o, choice)
        history.append((int(j), opts, choice))
        best = new
    if not np.isfinite(best[units]):
        return []
    plan: list[tuple[int, float, float]] = []
    g = units
    for j, opts, choice in reversed(history):
        o = int(choice[g])
        if o < 0:
            continue
        target, pts_after, _ = opts[o]
        weight = cs.scale_factor if cs.scored[j] else 1.0
        gain = (pts_after - float(points[j])) * weight
        plan.append((j, target, gain))
        g = max(g - int(gain / GAIN_RESOLUTION + 1e-9), 0)
    return plan


def _improve(
    cs: CompiledStage,
    values: np.ndarray,
    allowed: np.ndarray,
    deficit_of: Callable[[StageScores], float],
    actions: list[GapAction],
    reported: np.ndarray,
    why: GapWhy,
    low_quality: np.ndarray,
) -> None:
    """Apply the least-change plan; where the bonus cap or rounding leaves a shortfall, plan again."""
    for _ in range(3):
        scores = score_stage(cs, values)
        deficit = float(deficit_of(scores))
        if deficit <= 1e-9:
            return
        plan = _plan(cs, values, scores.points[0], allowed, deficit)
        if not plan:
            return
        for j, target, gain in plan:
            actions.append(_action(cs, j, reported[0, j], target, gain, why, bool(low_quality[j])))
            values[0, j] = target


def _action(
    cs: CompiledStage,
    j: int,
    current: float,
    target: float,
    gain: float,
    why: GapWhy,
    low_quality: bool = False,
) -> GapAction:
    """Explain an action when the value's data quality is too low.

    ``low_quality``: a value was reported but its data quality is below the requirement, so it
    counts as missing; if it already meets the target, only better data is needed.
    """
    known = not math.isnan(current)
    if low_quality:
        why = "data"
        if known and current * cs.sign[j] >= target * cs.sign[j]:
            target = current
    return GapAction(
        indicator=cs.ids[j],
        category=cs.categories[cs.category_of[j]],
        unit=cs.framework.indicator(cs.ids[j]).unit,
        current_value=float(current) if known else None,
        target_value=float(target),
        points_gain=float(gain),
        relative_change=float((target - current) / abs(current))
        if known and current != 0
        else None,
        why=why if known or why == "control" else "data",
    )


def _merge(actions: list[GapAction]) -> list[GapAction]:
    """One action per indicator: the last target, the summed gain."""
    merged: dict[str, GapAction] = {}
    for a in actions:
        if a.indicator in merged:
            first = merged[a.indicator]
            start = first.current_value
            change = None
            if start and a.target_value is not None:
                change = (a.target_value - start) / abs(start)
            merged[a.indicator] = a.model_copy(
                update={
                    "points_gain": first.points_gain + a.points_gain,
                    "current_value": start,
                    "relative_change": change,
                    "why": first.why,
                }
            )
        else:
            merged[a.indicator] = a
    return list(merged.values())


def gap_to_next_level(
    cs: CompiledStage, scores: StageScores, usable: np.ndarray, reported: np.ndarray
) -> GapAnalysis | None:
    """Return what the city must change to reach the next level (None at the top)."""
    grading = cs.framework.grading
    li = int(scores.level_index[0])
    if li + 1 >= len(grading.levels):
        return None
    target = grading.levels[li + 1]
    values = usable.copy()
    low_quality = ~np.isnan(reported[0]) & np.isnan(usable[0])
    actions: list[GapAction] = []

    if grading.method == "completeness":
        core = np.array([cs.framework.indicator(i).core for i in cs.ids], dtype=bool)
        missing = np.flatnonzero(np.isnan(values[0]))
        order = sorted(missing, key=lambda j: (not core[j], j))
        need = max(
            0,
            math.ceil(float(target.min_reported or 0) * len(cs.ids) - 1e-9)
            - int(scores.reported[0].sum()),
        )
        chosen = [j for j in order if core[j]] if target.all_core_reported else []
        chosen += [j for j in order if j not in chosen][: max(0, need - len(chosen))]
        for j in chosen:
            actions.append(
                GapAction(
                    indicator=cs.ids[j],
                    category=cs.categories[cs.category_of[j]],
                    unit=cs.framework.indicator(cs.ids[j]).unit,
                    current_value=None,
                    target_value=None,
                    points_gain=0.0,
                    relative_change=None,
                    why="data",
                )
            )
        return GapAnalysis(
            target_level=target.id, points_needed=0.0, reachable=True, actions=actions
        )

    if target.requires_all_controls:
        for j in np.flatnonzero(cs.control & ~scores.control_ok[0]):
            actions.append(
                _action(
                    cs,
                    int(j),
                    reported[0, j],
                    float(cs.requirement[j]),
                    0.0,
                    "control",
                    bool(low_quality[j]),
                )
            )
            values[0, j] = cs.requirement[j]

    improvable = cs.scored | cs.bonus
    for ci in range(len(cs.categories)):
        minimum = float(cs.category_min[ci])
        if np.isnan(minimum):
            continue

        def category_deficit(s: StageScores, ci: int = ci, m: float = minimum) -> float:
            return m - float(s.category_points[0, ci])

        in_category = improvable & cs.scored & (cs.category_of == ci)
        _improve(
            cs,
            values,
            in_category,
            category_deficit,
            actions,
            reported,
            "category_minimum",
            low_quality,
        )

    goal = float(target.min_points or 0)

    def points_deficit(s: StageScores) -> float:
        return goal - float(s.score[0])

    _improve(cs, values, improvable, points_deficit, actions, reported, "points", low_quality)

    final = score_stage(cs, values)
    reachable = bool(final.level_index[0] >= li + 1)
    return GapAnalysis(
        target_level=target.id,
        points_needed=max(0.0, goal - float(scores.score[0])),
        reachable=reachable,
        actions=_merge(actions),
    )
