"""What the submitted visions say together: median and spread per slider, by college.

Frames in, frames out (no Django): the web app passes one row per submitted vision with its
``college`` and one column per slider.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def slider_distribution(
    visions: pd.DataFrame, sliders: Sequence[str], *, by: str | None = "college"
) -> pd.DataFrame:
    """Median, quartiles and count per slider, for everyone and for each group of ``by``.

    Parameters
    ----------
    visions : DataFrame
        One row per vision; one column per slider (numbers), and ``by`` if given.
    sliders : sequence of str
        The slider columns to summarise.
    by : str or None
        Column of the groups (e.g. the college); its empty values count as "" (unsaid).

    Returns
    -------
    DataFrame
        Columns ``group`` ("" for everyone), ``slider``, ``count``, ``median``, ``q1``, ``q3``.
    """
    rows = []
    groups: list[tuple[str, pd.DataFrame]] = [("", visions)]
    if by is not None and by in visions and len(visions):
        groups += [(str(g), part) for g, part in visions.fillna({by: ""}).groupby(by, sort=True)]
    for group, part in groups:
        for slider in sliders:
            values = (
                pd.to_numeric(part[slider], errors="coerce").dropna()
                if slider in part
                else pd.Series(dtype=float)
            )
            rows.append({
                "group": group, "slider": slider, "count": int(values.size),
                "median": float(values.median()) if values.size else np.nan,
                "q1": float(values.quantile(0.25)) if values.size else np.nan,
                "q3": float(values.quantile(0.75)) if values.size else np.nan,
            })  # fmt: skip
    return pd.DataFrame(rows, columns=["group", "slider", "count", "median", "q1", "q3"])


def closest_to_median(
    visions: pd.DataFrame, sliders: Sequence[str], ranges: dict[str, tuple[float, float]]
) -> int | None:
    """Return the index label of the vision nearest the median of every slider (None if none).

    Distance is Euclidean over the sliders, each scaled by its range (so a slider counted in
    hundreds does not outweigh one counted in units); ties go to the earlier row.
    """
    if visions.empty:
        return None
    medians = visions[list(sliders)].median()
    scaled = [(visions[s] - medians[s]) / max(ranges[s][1] - ranges[s][0], 1e-12) for s in sliders]
    distance = np.sqrt(sum(part**2 for part in scaled))
    return distance.idxmin() if len(distance) else None
