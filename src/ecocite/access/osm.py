"""Load a city from an OpenStreetMap PBF extract (pyrosm), offline, in a UTM CRS.

:func:`load_city` reads the walking network, the facilities of every category, buildings, land
use and green space, clipped to a boundary (plus a buffer so that walks may leave the boundary).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from ecocite.access.categories import CategoryTable, load_categories, load_levels
from ecocite.access.errors import AccessInputError
from ecocite.access.network import WalkNetwork, build_network, utm_crs
from ecocite.access.search import snap_to_edges

RESIDENTIAL_BUILDINGS = (
    "residential", "apartments", "house", "detached", "semidetached_house", "terrace",
    "bungalow", "dormitory", "farm", "yes",
)  # fmt: skip
FACILITY_KEYS = (
    "amenity", "shop", "leisure", "healthcare", "social_facility", "tourism", "public_transport",
)  # fmt: skip
EXTRA_FILTER = {
    "highway": ["bus_stop"],
    "railway": ["station", "halt", "tram_stop", "subway_entrance"],
    "landuse": ["recreation_ground", "village_green"],
}
GREEN_SPACE = {
    "leisure": ("park", "dog_park"),
    "landuse": ("recreation_ground", "village_green"),
}
PRIVATE_ACCESS = ("private", "no")


def _tag_from_json(tags: object, key: str) -> object:
    if isinstance(tags, dict):
        return tags.get(key)
    if not isinstance(tags, str) or f'"{key}"' not in tags:
        return None
    try:
        parsed = json.loads(tags)
    except ValueError:
        return None
    return parsed.get(key) if isinstance(parsed, dict) else None


def tag_values(features: pd.DataFrame, key: str) -> pd.Series:
    """Return the value of one OSM tag per feature, wherever pyrosm put it.

    pyrosm makes columns of the keys it knows and keeps the other tags of a feature as a JSON
    object in its ``tags`` field (``access`` is one of those), so a filter on the column alone
    never runs. The column wins where both exist. Values are stripped and lower-cased.
    """
    out = pd.Series(pd.NA, index=features.index, dtype="string")
    if "tags" in features:
        out = features["tags"].map(lambda t: _tag_from_json(t, key)).astype("string")
    if key in features:
        col = features[key].astype("string")
        out = col.where(col.notna(), out)
    return out.str.strip().str.lower()


def is_private(features: pd.DataFrame) -> np.ndarray:
    """Features tagged ``access=private`` or ``access=no`` (column or pyrosm's ``tags``)."""
    return tag_values(features, "access").isin(PRIVATE_ACCESS).fillna(False).to_numpy(bool)


@dataclass
class OsmCity:
    """A city ready for the access indicators. Frames are in ``crs`` (metres)."""

    name: str
    crs: pyproj.CRS
    area: BaseGeometry
    network: WalkNetwork
    facilities: gpd.GeoDataFrame
    buildings: gpd.GeoDataFrame
    landuse: gpd.GeoDataFrame
    green: gpd.GeoDataFrame
    categories: CategoryTable
    extract: dict[str, Any]
    report: dict[str, Any] = field(default_factory=dict)
    transit: pd.DataFrame | None = None
    transit_used: dict[str, Any] | None = None

    @property
    def area_km2(self) -> float:
        """Return the study area in km²."""
        return float(self.area.area) / 1e6


def file_fingerprint(path: Path) -> dict[str, Any]:
    """Name, size, SHA-256 and the date written in the file name (YYYY-MM-DD), if any."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    m = re.search(r"(\d{4}-\d{2}-\d{2})", path.name)
    return {
        "file": path.name,
        "bytes": path.stat().st_size,
        "sha256": digest,
        "date": m.group(1) if m else None,
    }


def read_boundary(boundary: str | Path | BaseGeometry | gpd.GeoDataFrame | Any) -> BaseGeometry:
    """Return the boundary as one WGS 84 geometry; files must carry a CRS (GeoJSON is WGS 84).

    Also accepted: a registry city (:class:`ecocite.cities.model.RegistryCity`) with a boundary.
    """
    from ecocite.cities.model import RegistryCity

    if isinstance(boundary, RegistryCity):
        geom_or_none = boundary.geometry()
        if geom_or_none is None:
            raise AccessInputError(f"city {boundary.id!r} has no boundary in the registry")
        boundary = geom_or_none
    if isinstance(boundary, BaseGeometry):
        geom = boundary
        label = "boundary geometry"
        crs: pyproj.CRS | None = pyproj.CRS.from_epsg(4326)
    else:
        if isinstance(boundary, gpd.GeoDataFrame):
            frame, label = boundary, "boundary frame"
        else:
            path = Path(boundary)
            label = str(path)
            if not path.is_file():
                raise AccessInputError(f"{path}: boundary file not found")
            try:
                frame = gpd.read_file(path)
            except Exception as exc:
                raise AccessInputError(f"{path}: cannot read the boundary ({exc})") from None
        if len(frame) == 0:
            raise AccessInputError(f"{label}: the boundary has no features")
        if frame.crs is None:
            raise AccessInputError(
                f"{label}: the boundary has no CRS; save it with one (e.g. EPSG:4326)"
            )
        crs = frame.crs
        geom = frame.to_crs(4326).union_all() if not frame.crs.equals(4326) else frame.union_all()
    if geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise AccessInputError(f"{label}: the boundary must be a polygon or multipolygon")
    minx, miny, maxx, maxy = geom.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise AccessInputError(
            f"{label}: coordinates are outside longitude/latitude range; the file has no or a "
            f"wrong CRS (declared: {crs})"
        )
    return shapely.make_valid(geom)


def _reproject(geom: BaseGeometry, transformer: pyproj.Transformer) -> BaseGeometry:
    return shapely.transform(geom, lambda x, y: transformer.transform(x, y), interleaved=False)


def _open_osm(pbf: Path, bounding_box: BaseGeometry | None) -> Any:
    import pyrosm

    if not pbf.is_file():
        raise AccessInputError(f"{pbf}: OSM extract not found")
    if pbf.stat().st_size == 0:
        raise AccessInputError(f"{pbf}: the OSM extract is empty (0 bytes)")
    try:
        return pyrosm.OSM(str(pbf), bounding_box=bounding_box)
    except Exception as exc:
        raise AccessInputError(f"{pbf}: not a readable OSM PBF file ({exc})") from None


def _walk_layers(osm: Any, pbf: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = osm.get_network("walking", nodes=True)
    except Exception as exc:
        raise AccessInputError(f"{pbf}: cannot read the walking network ({exc})") from None
    if got is None or got[0] is None or len(got[0]) == 0:
        raise AccessInputError(
            f"{pbf}: no walkable streets in the extract (or inside the boundary)"
        )
    return got[0], got[1]


def _read_features(osm: Any) -> gpd.GeoDataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pois = osm.get_pois(custom_filter={k: True for k in FACILITY_KEYS})
        extra = osm.get_data_by_custom_criteria(
            custom_filter=EXTRA_FILTER, filter_type="keep", keep_nodes=True, keep_ways=True
        )
    frames = [f for f in (pois, extra) if f is not None and len(f)]
    if not frames:
        return gpd.GeoDataFrame({"id": []}, geometry=[], crs=4326)
    both = pd.concat(frames, ignore_index=True)
    both = both.drop_duplicates(subset=["osm_type", "id"]) if "osm_type" in both else both
    return gpd.GeoDataFrame(both, geometry="geometry", crs=4326)


def _entrances(
    polygons: gpd.GeoSeries, net: WalkNetwork, segments: np.ndarray, spacing: float, max_d: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Place entrances along the boundary of each area, near the streets.

    Points every ``spacing`` m along each area's boundary that lie within ``max_d`` of a
    street; an area with none keeps its boundary point nearest to a street.
    """
    rings = polygons.boundary
    lengths = rings.length.to_numpy()
    n_pts = np.maximum(1, np.ceil(lengths / spacing).astype(int))
    owner = np.repeat(np.arange(len(rings)), n_pts)
    frac = np.concatenate([np.arange(k) / k for k in n_pts]) if len(n_pts) else np.zeros(0)
    pts = shapely.line_interpolate_point(rings.to_numpy()[owner], frac, normalized=True)
    x, y = shapely.get_x(pts), shapely.get_y(pts)
    pos = snap_to_edges(net, x, y, segments=segments)
    near = pos.snap_distance_m <= max_d
    keep = near.copy()
    fallback = 0
    for k in np.setdiff1d(np.arange(len(rings)), owner[near]):
        mine = np.flatnonzero(owner == k)
        if len(mine):
            keep[mine[np.nanargmin(pos.snap_distance_m[mine])]] = True
            fallback += 1
    return x[keep], y[keep], owner[keep], fallback


def facility_points(
    features: gpd.GeoDataFrame,
    table: CategoryTable,
    net: WalkNetwork,
    segments: np.ndarray,
    *,
    spacing_m: float,
    max_entrance_distance_m: float,
) -> tuple[gpd.GeoDataFrame, dict[str, Any]]:
    """One row per destination point: category, group (the feature), coordinates.

    Features tagged ``access=private|no`` are left out (:func:`is_private`); the report counts
    those that belonged to a category. Point categories use the feature's point (a
    representative point for areas); ``entrances`` categories use boundary entrances.
    """
    from ecocite.access.categories import classify

    private = is_private(features)
    left_out = classify(features[private].reset_index(drop=True), table)
    private_by_category = left_out.groupby("category").size().to_dict()
    feats = features[~private].reset_index(drop=True)
    links = classify(feats, table)
    rows = []
    fallbacks = 0
    for cat in table.categories:
        idx = links.loc[links["category"] == cat.name, "feature"].to_numpy()
        sub = feats.iloc[idx]
        if cat.access == "entrances":
            is_area = sub.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
            areas = sub[is_area]
            x, y, owner, fb = _entrances(
                areas.geometry, net, segments, spacing_m, max_entrance_distance_m
            )
            fallbacks += fb
            group = areas["id"].to_numpy()[owner]
            names = areas["name"].to_numpy()[owner] if "name" in areas else None
            pts = sub[~is_area]
            px, py = (
                shapely.get_x(pts.geometry.representative_point()),
                shapely.get_y(pts.geometry.representative_point()),
            )
            x, y = np.concatenate([x, px]), np.concatenate([y, py])
            group = np.concatenate([group, pts["id"].to_numpy()])
            name = np.concatenate(
                [
                    names if names is not None else np.full(len(owner), None),
                    pts.get("name", pd.Series(None, index=pts.index)).to_numpy(),
                ]
            )
        else:
            rp = sub.geometry.representative_point()
            x, y = shapely.get_x(rp.to_numpy()), shapely.get_y(rp.to_numpy())
            group = sub["id"].to_numpy()
            name = sub["name"].to_numpy() if "name" in sub else np.full(len(sub), None)
        rows.append(
            pd.DataFrame(
                {
                    "category": cat.name,
                    "group": [f"{cat.name}/{g}" for g in group],
                    "name": name,
                    "x": x,
                    "y": y,
                }
            )
        )
    frame = (
        pd.concat(rows, ignore_index=True)
        if rows
        else pd.DataFrame(columns=["category", "group", "name", "x", "y"])
    )
    gdf = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["x"], frame["y"]), crs=net.crs)
    return gdf, {
        "areas_without_entrance_near_street": fallbacks,
        "private_features_left_out": int(private.sum()),
        "private_facilities_left_out": int(left_out["feature"].nunique()),
        "private_facilities_left_out_by_category": {
            str(k): int(v) for k, v in private_by_category.items()
        },
    }


