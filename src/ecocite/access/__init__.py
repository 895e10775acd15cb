"""Walking access to daily services (5/10/15-minute life circles) and urban form from OSM.

Typical use::

    from ecocite.access import load_city, compute_access, write_outputs
    city = load_city("las_palmas.osm.pbf", boundary="municipality.geojson", gtfs="gtfs.zip")
    result = compute_access(city, population=378_000)
    result.origins      # GeoDataFrame: distances and counts per origin and category
    result.summary      # tidy indicator values with provenance
    write_outputs(result, city, "out/")

Heavy dependencies (pyrosm, geopandas, numba) come with the ``access`` extra.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AccessInputError",
    "CitySpec",
    "compute_access",
    "count_within",
    "load_categories",
    "load_city",
    "nearest_distance",
    "run_batch",
    "run_city",
    "snap_to_edges",
    "write_outputs",
]

_WHERE = {
    "AccessInputError": "errors",
    "CitySpec": "batch",
    "run_batch": "batch",
    "run_city": "batch",
    "compute_access": "indicators",
    "count_within": "search",
    "nearest_distance": "search",
    "snap_to_edges": "search",
    "load_categories": "categories",
    "load_city": "osm",
    "write_outputs": "outputs",
}


def __getattr__(name: str) -> Any:
    # lazy, so that `ecocite --help` does not import numba and geopandas
    if name in _WHERE:
        from importlib import import_module

        return getattr(import_module(f"ecocite.access.{_WHERE[name]}"), name)
    raise AttributeError(name)
