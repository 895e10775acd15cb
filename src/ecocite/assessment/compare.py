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
