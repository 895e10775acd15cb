"""``ecocite carbon …``: inventory and pathway from the command line (files in, tables out)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ecocite.carbon.activity import read_activity
from ecocite.carbon.context import read_contexts
from ecocite.carbon.errors import ValidationFailed
from ecocite.carbon.export import (
    inventory_json,
    inventory_tables,
    pathway_tables,
    write_indicator_csv,
    write_inventory_csv,
    write_inventory_xlsx,
    write_tables,
)
from ecocite.carbon.indicators import indicator_values
from ecocite.carbon.inventory import Inventory, combine, compute_inventory
from ecocite.carbon.library import FactorLibrary, read_local_factors
from ecocite.carbon.pathways import monte_carlo, pathway_base, run_pathway
from ecocite.carbon.svg import fan_chart_svg, wedge_chart_svg
from ecocite.cells import neutralised
from ecocite.cli_failure import ALL_ERRORS_HELP, fail

app = typer.Typer(
    help="GPC greenhouse-gas inventory and low-carbon pathways to 2060.", no_args_is_help=True
)


AllErrorsOpt = Annotated[bool, typer.Option("--all-errors", help=ALL_ERRORS_HELP)]


class Format(StrEnum):
    """Output formats of the carbon commands."""

    json = "json"
    csv = "csv"
    xlsx = "xlsx"


class Gwp(StrEnum):
    """IPCC global-warming-potential sets."""

    ar5 = "ar5"
    ar6 = "ar6"


def _fail(message: str) -> None:
    """Options that do not make sense: the project's usage failure (exit code 2)."""
    fail(message, usage=True)


