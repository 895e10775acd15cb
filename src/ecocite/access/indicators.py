"""Life-circle accessibility per origin, and the city summary as tidy indicator values.

Per origin and category: walking distance to the nearest facility (``<cat>_nearest_m``) and the
number of facilities within each count threshold (``<cat>_n300`` …), the shape cityseer returns.
Per origin: one flag per life circle (every category of that level within its distance), the
share of life-circle categories reached, service desert, park and frequent-transit flags.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ecocite import __version__
from ecocite.access import urban_form
from ecocite.access.categories import LEVEL_NONE, life_circle_levels, load_levels
from ecocite.access.osm import RESIDENTIAL_BUILDINGS, OsmCity
from ecocite.access.search import (
    Positions,
    count_within,
    nearest_distance,
    segment_geometries,
    snap_to_edges,
)
from ecocite.data.contract import TIDY_OPTIONAL_COLUMNS, TIDY_REQUIRED_COLUMNS

# The one tidy-values contract (``ecocite.data.contract``): every column, notes included.
TIDY_COLUMNS = (*TIDY_REQUIRED_COLUMNS, *TIDY_OPTIONAL_COLUMNS)
FREQUENT = "frequent_transit"


@dataclass
class AccessResult:
    """What :func:`compute_access` returns.

    Attributes
    ----------
        origins: one row per origin (point geometry, projected CRS) with every distance and count.
        coverage: weighted share of origins within each threshold, per category and life circle.
        summary: the tidy indicator-value table (columns :data:`TIDY_COLUMNS`); the figures
            behind a value (e.g. the Hill numbers of the land-use mix) are in the ``details``
            object of its provenance and, readable, in ``notes``.
        details: extra figures (Hill numbers, counts, what was dropped) for reports.
    """

    origins: gpd.GeoDataFrame
    coverage: pd.DataFrame
    summary: pd.DataFrame
    details: dict[str, Any] = field(default_factory=dict)


def residential_origins(
    city: OsmCity, *, min_footprint_m2: float = 20.0
) -> tuple[gpd.GeoDataFrame, str]:
    """Return the origins of the walks and their weights.

    Origins: residential buildings inside the area (representative points), weighted by
    population when the layer has it, else by floor area (footprint × levels, 1 if unmapped) as
    a proxy for residents. Without buildings, the street nodes inside the area, weight 1.
    """
    b = city.buildings
    if len(b):
        kind = b["building"].astype("string")
        keep = kind.isin(RESIDENTIAL_BUILDINGS).fillna(False).to_numpy(bool).copy()
        keep &= b["footprint_m2"].to_numpy(float) >= min_footprint_m2
        b = b[keep]
        rp = b.geometry.representative_point()
        inside = shapely.contains_xy(
            city.area, shapely.get_x(rp.to_numpy()), shapely.get_y(rp.to_numpy())
        )
        b, rp = b[inside], rp[inside]
    if len(b):
        if "population" in b:
            weight, basis = b["population"].to_numpy(float), "population (buildings layer)"
        else:
            lv = b["levels"].to_numpy(float)
            floors = np.where(np.isfinite(lv) & (lv > 0), lv, 1.0)
            weight = b["footprint_m2"].to_numpy(float) * floors
            basis = "residential floor area of OSM buildings (proxy for residents)"
        out = gpd.GeoDataFrame(
            {
                "osm_id": b["osm_id"].to_numpy(),
                "building": b["building"].to_numpy(),
                "weight": weight,
            },
            geometry=rp.to_numpy(),
            crs=city.crs,
        )
        return out.reset_index(drop=True), basis
    net = city.network
    inside = shapely.contains_xy(city.area, net.x, net.y)
    idx = np.flatnonzero(inside)
    out = gpd.GeoDataFrame(
        {"osm_id": net.node_osm_id[idx], "building": "street node", "weight": np.ones(len(idx))},
        geometry=gpd.points_from_xy(net.x[idx], net.y[idx]),
        crs=city.crs,
    )
    return out, "street nodes (no buildings)"


def _weighted_share(flag: np.ndarray, weight: np.ndarray, valid: np.ndarray) -> float:
    w = weight[valid]
    if w.sum() <= 0:
        return float("nan")
    return float(100.0 * (w * flag[valid]).sum() / w.sum())


def compute_access(
    city: OsmCity,
    *,
    origins: gpd.GeoDataFrame | None = None,
    year: int | None = None,
    max_snap_m: float = 500.0,
    population: float | None = None,
    snap_legs: bool = True,
) -> AccessResult:
    """Compute every access and urban-form indicator of a city.

    Args:
        city: from :func:`~ecocite.access.osm.load_city`.
        origins: points (``city.crs``) with an optional ``population`` (or ``weight``) column,
            e.g. population points; default :func:`residential_origins`.
        year: year of the indicator values (default: the extract's year, else this year).
        max_snap_m: origins and facilities farther than this from any street are not snapped
            (reported, left out of shares).
        population: total residents, for green space per person when the buildings carry no
            population (e.g. a census figure); without it that indicator is not produced.
        snap_legs: walking distances include the walk from the origin to the street and from
            the street to the facility (default, as cityseer); ``False`` counts the street part
            only (as pandana), for comparison.
    """
    ref = load_levels()
    levels = life_circle_levels()
    table = city.categories
    net = city.network
    if origins is None:
        origins, basis = residential_origins(city)
    else:
        origins = origins.copy()
        if "population" in origins:
            origins["weight"] = origins["population"].astype(float)
            basis = "population (origin points)"
        else:
            basis = "user origins (weight column, else 1 each)"
            if "weight" not in origins:
                origins["weight"] = 1.0
    segs = segment_geometries(net)
    ox = shapely.get_x(origins.geometry.to_numpy())
    oy = shapely.get_y(origins.geometry.to_numpy())
    o_pos = snap_to_edges(net, ox, oy, max_distance_m=max_snap_m, segments=segs)
    fac = city.facilities
    f_pos = snap_to_edges(
        net, fac["x"].to_numpy(), fac["y"].to_numpy(), max_distance_m=max_snap_m, segments=segs
    )
    dest: dict[str, Positions] = {}
    groups: dict[str, np.ndarray] = {}
    for cat in table.names:
        m = (fac["category"] == cat).to_numpy()
        dest[cat] = f_pos.take(np.flatnonzero(m))
        groups[cat] = fac["group"].to_numpy()[m]
    if city.transit is not None:
        fr = city.transit[city.transit["frequent"]]
        dest[FREQUENT] = snap_to_edges(
            net, fr["x"].to_numpy(), fr["y"].to_numpy(), max_distance_m=max_snap_m, segments=segs
        )
        groups[FREQUENT] = fr["stop_id"].to_numpy()
    limit = float(ref["search_limit_m"]["value"])
    thresholds = [float(t) for t in ref["count_thresholds_m"]["values"]]
    nearest = nearest_distance(net, o_pos, dest, limit_m=limit, snap_legs=snap_legs)
    cols: dict[str, np.ndarray] = {
        "weight": origins["weight"].to_numpy(float),
        "snap_m": o_pos.snap_distance_m,
    }
    for cat in dest:
        cols[f"{cat}_nearest_m"] = nearest[cat]
        if cat == FREQUENT:
            continue
        counts = count_within(
            net, o_pos, dest[cat], thresholds_m=thresholds, group=groups[cat], snap_legs=snap_legs
        )
        for k, t in enumerate(thresholds):
            cols[f"{cat}_n{int(t)}"] = counts[:, k]
    valid = o_pos.snapped
    weight = cols["weight"]
    lc_cats = [c for c in table.categories if c.level != LEVEL_NONE]
    reached = np.zeros(len(origins))
    for lv in levels.values():
        members = [c.name for c in lc_cats if c.level == lv.name]
        flag = np.ones(len(origins), bool) if members else np.zeros(len(origins), bool)
        for name in members:
            flag &= np.nan_to_num(nearest[name], nan=np.inf) <= lv.distance_m
        cols[f"life_circle_{lv.name}"] = flag
    for c in lc_cats:
        reached += np.nan_to_num(nearest[c.name], nan=np.inf) <= levels[c.level].distance_m
    share = reached / max(len(lc_cats), 1)
    desert_max = float(ref["service_desert"]["max_share_covered"])
    cols["life_circle_share"] = share
    cols["service_desert"] = share < desert_max
    park_d = float(ref["park_service"]["distance_m"])
    if "park" in nearest:
        cols["park_service"] = np.nan_to_num(nearest["park"], nan=np.inf) <= park_d
    if FREQUENT in nearest:
        fd = float(ref["frequent_transit"]["distance_m"])
        cols["frequent_transit"] = np.nan_to_num(nearest[FREQUENT], nan=np.inf) <= fd
    frame = origins[[c for c in origins.columns if c not in cols]].copy()
    for key, values in cols.items():
        frame[key] = values
    out = gpd.GeoDataFrame(frame, geometry=origins.geometry.name, crs=city.crs)

    coverage_rows = []
    for cat in dest:
        d = np.nan_to_num(nearest[cat], nan=np.inf)
        for t in thresholds:
            coverage_rows.append(
                {
                    "category": cat,
                    "distance_m": t,
                    "share_pct": _weighted_share(d <= t, weight, valid),
                }
            )
    for lv in levels.values():
        coverage_rows.append(
            {
                "category": f"life_circle_{lv.name}",
                "distance_m": lv.distance_m,
                "share_pct": _weighted_share(cols[f"life_circle_{lv.name}"], weight, valid),
            }
        )
    coverage = pd.DataFrame(coverage_rows)

    details: dict[str, Any] = {
        "origins": len(origins),
        "origins_snapped": int(valid.sum()),
        "origin_weight": basis,
        "snap_legs": snap_legs,
        "facilities_snapped": {c: int(dest[c].snapped.sum()) for c in dest},
        "network": net.report,
    }
    summary = _summary(city, out, valid, weight, basis, ref, year, population, details)
    return AccessResult(out, coverage, summary, details)


def _summary(
    city: OsmCity,
    o: gpd.GeoDataFrame,
    valid: np.ndarray,
    weight: np.ndarray,
    basis: str,
    ref: dict[str, Any],
    year: int | None,
    population: float | None,
    details: dict[str, Any],
) -> pd.DataFrame:
    if year is None:
        date = city.extract.get("date")
        year = int(date[:4]) if date else pd.Timestamp.now().year
    params = {
        "search_limit_m": ref["search_limit_m"]["value"],
        "levels": {k: v["distance_m"] for k, v in ref["levels"].items()},
        "categories": {c.name: c.level for c in city.categories.categories},
        "category_levels_source": city.categories.source,
        "origin_weight": basis,
        "buffer_m": city.extract.get("buffer_m"),
        "snap_legs": details["snap_legs"],
    }
    base_prov = {
        "engine": "ecocite.access",
        "version": __version__,
        "inputs": {"osm_extract": city.extract},
        "network": {
            k: city.network.report.get(k)
            for k in (
                "nodes",
                "junctions",
                "components",
                "components_kept",
                "nodes_dropped",
                "length_km",
                "length_dropped_km",
            )
        },
        "parameters": params,
    }
    src = f"EcoCité access engine on OSM extract {city.extract['file']}"
    rows: list[dict[str, Any]] = []

    def add(
        indicator: str,
        value: float,
        unit: str,
        quality: str,
        extra: dict[str, Any],
        facts: dict[str, Any] | None = None,
        notes: str = "",
    ) -> None:
        if value is None or not np.isfinite(value):
            return
        prov = json.loads(json.dumps(base_prov, default=str))
        prov["parameters"] = {**prov["parameters"], **extra}
        if facts is not None:
            prov["details"] = facts
        rows.append(
            {
                "city": city.name,
                "year": int(year),
                "indicator": indicator,
                "value": float(value),
                "unit": unit,
                "source": src,
                "quality": quality,
                "verified": False,
                "provenance": json.dumps(prov, ensure_ascii=False, default=str),
                "notes": notes,
            }
        )

    share_quality = "high" if basis.startswith("population") else "medium"
    for lv in ("5min", "10min", "15min"):
        col = f"life_circle_{lv}"
        if col in o:
            add(
                f"life_circle_{lv}_coverage",
                _weighted_share(o[col].to_numpy(), weight, valid),
                "%",
                share_quality,
                {"level": lv},
            )
    add(
        "service_desert_share",
        _weighted_share(o["service_desert"].to_numpy(), weight, valid),
        "%",
        share_quality,
        {"service_desert": ref["service_desert"]},
    )
    if "park_service" in o:
        add(
            "park_service_coverage",
            _weighted_share(o["park_service"].to_numpy(), weight, valid),
            "%",
            share_quality,
            {"park_service": ref["park_service"], "park_entrances": ref["park_entrances"]},
        )
    if "frequent_transit" in o and city.transit_used is not None:
        prov_extra = {"frequent_transit": ref["frequent_transit"], "gtfs": city.transit_used}
        add(
            "frequent_transit_coverage",
            _weighted_share(o["frequent_transit"].to_numpy(), weight, valid),
            "%",
            share_quality,
            prov_extra,
        )
    ix = ref["intersections"]
    dens, n_ix = urban_form.intersection_density(
        city.network, city.area, tolerance_m=float(ix["consolidation_tolerance_m"]),
        min_streets=int(ix["min_streets"]),
    )  # fmt: skip
    details["intersections"] = n_ix
    add(
        "intersection_density",
        dens,
        "intersection/km**2",
        "medium",
        {"intersections": ix, "n": n_ix, "area_km2": city.area_km2},
    )
    classes = ref["landuse_classes"]["classes"]
    mix = urban_form.land_use_mix(city.landuse, city.area, classes)
    details["land_use"] = mix
    hill: dict[str, float] = mix.get("hill", {})  # type: ignore[assignment]
    add(
        "land_use_mix",
        float(mix["evenness"]),  # type: ignore[arg-type]
        "dimensionless",
        "low",
        {"landuse_classes": ref["landuse_classes"], "areas_m2": mix["areas_m2"]},
        facts={
            "hill_numbers": hill,
            "shannon": mix.get("shannon"),
            "classes": len(classes),
            "areas_m2": mix["areas_m2"],
        },
        notes=(
            f"Hill numbers of the land-use class areas: q0 = {hill['q0']:.0f} classes present, "
            f"q1 = {hill['q1']:.2f}, q2 = {hill['q2']:.2f} effective classes (of {len(classes)})"
            if hill
            else ""
        ),
    )
    bi = urban_form.building_intensity(city.buildings, city.area)
    details["buildings"] = bi
    far_quality = "medium" if bi["levels_share"] >= 0.5 else "low"
    intensity = {
        "buildings": bi["n"],
        "levels_share": bi["levels_share"],
        "unmapped_levels": "counted as 1 floor (lower bound)",
        "area_km2": city.area_km2,
    }
    add("building_coverage_ratio", bi["coverage_pct"], "%", "medium", intensity)
    add("floor_area_ratio", bi["far"], "dimensionless", far_quality, intensity)
    pop = None
    pop_source = None
    if "population" in city.buildings and len(city.buildings):
        pop, pop_source = float(city.buildings["population"].sum()), "buildings layer"
    elif population is not None:
        pop, pop_source = float(population), "given population"
    green = urban_form.green_space_area(city.green, city.area)
    details["green_space_m2"] = green
    private_n = int(city.report.get("private_green_left_out", 0))
    private_m2 = float(city.report.get("private_green_left_out_m2", 0.0))
    if pop:
        add(
            "public_green_space_per_capita",
            green / pop,
            "m**2/person",
            "medium",
            {"population": pop, "population_source": pop_source, "green_space_m2": green},
            facts={
                "public_green_m2": green,
                "private_green_left_out": private_n,
                "private_green_left_out_m2": private_m2,
            },
            notes=(
                f"{green:,.0f} m2 of public green space; {private_n} areas tagged "
                f"access=private|no left out ({private_m2:,.0f} m2)"
            ),
        )
    frame = pd.DataFrame(rows, columns=list(TIDY_COLUMNS))
    return frame
