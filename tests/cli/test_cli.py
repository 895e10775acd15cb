"""The command line as a user runs it: real files in, messages and files out, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecocite.cli import app
from ecocite.workspace import Workspace

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]
LAS_PALMAS = REPO.parent / "shared" / "data" / "las-palmas" / "municipality_boundary.geojson"


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_framework_validate_reports_file_line_and_field(tmp_path: Path) -> None:
    good = run(
        "framework",
        "validate",
        str(REPO / "src/ecocite/frameworks/bundled/sino-french-ecocity.yaml"),
    )
    assert good.exit_code == 0 and "sino-french-ecocity@1.0.0" in good.output
    bad = tmp_path / "bad.yaml"
    text = (REPO / "src/ecocite/frameworks/bundled/sino-french-ecocity.yaml").read_text(
        encoding="utf-8"
    )
    lines = text.splitlines()
    unit_line = next(i for i, line in enumerate(lines) if line.strip().startswith("unit:"))
    lines[unit_line] = lines[unit_line].split("unit:")[0] + "unit: bananas_per_fortnight"
    bad.write_text("\n".join(lines), encoding="utf-8")
    result = run("framework", "validate", str(bad))
    assert result.exit_code == 1
    assert f"bad.yaml:{unit_line + 1}" in result.output.replace("\n", "")
    assert "unit" in result.output and "bananas_per_fortnight" in result.output
    assert "Traceback" not in result.output


def test_framework_show_in_chinese() -> None:
    result = run("framework", "show", "sino-french-ecocity", "--lang", "zh")
    assert result.exit_code == 0
    assert "星级" in result.output or "一星级" in result.output


def test_city_add_from_admin_code_and_geojson(tmp_path: Path) -> None:
    home = str(tmp_path / "ws")
    result = run("city", "add", "--admin-code", "421000", "--id", "jingzhou", "--name-en", "Jingzhou",
                 "--name-zh", "荆州市", "--name-fr", "Jingzhou", "--home", home)  # fmt: skip
    assert result.exit_code == 0, result.output
    city = Workspace(home).city("jingzhou")
    assert city.admin_code == "421000" and city.country == "CN"
    geom = city.geometry()
    assert (
        geom is not None and 111 < geom.centroid.x < 115 and 29 < geom.centroid.y < 31
    )  # Jingzhou, Hubei
    result = run("city", "add", "--geojson", str(LAS_PALMAS), "--id", "las-palmas", "--name-en",
                 "Las Palmas de Gran Canaria", "--country", "ES", "--home", home)  # fmt: skip
    assert result.exit_code == 0, result.output
    lp = Workspace(home).city("las-palmas").geometry()
    assert lp is not None and -15.6 < lp.centroid.x < -15.3 and 27.9 < lp.centroid.y < 28.2
    again = run("city", "add", "--admin-code", "999999", "--home", home)
    assert again.exit_code == 1 and "999999" in again.output


def test_data_import_is_all_or_nothing_and_assess_json(tmp_path: Path) -> None:
    home = str(tmp_path / "ws")
    run(
        "city",
        "add",
        "--admin-code",
        "220284",
        "--id",
        "panshi",
        "--name-en",
        "Panshi",
        "--home",
        home,
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "city,year,indicator,value,unit,source,quality,verified\n"
        "panshi,2024,co2_per_capita,6.1,t/person,survey,high,yes\n"
        "panshi,2024,co2_per_capita,6.1,t/person,survey,high,yes\n"
        "panshi,2024,sewage_treatment_rate,96,kg,survey,high,yes\n",
        encoding="utf-8",
    )
    result = run("data", "import", str(bad), "--home", home)
    assert result.exit_code == 1
    assert "nothing imported" in result.output and "duplicate of row 2" in result.output
    assert Workspace(home).values().empty
    good = tmp_path / "good.csv"
    good.write_text(
        "city,year,indicator,value,unit,source,quality,verified\n"
        "panshi,2024,co2_per_capita,6100,kg/person,survey,high,yes\n"
        "panshi,2024,sewage_treatment_rate,96,%,survey,high,yes\n",
        encoding="utf-8",
    )
    assert run("data", "import", str(good), "--home", home).exit_code == 0
    result = run("assess", "panshi", "--year", "2024", "--format", "json", "--home", home)
    assert result.exit_code == 0
    body = json.loads(result.output)
    assert body["framework_id"] == "sino-french-ecocity" and body["level"] is None
    assert any(
        r["code"] == "control_failed" and r["indicator"] == "sewage_treatment_rate"
        for r in body["reasons"]
    )
    assert body["indicators"] and body["gap"]["actions"]
    co2 = next(i for i in body["indicators"] if i["indicator"] == "co2_per_capita")
    assert co2["value"] == pytest.approx(6.1)
    assert len(Workspace(home).assessments(city="panshi")) == 1


def test_report_in_french(tmp_path: Path) -> None:
    home = str(tmp_path / "ws")
    run(
        "city",
        "add",
        "--admin-code",
        "371423",
        "--id",
        "qingyun",
        "--name-fr",
        "Qingyun",
        "--home",
        home,
    )
    data = tmp_path / "d.csv"
    data.write_text(
        "city,year,indicator,value,unit,source,quality,verified\nqingyun,2023,co2_per_capita,5,t/person,x,high,no\n",
        encoding="utf-8",
    )
    run("data", "import", str(data), "--home", home)
    out = tmp_path / "r" / "qingyun.html"
    result = run(
        "report", "qingyun", "--year", "2023", "--lang", "fr", "--out", str(out), "--home", home
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'lang="fr"' in html


def test_readme_main_job_end_to_end(tmp_path: Path) -> None:
    """What `make demo` runs: the installed console script, in a fresh folder."""
    exe = Path(sys.executable).parent / "ecocite"
    env = {**os.environ, "ECOCITE_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [str(exe), "demo"], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=600
    )
    assert done.returncode == 0, done.stderr
    assert "_star" not in done.stdout and " star" in done.stdout  # "Two stars", not "two_star"
    folder = Path(json.loads(done.stdout.strip().splitlines()[-1])["reports"])
    assert folder == tmp_path / "ecocite-demo" / "reports"
    for lang in ("fr", "zh", "en"):
        assert (folder / f"portfolio.{lang}.html").stat().st_size > 10_000
    assert len(list(folder.glob("*.html"))) == 3 + 6 * 3
    levels = {
        a.city: a.level
        for a in Workspace(tmp_path / "ecocite-demo" / "workspace").assessments()
        if a.year == 2024
    }
    assert len(set(levels.values())) >= 3  # the demo portfolio shows different levels
    assert None in levels.values()  # and at least one city without a label


def test_readme_framework_example_is_valid() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    from ecocite.frameworks import parse_framework

    fw = parse_framework(block, filename="README.md")
    assert fw.key == "my-district@1.0.0" and fw.indicator_ids() == ["co2_per_capita"]


def test_compare_cities_and_years(tmp_path: Path) -> None:
    home = str(tmp_path / "ws")
    for code, cid in (("220284", "panshi"), ("371423", "qingyun")):
        run("city", "add", "--admin-code", code, "--id", cid, "--name-en", cid, "--home", home)
    data = tmp_path / "d.csv"
    data.write_text(
        "city,year,indicator,value,unit,source,quality,verified\n"
        "panshi,2022,co2_per_capita,9,t/person,x,high,no\n"
        "panshi,2023,co2_per_capita,4,t/person,x,high,no\n"
        "qingyun,2023,co2_per_capita,7,t/person,x,high,no\n",
        encoding="utf-8",
    )
    assert run("data", "import", str(data), "--home", home).exit_code == 0
    table = run("compare", "--format", "csv", "--home", home)
    assert table.exit_code == 0
    lines = table.output.strip().splitlines()
    assert lines[0].startswith("city,year,stage,framework,total") and len(lines) == 4
    trend = (
        run("compare", "panshi", "--format", "trend", "--home", home).output.strip().splitlines()
    )
    carbon = [line for line in trend if line.startswith("panshi,") and ",resources_carbon," in line]
    assert len(carbon) == 2 and carbon[0].endswith(",") and float(carbon[1].split(",")[-1]) > 0


def test_demo_with_the_completeness_graded_iso_framework(tmp_path: Path) -> None:
    result = run("demo", "--framework", "iso-37120", "--out", str(tmp_path / "iso"))
    assert result.exit_code == 0, result.output
    assert "reported" in result.output and "Platinum" in result.output
    assert "platinum" not in result.output  # level names, never their ids
    levels = {
        a.city: a.level
        for a in Workspace(tmp_path / "iso" / "workspace").assessments()
        if a.year == 2024
    }
    assert len(set(levels.values())) >= 2
