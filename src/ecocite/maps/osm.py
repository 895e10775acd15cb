"""Build a city's offline map from an OpenStreetMap PBF extract.

:func:`build_city_map` reads the extract once (pyrosm), clips every layer to the city's area
plus a buffer, thins and rounds the geometry (about a metre) and writes into one folder:

- ``streets.geojson`` (major streets), ``water.geojson``, ``parks.geojson``, and cut in cells
  of about a kilometre under ``tiles/`` for street level: ``buildings`` and ``lanes`` (the
  other streets and paths, ``k``: minor / path): the base layer;
- ``heritage.geojson``: features tagged ``historic=*`` or ``heritage=*`` with their name and
  tags, a layer of its own;
- ``places.json``: the place index (:class:`ecocite.maps.places.PlaceIndex`);
- ``manifest.json``: the source file (name, size, SHA-256, date), the licence and credit line,
  the area's bounds, the buffer, the feature count of each layer and the cells written.

Every file also has a gzip twin (``.gz``) for servers to send compressed.

Files are written to a temporary folder and moved in place at the end: a failed build leaves
the previous map as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import tempfile
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ecocite.maps.places import Place, PlaceIndex, normalise

LAYERS = ("streets", "buildings", "water", "parks", "heritage")
# Drawn from street level only, so cut in cells of CELL_DEG degrees (about 1 km) that the map
# loads as they come into view: ``tiles/<layer>/<ix>_<iy>.geojson``, ix = floor(lon / CELL_DEG).
TILED = ("buildings", "lanes")
CELL_DEG = 0.01
MIN_PARK_DEG2 = 1e-8  # about 100 m²: smaller green patches are left out of the base layer
ATTRIBUTION = "© OpenStreetMap contributors"
LICENCE = "ODbL 1.0"
TOLERANCE_DEG = 1e-5  # about a metre: thinning and rounding of every layer
DIGITS = 5

MAJOR = frozenset({
    "motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link",
    "secondary", "secondary_link", "tertiary", "tertiary_link",
})  # fmt: skip
PATHS = frozenset({
    "footway", "pedestrian", "path", "steps", "cycleway", "bridleway", "track", "corridor",
})  # fmt: skip
WATER = {
    "natural": ["water", "coastline", "bay", "spring"],
    "waterway": True,
    "landuse": ["reservoir", "basin"],
}
PARKS = {
    "leisure": ["park", "garden", "nature_reserve", "playground", "dog_park"],
    "landuse": ["grass", "recreation_ground", "village_green", "forest", "meadow", "cemetery"],
    "natural": ["wood", "scrub", "grassland"],
}
HERITAGE = {"historic": True, "heritage": True}
NAMED = {
    "amenity": True, "shop": True, "tourism": True, "leisure": True, "historic": True,
    "office": True, "place": True, "building": ["church", "cathedral", "chapel", "civic"],
}  # fmt: skip


class MapInputError(ValueError):
    """Bad input to a map build (file, area, parameter); the message names what and where.

    Nothing has been written when this is raised.
    """


@dataclass
class CityMap:
    """What a build wrote: the folder and its manifest."""

    folder: Path
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        """Return the feature count of each layer, and of the place index (``places``)."""
        return dict(self.manifest.get("counts", {}))


def fingerprint(path: Path) -> dict[str, Any]:
    """Return the name, size, SHA-256 and the date in the file name (YYYY-MM-DD) of ``path``."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    m = re.search(r"(\d{4}-\d{2}-\d{2})", path.name)
    return {"file": path.name, "bytes": path.stat().st_size, "sha256": digest, "date": m and m[1]}


def _tag(row: Any, key: str) -> str:
    """Return the tag ``key`` of a pyrosm row, from its column or its ``tags`` JSON."""
    value = row.get(key) if hasattr(row, "get") else None
    if isinstance(value, str) and value.strip():
        return value.strip()
    tags = row.get("tags") if hasattr(row, "get") else None
    if isinstance(tags, str) and f'"{key}"' in tags:
        try:
            tags = json.loads(tags)
        except ValueError:
            return ""
    if isinstance(tags, dict):
        found = tags.get(key)
        return str(found).strip() if found else ""
    return ""


def _round(coords: Any) -> Any:
    if isinstance(coords, (int, float)):
        return round(float(coords), DIGITS)
    return [_round(c) for c in coords]


def _feature(geom: Any, properties: dict[str, Any]) -> dict[str, Any]:
    from shapely.geometry import mapping

    shape = mapping(geom)
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": shape["type"], "coordinates": _round(shape["coordinates"])},
    }


def _thin(frame: Any, area: Any) -> Any:
    """Clip a frame to ``area``, thin and round its geometry, drop what vanished."""
    import geopandas as gpd
    import shapely

    if frame is None or len(frame) == 0:
        return gpd.GeoDataFrame({"geometry": []}, geometry="geometry", crs=4326)
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    frame = frame[frame.geometry.intersects(area)].copy()
    inside = frame.geometry.within(area)
    if (~inside).any():
        frame.loc[~inside, "geometry"] = frame.geometry[~inside].intersection(area)
    geoms = shapely.simplify(frame.geometry.to_numpy(), TOLERANCE_DEG, preserve_topology=True)
    geoms = shapely.set_precision(geoms, 10**-DIGITS)
    frame["geometry"] = geoms
    return frame[~frame.geometry.is_empty & frame.geometry.notna()]


