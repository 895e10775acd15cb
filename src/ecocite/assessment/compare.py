"""Compare assessments across cities and years."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ecocite.assessment.model import Assessment


def compare(assessments: Iterable[Assessment]) -> pd.DataFrame:
    """One row per assessment: city, year, stage, score, level and each category's points."""
    rows = []
    for a in assessments:
        row: dict[str, object] = {
            "city": a.city,
            "year": a.year,
            "stage": a.stage,
            "framework": f"{a.framework_id}@{a.framework_version}",
            "total": a.total,
            "bonus": a.bonus,
            "score": a.score,
            "level": a.level,
            "level_rank": a.level_rank,
            "completeness": a.completeness,
            "all_controls_passed": a.all_controls_passed,
        }
        row.update({f"category:{c.category}": c.points for c in a.categories})
        rows.append(row)
    frame = pd.DataFrame(rows).sort_values(["city", "year", "stage"]).reset_index(drop=True)
    frame["level"] = frame["level"].astype(object).where(frame["level"].notna(), None)
    return frame


def category_trend(assessments: Iterable[Assessment]) -> pd.DataFrame:
    """Tabulate each category's points over the years.

    Long table (city, year, category, points, change) of each category's points over the years;
    ``change`` is the difference from the city's previous assessed year.
    """
    rows = [
        {"city": a.city, "year": a.year, "category": c.category, "points": c.points}
        for a in assessments
        for c in a.categories
    ]
    frame = pd.DataFrame(rows, columns=["city", "year", "category", "points"])
    frame = frame.sort_values(["city", "category", "year"]).reset_index(drop=True)
    frame["change"] = frame.groupby(["city", "category"])["points"].diff()
    return frame


SPREAD_COLUMNS = [
    "indicator", "category", "unit", "cities", "spread", "mean_share",
    "lowest_city", "lowest_value", "lowest_share", "highest_city", "highest_value", "highest_share",
]  # fmt: skip


def indicator_points(assessments: Iterable[Assessment]) -> pd.DataFrame:
    """Tabulate the points of every scored indicator with a value, one row per city and indicator.

    The input of :func:`indicator_spread`; give each city's latest assessment only.
    """
    rows = [
        {
            "city": a.city,
            "indicator": r.indicator,
            "category": r.category,
            "unit": r.unit,
            "value": r.value,
            "points": r.points,
            "max_points": r.max_points,
        }
        for a in assessments
        for r in a.indicators
        if r.value is not None and r.max_points > 0
    ]
    return pd.DataFrame(
        rows, columns=["city", "indicator", "category", "unit", "value", "points", "max_points"]
    )


def indicator_spread(points: pd.DataFrame, *, top: int = 10) -> pd.DataFrame:
    """Rank the indicators by how differently the cities score on them.

    Parameters
    ----------
    points
        One row per city and indicator (columns ``city``, ``indicator``, ``category``, ``unit``,
        ``value``, ``points``, ``max_points``), as :func:`indicator_points` makes from each
        city's latest assessment. Rows without a value or without points to earn are ignored.
    top
        How many indicators to return (the most different first).

    Returns
    -------
    pandas.DataFrame
        Columns ``SPREAD_COLUMNS``. Each city's *share* is the part of the indicator's points it
        earns (0 to 1); ``spread`` is the standard deviation of the shares over the cities (0
        when all earn the same share, 0.5 at most: half of them earn all the points, half
        none); ``lowest_*`` and ``highest_*`` name the cities at either end (ties broken by the
        city id) with their value. Only indicators reported by at least two cities are ranked;
        ties in spread are broken by the indicator id.
    """
    usable = points[points["value"].notna() & (points["max_points"] > 0)]
    if usable.empty:
        return pd.DataFrame(columns=SPREAD_COLUMNS)
    usable = usable.assign(share=(usable["points"] / usable["max_points"]).clip(0.0, 1.0))
    usable = usable.sort_values(["indicator", "share", "city"], kind="stable")
    grouped = usable.groupby("indicator", sort=True)
    summary = grouped.agg(
        category=("category", "first"),
        unit=("unit", "first"),
        cities=("city", "nunique"),
        spread=("share", lambda s: float(s.std(ddof=0))),
        mean_share=("share", "mean"),
    )
    ends = grouped.nth(0).set_index("indicator")
    tops = grouped.nth(-1).set_index("indicator")
    summary["lowest_city"] = ends["city"]
    summary["lowest_value"] = ends["value"]
    summary["lowest_share"] = ends["share"]
    summary["highest_city"] = tops["city"]
    summary["highest_value"] = tops["value"]
    summary["highest_share"] = tops["share"]
    summary = summary[summary["cities"] >= 2].reset_index()
    summary = summary.sort_values(["spread", "indicator"], ascending=[False, True], kind="stable")
    return summary.head(top).reset_index(drop=True)[SPREAD_COLUMNS]