def _buildings(osm: Any, crs: pyproj.CRS) -> gpd.GeoDataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        b = osm.get_buildings()
    if b is None or len(b) == 0:
        return gpd.GeoDataFrame({"building": []}, geometry=[], crs=crs)
    b = b[b.geom_type.isin(["Polygon", "MultiPolygon"])].to_crs(crs)
    levels = pd.to_numeric(
        b.get("building:levels", pd.Series(np.nan, index=b.index))
        .astype("string")
        .str.extract(r"^\s*(\d+(?:\.\d+)?)")[0],
        errors="coerce",
    )
    out = gpd.GeoDataFrame(
        {
            "osm_id": b["id"].to_numpy(),
            "building": b["building"].astype("string").to_numpy(),
            "levels": levels.to_numpy(dtype=float),
        },
        geometry=b.geometry.to_numpy(),
        crs=crs,
    )
    out["footprint_m2"] = out.geometry.area
    return out.reset_index(drop=True)


def load_city(
    pbf: str | Path,
    *,
    boundary: str | Path | BaseGeometry | gpd.GeoDataFrame | Any | None = None,
    name: str | None = None,
    categories: CategoryTable | str | Path | None = None,
    buffer_m: float = 1000.0,
    keep: str = "largest",
    buildings: bool | gpd.GeoDataFrame | str | Path = True,
    gtfs: str | Path | None = None,
    gtfs_date: dt.date | None = None,
) -> OsmCity:
    """Read everything the access indicators need from one OSM PBF extract.

    Args:
        pbf: OpenStreetMap PBF extract.
        boundary: study area (GeoJSON/GeoPackage path, GeoDataFrame, shapely geometry in
            WGS 84, or a registry city with a boundary); ``None`` uses the convex hull of the
            walking network.
        name: city id for the outputs (default: the file name stem).
        categories: a :class:`CategoryTable` or a YAML path (default: the bundled table).
        buffer_m: metres added around the boundary for the network and facilities, so that a
            walk may leave the boundary and come back (origins stay inside the boundary).
        keep: network components to keep, see :func:`~ecocite.access.network.build_network`.
        buildings: ``True`` reads OSM buildings; a frame or file supplies buildings (with
            optional ``population`` and ``levels`` columns); ``False`` skips them.
        gtfs: optional GTFS zip for frequent-service stops.
        gtfs_date: service day for GTFS (default: first Wednesday of its calendar).
    """
    pbf = Path(pbf)
    table = categories if isinstance(categories, CategoryTable) else load_categories(categories)
    ref = load_levels()
    area_wgs = read_boundary(boundary) if boundary is not None else None
    clip_wgs = None
    if area_wgs is not None:
        c = area_wgs.centroid
        crs0 = utm_crs(c.x, c.y)
        to_m = pyproj.Transformer.from_crs(4326, crs0, always_xy=True)
        to_deg = pyproj.Transformer.from_crs(crs0, 4326, always_xy=True)
        clip_wgs = _reproject(_reproject(area_wgs, to_m).buffer(buffer_m), to_deg)
    osm = _open_osm(pbf, clip_wgs)
    try:
        nodes, edges = _walk_layers(osm, pbf)
    except AccessInputError:
        if area_wgs is not None:
            raise AccessInputError(
                f"{pbf}: no walkable streets inside the boundary; does the boundary "
                f"(bounds {tuple(round(v, 4) for v in area_wgs.bounds)}) overlap the extract?"
            ) from None
        raise
    lon, lat = nodes["lon"].to_numpy(float), nodes["lat"].to_numpy(float)
    crs = utm_crs(float(np.median(lon)), float(np.median(lat)))
    fwd = pyproj.Transformer.from_crs(4326, crs, always_xy=True)
    x, y = fwd.transform(lon, lat)
    net = build_network(
        nodes["id"].to_numpy(),
        x,
        y,
        edges["u"].to_numpy(),
        edges["v"].to_numpy(),
        crs=crs,
        keep=keep,
    )
    if area_wgs is not None:
        area = _reproject(area_wgs, fwd)
    else:
        area = shapely.MultiPoint(np.column_stack([net.x, net.y])).convex_hull
    from ecocite.access.search import segment_geometries

    segments = segment_geometries(net)
    features = _read_features(osm).to_crs(crs)
    ent = ref["park_entrances"]
    facilities, fac_report = facility_points(
        features,
        table,
        net,
        segments,
        spacing_m=float(ent["spacing_m"]),
        max_entrance_distance_m=float(ent["max_distance_to_network_m"]),
    )
    green, green_report = _green_space(features, area)
    landuse = _landuse(osm, crs)
    if buildings is True:
        bld = _buildings(osm, crs)
    elif buildings is False:
        bld = gpd.GeoDataFrame({"building": []}, geometry=[], crs=crs)
    else:
        bld = _user_buildings(buildings, crs)
    transit, used = (None, None)
    if gtfs is not None:
        from ecocite.access.gtfs import frequent_stops

        fr = ref["frequent_transit"]
        transit, used = frequent_stops(
            gtfs,
            date=gtfs_date,
            window_hours=tuple(fr["window_hours"]),
            max_mean_headway_min=float(fr["max_mean_headway_min"]),
        )
        tx, ty = fwd.transform(transit["lon"].to_numpy(), transit["lat"].to_numpy())
        transit = transit.assign(x=tx, y=ty)
        used["sha256"] = file_fingerprint(Path(gtfs))["sha256"]
    report = {"network": net.report, "facilities": facilities.groupby("category").size().to_dict()}
    report.update(fac_report)
    report.update(green_report)
    return OsmCity(
        name=name or pbf.stem,
        crs=crs,
        area=area,
        network=net,
        facilities=facilities,
        buildings=bld,
        landuse=landuse,
        green=green,
        categories=table,
        extract=file_fingerprint(pbf) | {"buffer_m": buffer_m},
        report=report,
        transit=transit,
        transit_used=used,
    )


