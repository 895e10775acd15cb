"""Hostile files (issue 9) through the engine readers: each ends in the project's own error.

No timing assertion: a file that stalled a reader (``9**9**9``, spreadsheet bombs) simply has
to finish, and the test run's own timeout catches a regression.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ecocite.carbon import ValidationFailed, read_activity
from ecocite.data import DataImportError, InputRejected, RowError, read_indicator_table
from ecocite.frameworks import Framework

TIDY = ["unit_bomb", "duplicate_header", "nul_after_4k", "truncated_xlsx", "dimension_bomb",
        "zip_bomb", "year_99999", "deep_provenance", "deep_json", "json_nul"]  # fmt: skip
ACTIVITY = ["unit_bomb", "duplicate_header", "nul_after_4k", "truncated_xlsx", "dimension_bomb",
            "zip_bomb", "year_99999"]  # fmt: skip


def _ids(exc: InputRejected) -> set[str]:
    return {e.message_id for e in exc.errors}


@pytest.mark.parametrize("kind", TIDY)
def test_hostile_tidy_file_is_a_row_error(
    kind: str, tiny: Framework, tmp_path: Path, hostile_tidy_files: dict
) -> None:
    name, content, message_id = hostile_tidy_files[kind]
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DataImportError) as caught:
        read_indicator_table(path, framework=tiny, name=name)
    assert message_id in _ids(caught.value), caught.value.errors
    assert all(isinstance(e, RowError) and e.file == name for e in caught.value.errors)
    assert all(e.message and "%(" not in e.message for e in caught.value.errors)


@pytest.mark.parametrize("kind", ACTIVITY)
def test_hostile_activity_file_is_a_row_error(
    kind: str, tmp_path: Path, hostile_activity_files: dict
) -> None:
    name, content, message_id = hostile_activity_files[kind]
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ValidationFailed) as caught:
        read_activity(path)
    assert message_id in _ids(caught.value), caught.value.errors
    assert all(e.file == name for e in caught.value.errors)


def test_rows_past_the_cap_are_refused_before_validation(tiny: Framework, tmp_path: Path) -> None:
    body = "".join(f"a,{2000 + i % 5},green_cover,40,%,s,high,yes\n" for i in range(12))
    csv = tmp_path / "long.csv"
    csv.write_text("city,year,indicator,value,unit,source,quality,verified\n" + body)
    with pytest.raises(DataImportError) as caught:
        read_indicator_table(csv, framework=tiny, max_rows=10)
    assert [e.message_id for e in caught.value.errors] == ["file.too_many_rows"]
    assert "10" in caught.value.errors[0].message
    # the same file under the cap goes on to row validation (duplicates here)
    with pytest.raises(DataImportError) as caught:
        read_indicator_table(csv, framework=tiny, max_rows=12)
    assert "indicator.duplicate" in _ids(caught.value)


def test_xlsx_rows_stream_and_stop_at_the_cap(tiny: Framework, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["city", "year", "indicator", "value", "unit", "source", "quality", "verified"])
    for i in range(30):
        sheet.append(["a", 1950 + i, "green_cover", 40, "%", "s", "high", "yes"])
    path = tmp_path / "many.xlsx"
    book.save(path)
    with pytest.raises(DataImportError) as caught:
        read_indicator_table(path, framework=tiny, max_rows=20)
    assert _ids(caught.value) <= {"file.xlsx_dimension", "file.too_many_rows"}
    values = read_indicator_table(path, framework=tiny, max_rows=30)
    assert len(values) == 30 and list(values["year"])[:2] == [1950, 1951]


def test_deposit_and_inventory_years_are_bounded(tmp_path: Path) -> None:
    path = tmp_path / "waste.csv"
    path.write_text(
        "city,year,gpc_ref,activity,amount,unit,waste_type,site_type,climate_zone,deposit_year\n"
        "c,2020,III.1.1,landfill,10,t,food,managed_anaerobic,temperate_wet,1850\n"
        "c,2101,III.1.1,landfill,10,t,food,managed_anaerobic,temperate_wet,2019\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed) as caught:
        read_activity(path)
    found = {(e.row, e.field, e.message_id) for e in caught.value.errors}
    assert (2, "deposit_year", "deposit_year.invalid") in found
    assert (3, "year", "year.invalid") in found
