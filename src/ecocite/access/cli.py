"""`ecocite access …`: life circles and urban form from an OSM extract."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ecocite.access.errors import AccessInputError
from ecocite.cli_failure import fail

app = typer.Typer(
    help="Walking access to daily services (5/10/15-minute life circles) and urban form.",
    no_args_is_help=True,
)
console = Console()


def _fail(exc: Exception) -> None:
    """Return the project's one failure shape and exit code (:mod:`ecocite.cli_failure`)."""
    fail(exc)


@app.command()
def run(
    pbf: Annotated[Path, typer.Argument(help="OpenStreetMap PBF extract")],
    out: Annotated[Path, typer.Option("--out", "-o", help="output folder")] = Path("out/access"),
    boundary: Annotated[
        Path | None, typer.Option(help="study area (GeoJSON/GeoPackage with a CRS)")
    ] = None,
    city: Annotated[str | None, typer.Option(help="city id (default: file name)")] = None,
    gtfs: Annotated[Path | None, typer.Option(help="GTFS zip for frequent-service stops")] = None,
    population: Annotated[
        float | None, typer.Option(help="total residents, for green space per person")
    ] = None,
    year: Annotated[
        int | None, typer.Option(help="year of the values (default: extract's)")
    ] = None,
    categories: Annotated[
        Path | None, typer.Option(help="category table (YAML), default: bundled")
    ] = None,
    buildings: Annotated[
        Path | None, typer.Option(help="buildings layer (population, levels) instead of OSM's")
    ] = None,
    origins: Annotated[
        Path | None, typer.Option(help="origin points (optional population) instead of buildings")
    ] = None,
    no_map: Annotated[bool, typer.Option("--no-map", help="skip the HTML map")] = False,
    no_snap_legs: Annotated[
        bool,
        typer.Option(
            "--no-snap-legs",
            help="count the street part only, not the walks between places and streets "
            "(as pandana; for comparison)",
        ),
    ] = False,
) -> None:
    """Compute every indicator for one city and write GeoPackage, CSV and HTML map."""
    from ecocite.access.batch import CitySpec, run_city

    spec = CitySpec(
        city=city or pbf.stem,
        pbf=str(pbf),
        boundary=str(boundary) if boundary else None,
        gtfs=str(gtfs) if gtfs else None,
        population=population,
        year=year,
        buildings=str(buildings) if buildings else None,
        origins=str(origins) if origins else None,
    )
    try:
        with console.status(f"computing {spec.city} …"):
            rec = run_city(
                spec, out, categories=categories, html_map=not no_map, snap_legs=not no_snap_legs
            )
    except AccessInputError as exc:
        _fail(exc)
        return
    console.print(f"[green]{spec.city}[/green] done in {rec['seconds']:.1f} s")
    net = rec["network"]
    console.print(
        f"  network: {net['nodes']:,} nodes, {net['length_km']:.0f} km kept; "
        f"{net['components'] - net['components_kept']} small components dropped "
        f"({net['nodes_dropped']:,} nodes, {net['length_dropped_km']:.1f} km)",
        highlight=False,
    )
    console.print(
        f"  origins: {rec['origins_snapped']:,} of {rec['origins']:,} snapped; "
        f"weights: {rec['origin_weight']}",
        highlight=False,
        markup=False,
    )
    for f in rec["files"]:
        console.print(f"  {f}")


@app.command()
def batch(
    cities: Annotated[Path, typer.Argument(help="CSV: city,pbf[,boundary,gtfs,population,year]")],
    out: Annotated[Path, typer.Option("--out", "-o", help="output folder")] = Path("out/access"),
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address; default a local cluster")
    ] = None,
    workers: Annotated[int | None, typer.Option(help="local cluster workers")] = None,
    categories: Annotated[Path | None, typer.Option(help="category table (YAML)")] = None,
    no_map: Annotated[bool, typer.Option("--no-map", help="skip the HTML maps")] = False,
    no_snap_legs: Annotated[
        bool, typer.Option("--no-snap-legs", help="street part only (as pandana)")
    ] = False,
) -> None:
    """Run many cities on Dask, with a progress bar; one sub-folder per city."""
    from ecocite.access.batch import read_batch, run_batch

    try:
        specs = read_batch(cities)
    except AccessInputError as exc:
        _fail(exc)
        return
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console,
    ) as bar:  # fmt: skip
        task = bar.add_task("cities", total=len(specs))

        def tick(rec: dict[str, Any]) -> None:
            bar.advance(task)
            colour = "green" if rec["status"] == "ok" else "red"
            bar.console.print(f"[{colour}]{rec['city']}[/{colour}] {rec.get('error', '')}")

        frame = run_batch(
            specs, out, scheduler=scheduler, n_workers=workers, categories=categories,
            html_map=not no_map, progress=tick, snap_legs=not no_snap_legs,
        )  # fmt: skip
    failed = frame[frame["status"] != "ok"]
    console.print(f"{len(frame) - len(failed)} ok, {len(failed)} failed")
    if len(failed):
        raise typer.Exit(code=1)


@app.command("categories")
def categories_cmd(
    lang: Annotated[str, typer.Option(help="fr, zh or en")] = "en",
    export: Annotated[
        Path | None, typer.Option(help="write the bundled table here to edit it")
    ] = None,
    table: Annotated[Path | None, typer.Option(help="show this table instead")] = None,
) -> None:
    """List the facility categories, their OSM tags and life-circle levels."""
    from importlib import resources

    from ecocite.access.categories import life_circle_levels, load_categories

    if export is not None:
        text = resources.files("ecocite.access.data").joinpath("categories.yaml").read_text("utf-8")
        if export.exists():
            _fail(AccessInputError(f"{export}: exists already; not overwritten"))
        export.write_text(text, encoding="utf-8")
        console.print(f"wrote {export}")
        return
    try:
        cats = load_categories(table)
    except AccessInputError as exc:
        _fail(exc)
        return
    levels = life_circle_levels()
    out = Table(title="facility categories", caption=f"levels: {cats.source}")
    for col in ("category", "label", "level", "distance", "tags"):
        out.add_column(col)
    for c in cats.categories:
        dist = f"{levels[c.level].distance_m:.0f} m" if c.level in levels else "—"
        tags = "; ".join(f"{k}={'|'.join(v)}" for k, v in c.tags.items())
        out.add_row(c.name, c.label(lang), c.level, dist, tags)
    console.print(out)