def _pairs(items: list[str], what: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        try:
            if not sep:
                raise ValueError
            out[name.strip()] = float(value)
        except ValueError:
            _fail(f"--{what} {item!r}: expected name=value, e.g. grid_decarbonisation=0.8")
    return out


def _inventory(
    files: list[Path], local: Path | None, gwp: Gwp, factor_sets: str, grid_series: str
) -> Inventory:
    sets = tuple(s.strip() for s in factor_sets.split(",") if s.strip())
    if local is not None:
        lib = FactorLibrary(read_local_factors(local), sets, grid_series, local.name)
    else:
        lib = FactorLibrary(factor_sets=sets, grid_series=grid_series)
    # Read and validate every file before computing anything: one bad file stops the run.
    data = [read_activity(f) for f in files]
    return combine([compute_inventory(d, library=lib, gwp_set=gwp.value) for d in data])


FilesArg = Annotated[
    list[Path], typer.Argument(help="Activity-data CSV/XLSX file(s).", exists=False)
]
LocalOpt = Annotated[
    Path | None,
    typer.Option("--local-factors", help="CSV/XLSX of local factors (override defaults)."),
]
GwpOpt = Annotated[Gwp, typer.Option("--gwp", help="GWP100 set for CO2e.")]
SetsOpt = Annotated[
    str, typer.Option("--factor-sets", help="Factor-set search order, comma-separated.")
]
GridOpt = Annotated[
    str, typer.Option("--grid-series", help="mee_nbs_location or mee_ets_national.")
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
OutOpt = Annotated[
    Path | None, typer.Option("--out", "-o", help="Output file (stdout for json/csv if omitted).")
]


@app.command()
def inventory(
    files: FilesArg,
    local_factors: LocalOpt = None,
    gwp: GwpOpt = Gwp.ar5,
    factor_sets: SetsOpt = "local,china_default,ipcc2006",
    grid_series: GridOpt = "mee_nbs_location",
    fmt: FormatOpt = Format.json,
    out: OutOpt = None,
    contexts: Annotated[
        Path | None, typer.Option("--city-data", help="CSV of population/GDP per city.")
    ] = None,
    indicators: Annotated[
        Path | None,
        typer.Option(
            "--indicators", help="Also write tidy indicator values (CSV); needs --city-data."
        ),
    ] = None,
    all_errors: AllErrorsOpt = False,
) -> None:
    """Compute a GPC v1.1 inventory (BASIC/BASIC+) from activity data."""
    if indicators is not None and contexts is None:
        _fail("--indicators needs --city-data (population and GDP per city)")
    try:
        inv = _inventory(files, local_factors, gwp, factor_sets, grid_series)
        ctx = read_contexts(contexts) if contexts else None
    except ValidationFailed as exc:
        fail(exc, all_errors=all_errors)
    if indicators is not None and ctx is not None:
        write_indicator_csv(indicator_values(inv, ctx), indicators)
    if fmt is Format.xlsx:
        if out is None:
            _fail("--format xlsx needs --out FILE.xlsx")
            return
        write_inventory_xlsx(inv, out, ctx)
    elif fmt is Format.csv:
        if out is None:
            neutralised(inventory_tables(inv)["activity"]).to_csv(sys.stdout, index=False)
        else:
            write_inventory_csv(inv, out)
    else:
        text = inventory_json(inv, ctx)
        if out is None:
            typer.echo(text)
        else:
            out.write_text(text, encoding="utf-8")
    if out is not None:
        totals = inv.totals("basic")
        for r in totals.to_dict("records"):
            mt = float(r["co2e_t"]) / 1e6
            typer.echo(f"{r['city']} {r['year']}: BASIC {mt:,.3f} Mt CO2e → {out}", err=True)


@app.command()
def pathway(
    files: FilesArg,
    city_data: Annotated[
        Path, typer.Option("--city-data", help="CSV of population, GDP, 2005 baseline per city.")
    ],
    city: Annotated[
        str | None, typer.Option("--city", help="City id (default: the only/first one).")
    ] = None,
    lever: Annotated[
        list[str] | None, typer.Option("--lever", help="name=value, repeatable.")
    ] = None,
    driver: Annotated[
        list[str] | None, typer.Option("--driver", help="name=value, repeatable.")
    ] = None,
    draws: Annotated[int, typer.Option("--draws", help="Monte Carlo draws (0: none).")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    local_factors: LocalOpt = None,
    gwp: GwpOpt = Gwp.ar5,
    factor_sets: SetsOpt = "local,china_default,ipcc2006",
    grid_series: GridOpt = "mee_nbs_location",
    fmt: FormatOpt = Format.json,
    out: OutOpt = None,
    svg_dir: Annotated[
        Path | None, typer.Option("--svg-dir", help="Write wedge and fan charts (SVG) here.")
    ] = None,
    all_errors: AllErrorsOpt = False,
) -> None:
    """Pathway 2020–2060 from a base-year inventory: BAU, levers, wedges, targets, Monte Carlo."""
    levers, drivers = _pairs(lever or [], "lever"), _pairs(driver or [], "driver")
    try:
        inv = _inventory(files, local_factors, gwp, factor_sets, grid_series)
        contexts = read_contexts(city_data)
    except ValidationFailed as exc:
        fail(exc, all_errors=all_errors)
    name = city or inv.cities()[0][0]
    if name not in contexts:
        fail(f"{city_data.name}: no row for city {name!r} (cities: {', '.join(contexts)})")
    try:
        base = pathway_base(inv, contexts[name])
        result = run_pathway(base, levers=levers, drivers=drivers)
        mc = (
            monte_carlo(base, draws=draws, seed=seed, levers=levers, drivers=drivers)
            if draws > 0
            else None
        )
    except (KeyError, ValueError) as exc:
        _fail(f"pathway: {exc}")
        return
    tables = pathway_tables(result, mc)
    if out is None:
        if fmt is Format.xlsx:
            _fail("--format xlsx needs --out FILE.xlsx")
        for tname, frame in tables.items():
            typer.echo(f"# {tname} (illustrative levers and drivers)")
            typer.echo(
                frame.to_json(orient="records")
                if fmt is Format.json
                else neutralised(frame).to_csv(index=False)
            )
    else:
        write_tables(tables, out, fmt.value)
    if svg_dir is not None:
        svg_dir.mkdir(parents=True, exist_ok=True)
        (svg_dir / f"{name}_wedges.svg").write_text(wedge_chart_svg(result), encoding="utf-8")
        if mc is not None:
            (svg_dir / f"{name}_fan.svg").write_text(fan_chart_svg(mc, result), encoding="utf-8")
    s = result.targets["scenario"]
    typer.echo(
        f"{name}: scenario peak {s['peak_year']:.0f} (by 2030: {s['peak_by_2030']}), "
        f"2060 residual {s['residual_2060_t'] / 1e6:,.2f} Mt CO2e — illustrative levers and drivers",
        err=True,
    )
