"""Cities in the registry: names in three languages, administrative identity and a real boundary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from ecocite.i18n import Text


class CityError(ValueError):
    """A city that cannot be added: unknown code, unreadable boundary, missing extra."""


class RegistryCity(BaseModel):
    """A city (or district, county, pilot site) that can be assessed.

    ``boundary`` is a GeoJSON geometry in WGS84 longitude/latitude (EPSG:4326).
    """

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: Text
    country: str = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2")
    province: Text | None = None
    admin_code: str | None = None
    boundary: dict[str, Any] | None = None
    boundary_source: str | None = None

    @field_validator("boundary")
    @classmethod
    def _valid_geometry(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if value is None:
            return None
        try:
            geom = shape(value)
        except Exception as exc:
            raise ValueError(f"boundary is not a GeoJSON geometry: {exc}") from exc
        if geom.is_empty or geom.geom_type not in {"Polygon", "MultiPolygon"}:
            raise ValueError("boundary must be a non-empty Polygon or MultiPolygon")
        minx, miny, maxx, maxy = geom.bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise ValueError("boundary must be in longitude/latitude degrees (EPSG:4326)")
        return value

    def geometry(self) -> BaseGeometry | None:
        """Return the boundary as a shapely geometry, or None."""
        return shape(self.boundary) if self.boundary else None

    def display_name(self, lang: str = "en") -> str:
        """Return the city's name in ``lang``."""
        return self.name(lang)


def city_from_geojson(
    path: str | Path,
    *,
    city_id: str,
    name: Text,
    country: str,
    province: Text | None = None,
    admin_code: str | None = None,
    simplify_tolerance_deg: float = 0.0,
) -> RegistryCity:
    """Return a city whose boundary is read from a GeoJSON file.

    Features are merged into one boundary. ``simplify_tolerance_deg`` (degrees, 0 = keep every vertex)
    thins the outline for lighter maps. A file whose CRS member names anything but WGS84 is refused.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CityError(f"{path}: cannot read GeoJSON: {exc}") from exc
    crs = (
        (data.get("crs") or {}).get("properties", {}).get("name", "")
        if isinstance(data, dict)
        else ""
    )
    if crs and not any(tag in crs for tag in ("4326", "CRS84")):
        raise CityError(f"{path}: crs: boundary must be in WGS84 (EPSG:4326), found {crs}")
    geom = _merge_geojson(data, path)
    if simplify_tolerance_deg > 0:
        geom = geom.simplify(simplify_tolerance_deg, preserve_topology=True)
    try:
        return RegistryCity(
            id=city_id,
            name=name,
            country=country.upper(),
            province=province,
            admin_code=admin_code,
            boundary=mapping(geom),
            boundary_source=path.name,
        )
    except ValueError as exc:
        raise CityError(f"{path}: {exc}") from exc


def _merge_geojson(data: Any, path: Path) -> BaseGeometry:
    from shapely.ops import unary_union

    if not isinstance(data, dict) or "type" not in data:
        raise CityError(f"{path}: not a GeoJSON object")
    if data["type"] == "FeatureCollection":
        geoms = [shape(f["geometry"]) for f in data.get("features", []) if f.get("geometry")]
    elif data["type"] == "Feature":
        geoms = [shape(data["geometry"])] if data.get("geometry") else []
    else:
        geoms = [shape(data)]
    if not geoms:
        raise CityError(f"{path}: no geometry in the file")
    merged = unary_union(geoms)
    if merged.geom_type not in {"Polygon", "MultiPolygon"}:
        raise CityError(f"{path}: boundary must be polygons, found {merged.geom_type}")
    return merged
