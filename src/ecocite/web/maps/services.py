"""Build, find and search a city's offline map (the engine is :mod:`ecocite.maps`).

A city's map lives in its own folder, ``MAPS_ROOT/<city slug>/`` (default: ``maps/`` in the data
folder): the files :func:`ecocite.maps.osm.build_city_map` writes. The pages serve those files
and search the place index; nothing is fetched from the network.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ecocite.maps.osm import CityMap, MapInputError, build_city_map, read_manifest
from ecocite.maps.places import Place, PlaceIndex


def maps_root() -> Path:
    """Return the folder holding every city's map."""
    return Path(getattr(settings, "MAPS_ROOT", settings.DATA_DIR / "maps"))


def map_folder(city: Any) -> Path:
    """Return the folder of ``city``'s map (it may not exist yet)."""
    return maps_root() / str(city.slug)


def manifest(city: Any) -> dict[str, Any] | None:
    """Return the manifest of ``city``'s map, or ``None`` when none was built."""
    return read_manifest(map_folder(city))


def build_for_city(
    city: Any, pbf: Path, *, area: dict[str, Any] | None = None, buffer_m: float = 500.0
) -> CityMap:
    """Build ``city``'s map from the OSM extract ``pbf``, clipped to its boundary (or ``area``).

    Raises
    ------
    ValidationError
        The city has no boundary and no area is given, or the extract cannot be used (the
        message names the file); the previous map, if any, is left as it was.
    """
    from shapely.geometry import shape

    outline = area or city.boundary
    if not outline:
        raise ValidationError(
            {"area": _("%(city)s has no boundary: give the area to map.") % {"city": city.name}}
        )
    try:
        geom = shape(outline)
        built = build_city_map(Path(pbf), geom, map_folder(city), buffer_m=buffer_m)
    except (MapInputError, ValueError, TypeError, KeyError) as err:
        raise ValidationError({"pbf": str(err)}) from err
    _index.cache_clear()
    return built


@lru_cache(maxsize=8)
def _index(path: str, mtime: float) -> PlaceIndex:
    return PlaceIndex.load(Path(path))


def place_index(city: Any) -> PlaceIndex | None:
    """Return ``city``'s place index (kept in memory while its file is unchanged), or ``None``."""
    path = map_folder(city) / "places.json"
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return None
    return _index(str(path), mtime)


def kind_label(kind: str) -> str:
    """Name a kind of place for people."""
    labels = {"street": _("street"), "place": _("named place"), "address": _("address")}
    return labels.get(kind, kind)


def search_places(
    city: Any, query: str, *, within: dict[str, Any] | None = None, limit: int = 8
) -> list[tuple[int, Place]]:
    """Return up to ``limit`` places of ``city`` matching ``query`` (inside ``within`` if given).

    ``within`` is a GeoJSON polygon (a process's site): only places inside it are returned.
    """
    index = place_index(city)
    if index is None or not query.strip():
        return []
    if within is None:
        return index.search(query, limit=limit)
    from shapely.geometry import Point, shape

    area = shape(within)
    found = index.search(query, limit=limit * 20, bbox=area.bounds)
    return [(i, p) for i, p in found if area.covers(Point(p.lon, p.lat))][:limit]


def place_geometry(city: Any, position: int) -> dict[str, Any] | None:
    """Return the GeoJSON point of the place at ``position`` of ``city``'s index, or ``None``."""
    index = place_index(city)
    place = index.get(position) if index is not None else None
    return place.geometry() if place is not None else None


def map_attributes(city: Any, *, site: dict[str, Any] | None = None) -> dict[str, str]:
    """Return the ``data-*`` values a map element needs for ``city`` (and a site outline)."""
    from django.urls import reverse

    built = manifest(city)
    attrs = {
        "tiles": getattr(settings, "MAP_TILE_URL", ""),
        "tiles-credit": getattr(settings, "MAP_TILE_ATTRIBUTION", ""),
        "site": json.dumps(site) if site else "",
        "manifest": "",
        "credit": "",
    }
    if built is not None:
        attrs["manifest"] = reverse("maps:manifest", args=[city.slug])
        attrs["credit"] = f"{built['attribution']} ({built['licence']})"
    return attrs
