"""Precompute a site's life circles with the access engine: today, and with a facility added.

For each facility the organiser may add (an access category and a planned place), the share of
the site's residents within 300, 500 and 1,000 m of walking (the 5, 10 and 15-minute life
circles of GB 50180-2018, as the access engine counts them) is computed on the OpenStreetMap
extract twice: with today's facilities, and with the new one added. The result is the
``life_circles`` block of a site file (:mod:`ecocite.scenario.site`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

#: life circle (minutes) → walking distance (m) of the access engine's coverage table
LEVEL_DISTANCE_M = {5: 300.0, 10: 500.0, 15: 1000.0}


def _shares(coverage: Any, category: str) -> dict[int, float]:
    rows = coverage[coverage["category"] == category]
    out = {}
    for minutes, metres in LEVEL_DISTANCE_M.items():
        hit = rows[rows["distance_m"] == metres]["share_pct"]
        out[minutes] = round(float(hit.iloc[0]) / 100, 4) if len(hit) else 0.0
    return out


def life_circles(
    pbf: str | Path,
    site: Mapping[str, Any],
    additions: Mapping[str, tuple[str, float, float]],
    *,
    buffer_m: float = 1000.0,
) -> dict[str, dict[str, Any]]:
    """Compute, for each addition, the life-circle shares today and once the facility is added.

    Parameters
    ----------
    pbf : path
        The OpenStreetMap extract (PBF) covering the site.
    site : mapping
        The site's polygon (GeoJSON geometry, WGS84): its residential buildings are the origins.
    additions : mapping of str to (str, float, float)
        Facility id → (access category, longitude, latitude) of the planned facility.
    buffer_m : float
        Metres of street network and facilities read around the site (walks may leave it).

    Returns
    -------
    dict
        Facility id → ``{"category", "today": {5, 10, 15}, "added": {5, 10, 15}}`` (shares 0–1).
    """
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point, shape

    from ecocite.access.indicators import compute_access
    from ecocite.access.osm import load_city

    city = load_city(pbf, boundary=shape(site), buffer_m=buffer_m, name="site")
    today = compute_access(city).coverage
    out: dict[str, dict[str, Any]] = {}
    for key, (category, lon, lat) in additions.items():
        point = gpd.GeoSeries([Point(lon, lat)], crs="EPSG:4326").to_crs(city.crs).iloc[0]
        row = gpd.GeoDataFrame(
            {"category": [category], "group": [""], "name": [f"planned {key}"],
             "x": [point.x], "y": [point.y]},
            geometry=[point], crs=city.crs,
        )  # fmt: skip
        facilities = gpd.GeoDataFrame(
            pd.concat([city.facilities, row], ignore_index=True), crs=city.crs
        )
        from dataclasses import replace

        added = compute_access(replace(city, facilities=facilities)).coverage
        out[key] = {
            "category": category,
            "today": _shares(today, category),
            "added": _shares(added, category),
        }
    return out
