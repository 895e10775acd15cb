"""The command line as a user runs it: real files in, messages and files out, exit codes.

Commands that keep things work on the platform's store; they run here as the installed console
script in a fresh process, on a throw-away data folder (SQLite), as a user would run them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecocite.cli import app

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]
LAS_PALMAS = REPO.parent / "shared" / "data" / "las-palmas" / "municipality_boundary.geojson"


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), catch_exceptions=False)


def ecocite(
    *args: str, data_dir: str, env_extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The console script in a new process on its own store (never the PostgreSQL of the tests)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ECOCITE_HOME")}
    env["ECOCITE_DATA_DIR"] = data_dir
    env.update(env_extra or {})
    exe = Path(sys.executable).parent / "ecocite"
    return subprocess.run(
        [str(exe), *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )


def stored(data_dir: str, code: str) -> str:
    """Run Python ``code`` against the store in a new process; return what it printed."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["ECOCITE_DATA_DIR"] = data_dir
    setup = "from ecocite.web.bootstrap import open_platform; open_platform()\n"
    done = subprocess.run(
        [sys.executable, "-c", setup + code], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_framework_validate_reports_file_line_and_field(tmp_path: Path) -> None:
    good = run(
        "framework",
        "validate",
        str(REPO / "src/ecocite/frameworks/bundled/sino-french-ecocity.yaml"),
    )
    assert good.exit_code == 0 and "sino-french-ecocity@1.1.0" in good.output
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
    home = str(tmp_path / "store")
    result = ecocite("city", "add", "--admin-code", "421000", "--id", "jingzhou", "--name-en",
                     "Jingzhou", "--name-zh", "荆州市", "--name-fr", "Jingzhou", data_dir=home)  # fmt: skip
    assert result.returncode == 0, result.stderr
    result = ecocite("city", "add", "--geojson", str(LAS_PALMAS), "--id", "las-palmas",
                     "--name-en", "Las Palmas de Gran Canaria", "--country", "ES",
                     data_dir=home)  # fmt: skip
    assert result.returncode == 0, result.stderr
    again = ecocite("city", "add", "--admin-code", "999999", data_dir=home)
    assert again.returncode == 1 and "999999" in again.stderr and "Traceback" not in again.stderr
    twice = ecocite("city", "add", "--admin-code", "421000", "--id", "jingzhou", data_dir=home)
    assert twice.returncode == 1 and "already on the platform" in twice.stderr
    found = stored(
        home,
        "from ecocite.web.cities.models import City\n"
        "for c in City.objects.order_by('slug'):\n"
        "    g = c.to_engine().geometry().centroid\n"
        "    print(c.slug, c.admin_code or '-', c.country, round(g.x, 1), round(g.y, 1))\n",
    )
    rows = [line.split() for line in found.splitlines()]
    assert [r[:3] for r in rows] == [["jingzhou", "421000", "CN"], ["las-palmas", "-", "ES"]]
    (jx, jy), (lx, ly) = ((float(r[3]), float(r[4])) for r in rows)
    assert 111 < jx < 115 and 29 < jy < 31  # Jingzhou, Hubei
    assert -15.6 < lx < -15.3 and 27.9 < ly < 28.2
    old_home = {"ECOCITE_HOME": str(tmp_path / "old-workspace")}
    listed = ecocite("city", "list", data_dir=home, env_extra=old_home)
    assert listed.returncode == 0 and "jingzhou" in listed.stdout and "las-palmas" in listed.stdout
    assert "ECOCITE_HOME is retired" in listed.stderr  # said once, and the platform's store used


def test_data_import_is_all_or_nothing_assess_json_and_report(tmp_path: Path) -> None:
    home = str(tmp_path / "store")
    added = ecocite(
        "city", "add", "--admin-code", "220284", "--id", "panshi", "--name-en", "Panshi",
        data_dir=home,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "city,year,indicator,value,unit,source,quality,verified\n"
        "panshi,2024,co2_per_capita,6.1,t/person,survey,high,yes\n"
        "panshi,2024,co2_per_capita,6.1,t/person,survey,high,yes\n"
        "panshi,2024,sewage_treatment_rate,96,kg,survey,high,yes\n",
        encoding="utf-8",
    )
    result = ecocite("data", "import", str(bad), data_dir=home)
    assert result.returncode == 1
    assert "nothing was kept" in result.stderr and "duplicate of row 2" in result.stderr
    count = "from ecocite.web.datasets.models import IndicatorValue as V; print(V.objects.count())"
    assert stored(home, count).strip() == "0"
    good = tmp_path / "good.csv"
    good.write_text(
        "city,year,indicator,value,unit,source,quality,verified\n"
        "panshi,2023,co2_per_capita,7,t/person,survey,high,yes\n"
        "panshi,2024,co2_per_capita,6100,kg/person,survey,high,yes\n"
        "panshi,2024,sewage_treatment_rate,96,%,survey,high,yes\n",
        encoding="utf-8",
    )
    imported = ecocite("data", "import", str(good), data_dir=home)
    assert imported.returncode == 0, imported.stderr
    assert "imported 3 values" in imported.stdout
    result = ecocite("assess", "panshi", "--year", "2024", "--format", "json", data_dir=home)
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["framework_id"] == "sino-french-ecocity" and body["level"] is None
    assert any(
        r["code"] == "control_failed" and r["indicator"] == "sewage_treatment_rate"
        for r in body["reasons"]
    )
    assert body["indicators"] and body["gap"]["actions"]
    co2 = next(i for i in body["indicators"] if i["indicator"] == "co2_per_capita")
    assert co2["value"] == pytest.approx(6.1)
    runs = stored(
        home,
        "from ecocite.web.assessments.models import AssessmentRun as R\n"
        "print([(r.city.slug, r.year, r.status, r.score) for r in R.objects.all()])",
    )
    assert runs.strip() == f"[('panshi', 2024, 'finished', {body['score']!r})]"
    unsaved = ecocite("assess", "panshi", "--year", "2023", "--no-save", data_dir=home)
    assert unsaved.returncode == 0 and "panshi 2023" in unsaved.stdout
    missing = ecocite("assess", "panshi", "--year", "2019", data_dir=home)
    assert missing.returncode == 1 and "no data" in missing.stderr

    out = tmp_path / "r" / "panshi.html"
    report = ecocite("report", "panshi", "--year", "2024", "--lang", "fr", "--out", str(out),
                     data_dir=home)  # fmt: skip
    assert report.returncode == 0, report.stderr
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'lang="fr"' in html
    assert "assessed and saved" not in report.stderr  # the saved 2024 assessment was used


def test_report_history_is_the_saved_assessments(tmp_path: Path) -> None:
    """As on the web: the trend shows earlier years only once they are assessed and saved."""
    home = str(tmp_path / "store")
    ecocite("city", "add", "--admin-code", "371423", "--id", "qingyun", "--name-fr", "Qingyun",
            data_dir=home)  # fmt: skip
    data = tmp_path / "d.csv"
    data.write_text(
        "city,year,indicator,value,unit,source,quality,verified\n"
        "qingyun,2022,co2_per_capita,6,t/person,x,high,no\n"
        "qingyun,2023,co2_per_capita,5,t/person,x,high,no\n",
        encoding="utf-8",
    )
    assert ecocite("data", "import", str(data), data_dir=home).returncode == 0
    first, second = tmp_path / "first.html", tmp_path / "second.html"
    done = ecocite("report", "qingyun", "--year", "2023", "--out", str(first), data_dir=home)
    assert done.returncode == 0 and "assessed and saved qingyun 2023" in done.stderr
    assert ecocite("assess", "qingyun", "--year", "2022", data_dir=home).returncode == 0
    done = ecocite("report", "qingyun", "--year", "2023", "--out", str(second), data_dir=home)
    assert done.returncode == 0 and "assessed and saved" not in done.stderr
    trend = 'class="chart trend"'
    assert trend not in first.read_text(encoding="utf-8")
    assert trend in second.read_text(encoding="utf-8")


def test_readme_main_job_end_to_end(tmp_path: Path) -> None:
    """What `make demo` runs: the installed console script, in a fresh folder."""
    exe = Path(sys.executable).parent / "ecocite"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ECOCITE_DATA_DIR")}
    env["ECOCITE_DATA_DIR"] = str(tmp_path / "store")  # must stay untouched: the demo keeps nothing
    done = subprocess.run(
        [str(exe), "demo"], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=600
    )
    assert done.returncode == 0, done.stderr
    *said, last = done.stdout.strip().splitlines()
    # What a person reads says "Two stars", never "two_star" (the last line is JSON for scripts).
    assert "_star" not in "\n".join(said) and " star" in "\n".join(said)
    printed = json.loads(last)
    folder = Path(printed["reports"])
    assert folder == tmp_path / "ecocite-demo" / "reports"
    for lang in ("fr", "zh", "en"):
        assert (folder / f"portfolio.{lang}.html").stat().st_size > 10_000
    assert len(list(folder.glob("*.html"))) == 3 + 6 * 3
    assert not (tmp_path / "store").exists()
    levels = printed["levels"]
    assert len(set(levels.values())) >= 3  # the demo portfolio shows different levels
    assert None in levels.values()  # and at least one city without a label


def test_readme_framework_example_is_valid() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    from ecocite.frameworks import parse_framework

    fw = parse_framework(block, filename="README.md")
    assert fw.key == "my-district@1.0.0" and fw.indicator_ids() == ["co2_per_capita"]


def test_compare_cities_and_years(tmp_path: Path) -> None:
    home = str(tmp_path / "store")
    for code, cid in (("220284", "panshi"), ("371423", "qingyun")):
        done = ecocite("city", "add", "--admin-code", code, "--id", cid, "--name-en", cid,
                       data_dir=home)  # fmt: skip
        assert done.returncode == 0, done.stderr
    data = tmp_path / "d.csv"
    data.write_text(
        "city,year,indicator,value,unit,source,quality,verified\n"
        "panshi,2022,co2_per_capita,9,t/person,x,high,no\n"
        "panshi,2023,co2_per_capita,4,t/person,x,high,no\n"
        "qingyun,2023,co2_per_capita,7,t/person,x,high,no\n",
        encoding="utf-8",
    )
    assert ecocite("data", "import", str(data), data_dir=home).returncode == 0
    table = ecocite("compare", "--format", "csv", data_dir=home)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.strip().splitlines()
    assert lines[0].startswith("city,year,stage,framework,total") and len(lines) == 4
    trend = ecocite("compare", "panshi", "--format", "trend", data_dir=home).stdout
    carbon = [
        line
        for line in trend.strip().splitlines()
        if line.startswith("panshi,") and ",resources_carbon," in line
    ]
    assert len(carbon) == 2 and carbon[0].endswith(",") and float(carbon[1].split(",")[-1]) > 0
    # The portfolio report of the comparison, written by the web download's own function.
    report = tmp_path / "out" / "portfolio.fr.html"
    written = ecocite("compare", "--out", str(report), "--lang", "fr", data_dir=home)
    assert written.returncode == 0, written.stderr
    html = report.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'lang="fr"' in html and "qingyun" in html
    wrong = ecocite("compare", "--out", str(tmp_path / "x.txt"), data_dir=home)
    assert wrong.returncode != 0 and ".html or .pdf" in wrong.stderr


def test_demo_with_the_completeness_graded_iso_framework(tmp_path: Path) -> None:
    result = run("demo", "--framework", "iso-37120", "--out", str(tmp_path / "iso"))
    assert result.exit_code == 0, result.output
    assert "reported" in result.output and "Platinum" in result.output
    levels = json.loads(result.output.strip().splitlines()[-1])["levels"]
    assert len(set(levels.values())) >= 2
