"""Hostile files through the command lines: one failure shape, exit code 1, nothing written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ecocite.workspace import Workspace
from typer.testing import CliRunner

from ecocite.cli import app
from ecocite.cli_failure import ERRORS_SHOWN, EXIT_REJECTED
from ecocite.demo import demo_cities

runner = CliRunner()
TIDY = ["unit_bomb", "duplicate_header", "nul_after_4k", "truncated_xlsx", "dimension_bomb",
        "zip_bomb", "year_99999", "deep_provenance", "deep_json", "json_nul"]  # fmt: skip
ACTIVITY = ["unit_bomb", "duplicate_header", "nul_after_4k", "truncated_xlsx", "dimension_bomb",
            "zip_bomb", "year_99999"]  # fmt: skip


@pytest.fixture
def home(tmp_path: Path) -> str:
    workspace = Workspace(tmp_path / "ws")
    workspace.add_city(next(c for c in demo_cities() if c.id == "jingzhou"))
    return str(tmp_path / "ws")


@pytest.mark.parametrize("kind", TIDY)
def test_data_import_refuses_hostile_file(
    kind: str, tmp_path: Path, home: str, hostile_tidy_files: dict
) -> None:
    name, content, _ = hostile_tidy_files[kind]
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(app, ["data", "import", str(path), "--home", home])
    assert result.exit_code == EXIT_REJECTED, result.output
    assert result.output.startswith(f"error: {path}: ") and "nothing was kept" in result.output
    assert f"  {path}" in result.output and "field '" in result.output
    assert "Traceback" not in result.output
    assert Workspace(home).values().empty


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
    short = runner.invoke(app, ["data", "import", str(path), "--home", home])
    listed = [line for line in short.output.splitlines() if line.startswith(f"  {path}")]
    total = int(re.search(r"(\d+) problem", short.output).group(1))  # type: ignore[union-attr]
    assert short.exit_code == EXIT_REJECTED and len(listed) == ERRORS_SHOWN and total >= 60
    assert f"… and {total - ERRORS_SHOWN} more (--all-errors" in short.output
    full = runner.invoke(app, ["data", "import", str(path), "--home", home, "--all-errors"])
    listed = [line for line in full.output.splitlines() if line.startswith(f"  {path}")]
    assert full.exit_code == EXIT_REJECTED and len(listed) == total and "more" not in full.output


def test_unknown_framework_fails_like_any_rejected_input(tmp_path: Path, home: str) -> None:
    path = tmp_path / "x.csv"
    path.write_text("city\n")
    result = runner.invoke(app, ["data", "import", str(path), "-f", "nope@9", "--home", home])
    assert result.exit_code == EXIT_REJECTED and result.output.startswith("error: nope@9: ")
