"""Shared fixtures: a small, hand-checkable framework and paths to the real shared data."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from ecocite.frameworks import Framework, parse_framework

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

TINY_FRAMEWORK = """
id: tiny
version: "1.2.0"
name: {fr: Petit référentiel, zh: 小型评价标准, en: Tiny framework}
grading:
  method: points
  scale: 100
  bonus_cap: 5
  levels:
    - {id: one_star, name: {fr: "1 étoile", zh: 一星级, en: "1 star"}, min_points: 50}
    - {id: two_star, name: {fr: "2 étoiles", zh: 二星级, en: "2 stars"}, min_points: 65}
    - {id: three_star, name: {fr: "3 étoiles", zh: 三星级, en: "3 stars"}, min_points: 80}
categories:
  - id: carbon
    name: {fr: Carbone, zh: 碳排放, en: Carbon}
    min_points: 10
    indicators:
      - id: sewage
        name: {fr: Assainissement, zh: 污水处理率, en: Sewage treatment}
        unit: percent
        kind: control
        requirement: 100
        range: {min: 0, max: 100}
        source: {text: "Chongqing GB/T 51255-based standard"}
      - id: co2_per_capita
        name: {fr: CO2 par habitant, zh: 人均二氧化碳, en: CO2 per capita}
        unit: t/person
        direction: lower
        kind: scored
        points: 20
        range: {min: 0}
        scoring: {method: bands, bands: [{threshold: 10, points: 5}, {threshold: 6, points: 12}, {threshold: 3, points: 20}]}
        source: {text: "own choice", own_choice: true}
  - id: green
    name: {fr: Vert, zh: 绿色, en: Green}
    indicators:
      - id: green_cover
        name: {fr: Couverture verte, zh: 绿化覆盖率, en: Green cover}
        unit: percent
        kind: scored
        points: 20
        range: {min: 0, max: 100}
        data_quality_min: medium
        scoring: {method: linear, worst: 20, best: 45}
        source: {text: "eco-garden city 43 %"}
      - id: operation_only
        name: {fr: Exploitation, zh: 运营, en: Operation only}
        unit: percent
        kind: scored
        points: 10
        stages: [implementation_operation]
        range: {min: 0, max: 100}
        scoring: {method: linear, worst: 0, best: 100}
        source: {text: "own choice", own_choice: true}
  - id: innovation
    name: {fr: Innovation, zh: 创新, en: Innovation}
    indicators:
      - id: smart_grid
        name: {fr: Réseau intelligent, zh: 智能电网, en: Smart grid}
        unit: percent
        kind: bonus
        points: 8
        range: {min: 0, max: 100}
        scoring: {method: bands, bands: [{threshold: 50, points: 8}]}
        source: {text: "own choice", own_choice: true}
"""


@pytest.fixture(scope="session")
def tiny() -> Framework:
    return parse_framework(TINY_FRAMEWORK, filename="tiny.yaml")


def make_tidy(rows: list[tuple[str, int, str, float, str]], quality: str = "high") -> pd.DataFrame:
    """A tidy table from (city, year, indicator, value, unit) tuples."""
    return pd.DataFrame(
        [
            {
                "city": c,
                "year": y,
                "indicator": i,
                "value": v,
                "unit": u,
                "source": "test",
                "quality": quality,
                "verified": "yes",
            }
            for c, y, i, v, u in rows
        ]
    )


@pytest.fixture(scope="session")
def tidy():  # type: ignore[no-untyped-def]
    """The ``make_tidy`` builder, as a fixture."""
    return make_tidy


# Hostile files (issue 9): each is (file name, content, the RowError message id it must give).
TIDY_HEADER = "city,year,indicator,value,unit,source,quality,verified"
ACTIVITY_HEADER = "city,year,gpc_ref,activity,amount,unit,fuel,grid_region"


def _xlsx(rows: list[list[object]], far_cell: str | None = None) -> bytes:
    """A real workbook; ``far_cell`` (e.g. ``XFD1048576``) stretches its declared dimension."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if far_cell:
        sheet[far_cell] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _zip_bomb(unpacked: int = 110 * 1024 * 1024) -> bytes:
    """A small zip holding a workbook part that unpacks to ``unpacked`` bytes of XML padding."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b" " * (1024 * 1024)
            for _ in range(unpacked // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


def hostile_files(header: str, good_row: str, unit_column: int, year_column: int) -> dict[
    str, tuple[str, bytes, str]
]:  # fmt: skip
    """Files that once crashed or stalled a reader, for a table with ``header``."""
    cells = good_row.split(",")
    bomb = cells.copy()
    bomb[unit_column] = "9**9**9"
    far_year = cells.copy()
    far_year[year_column] = "99999"
    columns = header.split(",")
    padding = (good_row + "\n") * (5000 // len(good_row) + 1)
    good_book = _xlsx([columns, cells])
    return {
        "unit_bomb": ("bomb.csv", f"{header}\n{','.join(bomb)}\n".encode(), "unit.syntax"),
        "duplicate_header": (
            "dup.csv",
            f"{header},{columns[0].upper()}\n{good_row},x\n".encode(),
            "column.duplicate",
        ),
        "nul_after_4k": ("nul.csv", f"{header}\n{padding}".encode() + b"\x00\n", "file.binary"),
        "truncated_xlsx": ("cut.xlsx", good_book[: len(good_book) // 2], "file.not_xlsx"),
        "dimension_bomb": (
            "far.xlsx",
            _xlsx([columns, cells], "XFD1048576"),
            "file.xlsx_dimension",
        ),
        "zip_bomb": ("bomb.xlsx", _zip_bomb(), "file.xlsx_expands"),
        "year_99999": ("year.csv", f"{header}\n{','.join(far_year)}\n".encode(), "year.invalid"),
    }


@pytest.fixture(scope="session")
def hostile_tidy_files() -> dict[str, tuple[str, bytes, str]]:
    """Hostile tidy indicator files (tiny framework / demo city ``a`` and Jingzhou alike)."""
    good = "jingzhou,2020,co2_per_capita,4,t/person,survey,high,yes"
    files = hostile_files(TIDY_HEADER, good, unit_column=4, year_column=1)
    deep = f"{TIDY_HEADER},provenance\n{good},{'[' * 100_000}\n".encode()
    files["deep_provenance"] = ("deep.csv", deep, "json.too_deep")
    files["deep_json"] = ("deep.json", b"[" * 100_000, "json.too_deep")
    record = dict(zip(TIDY_HEADER.split(","), good.split(","), strict=True))
    record["source"] = "survey\u0000"  # json.dumps writes it as the escape \u0000
    files["json_nul"] = ("nul.json", json.dumps([record]).encode(), "file.binary")
    return files


@pytest.fixture(scope="session")
def hostile_activity_files() -> dict[str, tuple[str, bytes, str]]:
    """Hostile GPC activity files."""
    good = "jingzhou,2020,I.3.1,fuel,1000,t,other_bituminous_coal,"
    return hostile_files(ACTIVITY_HEADER, good, unit_column=5, year_column=1)
