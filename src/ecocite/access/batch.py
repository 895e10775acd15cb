"""One city end to end, and many cities on Dask (local cluster or a scheduler address)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ecocite.access.errors import AccessInputError


@dataclass(frozen=True)
class CitySpec:
    """One city of a batch: its extract and optional inputs.

    One line of a batch: a city id, its PBF extract and optional boundary, GTFS, population,
    buildings layer (with ``population``/``levels``) and origin points (with ``population``).

    Relative paths in a batch file are relative to that file.
    """

    city: str
    pbf: str
    boundary: str | None = None
    gtfs: str | None = None
    population: float | None = None
    year: int | None = None
    buildings: str | None = None
    origins: str | None = None


def run_city(
    spec: CitySpec,
    out_dir: str | Path,
    *,
    categories: str | Path | None = None,
    html_map: bool = True,
    snap_legs: bool = True,
) -> dict[str, Any]:
    """Load, compute and write one city. Returns a small record: city, files, seconds, status.

    ``snap_legs=False`` leaves the walks between places and streets out of the distances (see
    :func:`~ecocite.access.search.nearest_distance`).
    """
    from ecocite.access.indicators import compute_access
    from ecocite.access.osm import load_city
    from ecocite.access.outputs import write_outputs

    start = dt.datetime.now()
    city = load_city(
        spec.pbf,
        boundary=spec.boundary,
        name=spec.city,
        categories=categories,
        gtfs=spec.gtfs,
        buildings=spec.buildings if spec.buildings else True,
    )
    origins = read_origins(spec.origins, city.crs) if spec.origins else None
    result = compute_access(
        city, origins=origins, year=spec.year, population=spec.population, snap_legs=snap_legs
    )
    files = write_outputs(result, city, out_dir, html_map=html_map)
    return {
        "city": spec.city,
        "status": "ok",
        "seconds": (dt.datetime.now() - start).total_seconds(),
        "files": [str(f) for f in files],
        "indicators": len(result.summary),
        "network": city.network.report,
        "origins": result.details["origins"],
        "origins_snapped": result.details["origins_snapped"],
        "origin_weight": result.details["origin_weight"],
    }


def read_origins(path: str | Path, crs: Any) -> Any:
    """Read origin points from a vector file with a CRS.

    Origin points (e.g. population points) from a vector file with a CRS; a ``population``
    column, when present, becomes the weight.
    """
    import geopandas as gpd
    import numpy as np

    label = str(path)
    try:
        frame = gpd.read_file(path)
    except Exception as exc:
        raise AccessInputError(f"{label}: cannot read the origins ({exc})") from None
    if frame.crs is None:
        raise AccessInputError(f"{label}: the origins have no CRS")
    if len(frame) == 0 or not frame.geom_type.eq("Point").all():
        raise AccessInputError(f"{label}: origins must be a non-empty layer of points")
    frame = frame.to_crs(crs)
    if "population" in frame:
        pop = pd.to_numeric(frame["population"], errors="coerce")
        bad = np.flatnonzero((pop.isna() | (pop < 0)).to_numpy())
        if len(bad):
            raise AccessInputError(
                f"{label}: row {int(bad[0]) + 1}, field 'population': not a number >= 0"
            )
        frame["weight"] = pop.to_numpy(float)
    return frame


def _rel(base: Path, value: str) -> str | None:
    return str((base.parent / value).resolve()) if value else None


def _num(
    path: Path, line: int, row: Mapping[Any, Any], field: str, cast: Callable[[str], Any]
) -> Any:
    value = str(row.get(field, "") or "")
    if not value:
        return None
    try:
        return cast(value)
    except ValueError:
        raise AccessInputError(
            f"{path}, row {line}, field '{field}': {value!r} is not a number"
        ) from None


def read_batch(path: str | Path) -> list[CitySpec]:
    """Read the cities of a batch from a CSV file.

    Read a CSV with columns ``city, pbf`` and optional ``boundary, gtfs, population, year,
    buildings, origins``.
    """
    p = Path(path)
    if not p.is_file():
        raise AccessInputError(f"{p}: batch file not found")
    frame = pd.read_csv(p, dtype=str, keep_default_na=False)
    for col in ("city", "pbf"):
        if col not in frame.columns:
            raise AccessInputError(f"{p}: missing column '{col}'")
    specs = []
    for i, row in enumerate(frame.to_dict(orient="records")):
        line = i + 2
        if not row["city"] or not row["pbf"]:
            raise AccessInputError(f"{p}, row {line}: 'city' and 'pbf' are required")
        specs.append(
            CitySpec(
                city=row["city"],
                pbf=_rel(p, row["pbf"]) or "",
                boundary=_rel(p, row.get("boundary", "")),
                gtfs=_rel(p, row.get("gtfs", "")),
                buildings=_rel(p, row.get("buildings", "")),
                origins=_rel(p, row.get("origins", "")),
                population=_num(p, line, row, "population", float),
                year=_num(p, line, row, "year", int),
            )
        )
    return specs


def _run_one(
    spec_dict: dict[str, Any],
    out_dir: str,
    categories: str | None,
    html_map: bool,
    snap_legs: bool = True,
) -> dict[str, Any]:
    spec = CitySpec(**spec_dict)
    try:
        return run_city(
            spec,
            Path(out_dir) / spec.city,
            categories=categories,
            html_map=html_map,
            snap_legs=snap_legs,
        )
    except AccessInputError as exc:
        return {"city": spec.city, "status": "error", "error": str(exc), "files": []}
    except Exception as exc:  # one failing city must not stop the batch; say what happened
        message = f"{type(exc).__name__}: {exc}"
        return {"city": spec.city, "status": "error", "error": message, "files": []}


def run_batch(
    specs: Sequence[CitySpec],
    out_dir: str | Path,
    *,
    scheduler: str | None = None,
    n_workers: int | None = None,
    processes: bool = True,
    categories: str | Path | None = None,
    html_map: bool = True,
    progress: Callable[[dict[str, Any]], None] | None = None,
    snap_legs: bool = True,
) -> pd.DataFrame:
    """Run many cities on Dask and return one row per city (status, seconds, files, error).

    Args:
        specs: the cities.
        out_dir: each city writes into ``out_dir/<city>/``.
        scheduler: address of a running Dask scheduler (``tcp://host:8786``); ``None`` starts a
            LocalCluster on this machine.
        n_workers: workers of the local cluster (default: Dask's choice).
        processes: local workers as processes (True) or threads.
        categories: optional category table (YAML) for every city.
        html_map: also write the HTML maps.
        progress: called with each city's record as soon as it finishes.
        snap_legs: include the walks between places and streets (default).

    A city with bad input gets status "error" and its message; the others go on.
    """
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=n_workers, processes=processes, threads_per_worker=1, dashboard_address=None
        )
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        futures = [
            client.submit(
                _run_one,
                asdict(s),
                str(out_dir),
                str(categories) if categories else None,
                html_map,
                snap_legs,
                key=f"access-{s.city}",
                pure=False,
            )
            for s in specs
        ]
        rows = []
        for fut in as_completed(futures):
            rec = fut.result()
            rows.append(rec)
            if progress is not None:
                progress(rec)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    order = {s.city: i for i, s in enumerate(specs)}
    frame = pd.DataFrame(rows)
    return frame.sort_values("city", key=lambda c: c.map(order)).reset_index(drop=True)
