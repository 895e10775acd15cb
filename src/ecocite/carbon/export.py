"""Exports: eCRF-style XLSX (metadata, sector × scope summary, activity rows), CSV and JSON.

Files are written to a temporary name next to the target and moved into place at the end, so a
failure never leaves a half-written file. Text cells of CSV and XLSX files go through
``ecocite.cells.neutralised``: text from an input file never comes out as a live formula.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

import ecocite
from ecocite.carbon.context import CityContext
from ecocite.carbon.inventory import Inventory
from ecocite.carbon.pathways import MonteCarlo, Pathway
from ecocite.cells import neutralised

ILLUSTRATIVE_NOTE = "ILLUSTRATIVE: built from illustrative data, not official statistics"


def _atomic(path: str | Path, write: Any) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    try:
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the usual file mode
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def metadata(
    inventory: Inventory, city: str, year: int, context: CityContext | None = None
) -> pd.DataFrame:
    """ECRF sheet 1: inventory metadata as field/value lines."""
    prov = inventory.provenance
    lines: list[tuple[str, Any]] = [
        ("City", city),
        ("Inventory year", year),
        ("Boundary", "administrative boundary of the city (as supplied with the activity data)"),
        ("Population", context.population if context else "not supplied"),
        ("GDP (10^4 CNY)", context.gdp_wan_cny if context else "not supplied"),
        ("Tool used", f"EcoCité {ecocite.__version__} (ecocite.carbon)"),
        ("GPC reporting level", "BASIC and BASIC+ (GPC v1.1)"),
        ("Gases", "CO2, CH4, N2O"),
        ("GWP source", f"IPCC {inventory.gwp_set.upper()} GWP100"),
        (
            "Methodology",
            "GPC v1.1; IPCC 2006 Guidelines (fuel combustion Vol.2; first-order decay Vol.5 Ch.3)",
        ),
        ("Emission-factor library", f"ecocite-carbon-factors {inventory.factor_library_version}"),
        ("Factor sets (search order)", ", ".join(prov.get("factor_sets", []))),
        ("Grid-factor series", prov.get("grid_series", "")),
        (
            "Input files",
            "; ".join(f"{i['file']} (sha256 {i['sha256'][:12]}…)" for i in prov.get("inputs", [])),
        ),
        ("Third-party verification", "none"),
        ("Illustrative", ILLUSTRATIVE_NOTE if inventory.illustrative else "no"),
    ]
    return pd.DataFrame(lines, columns=["field", "value"]).astype({"value": str})


def summary_matrix(inventory: Inventory, city: str, year: int) -> pd.DataFrame:
    """ECRF sheet 2: one line per sub-sector, CO2e (t) and notation key per scope.

    Territorial-only lines (I.4.4, III.x.3) and other scope 3 are left out, as in the eCRF total
    "excluding generation of grid-supplied energy".
    """
    s = inventory.summary(city, year)
    s = s[s["reporting_level"].isin(["basic", "basic+"])]
    lines = []
    for (sub, name), group in s.groupby(["subsector", "subsector_name"], sort=False):
        line: dict[str, Any] = {
            "sector": group["sector_name"].iloc[0],
            "subsector": sub,
            "subsector_name": name,
        }
        notes = []
        for scope in (1, 2, 3):
            cell = group[group["scope"] == scope]
            if cell.empty:
                line[f"scope{scope}_tco2e"], line[f"scope{scope}_key"] = None, ""
                continue
            c = cell.iloc[0]
            line[f"scope{scope}_tco2e"] = (
                None if pd.isna(c["co2e_t"]) else round(float(c["co2e_t"]), 3)
            )
            line[f"scope{scope}_key"] = c["notation_key"]
            if c["explanation"]:
                notes.append(f"{c['gpc_ref']}: {c['explanation']}")
        line["explanation"] = "; ".join(notes)
        lines.append(line)
    return pd.DataFrame(lines)


def inventory_tables(
    inventory: Inventory, contexts: Mapping[str, CityContext] | None = None
) -> dict[str, pd.DataFrame]:
    """Return the tables of an export: metadata, summary, totals and activity rows."""
    metas, summaries = [], []
    for city, year in inventory.cities():
        m = metadata(inventory, city, year, (contexts or {}).get(city))
        m.insert(0, "city", city)
        metas.append(m)
        s = summary_matrix(inventory, city, year)
        s.insert(0, "year", year)
        s.insert(0, "city", city)
        summaries.append(s)
    totals = pd.concat([inventory.totals("basic"), inventory.totals("basic+")], ignore_index=True)
    rows = inventory.rows.copy()
    for frame in (totals, rows):
        frame["illustrative"] = inventory.illustrative
    return {
        "metadata": pd.concat(metas, ignore_index=True),
        "summary": pd.concat(summaries, ignore_index=True),
        "totals": totals,
        "activity": rows,
    }


def write_inventory_xlsx(
    inventory: Inventory, path: str | Path, contexts: Mapping[str, CityContext] | None = None
) -> Path:
    """Write the eCRF-style workbook (sheets metadata, summary, totals, activity)."""
    tables = inventory_tables(inventory, contexts)

    def write(tmp: str) -> None:
        with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
            for name, frame in tables.items():
                neutralised(frame).to_excel(xl, sheet_name=name, index=False)

    return _atomic(path, write)


def write_inventory_csv(inventory: Inventory, path: str | Path) -> Path:
    """Write the activity-level result rows as CSV (with an ``illustrative`` column)."""
    rows = inventory_tables(inventory)["activity"]
    return _atomic(path, lambda tmp: neutralised(rows).to_csv(tmp, index=False))


def write_indicator_csv(values: pd.DataFrame, path: str | Path) -> Path:
    """Write tidy indicator values as CSV, the format ``ecocite data import`` reads."""
    return _atomic(path, lambda tmp: neutralised(values).to_csv(tmp, index=False))


def inventory_json(inventory: Inventory, contexts: Mapping[str, CityContext] | None = None) -> str:
    """Everything of the export as one JSON document."""
    tables = inventory_tables(inventory, contexts)
    doc = {
        "illustrative": inventory.illustrative,
        "note": ILLUSTRATIVE_NOTE if inventory.illustrative else "",
        "provenance": inventory.provenance,
        **{name: json.loads(frame.to_json(orient="records")) for name, frame in tables.items()},
    }
    return json.dumps(doc, ensure_ascii=False, indent=1, default=str)


def pathway_tables(pathway: Pathway, mc: MonteCarlo | None = None) -> dict[str, pd.DataFrame]:
    """Yearly results, wedges, targets (and the Monte Carlo fan) as frames."""
    targets = []
    for run in ("bau", "scenario"):
        for key, value in pathway.targets[run].items():
            targets.append({"run": run, "target": key, "value": value})
    if mc is not None:
        for key, value in mc.probabilities.items():
            targets.append(
                {
                    "run": f"monte_carlo ({mc.draws} draws, seed {mc.seed})",
                    "target": f"P({key})",
                    "value": value,
                }
            )
    tables = {"yearly": pathway.yearly, "wedges": pathway.wedges, "targets": pd.DataFrame(targets)}
    if mc is not None:
        tables["fan"] = mc.fan
    for frame in tables.values():
        frame["illustrative"] = True
    return tables


def write_tables(tables: Mapping[str, pd.DataFrame], path: str | Path, fmt: str) -> Path:
    """Write named tables: XLSX (one sheet each), CSV (long, with a ``table`` column) or JSON."""
    if fmt == "xlsx":

        def write(tmp: str) -> None:
            with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
                for name, frame in tables.items():
                    neutralised(frame).to_excel(xl, sheet_name=name[:31], index=False)

        return _atomic(path, write)
    if fmt == "csv":
        long = pd.concat([f.assign(table=name) for name, f in tables.items()], ignore_index=True)
        return _atomic(path, lambda tmp: neutralised(long).to_csv(tmp, index=False))
    if fmt == "json":
        doc = {name: json.loads(f.to_json(orient="records")) for name, f in tables.items()}
        text = json.dumps(doc, ensure_ascii=False, indent=1)
        return _atomic(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    raise ValueError(f"unknown format {fmt!r}; expected json, csv or xlsx")