def _green_space(
    features: gpd.GeoDataFrame, area: BaseGeometry
) -> tuple[gpd.GeoDataFrame, dict[str, Any]]:
    """Public green-space polygons, and what was left out as private (count, m² inside area)."""
    hit = np.zeros(len(features), bool)
    for key, values in GREEN_SPACE.items():
        if key in features:
            hit |= features[key].astype("string").isin(values).fillna(False).to_numpy(bool)
    hit &= features.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
    private = is_private(features)
    g = features[hit & ~private]
    p = features[hit & private]
    private_m2 = (
        float(shapely.intersection(shapely.union_all(shapely.make_valid(p.geometry)), area).area)
        if len(p)
        else 0.0
    )
    keep = [c for c in ("id", "name", "leisure", "landuse") if c in g]
    green = gpd.GeoDataFrame(g[keep], geometry=g.geometry, crs=features.crs).reset_index(drop=True)
    return green, {"private_green_left_out": len(p), "private_green_left_out_m2": private_m2}


def _landuse(osm: Any, crs: pyproj.CRS) -> gpd.GeoDataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lu = osm.get_landuse()
    if lu is None or len(lu) == 0:
        return gpd.GeoDataFrame({"landuse": []}, geometry=[], crs=crs)
    lu = lu[lu.geom_type.isin(["Polygon", "MultiPolygon"])]
    return gpd.GeoDataFrame(
        {"landuse": lu["landuse"].astype("string").to_numpy()},
        geometry=lu.geometry.to_numpy(),
        crs=4326,
    ).to_crs(crs)


