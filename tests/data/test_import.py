"""Importing tidy tables: every rejection names file, row and field; nothing is half-imported."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecocite.data import DataImportError, read_indicator_table
from ecocite.frameworks import Framework

HEADER = "city,year,indicator,value,unit,source,quality,verified\n"


def _write(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_good_csv_converts_units_and_keeps_provenance(tiny: Framework, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEADER.replace("verified", "verified,provenance")
        + 'a,2020,co2_per_capita,"3,500",kg/person,CEADs,high,oui,"{""engine"": ""carbon""}"\n'
        + "a,2020,green_cover,0.4,,survey,medium,no,\n",
    )
    values = read_indicator_table(path, framework=tiny, cities=["a"])
    assert list(values["value"]) == pytest.approx([3.5, 40.0])
    assert list(values["unit"]) == ["t/person", "percent"]
    assert list(values["verified"]) == [True, False]
    assert json.loads(values["provenance"][0]) == {"engine": "carbon"}
    assert list(values["row"]) == [2, 3]


def test_every_problem_is_reported_with_row_and_field(tiny: Framework, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEADER
        + "a,2020,co2_per_capita,4,t/person,s,high,yes\n"  # row 2 fine
        + "a,2020,co2_per_capita,5,t/person,s,high,yes\n"  # row 3 duplicate of 2
        + "zz,2020,co2_per_capita,5,t/person,s,high,yes\n"  # row 4 unknown city
        + "a,1850,green_cover,5,%,s,high,yes\n"  # row 5 bad year
        + "a,2020,nope,5,%,s,high,yes\n"  # row 6 unknown indicator
        + "a,2021,co2_per_capita,5,t/CNY,s,high,yes\n"  # row 7 incompatible unit
        + "a,2021,green_cover,140,%,s,high,yes\n"  # row 8 out of physical range
        + "a,2022,green_cover,abc,%,,great,perhaps\n",  # row 9 four bad fields
    )
    with pytest.raises(DataImportError) as info:
        read_indicator_table(path, framework=tiny, cities=["a"])
    got = {(e.row, e.field) for e in info.value.errors}
    assert got == {
        (3, "indicator"), (4, "city"), (5, "year"), (6, "indicator"), (7, "unit"), (8, "value"),
        (9, "value"), (9, "source"), (9, "quality"), (9, "verified"),
    }  # fmt: skip
    assert all(e.file == str(path) for e in info.value.errors)
    message = str(info.value)
    assert "row 3" in message and "duplicate of row 2" in message and "nothing imported" in message


def test_missing_columns_and_unknown_file_types_are_refused(
    tiny: Framework, tmp_path: Path
) -> None:
    with pytest.raises(DataImportError) as info:
        read_indicator_table(_write(tmp_path, "city,year,value\na,2020,1\n"), framework=tiny)
    assert {e.field for e in info.value.errors} == {
        "indicator",
        "unit",
        "source",
        "quality",
        "verified",
    }
    with pytest.raises(DataImportError, match="unsupported file type"):
        read_indicator_table(_write(tmp_path, "x", "data.txt"), framework=tiny)


def test_xlsx_and_json_read_like_csv(tiny: Framework, tmp_path: Path) -> None:
    rows = [{"city": "a", "year": 2020, "indicator": "green_cover", "value": 30, "unit": "%", "source": "s",
             "quality": "high", "verified": "yes"}]  # fmt: skip
    pd.DataFrame(rows).to_excel(tmp_path / "d.xlsx", index=False)
    (tmp_path / "d.json").write_text(json.dumps(rows))
    for name in ("d.xlsx", "d.json"):
        assert read_indicator_table(tmp_path / name, framework=tiny)["value"].tolist() == [30.0]
    bad = [{**rows[0], "value": "x"}]
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    with pytest.raises(DataImportError) as info:
        read_indicator_table(tmp_path / "bad.json", framework=tiny)
    assert [(e.row, e.field) for e in info.value.errors] == [(1, "value")]


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=st.binary(max_size=400))
def test_fuzzed_bytes_give_a_clear_error_or_a_table(
    tiny: Framework, tmp_path: Path, payload: bytes
) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(HEADER.encode() + payload)
    try:
        read_indicator_table(path, framework=tiny)
    except DataImportError as exc:
        assert exc.errors and all(e.file == str(path) for e in exc.errors)


cell = st.one_of(st.text(max_size=12), st.sampled_from(["a", "2020", "green_cover", "co2_per_capita", "%", "t/person",
                                                        "kg", "high", "yes", "1e400", "-5", "nan", "inf", ""]))  # fmt: skip


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(cell, min_size=8, max_size=8), min_size=1, max_size=6))
def test_fuzzed_cells_give_a_clear_error_or_a_valid_table(
    tiny: Framework, rows: list[list[str]]
) -> None:
    frame = pd.DataFrame(rows, columns=HEADER.strip().split(","))
    try:
        values = read_indicator_table(frame, framework=tiny)
    except DataImportError as exc:
        assert exc.errors
        assert all(e.row is None or 1 <= e.row <= len(rows) for e in exc.errors)
    else:
        assert values["value"].notna().all() and len(values) == len(rows)