def _explode(frame: Any, kinds: Iterable[str]) -> Any:
    """Keep the parts of ``kinds`` (Point, LineString, Polygon) of collections, one per row."""
    wanted = set(kinds)
    frame = frame.explode(index_parts=False)
    return frame[frame.geom_type.isin(wanted)]


def _streets(osm: Any, area: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]], Any]:
    net = osm.get_network(network_type="all")
    if net is None or len(net) == 0 or "highway" not in net:
        return [], [], None
    raw = _thin(net, area)
    raw = _explode(raw, ["LineString"])
    major, lanes = [], []
    for highway, geom in zip(raw["highway"], raw.geometry, strict=True):
        if highway in MAJOR:
            major.append(_feature(geom, {"k": "major"}))
        else:
            lanes.append(_feature(geom, {"k": "path" if highway in PATHS else "minor"}))
    return major, lanes, net


def _cell(feature: dict[str, Any]) -> tuple[int, int]:
    """Return the cell of a feature: that of its first coordinate."""
    import math

    first = feature["geometry"]["coordinates"]
    while isinstance(first[0], list):
        first = first[0]
    return math.floor(first[0] / CELL_DEG), math.floor(first[1] / CELL_DEG)


def _write(path: Path, data: Any) -> None:
    import gzip

    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    path.write_bytes(text)
    path.with_name(path.name + ".gz").write_bytes(gzip.compress(text, mtime=0))


def _simple_layer(
    frame: Any, area: Any, kinds: Iterable[str], min_area: float = 0.0
) -> list[dict[str, Any]]:
    thin = _explode(_thin(frame, area), kinds)
    if min_area:
        thin = thin[(thin.geom_type != "Polygon") | (thin.area >= min_area)]
    return [_feature(g, {}) for g in thin.geometry]


def _heritage(osm: Any, area: Any) -> tuple[list[dict[str, Any]], list[Place]]:
    frame = osm.get_data_by_custom_criteria(
        custom_filter=HERITAGE, keep_nodes=True, keep_ways=True, keep_relations=True
    )
    thin = _thin(frame, area)
    features, places = [], []
    for _i, row in thin.iterrows():
        name = _tag(row, "name")
        props = {"name": name, "historic": _tag(row, "historic"), "heritage": _tag(row, "heritage")}
        features.append(_feature(row.geometry, props))
        if name:
            point = row.geometry.representative_point()
            places.append(Place(name, "place", round(point.x, 6), round(point.y, 6)))
    return features, places


def _street_places(net: Any, area: Any) -> list[Place]:
    import shapely
    from shapely.ops import linemerge

    named = net[net["name"].notna() & (net["name"].astype(str).str.strip() != "")]
    named = named[named.geometry.intersects(area)]
    places = []
    for name, group in named.groupby(named["name"].astype(str).str.strip()):
        merged = shapely.union_all(group.geometry.to_numpy())
        if merged.geom_type == "MultiLineString":
            merged = linemerge(merged)
        parts = getattr(merged, "geoms", [merged])
        parts = [g for g in parts if g.geom_type == "LineString"]
        if not parts:
            continue
        longest = max(parts, key=lambda g: g.length)
        point = longest.interpolate(0.5, normalized=True)
        if area.contains(point):
            places.append(Place(str(name), "street", round(point.x, 6), round(point.y, 6)))
    return places


def _named_places(osm: Any, area: Any) -> list[Place]:
    frame = osm.get_data_by_custom_criteria(
        custom_filter=NAMED, keep_nodes=True, keep_ways=True, keep_relations=False
    )
    if frame is None or len(frame) == 0 or "name" not in frame:
        return []
    frame = frame[frame["name"].notna() & frame.geometry.notna()]
    points = frame.geometry.representative_point()
    inside = points.within(area)
    return [
        Place(str(name).strip(), "place", round(p.x, 6), round(p.y, 6))
        for name, p in zip(frame["name"][inside], points[inside], strict=True)
        if str(name).strip()
    ]


def _addresses(osm: Any, area: Any) -> list[Place]:
    frame = osm.get_data_by_custom_criteria(
        custom_filter={"addr:housenumber": True}, keep_nodes=True, keep_ways=True,
        keep_relations=False,
    )  # fmt: skip
    if frame is None or len(frame) == 0:
        return []
    frame = frame[frame.geometry.notna()]
    points = frame.geometry.representative_point()
    places = []
    for (_i, row), point in zip(frame.iterrows(), points, strict=True):
        street, number = _tag(row, "addr:street"), _tag(row, "addr:housenumber")
        if street and number and area.contains(point):
            label = f"{_title(street)} {number}"
            places.append(Place(label, "address", round(point.x, 6), round(point.y, 6)))
    return places