def _user_buildings(src: gpd.GeoDataFrame | str | Path, crs: pyproj.CRS) -> gpd.GeoDataFrame:
    if isinstance(src, gpd.GeoDataFrame):
        frame, label = src, "buildings frame"
    else:
        label = str(src)
        try:
            frame = gpd.read_file(src)
        except Exception as exc:
            raise AccessInputError(f"{src}: cannot read the buildings layer ({exc})") from None
    if frame.crs is None:
        raise AccessInputError(f"{label}: the buildings layer has no CRS")
    frame = frame.to_crs(crs)
    out = gpd.GeoDataFrame(
        {
            "osm_id": frame.get("osm_id", pd.Series(np.arange(len(frame)))).to_numpy(),
            "building": frame.get("building", pd.Series("yes", index=frame.index))
            .astype("string")
            .to_numpy(),
            "levels": pd.to_numeric(
                frame.get("levels", pd.Series(np.nan, index=frame.index)), errors="coerce"
            ).to_numpy(float),
        },
        geometry=frame.geometry.to_numpy(),
        crs=crs,
    )
    if "population" in frame:
        pop = pd.to_numeric(frame["population"], errors="coerce")
        if pop.isna().any() or (pop < 0).any():
            row = int(np.flatnonzero((pop.isna() | (pop < 0)).to_numpy())[0])
            raise AccessInputError(f"{label}: row {row + 1}, field 'population': not a number >= 0")
        out["population"] = pop.to_numpy(float)
    out["footprint_m2"] = out.geometry.area
    return out
