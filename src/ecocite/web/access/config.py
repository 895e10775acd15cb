"""What an administrator configures: the upload size limit and the extracts kept on the server.

Settings (all optional): ``ACCESS_PBF_MAX_BYTES`` (environment ``ECOCITE_ACCESS_PBF_MAX_BYTES``,
default 200 MB) and ``ACCESS_EXTRACTS``, a mapping ``key → {"label", "pbf", "boundary",
"gtfs"}`` of files on the server for extracts too large to upload. The Las Palmas bundle of the
shared data folder is offered as the demo extract when it is present.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

DEMO_KEY = "las-palmas-demo"
DEMO_FILES = {
    "pbf": "las_palmas_2023-02-21.osm.pbf",
    "boundary": "municipality_boundary.geojson",
    "gtfs": "gtfs_guaguas_2023-02-22.zip",
}


@dataclass(frozen=True)
class ServerExtract:
    """An OSM extract on the server, with its optional boundary and GTFS feed."""

    key: str
    label: str
    pbf: Path
    boundary: Path | None = None
    gtfs: Path | None = None


def pbf_max_bytes() -> int:
    """Return the size limit of an uploaded OSM extract, in bytes."""
    default = os.environ.get("ECOCITE_ACCESS_PBF_MAX_BYTES", str(200 * 1024 * 1024))
    return int(getattr(settings, "ACCESS_PBF_MAX_BYTES", default))


def demo_folder() -> Path | None:
    """Return the shared Las Palmas folder (``shared/data/las-palmas`` beside or above the code)."""
    env = os.environ.get("ECOCITE_SHARED_DATA")
    candidates = [Path(env) / "las-palmas"] if env else []
    candidates += [p / "shared" / "data" / "las-palmas" for p in Path(__file__).resolve().parents]
    for folder in candidates:
        if all((folder / name).is_file() for name in DEMO_FILES.values()):
            return folder
    return None


def server_extracts() -> dict[str, ServerExtract]:
    """Return the extracts an analyst may pick: the administrator's, then the demo when present."""
    found: dict[str, ServerExtract] = {}
    for key, spec in getattr(settings, "ACCESS_EXTRACTS", {}).items():
        found[key] = ServerExtract(
            key=key,
            label=str(spec.get("label", key)),
            pbf=Path(spec["pbf"]),
            boundary=Path(spec["boundary"]) if spec.get("boundary") else None,
            gtfs=Path(spec["gtfs"]) if spec.get("gtfs") else None,
        )
    folder = demo_folder()
    if folder is not None:
        found[DEMO_KEY] = ServerExtract(
            key=DEMO_KEY,
            label="Las Palmas de Gran Canaria, OSM 2023-02-21 + Guaguas GTFS (demo)",
            pbf=folder / DEMO_FILES["pbf"],
            boundary=folder / DEMO_FILES["boundary"],
            gtfs=folder / DEMO_FILES["gtfs"],
        )
    return found
