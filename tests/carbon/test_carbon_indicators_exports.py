"""Indicator values (tidy format), exports, charts, CLI, and the monotonicity property."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ecocite.carbon import (
    CityContext,
    compute_inventory,
    demo_indicator_values,
    fan_chart_svg,
    indicator_values,
    monte_carlo,
    pathway_base,
    run_pathway,
    wedge_chart_svg,
    write_inventory_xlsx,
)
from ecocite.carbon.cli import app
from ecocite.carbon.demo import demo_activity_path, demo_contexts, demo_inventory
from ecocite.carbon.library import DATA
from ecocite.units import parse_unit

IDS = {
    "co2_per_capita": "t/person",
    "co2_per_gdp": "t/wan_CNY",
    "co2_intensity_reduction_2005": "%",
    "renewable_energy_share": "%",
    "ghg_per_capita": "t/person",
}
TIDY = ["city", "year", "indicator", "value", "unit", "source", "quality", "verified", "provenance"]

ROWS = [
    {"city": "h", "year": 2020, "gpc_ref": "I.3.1", "activity": "fuel", "amount": 1000, "unit": "t",
     "fuel": "other_bituminous_coal", "data_quality": "high"},
    {"city": "h", "year": 2020, "gpc_ref": "I.1.2", "activity": "electricity", "amount": 1000,
     "unit": "MWh", "grid_region": "national", "data_quality": "high"},
    {"city": "h", "year": 2020, "gpc_ref": "I.1.1", "activity": "fuel", "amount": 36, "unit": "TJ",
     "fuel": "wood", "data_quality": "high"},
    {"city": "h", "year": 2020, "gpc_ref": "III.4.1", "activity": "wastewater", "amount": 100,
     "unit": "t", "mcf": 0.5, "data_quality": "high"},
    {"city": "h", "year": 2020, "gpc_ref": "I.4.4", "activity": "renewable_generation", "amount": 500,
     "unit": "MWh", "data_quality": "high"},
]  # fmt: skip


def test_indicator_values_by_hand() -> None:
    inv = compute_inventory(pd.DataFrame(ROWS))
    ctx = CityContext("h", 2020, population=1000, gdp_wan_cny=2000, co2_2005_t=4000, gdp_2005_wan_cny=2000,
                      grid_renewable_share=0.3, source="test figures")  # fmt: skip
    f = indicator_values(inv, [ctx])
    assert list(f.columns) == TIDY
    v = f.set_index("indicator")["value"]
    coal = 1000 * 1.742  # China default bituminous coal t/t (rounded in the reference sheet)
    elec = (
        1000 * 0.5366
    )  # national 2020 → vintage 2021? no: latest earlier is none, earliest is 2021
    elec = 1000 * 0.5568
    energy_co2 = coal + elec  # wood is biogenic, wastewater is waste
    assert v["co2_per_capita"] == pytest.approx(energy_co2 / 1000, rel=1e-3)
    assert v["co2_per_gdp"] == pytest.approx(energy_co2 / 2000, rel=1e-3)
    assert v["co2_intensity_reduction_2005"] == pytest.approx(
        (1 - (energy_co2 / 2000) / 2.0) * 100, rel=1e-3
    )
    coal_tj = 1000 * 19.57 / 1000
    final = coal_tj + 36 + 3.6 + 1.8  # coal, wood, grid 1000 MWh, local 500 MWh
    renewable = 36 + 1.8 + 3.6 * 0.3
    assert v["renewable_energy_share"] == pytest.approx(renewable / final * 100, rel=1e-3)
    total = inv.totals("basic").iloc[0]["co2e_t"]
    assert v["ghg_per_capita"] == pytest.approx(total / 1000)
    # high activity data, but IPCC default CH4/N2O factors are rated low (GPC: default EF = L)
    q = f.set_index("indicator")["quality"]
    assert q["co2_per_capita"] == "low" and q["co2_intensity_reduction_2005"] == "medium"
    assert not f["verified"].any()
    prov = json.loads(f["provenance"].iloc[0])
    assert prov["engine"] == "ecocite.carbon.indicators" and prov["parameters"]["gwp"] == "ar5"


def test_demo_indicator_values_are_tidy_illustrative_and_use_shared_ids() -> None:
    f = demo_indicator_values()
    assert list(f.columns) == TIDY
    assert set(f["city"]) == {"jingzhou", "jilin", "panshi", "qingyun", "foshan", "caidian"}
    for ind, unit in IDS.items():
        sub = f[f["indicator"] == ind]
        if ind != "co2_intensity_reduction_2005":
            assert len(sub) == 6, ind
        assert (sub["unit"] == unit).all()
        parse_unit(unit)
    assert f["source"].str.contains("illustrative").all()
    assert (f["quality"] == "low").all()
    for text in f["provenance"]:
        inputs = json.loads(text)["inputs"]
        assert inputs[0]["sha256"] and "illustrative" in inputs[0]["file"]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, len(ROWS) - 1), st.floats(1.0, 100.0))
def test_more_activity_never_lowers_emissions(index: int, factor: float) -> None:
    base = compute_inventory(pd.DataFrame(ROWS)).totals("basic+").iloc[0]
    rows = [dict(r) for r in ROWS]
    rows[index]["amount"] = float(rows[index]["amount"]) * factor  # type: ignore[arg-type]
    more = compute_inventory(pd.DataFrame(rows)).totals("basic+").iloc[0]
    for gas in ("co2_t", "ch4_t", "n2o_t", "co2e_t"):
        assert more[gas] >= base[gas] - 1e-9


def test_xlsx_has_ecrf_sheets_and_notation_keys(tmp_path: Path) -> None:
    inv = demo_inventory()
    out = write_inventory_xlsx(inv, tmp_path / "inv.xlsx", demo_contexts())
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["metadata", "summary", "totals", "activity"]
    summary = pd.read_excel(out, sheet_name="summary")
    jz = summary[summary["city"] == "jingzhou"].set_index("subsector")
    assert jz.loc["I.7", "scope1_key"] == "NO"
    assert jz.loc["I.3", "scope1_tco2e"] > 0
    meta = pd.read_excel(out, sheet_name="metadata")
    assert meta["value"].astype(str).str.contains("ILLUSTRATIVE").any()
    activity = pd.read_excel(out, sheet_name="activity")
    assert activity["illustrative"].all() and len(activity) == len(inv.rows)


def test_charts_are_self_contained_svg() -> None:
    base = pathway_base(demo_inventory(), demo_contexts()["foshan"])
    p = run_pathway(base)
    mc = monte_carlo(base, draws=500, seed=1)
    for svg in (wedge_chart_svg(p), fan_chart_svg(mc, p)):
        root = ET.fromstring(svg)
        assert root.tag.endswith("svg")
        assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert "<script" not in svg and "ILLUSTRATIVE" in svg
        assert len(root.findall(".//{http://www.w3.org/2000/svg}polygon")) >= 2


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_cli_inventory_and_pathway(tmp_path: Path, fmt: str) -> None:
    runner = CliRunner()
    act = demo_activity_path("panshi")
    ctx = str(DATA / "demo" / "cities_2020_illustrative.csv")
    out = tmp_path / f"inv.{fmt}"
    r = runner.invoke(app, ["inventory", act, "--format", fmt, "--out", str(out), "--gwp", "ar6"])
    assert r.exit_code == 0, r.output
    assert out.stat().st_size > 0
    pout = tmp_path / f"path.{fmt}"
    r = runner.invoke(
        app,
        ["pathway", act, "--city-data", ctx, "--draws", "300", "--lever", "grid_decarbonisation=1",
         "--format", fmt, "--out", str(pout), "--svg-dir", str(tmp_path / "svg")],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert (tmp_path / "svg" / "panshi_wedges.svg").exists() and (
        tmp_path / "svg" / "panshi_fan.svg"
    ).exists()
    if fmt == "json":
        doc = json.loads(pout.read_text(encoding="utf-8"))
        assert {"yearly", "wedges", "targets", "fan"} <= set(doc)
        assert doc["yearly"][0]["illustrative"] is True


def test_cli_refuses_bad_lever_syntax(tmp_path: Path) -> None:
    ctx = str(DATA / "demo" / "cities_2020_illustrative.csv")
    r = CliRunner().invoke(
        app, ["pathway", demo_activity_path("panshi"), "--city-data", ctx, "--lever", "grid"]
    )
    assert r.exit_code == 2 and "name=value" in r.output
    r = CliRunner().invoke(
        app,
        ["pathway", demo_activity_path("panshi"), "--city-data", ctx, "--lever", "modal_shift=0.9"],
    )
    assert r.exit_code == 2 and "outside its range" in r.output


def test_a_context_serves_only_its_own_year() -> None:
    rows = [dict(r, year=2019) for r in ROWS] + ROWS
    inv = compute_inventory(pd.DataFrame(rows))
    f = indicator_values(inv, [CityContext("h", 2020, population=1000, gdp_wan_cny=2000)])
    assert set(f["year"]) == {2020}


def test_city_data_with_a_repeated_city_is_refused(tmp_path: Path) -> None:
    from ecocite.carbon import ValidationFailed, read_contexts

    path = tmp_path / "ctx.csv"
    path.write_text(
        "city,year,population,gdp_wan_cny\na,2020,10,5\na,2021,11,6\n", encoding="utf-8"
    )
    with pytest.raises(ValidationFailed, match="row 3, field 'city'"):
        read_contexts(path)


def test_cli_writes_tidy_indicator_values_the_data_import_reads(tmp_path: Path) -> None:
    from ecocite.data.tidy import read_indicator_table
    from ecocite.frameworks.loader import get_framework

    ctx = str(DATA / "demo" / "cities_2020_illustrative.csv")
    out = tmp_path / "ind.csv"
    r = CliRunner().invoke(
        app,
        ["inventory", demo_activity_path("jingzhou"), "--city-data", ctx, "--indicators", str(out)],
    )
    assert r.exit_code == 0, r.output
    values = pd.read_csv(out)
    assert list(values.columns) == TIDY
    canonical = read_indicator_table(out, framework=get_framework("sino-french-ecocity"))
    assert set(canonical["indicator"]) == set(IDS)
    r = CliRunner().invoke(
        app, ["inventory", demo_activity_path("jingzhou"), "--indicators", str(out)]
    )
    assert r.exit_code == 2 and "--city-data" in r.output
