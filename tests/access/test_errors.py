"""Bad input: a clear message naming the file or field, and nothing written."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from typer.testing import CliRunner

from ecocite.access.categories import load_categories
from ecocite.access.cli import app
from ecocite.access.errors import AccessInputError
from ecocite.access.osm import load_city, read_boundary
from ecocite.access.outputs import write_atomically

PBF = (
    next(
        (p / "shared" / "data" / "las-palmas" for p in Path(__file__).resolve().parents
         if (p / "shared" / "data" / "las-palmas").is_dir()),
        Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "las-palmas",
    )
    / "las_palmas_2023-02-21.osm.pbf"
)  # fmt: skip


def test_corrupt_and_empty_pbf(tmp_path: Path) -> None:
    bad = tmp_path / "broken.osm.pbf"
    bad.write_bytes(b"this is not a protobuf file" * 100)
    with pytest.raises(AccessInputError, match=r"broken\.osm\.pbf"):
        load_city(bad)
    empty = tmp_path / "empty.osm.pbf"
    empty.write_bytes(b"")
    with pytest.raises(AccessInputError, match=r"empty\.osm\.pbf: the OSM extract is empty"):
        load_city(empty)
    with pytest.raises(AccessInputError, match="not found"):
        load_city(tmp_path / "missing.osm.pbf")


def test_boundary_that_misses_the_extract() -> None:
    paris = shapely.box(2.30, 48.84, 2.36, 48.88)
    with pytest.raises(AccessInputError, match="overlap the extract"):
        load_city(PBF, boundary=paris, buildings=False)


def test_boundary_without_crs(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(geometry=[shapely.box(458_000, 3_108_000, 459_000, 3_109_000)])
    path = tmp_path / "nocrs.gpkg"
    with pytest.warns(UserWarning, match="crs"):
        frame.to_file(path, driver="GPKG")
    with pytest.raises(AccessInputError, match=r"nocrs\.gpkg: the boundary has no CRS"):
        read_boundary(path)
    # GeoJSON is WGS 84 by definition: metres in it are caught by their range
    gj = tmp_path / "metres.geojson"
    gj.write_text(gpd.GeoSeries(frame.geometry).to_json(), encoding="utf-8")
    with pytest.raises(AccessInputError, match="outside longitude/latitude range"):
        read_boundary(gj)


def test_unknown_category_and_bad_table(tmp_path: Path) -> None:
    with pytest.raises(AccessInputError, match="unknown category 'cinemas'; known categories: "):
        load_categories().select(["school", "cinemas"])
    bad = tmp_path / "cats.yaml"
    bad.write_text("categories:\n  school:\n    level: 7min\n    tags: {amenity: [school]}\n")
    with pytest.raises(AccessInputError, match=r"cats\.yaml: category 'school', field 'level'"):
        load_categories(bad)


def test_a_failing_writer_leaves_no_file(tmp_path: Path) -> None:
    def good(path: Path) -> None:
        path.write_text("complete")

    def bad(path: Path) -> None:
        path.write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomically(tmp_path, {"a.csv": good, "b.csv": bad})
    assert list(tmp_path.iterdir()) == []


def test_cli_reports_bad_input_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "broken.osm.pbf"
    bad.write_bytes(b"\x00\x01garbage")
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["run", str(bad), "--out", str(out), "--no-map"])
    assert res.exit_code == 1  # rejected input: the one CLI failure code
    assert "broken.osm.pbf" in res.output and "Traceback" not in res.output
    assert not out.exists() or list(out.iterdir()) == []


def test_registry_city_as_boundary_far_from_the_extract() -> None:
    from ecocite.cities.model import RegistryCity
    from ecocite.i18n import Text

    far = RegistryCity(
        id="somewhere",
        name=Text(fr="x", zh="x", en="x"),
        country="CN",
        boundary=shapely.geometry.mapping(shapely.box(112.1, 30.2, 112.3, 30.4)),
    )
    assert read_boundary(far).bounds == (112.1, 30.2, 112.3, 30.4)
    with pytest.raises(AccessInputError, match="overlap the extract"):
        load_city(PBF, boundary=far, buildings=False)
    bare = RegistryCity(id="bare", name=Text(fr="x", zh="x", en="x"), country="CN")
    with pytest.raises(AccessInputError, match="'bare' has no boundary"):
        read_boundary(bare)
