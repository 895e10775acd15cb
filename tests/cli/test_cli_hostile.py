"""Hostile files through the command lines: one failure shape, exit code 1, nothing written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecocite.cli import app
from ecocite.cli_failure import ERRORS_SHOWN, EXIT_REJECTED

runner = CliRunner()
TIDY = ["unit_bomb", "duplicate_header", "nul_after_4k", "truncated_xlsx", "dimension_bomb",
        "zip_bomb", "year_99999", "deep_provenance", "deep_json", "json_nul"]  # fmt: skip
ACTIVITY = ["unit_bomb", "duplicate_header", "nul_after_4k", "truncated_xlsx", "dimension_bomb",
            "zip_bomb", "year_99999"]  # fmt: skip


def ecocite(*args: str, data_dir: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """The console script in a new process on its own platform store (SQLite)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ECOCITE_HOME")}
    env["ECOCITE_DATA_DIR"] = data_dir
    env.update(extra)
    exe = Path(sys.executable).parent / "ecocite"
    return subprocess.run(
        [str(exe), *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )


def stored_values(data_dir: str) -> int:
    """Count the indicator values kept in the store, from a new process."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["ECOCITE_DATA_DIR"] = data_dir
    code = (
        "from ecocite.web.bootstrap import open_platform; open_platform()\n"
        "from ecocite.web.datasets.models import IndicatorValue as V; print(V.objects.count())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip())


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A platform store holding Jingzhou (the city of the hostile files' rows)."""
    folder = str(tmp_path_factory.mktemp("store"))
    added = ecocite(
        "city", "add", "--admin-code", "421000", "--id", "jingzhou", "--name-en", "Jingzhou",
        data_dir=folder,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    return folder


@pytest.mark.parametrize("kind", TIDY)
def test_data_import_refuses_hostile_file(
    kind: str, tmp_path: Path, home: str, hostile_tidy_files: dict
) -> None:
    name, content, _ = hostile_tidy_files[kind]
    path = tmp_path / name
    path.write_bytes(content)
    result = ecocite("data", "import", str(path), data_dir=home)
    assert result.returncode == EXIT_REJECTED, result.stderr
    assert result.stderr.startswith(f"error: {name}: ") and "nothing was kept" in result.stderr
    assert f"  {name}" in result.stderr and "field '" in result.stderr
    assert "Traceback" not in result.stderr
    assert stored_values(home) == 0


@pytest.mark.parametrize("kind", ACTIVITY)
def test_carbon_inventory_refuses_hostile_file(
    kind: str, tmp_path: Path, hostile_activity_files: dict
) -> None:
    name, content, _ = hostile_activity_files[kind]
    path = tmp_path / name
    path.write_bytes(content)
    out = tmp_path / "inventory.csv"
    result = runner.invoke(app, ["carbon", "inventory", str(path), "-f", "csv", "-o", str(out)])
    assert result.exit_code == EXIT_REJECTED, result.output
    assert result.output.startswith(f"error: {name}: ") and f"  {name}" in result.output
    assert not out.exists()


def test_many_bad_rows_are_summarised_unless_all_errors(tmp_path: Path, home: str) -> None:
    path = tmp_path / "bad.csv"
    rows = "".join(f"jingzhou,{1900 + i},green_cover,40,%,s,high,perhaps\n" for i in range(60))
    path.write_text("city,year,indicator,value,unit,source,quality,verified\n" + rows)
    short = ecocite("data", "import", str(path), data_dir=home)
    listed = [line for line in short.stderr.splitlines() if line.startswith(f"  {path.name}")]
    total = int(re.search(r"(\d+) problem", short.stderr).group(1))  # type: ignore[union-attr]
    assert short.returncode == EXIT_REJECTED and len(listed) == ERRORS_SHOWN and total >= 60
    assert f"… and {total - ERRORS_SHOWN} more (--all-errors" in short.stderr
    full = ecocite("data", "import", str(path), "--all-errors", data_dir=home)
    listed = [line for line in full.stderr.splitlines() if line.startswith(f"  {path.name}")]
    assert full.returncode == EXIT_REJECTED and len(listed) == total and "more" not in full.stderr


def test_unknown_framework_fails_like_any_rejected_input(tmp_path: Path, home: str) -> None:
    path = tmp_path / "x.csv"
    path.write_text("city\n")
    result = ecocite("data", "import", str(path), "-f", "nope@9", data_dir=home)
    assert result.returncode == EXIT_REJECTED and result.stderr.startswith("error: "), result.stderr
    assert "nope@9" in result.stderr


def test_data_import_parses_under_the_same_limits_as_the_worker(tmp_path: Path, home: str) -> None:
    """Synchronous, but in a child process held to ECOCITE_UPLOAD_PARSE_MEMORY_MB (and _SECONDS)."""
    path = tmp_path / "big.csv"
    rows = "jingzhou,2020,co2_per_capita,4,t/person,survey,high,yes\n" * 60_000
    path.write_text("city,year,indicator,value,unit,source,quality,verified\n" + rows)
    result = ecocite("data", "import", str(path), data_dir=home, ECOCITE_UPLOAD_PARSE_MEMORY_MB="1")
    assert result.returncode == EXIT_REJECTED, result.stderr
    assert "more than the limit of 1 MB of memory" in result.stderr
    assert "Traceback" not in result.stderr and stored_values(home) == 0
