"""Urban-form indicators: intersection density, land-use mix, coverage, floor-area ratio, green."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import geopandas as gpd
import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree
from shapely.geometry.base import BaseGeometry

from ecocite.access.network import WalkNetwork


def consolidated_intersections(
    net: WalkNetwork, *, tolerance_m: float = 10.0, min_streets: int = 3
) -> np.ndarray:
    """Centres (x, y) of street intersections after simplification and consolidation.

    Simplification: only junctions with at least ``min_streets`` street ends count (degree-2
    nodes are inside chains; dead ends have one street). Consolidation (as OSMnx does): junctions
    whose ``tolerance_m`` buffers overlap, i.e. closer than twice the tolerance, form one
    intersection at their centroid — separately mapped sidewalks and crossings otherwise count
    many times.
    """
    degree = np.diff(net.indptr)
    j = net.junction_node[degree >= min_streets]
    pts = np.column_stack([net.x[j], net.y[j]])
    if len(pts) == 0:
        return np.zeros((0, 2))
    pairs = cKDTree(pts).query_pairs(2 * tolerance_m, output_type="ndarray")
    n = len(pts)
    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    counts = np.bincount(label)
    cx = np.bincount(label, weights=pts[:, 0]) / counts
    cy = np.bincount(label, weights=pts[:, 1]) / counts
    return np.column_stack([cx, cy])


def intersection_density(
    net: WalkNetwork, area: BaseGeometry, *, tolerance_m: float = 10.0, min_streets: int = 3
) -> tuple[float, int]:
    """Consolidated intersections per km² inside ``area`` (projected), and their number."""
    centres = consolidated_intersections(net, tolerance_m=tolerance_m, min_streets=min_streets)
    inside = shapely.contains_xy(area, centres[:, 0], centres[:, 1]) if len(centres) else []
    n = int(np.sum(inside))
    return n / (area.area / 1e6), n


def hill_numbers(shares: np.ndarray) -> dict[str, float]:
    """Hill numbers of order 0, 1, 2 (richness, exp Shannon, inverse Simpson) of shares."""
    p = shares[shares > 0]
    p = p / p.sum()
    return {
        "q0": float(len(p)),
        "q1": float(np.exp(-(p * np.log(p)).sum())),
        "q2": float(1.0 / (p**2).sum()),
    }


def land_use_mix(
    landuse: gpd.GeoDataFrame, area: BaseGeometry, classes: Mapping[str, Sequence[str]]
) -> dict[str, object]:
    """Shannon evenness (0–1) of land-use class areas inside ``area``, with Hill numbers.

    Evenness is Shannon entropy divided by ln(number of classes in ``classes``), so a city using
    every class equally scores 1. Overlapping polygons of one class are merged first.
    """
    areas = {}
    value = landuse["landuse"].astype("string")
    for name, values in classes.items():
        sub = landuse[value.isin(list(values)).fillna(False).to_numpy(bool)]
        if len(sub) == 0:
            areas[name] = 0.0
            continue
        merged = shapely.intersection(_union(sub.geometry.to_numpy()), area)
        areas[name] = float(merged.area)
    total = sum(areas.values())
    k = len(classes)
    if total <= 0 or k < 2:
        return {"evenness": float("nan"), "areas_m2": areas}
    p = np.array([a / total for a in areas.values()])
    nz = p[p > 0]
    shannon = float(-(nz * np.log(nz)).sum())
    return {
        "evenness": shannon / np.log(k),
        "shannon": shannon,
        "hill": hill_numbers(p),
        "areas_m2": areas,
    }


def building_intensity(buildings: gpd.GeoDataFrame, area: BaseGeometry) -> dict[str, float]:
    """Compute the building coverage ratio (%) and floor-area ratio over ``area``.

    Buildings count when their representative point lies inside ``area``. Floors are
    ``levels`` where mapped and 1 elsewhere (a lower bound); ``levels_share`` says how many
    buildings have levels, for the quality flag.
    """
    if len(buildings) == 0:
        return {"coverage_pct": float("nan"), "far": float("nan"), "levels_share": 0.0, "n": 0}
    rp = buildings.geometry.representative_point()
    inside = shapely.contains_xy(area, shapely.get_x(rp.to_numpy()), shapely.get_y(rp.to_numpy()))
    b = buildings[inside]
    foot = b["footprint_m2"].to_numpy(float)
    levels = b["levels"].to_numpy(float)
    has = np.isfinite(levels) & (levels > 0)
    floors = np.where(has, levels, 1.0)
    a = area.area
    return {
        "coverage_pct": 100.0 * foot.sum() / a,
        "far": float((foot * floors).sum() / a),
        "levels_share": float(has.mean()) if len(b) else 0.0,
        "n": len(b),
    }


def green_space_area(green: gpd.GeoDataFrame, area: BaseGeometry) -> float:
    """Area (m²) of public green space inside ``area``, overlaps merged."""
    if len(green) == 0:
        return 0.0
    return float(shapely.intersection(_union(green.geometry.to_numpy()), area).area)


def _union(geoms: np.ndarray) -> BaseGeometry:
    # OSM multipolygons are sometimes invalid (self-touching rings); repair before overlay
    return shapely.union_all(shapely.make_valid(geoms))
