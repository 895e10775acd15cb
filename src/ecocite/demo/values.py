"""Demo indicator values: real published facts where they exist, clearly illustrative values elsewhere.

The illustrative values are generated, not measured: each demo city has a profile (how far along the
scoring span of each category it stands, and how fast it improves) so that the demo portfolio shows
different label levels, failed control items and gaps. Their ``source`` says "illustrative".
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib import resources

import numpy as np
import pandas as pd

from ecocite.data.contract import TIDY_REQUIRED_COLUMNS
from ecocite.frameworks.schema import (
    BandScoring,
    Framework,
    Indicator,
    IndicatorKind,
    LinearScoring,
)

ILLUSTRATIVE_SOURCE = "EcoCité demo: illustrative value, generated, not a measurement"
DEMO_YEARS = tuple(range(2016, 2025))
TIDY_COLUMNS = list(TIDY_REQUIRED_COLUMNS)  # the one contract (ecocite.data.contract)


@dataclass(frozen=True)
class Profile:
    """How a demo city stands and moves on each category.

    Where a city stands on each category's scoring span in 2016 (0 = worst, 1 = best), how much
    it improves each year, and which control items it fails.
    """

    base: float
    yearly_gain: float
    category_offset: dict[str, float] = field(default_factory=dict)
    failing_controls: tuple[str, ...] = ()


PROFILES: dict[str, Profile] = {
    "foshan": Profile(0.62, 0.025, {"green_transport": 0.1, "industry_economy": 0.1}),
    "caidian": Profile(0.55, 0.025, {"ecological_environment": 0.1, "green_buildings": 0.05}),
    "jingzhou": Profile(
        0.5, 0.02, {"ecological_environment": 0.05, "green_buildings": 0.2, "land_use": -0.05}
    ),
    "jilin": Profile(
        0.42,
        0.02,
        {
            "resources_carbon": -0.15,
            "humanities": 0.1,
            "ecological_environment": 0.2,
            "green_buildings": 0.25,
        },
    ),
    "qingyun": Profile(0.38, 0.02, {"information_management": -0.15, "land_use": 0.1}),
    "panshi": Profile(
        0.4, 0.015, {"ecological_environment": 0.1}, failing_controls=("sewage_treatment_rate",)
    ),
}


def real_facts() -> pd.DataFrame:
    """Return the published figures of the demo cities with their sources (reference/carbon.md)."""
    path = resources.files("ecocite.demo") / "real_facts.csv"
    with resources.as_file(path) as file:
        return pd.read_csv(file, dtype={"year": int}).drop(columns=["notes"])


def _span(ind: Indicator) -> tuple[float, float]:
    """(worst, best) reference values of an indicator's scoring, in its unit."""
    if isinstance(ind.scoring, LinearScoring):
        return ind.scoring.worst, ind.scoring.best
    if isinstance(ind.scoring, BandScoring):
        t = sorted(b.threshold for b in ind.scoring.bands)
        width = t[-1] - t[0]
        if not width and ind.range.min is not None and ind.range.max is not None:
            width = (ind.range.max - ind.range.min) / 4
        width = width or abs(t[0]) * 0.2 or 1.0
        lo, hi = t[0] - width / 2, t[-1] + width / 4
        return (lo, hi) if ind.direction.value == "higher" else (hi, lo)
    req = ind.requirement if ind.requirement is not None else 0.0
    width = abs(req) * 0.2 or 1.0
    return (req - width, req) if ind.direction.value == "higher" else (req + width, req)


def _measure_span(ind: Indicator) -> tuple[float, float]:
    """Return the plausible values of a measured item, else (a framework without them) its physical ones."""
    bounds = ind.plausible or ind.range
    low = bounds.min if bounds.min is not None else 0.0
    high = bounds.max if bounds.max is not None else low + 100.0
    return low, high


def _plausible(ind: Indicator, value: float) -> float:
    """Clip a generated value to the indicator's plausible range (else its physical one), whole where the indicator counts whole things: no "COS 70", no peak in year 2022.342."""
    for bounds in (ind.plausible, ind.range):
        if bounds is None:
            continue
        if bounds.min is not None:
            value = max(value, bounds.min)
        if bounds.max is not None:
            value = min(value, bounds.max)
    return float(round(value)) if ind.whole else round(value, 4)


def _uniform(*keys: object) -> float:
    digest = hashlib.sha256("|".join(map(str, keys)).encode()).digest()
    return int.from_bytes(digest[:8], "little") / 2**64


def _noise(*keys: object) -> float:
    digest = hashlib.sha256("|".join(map(str, keys)).encode()).digest()
    return float(np.random.default_rng(int.from_bytes(digest[:8], "little")).normal(0, 0.08))


def illustrative_values(
    framework: Framework, *, years: tuple[int, ...] = DEMO_YEARS
) -> pd.DataFrame:
    """Deterministic illustrative values for every demo city, year and indicator of ``framework``."""
    rows = []
    for city, profile in PROFILES.items():
        for cat, ind in framework.indicators():
            if ind.kind == IndicatorKind.MEASURE:
                # Measured, not scored: a city reports more of them the further along it is.
                if _uniform(city, ind.id) > profile.base + 0.35:
                    continue
                worst, best = _measure_span(ind)
            else:
                worst, best = _span(ind)
            for year in years:
                q = profile.base + profile.category_offset.get(cat.id, 0.0)
                q += profile.yearly_gain * (year - years[0]) + _noise(city, ind.id)
                if ind.kind == IndicatorKind.CONTROL:
                    q = 0.5 if ind.id in profile.failing_controls else 1.0
                value = _plausible(ind, worst + float(np.clip(q, 0.0, 1.05)) * (best - worst))
                rows.append(
                    {
                        "city": city,
                        "year": year,
                        "indicator": ind.id,
                        "value": value,
                        "unit": ind.unit,
                        "source": ILLUSTRATIVE_SOURCE,
                        "quality": "medium",
                        "verified": "no",
                    }
                )
    return pd.DataFrame(rows)


def carbon_engine_values() -> pd.DataFrame:
    """Return the carbon indicators the GPC engine computes for the demo cities.

    Carbon indicators computed by the GPC inventory engine from the demo cities' illustrative
    activity data (with the provenance of that run); empty without the ``carbon`` extra.
    """
    try:
        from ecocite.carbon import demo_indicator_values
    except ImportError:
        return pd.DataFrame(columns=[*TIDY_COLUMNS, "provenance"])
    values = demo_indicator_values()
    return values.assign(verified=values["verified"].map({True: "yes", False: "no"}))


def demo_values(framework: Framework) -> pd.DataFrame:
    """Return the demo table in the tidy format, best source first.

    Return the demo table (tidy format), best source first: published facts, then values computed by
    the carbon engine from illustrative activity data, then generated illustrative values.
    """
    key = ["city", "year", "indicator"]
    layers = [real_facts(), carbon_engine_values(), illustrative_values(framework)]
    ids = set(framework.indicator_ids())
    table = pd.concat([layer[layer["indicator"].isin(ids)] for layer in layers], ignore_index=True)
    table = table.drop_duplicates(key, keep="first")
    table["verified"] = table["verified"].astype(str)
    if "provenance" in table:
        table["provenance"] = table["provenance"].fillna("")
    return table.sort_values(key).reset_index(drop=True)
