"""Attach an extract to a city, run the access engine in the background, import its values.

Every figure comes from :mod:`ecocite.access` (``load_city`` then ``compute_access``, the same
calls as ``ecocite access run``); this module checks what a web upload needs first, so a file
that is not a PBF or a GTFS feed without stops is refused before anything is saved or queued.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecocite.data import DataImportError
from ecocite.web.access.config import ServerExtract, pbf_max_bytes, server_extracts
from ecocite.web.access.models import AccessRun, Status
from ecocite.web.cities.models import City
from ecocite.web.datasets.models import Dataset
from ecocite.web.datasets.services import import_upload

# Facilities shown on the map at most (all of them in a city the size of Las Palmas).
MAP_MAX_FACILITIES = 20_000


class AccessRejected(ValueError):
    """Inputs refused before anything is saved; ``problems`` are sentences for the person."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Upload:
    """A file as received: its name and its bytes (read up to one byte past the limit)."""

    name: str
    content: bytes


def check_pbf(upload: Upload) -> None:
    """Refuse a file that is too large, empty or not an OSM PBF.

    Refuse a file that is too large, empty or not an OSM PBF (its first block must be the
    ``OSMHeader`` blob that every PBF starts with).
    """
    limit = pbf_max_bytes()
    content = upload.content
    if not upload.name.lower().endswith(".pbf"):
        raise AccessRejected(
            [_("%(name)s: an OSM extract must be a .osm.pbf file.") % {"name": upload.name}]
        )
    if len(content) == 0:
        raise AccessRejected([_("%(name)s: the file is empty.") % {"name": upload.name}])
    if len(content) > limit:
        raise AccessRejected(
            [
                _(
                    "%(name)s: the file is larger than the limit of %(limit)s MB; ask an administrator to configure it on the server."
                )
                % {"name": upload.name, "limit": limit // (1024 * 1024)}
            ]
        )
    head_len = struct.unpack(">I", content[:4])[0] if len(content) >= 4 else 0
    if not (0 < head_len < 64 * 1024 and b"OSMHeader" in content[4 : 4 + head_len]):
        raise AccessRejected(
            [
                _(
                    "%(name)s: this is not an OpenStreetMap PBF file (no OSMHeader block at its start)."
                )
                % {"name": upload.name}
            ]
        )


def check_gtfs(upload: Upload) -> None:
    """Refuse a GTFS feed that is not a zip archive or has no stops."""
    name = upload.name
    try:
        archive = zipfile.ZipFile(io.BytesIO(upload.content))
    except zipfile.BadZipFile:
        raise AccessRejected(
            [_("%(name)s: a GTFS feed must be a zip archive.") % {"name": name}]
        ) from None
    with archive:
        members = {Path(m).name: m for m in archive.namelist()}
        if "stops.txt" not in members:
            raise AccessRejected([_("%(name)s: the GTFS feed has no stops.txt.") % {"name": name}])
        try:
            stops = pd.read_csv(io.BytesIO(archive.read(members["stops.txt"])), dtype=str)
        except (ValueError, pd.errors.EmptyDataError):
            stops = pd.DataFrame()
    if len(stops) == 0 or not {"stop_lat", "stop_lon"} <= set(stops.columns):
        raise AccessRejected(
            [
                _(
                    "%(name)s: the GTFS feed has no stops (stops.txt is empty or lacks stop_lat/stop_lon)."
                )
                % {"name": name}
            ]
        )


def request_run(
    city: City,
    *,
    pbf: Upload | None = None,
    server_key: str = "",
    gtfs: Upload | None = None,
    population: float | None = None,
    user: Any | None = None,
) -> AccessRun:
    """Check the inputs, keep them and queue the analysis; nothing is kept when a check fails."""
    from ecocite.web.access.tasks import run_access

    extract: ServerExtract | None = None
    if (pbf is None) == (not server_key):
        raise AccessRejected([_("Upload one OSM extract or pick one on the server (not both).")])
    if pbf is not None:
        check_pbf(pbf)
    else:
        extract = server_extracts().get(server_key)
        if extract is None or not extract.pbf.is_file():
            raise AccessRejected([_("This server extract is not available.")])
    if gtfs is not None:
        check_gtfs(gtfs)
    with transaction.atomic():
        run = AccessRun(
            city=city,
            source=pbf.name if pbf is not None else extract.label,  # type: ignore[union-attr]
            server_extract=server_key if extract is not None else "",
            population=population,
            requested_by=user if getattr(user, "is_authenticated", False) else None,
        )
        if pbf is not None:
            run.pbf.save(Path(pbf.name).name, ContentFile(pbf.content), save=False)
        if gtfs is not None:
            run.gtfs.save(Path(gtfs.name).name, ContentFile(gtfs.content), save=False)
            run.gtfs_name = Path(gtfs.name).name[:300]
        elif extract is not None and extract.gtfs is not None:
            run.gtfs_name = extract.gtfs.name
        run.save()
        transaction.on_commit(lambda: run_access.enqueue(run.pk))
    return run


def _progress(run_id: int, percent: int, step: str) -> None:
    AccessRun.objects.filter(pk=run_id, status__in=[Status.QUEUED, Status.RUNNING]).update(
        progress=percent, step=step
    )


def _inputs(run: AccessRun) -> tuple[Path, Any, Path | None]:
    """PBF path, boundary (file, geometry or None) and GTFS path of a run."""
    import shapely.geometry

    extract = server_extracts().get(run.server_extract) if run.server_extract else None
    if run.server_extract and extract is None:
        raise AccessRejected([_("This server extract is not available.")])
    pbf = extract.pbf if extract is not None else Path(run.pbf.path)
    gtfs: Path | None = Path(run.gtfs.path) if run.gtfs else None
    if gtfs is None and extract is not None:
        gtfs = extract.gtfs
    boundary: Any = extract.boundary if extract is not None else None
    if boundary is None and run.city.boundary:
        geometry = run.city.boundary.get("geometry", run.city.boundary)
        if geometry.get("type") == "FeatureCollection":
            geometry = geometry["features"][0]["geometry"]
        boundary = shapely.geometry.shape(geometry)
    return pbf, boundary, gtfs


def map_layer(result: Any, city: Any) -> dict[str, Any]:
    """Return the offline map's layers: origins and facilities in WGS 84.

    Origins (lat, lon, share of life-circle categories reached, desert flag) and facilities
    (lat, lon, category) in WGS 84, rounded to about a metre, for the offline map.
    """
    import geopandas as gpd
    import numpy as np

    from ecocite.access.categories import load_levels

    o = result.origins.to_crs(4326)
    share = np.round(o["life_circle_share"].to_numpy(float), 3)
    origins = np.column_stack(
        [np.round(o.geometry.y.to_numpy(), 5), np.round(o.geometry.x.to_numpy(), 5), share]
    )
    snapped = ~np.isnan(result.origins["snap_m"].to_numpy(float))
    fac = city.facilities.iloc[:MAP_MAX_FACILITIES]
    pts = gpd.GeoSeries(fac.geometry, crs=city.crs).to_crs(4326)
    return {
        "origins": origins[snapped].tolist(),
        "facilities": [
            [round(float(y), 5), round(float(x), 5), str(c)]
            for x, y, c in zip(pts.x, pts.y, fac["category"], strict=True)
        ],
        "desert_below": float(load_levels()["service_desert"]["max_share_covered"]),
    }


def execute(run_id: int) -> None:
    """Run one queued analysis to the end; a failure is recorded with its reason, not raised."""
    from ecocite.access.errors import AccessInputError
    from ecocite.access.indicators import compute_access
    from ecocite.access.osm import load_city

    updated = AccessRun.objects.filter(pk=run_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now(), progress=5, step="start"
    )
    if not updated:
        return  # already taken by another worker, or finished
    run = AccessRun.objects.select_related("city").get(pk=run_id)
    try:
        pbf, boundary, gtfs = _inputs(run)
        _progress(run_id, 10, "reading the OSM extract")
        city = load_city(pbf, boundary=boundary, name=run.city.slug, gtfs=gtfs)
        _progress(run_id, 60, "walking distances")
        result = compute_access(city, population=run.population)
        _progress(run_id, 90, "saving")
        summary = result.summary.to_dict(orient="records")
        coverage = result.coverage.to_dict(orient="records")
        layer = map_layer(result, city)
        report = {
            "city": city.report,
            "origins": result.details["origins"],
            "origins_snapped": result.details["origins_snapped"],
            "origin_weight": result.details["origin_weight"],
            "extract": city.extract,
        }
    except (
        Exception
    ) as exc:  # the person who asked sees the reason (AccessInputError names the file)
        known = isinstance(exc, AccessInputError | AccessRejected)
        message = str(exc) if known else f"{type(exc).__name__}: {exc}"
        AccessRun.objects.filter(pk=run_id).update(
            status=Status.FAILED, error=message, progress=100, step="", finished_at=timezone.now()
        )
        return
    AccessRun.objects.filter(pk=run_id).update(
        summary=json.loads(json.dumps(summary, default=str)),
        coverage=json.loads(json.dumps(coverage, default=str)),
        report=json.loads(json.dumps(report, default=str)),
        map_layer=layer,
        status=Status.FINISHED,
        progress=100,
        step="done",
        finished_at=timezone.now(),
    )


def import_values(run: AccessRun, *, framework_key: str, user: Any | None) -> Dataset:
    """Import the run's summary values as one dataset, as an upload would.

    Every value keeps its provenance.
    """
    if run.status != Status.FINISHED or not run.summary:
        raise AccessRejected([_("Only a finished analysis can be imported.")])
    table = pd.DataFrame(run.summary)
    year = int(table["year"].iloc[0])
    illustrative = bool(run.city.illustrative)
    name = f"{run.city.slug}_access_{year}_run{run.pk}{'_illustrative' if illustrative else ''}.csv"
    try:
        with transaction.atomic():
            dataset = import_upload(
                name,
                table.to_csv(index=False).encode("utf-8"),
                city=run.city,
                framework_key=framework_key,
                user=user,
                illustrative=illustrative,
            )
            run.dataset = dataset
            run.save(update_fields=["dataset"])
    except DataImportError as exc:
        raise AccessRejected([str(e) for e in exc.errors][:20]) from exc
    return dataset
