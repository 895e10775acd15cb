"""``ecocite scenario …``: evaluate a vision for a site from the command line."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ecocite.cli_failure import EXIT_REJECTED, failure_lines
from ecocite.scenario.engine import evaluate
from ecocite.scenario.site import ScenarioError, bundled_site, load_site
from ecocite.units import format_unit

app = typer.Typer(
    help="Scenario sliders: a vision's effect on a site's indicators and CO₂.", no_args_is_help=True
)
out = Console()
err = Console(stderr=True)


class Format(StrEnum):
    """Output formats."""

    TABLE = "table"
    JSON = "json"


def _settings(items: list[str]) -> dict[str, float]:
    settings = {}
    for item in items:
        key, sep, value = item.partition("=")
        try:
            if not sep:
                raise ValueError
            settings[key.strip()] = float(value)
        except ValueError:
            err.print(f"--set {item!r}: write SLIDER=NUMBER, e.g. --set density=120")
            raise typer.Exit(2) from None
    return settings


@app.command("evaluate")
def evaluate_command(
    site: Annotated[
        str, typer.Argument(help="site file (YAML), or the name of a bundled site (vegueta)")
    ],
    set_: Annotated[list[str], typer.Option("--set", help="SLIDER=VALUE, repeatable")] = [],  # noqa: B006
    facility: Annotated[
        list[str], typer.Option("--facility", help="facility added, repeatable")
    ] = [],  # noqa: B006
    framework: Annotated[
        str | None,
        typer.Option("--framework", help="framework id for points (e.g. sino-french-ecocity)"),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format")] = Format.TABLE,
) -> None:
    """Evaluate SITE with the sliders given (the others stay at today's values)."""
    path = (
        Path(site)
        if Path(site).exists() or site.endswith((".yaml", ".yml"))
        else bundled_site(site)
    )
    fw = None
    if framework:
        from ecocite.frameworks import FrameworkError, get_framework

        try:
            fw = get_framework(framework)
        except FrameworkError as problem:
            err.print(str(problem))
            raise typer.Exit(EXIT_REJECTED) from None
    try:
        result = evaluate(
            load_site(path), _settings(set_), facilities=tuple(facility), framework=fw
        )
    except ScenarioError as problem:
        for line in failure_lines(problem, all_errors=True):
            err.print(line)
        raise typer.Exit(EXIT_REJECTED) from None
    if fmt == Format.JSON:
        body = {
            "site": result.site,
            "settings": dict(result.settings),
            "illustrative": result.illustrative,
            "trade_offs": result.trade_offs,
            "indicators": [
                {"indicator": o.indicator, "unit": o.unit, "value": o.value, "today": o.today,
                 "illustrative": o.illustrative, "framework_indicator": o.framework_indicator or None,
                 "points": o.points, "max_points": o.max_points, "today_points": o.today_points}
                for o in result.outcomes
            ],
            "life_circles": {k: {str(m): v for m, v in d.items()} for k, d in result.life_circles.items()},
        }  # fmt: skip
        out.print_json(json.dumps(body))
        return
    table = Table(
        title=f"{result.site}" + (" (illustrative figures)" if result.illustrative else "")
    )
    for column in ("indicator", "today", "scenario", "unit", "points", ""):
        table.add_column(column)
    for o in result.outcomes:
        points = "" if o.points is None else f"{o.points:g}/{o.max_points:g}"
        flags = ("worse " if o.worse else "") + ("illustrative" if o.illustrative else "")
        table.add_row(
            o.indicator,
            f"{o.today:.3g}",
            f"{o.value:.3g}",
            format_unit(o.unit, "en"),
            points,
            flags,
        )
    out.print(table)
    for fac, shares in result.life_circles.items():
        out.print(f"{fac}: " + ", ".join(f"{m} min {100 * v:.0f} %" for m, v in shares.items()))
