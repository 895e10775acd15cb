"""Bad input: clear row-level errors, nothing computed from a partial file, no partial writes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from ecocite.carbon import FactorLibrary, ValidationFailed, compute_inventory, read_activity
from ecocite.carbon.cli import app

HEADER = "city,year,gpc_ref,activity,amount,unit,fuel,grid_region,waste_type,site_type,climate_zone,deposit_year,mcf,gas,data_quality,notation_key,explanation\n"


def write_csv(path: Path, body: str, header: str = HEADER) -> Path:
    path.write_text(header + body, encoding="utf-8")
    return path


def frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    cols = HEADER.strip().split(",")
    return pd.DataFrame([{c: r.get(c, "") for c in cols} for r in rows], columns=cols)


GOOD = "c,2020,I.3.1,fuel,1000,t,other_bituminous_coal,,,,,,,,high,,\n"


def errors_of(path: Path, library: FactorLibrary | None = None) -> list[tuple[int, str, str]]:
    with pytest.raises(ValidationFailed) as info:
        compute_inventory(read_activity(path), library=library)
    return [(e.row, e.field, e.message) for e in info.value.errors]


@pytest.mark.parametrize(
    ("line", "field", "words"),
    [
        ("c,2020,I.3.1,fuel,10,t,unobtainium,,,,,,,,,,\n", "fuel", "is not one of"),
        ("c,2020,I.9.9,fuel,10,t,lignite,,,,,,,,,,\n", "gpc_ref", "unknown GPC sector"),
        ("c,2020,I.3.1,fuel,10,bananas,lignite,,,,,,,,,,\n", "unit", "unknown unit"),
        ("c,2020,I.1.2,electricity,10,t,,hubei,,,,,,,,,\n", "unit", "does not convert to energy"),
        ("c,2020,I.3.1,fuel,-5,t,lignite,,,,,,,,,,\n", "amount", "negative activity"),
        ("c,2020,I.1.2,electricity,10,MWh,,atlantis,,,,,,,,,\n", "grid_region", "missing factor"),
        ("c,2020,I.1.2,heat,10,GJ,,,,,,,,,,,\n", "activity", "missing factor"),
        (
            "c,2020,III.1.1,landfill,10,t,,,industrial,managed_anaerobic,temperate_wet,2019,,,,,\n",
            "waste_type",
            "missing factor",
        ),
        ("c,2020,I.1.1,electricity,10,MWh,,hubei,,,,,,,,,\n", "gpc_ref", "cannot be reported"),
        ("c,2020,I.1.1,fuel,10,t,lignite,,,,,,,,,NO,\n", "amount", "notation key"),
    ],
)
def test_each_bad_row_is_named_by_file_row_and_field(
    tmp_path: Path, line: str, field: str, words: str
) -> None:
    path = write_csv(tmp_path / "bad.csv", GOOD + line)
    found = errors_of(path)
    assert (3, field) in {(r, f) for r, f, _ in found}, found
    assert any(words in p for r, f, p in found if f == field)


def test_volume_with_a_mass_ncv_does_not_convert(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "gas.csv", "c,2020,I.1.1,fuel,1000,m**3,natural_gas,,,,,,,,,,\n")
    found = errors_of(path, FactorLibrary(factor_sets=("ipcc2006",)))
    assert found[0][:2] == (2, "unit") and "does not convert to energy" in found[0][2]


def test_all_problems_are_reported_at_once_with_line_numbers_after_comments(tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text(
        "# a comment line\n"
        "city,year,gpc_ref,activity,amount,unit,fuel\n"
        "c,2020,I.3.1,fuel,1000,t,lignite\n"
        "c,20x0,I.3.1,fuel,1,t,lignite\n"
        "c,2020,I.3.1,fuel,abc,t,lignite\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed) as info:
        read_activity(path)
    got = [(e.file, e.row, e.field) for e in info.value.errors]
    assert got == [("many.csv", 4, "year"), ("many.csv", 5, "amount")]
    text = str(info.value)
    assert "many.csv, row 4, field 'year'" in text and "nothing was computed" in text


def test_missing_column_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "cols.csv"
    path.write_text("city,year,gpc_ref,activity,amount\nc,2020,I.3.1,fuel,1\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="required column is missing"):
        read_activity(path)


def test_cli_reports_errors_without_traceback_and_writes_nothing(tmp_path: Path) -> None:
    bad = write_csv(tmp_path / "bad.csv", GOOD + "c,2020,I.3.1,fuel,-1,t,lignite,,,,,,,,,,\n")
    out = tmp_path / "out.xlsx"
    result = CliRunner().invoke(app, ["inventory", str(bad), "--format", "xlsx", "--out", str(out)])
    assert result.exit_code == 1
    assert "bad.csv, row 3, field 'amount'" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]  # no temporary file left behind either


def test_one_bad_file_stops_a_multi_file_run(tmp_path: Path) -> None:
    good = write_csv(tmp_path / "good.csv", GOOD)
    bad = write_csv(tmp_path / "bad.csv", "c,2020,I.3.1,fuel,1,t,unobtainium,,,,,,,,,,\n")
    out = tmp_path / "rows.csv"
    result = CliRunner().invoke(
        app, ["inventory", str(good), str(bad), "-f", "csv", "-o", str(out)]
    )
    assert result.exit_code == 1 and not out.exists()


def test_xlsx_activity_reads_like_csv_and_reports_excel_rows(tmp_path: Path) -> None:
    csv = write_csv(
        tmp_path / "a.csv", GOOD + "c,2020,I.1.2,electricity,1000,MWh,,hubei,,,,,,,medium,,\n"
    )
    frame = pd.read_csv(csv)
    xlsx = tmp_path / "a.xlsx"
    frame.to_excel(xlsx, index=False)
    from_csv = compute_inventory(read_activity(csv)).totals().iloc[0]
    from_xlsx = compute_inventory(read_activity(xlsx)).totals().iloc[0]
    assert from_xlsx["co2e_t"] == pytest.approx(from_csv["co2e_t"])
    frame.loc[1, "amount"] = -3
    frame.to_excel(xlsx, index=False)
    with pytest.raises(ValidationFailed) as info:
        read_activity(xlsx)
    assert [(e.file, e.row, e.field) for e in info.value.errors] == [("a.xlsx", 3, "amount")]