def _title(street: str) -> str:
    """Give a street name in capitals (as some imports write them) a readable case."""
    return street.title() if street.isupper() else street


def _unique(places: Iterable[Place]) -> list[Place]:
    seen: set[tuple[str, str]] = set()
    out = []
    for place in places:
        key = (normalise(place.label), place.kind)
        if key not in seen:
            seen.add(key)
            out.append(place)
    return out


def _area(area: Any, buffer_m: float) -> Any:
    """Return ``area`` (WGS84) grown by ``buffer_m`` metres, in WGS84."""
    import geopandas as gpd
    import shapely

    if area is None or area.is_empty or area.geom_type not in ("Polygon", "MultiPolygon"):
        raise MapInputError("the city's area must be a polygon or multipolygon (WGS84)")
    minx, miny, maxx, maxy = area.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise MapInputError("the city's area is not in longitude, latitude (WGS84)")
    area = shapely.make_valid(area)
    if buffer_m <= 0:
        return area
    frame = gpd.GeoSeries([area], crs=4326)
    utm = frame.estimate_utm_crs()
    return frame.to_crs(utm).buffer(buffer_m).to_crs(4326).iloc[0]


def build_city_map(pbf: Path, area: Any, out: Path, *, buffer_m: float = 500.0) -> CityMap:
    """Write the offline map of the city ``area`` from the OSM extract ``pbf`` into ``out``.

    Parameters
    ----------
    pbf
        An OpenStreetMap PBF extract covering the area.
    area
        The city's boundary (or a site), a shapely (multi)polygon in WGS84.
    out
        The folder to write (created; replaced as a whole when the build succeeds).
    buffer_m
        How far around the area to keep, in metres.

    Returns
    -------
    CityMap
        The folder and its manifest (feature counts per layer and of the place index).

    Raises
    ------
    MapInputError
        The extract is missing or unreadable, the area is not a polygon, or the extract has no
        street inside the area. Nothing is written then.
    """
    pbf = Path(pbf)
    if not pbf.is_file():
        raise MapInputError(f"{pbf}: OSM extract not found")
    if pbf.stat().st_size == 0:
        raise MapInputError(f"{pbf}: the OSM extract is empty (0 bytes)")
    clip = _area(area, buffer_m)
    import pyrosm

    try:
        osm = pyrosm.OSM(str(pbf), bounding_box=list(clip.bounds))
    except Exception as exc:
        raise MapInputError(f"{pbf}: not a readable OSM PBF file ({exc})") from None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            streets, lanes, net = _streets(osm, clip)
        except Exception as exc:
            raise MapInputError(f"{pbf}: cannot read the streets ({exc})") from None
        if net is None or not (streets or lanes):
            raise MapInputError(f"{pbf}: no street of the extract lies inside the city's area")
        layers: dict[str, list[dict[str, Any]]] = {"streets": streets, "lanes": lanes}
        layers["buildings"] = _simple_layer(osm.get_buildings(), clip, ["Polygon"])
        water = osm.get_data_by_custom_criteria(custom_filter=WATER, keep_relations=True)
        layers["water"] = _simple_layer(water, clip, ["Polygon", "LineString"])
        parks = osm.get_data_by_custom_criteria(custom_filter=PARKS, keep_relations=True)
        layers["parks"] = _simple_layer(parks, clip, ["Polygon"], MIN_PARK_DEG2)
        layers["heritage"], heritage_places = _heritage(osm, clip)
        places = _unique(
            [
                *_street_places(net, clip),
                *heritage_places,
                *_named_places(osm, clip),
                *_addresses(osm, clip),
            ]
        )
    manifest: dict[str, Any] = {
        "source": fingerprint(pbf),
        "licence": LICENCE,
        "attribution": ATTRIBUTION,
        "bounds": [round(v, 6) for v in clip.bounds],
        "buffer_m": buffer_m,
        "counts": {name: len(layers[name]) for name in LAYERS}
        | {"streets": len(streets) + len(lanes), "lanes": len(lanes), "places": len(places)},
        "cell_deg": CELL_DEG,
        "tiles": {},
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".build-", dir=out.parent))
    try:
        for name, features in layers.items():
            if name not in TILED:
                _write(
                    work / f"{name}.geojson", {"type": "FeatureCollection", "features": features}
                )
                continue
            cells: dict[tuple[int, int], list[dict[str, Any]]] = {}
            for feature in features:
                cells.setdefault(_cell(feature), []).append(feature)
            (work / "tiles" / name).mkdir(parents=True)
            for (ix, iy), members in cells.items():
                collection = {"type": "FeatureCollection", "features": members}
                _write(work / "tiles" / name / f"{ix}_{iy}.geojson", collection)
            manifest["tiles"][name] = sorted(cells)
        PlaceIndex(places).write(work / "places.json")
        (work / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        if out.exists():
            old = out.with_name(f".old-{out.name}")
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
            work.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            work.rename(out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return CityMap(out, manifest)


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """Return the manifest of a built map, or ``None`` when there is none."""
    path = Path(folder) / "manifest.json"
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
