"""Shared fixtures: the real Las Palmas bundle (loaded once per test session and worker)."""

from __future__ import annotations

from pathlib import Path

import pytest

# shared/ beside the repository, or beside a folder above it (a git worktree)
SHARED = next(
    (p / "shared" / "data" / "las-palmas" for p in Path(__file__).resolve().parents
     if (p / "shared" / "data" / "las-palmas").is_dir()),
    Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "las-palmas",
)  # fmt: skip
PBF = SHARED / "las_palmas_2023-02-21.osm.pbf"
BOUNDARY = SHARED / "municipality_boundary.geojson"
GTFS = SHARED / "gtfs_guaguas_2023-02-22.zip"


@pytest.fixture(scope="session")
def las_palmas_pbf() -> Path:
    return PBF


@pytest.fixture(scope="session")
def las_palmas():  # type: ignore[no-untyped-def]
    from ecocite.access.osm import load_city

    return load_city(PBF, boundary=BOUNDARY, gtfs=GTFS, name="las-palmas")


@pytest.fixture(scope="session")
def las_palmas_result(las_palmas):  # type: ignore[no-untyped-def]
    from ecocite.access.indicators import compute_access

    return compute_access(las_palmas, population=378_000)
