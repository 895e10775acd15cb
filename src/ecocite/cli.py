"""The ``ecocite`` command line. Every command calls the same engine functions as the Python API."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from ecocite.assessment import assess, category_trend, compare
from ecocite.cities import CityError, city_from_admin_code, city_from_geojson
from ecocite.data import DataImportError, data_hash, read_indicator_table
from ecocite.frameworks import (
    Framework,
    FrameworkError,
    Stage,
    bundled_framework_files,
    get_framework,
)
from ecocite.i18n import Text
from ecocite.reports import (
    ReportError,
    render_city_report,
    render_portfolio_report,
    write_pdf,
)
from ecocite.workspace import Workspace

app = typer.Typer(
    help="EcoCité: assess, measure, co-construct and label low-carbon eco-cities.",
    no_args_is_help=True,
)
framework_app = typer.Typer(
    help="Reference frameworks: validate and read them.", no_args_is_help=True
)
city_app = typer.Typer(help="The city registry.", no_args_is_help=True)
data_app = typer.Typer(help="City indicator data.", no_args_is_help=True)
app.add_typer(framework_app, name="framework")
app.add_typer(city_app, name="city")
app.add_typer(data_app, name="data")

out = Console()
err = Console(stderr=True)

Home = Annotated[
    Path | None,
    typer.Option("--home", help="workspace folder (default $ECOCITE_HOME or ~/.ecocite)"),
]
Lang = Annotated[str, typer.Option("--lang", help="fr, zh or en")]
FrameworkRef = Annotated[
    str,
    typer.Option(
        "--framework", "-f", help="bundled framework id (optionally @version) or a YAML file"
    ),
]
DEFAULT_FRAMEWORK = "sino-french-ecocity"


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _check_lang(lang: str) -> str:
    if lang not in ("fr", "zh", "en"):
        raise _fail(f"--lang must be fr, zh or en, not {lang!r}", 2)
    return lang


def _framework(ref: str) -> Framework:
    try:
        return get_framework(ref)
    except FrameworkError as exc:
        raise _fail(str(exc)) from None


# framework -------------------------------------------------------------------------------------
@framework_app.command("validate")
def framework_validate(files: list[Path]) -> None:
    """Check framework YAML files; print every problem with file, line and field."""
    bad = 0
    for file in files:
        try:
            fw = get_framework(file)
        except FrameworkError as exc:
            bad += 1
            for issue in exc.issues:
                err.print(f"[red]✗[/red] {issue}", highlight=False, soft_wrap=True)
            continue
        n = len(fw.indicator_ids())
        out.print(
            f"[green]✓[/green] {file}: {fw.key}, {len(fw.categories)} categories, {n} indicators"
        )
    if bad:
        raise typer.Exit(1)


@framework_app.command("list")
def framework_list() -> None:
    """The bundled frameworks."""
    for ref in sorted(bundled_framework_files()):
        fw = get_framework(ref)
        out.print(f"{fw.key}\t{fw.name('en')}")


@framework_app.command("show")
def framework_show(
    ref: Annotated[str, typer.Argument(help="bundled id or YAML file")] = DEFAULT_FRAMEWORK,
    lang: Lang = "en",
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
) -> None:
    """Categories, indicators, thresholds and their sources."""
    fw = _framework(ref)
    if fmt == "json":
        out.print_json(fw.model_dump_json())
        return
    lang = _check_lang(lang)
    out.print(f"[bold]{fw.name(lang)}[/bold]  {fw.key}  ({fw.grading.method})")
    for level in fw.grading.levels:
        bar = level.min_points if fw.grading.method == "points" else level.min_reported
        out.print(f"  {level.name(lang)}: ≥ {bar}")
    for cat in fw.categories:
        caption = None
        if cat.min_points is not None:
            why = f" ({cat.min_points_source.text})" if cat.min_points_source else ""
            caption = f"minimum {cat.min_points:g} points{why}"
        table = Table(title=cat.name(lang), caption=caption, show_lines=False, expand=True)
        for col in ("id", "name", "kind", "unit", "rule", "source"):
            table.add_column(col, overflow="fold")
        for ind in cat.indicators:
            rule = ""
            if ind.scoring is not None:
                rule = ind.scoring.model_dump_json(exclude={"method"})
            elif ind.requirement is not None:
                rule = f"{'≥' if ind.direction.value == 'higher' else '≤'} {ind.requirement:g}"
            source = ind.source.text if ind.source else ""
            table.add_row(ind.id, ind.name(lang), ind.kind.value, ind.unit, rule, source)
        out.print(table)


# city ------------------------------------------------------------------------------------------
@city_app.command("add")
def city_add(
    admin_code: Annotated[
        str | None, typer.Option(help="Chinese 6-digit administrative code")
    ] = None,
    geojson: Annotated[Path | None, typer.Option(help="boundary file (WGS84 GeoJSON)")] = None,
    city_id: Annotated[str | None, typer.Option("--id", help="registry id, e.g. jingzhou")] = None,
    name_fr: Annotated[str | None, typer.Option()] = None,
    name_zh: Annotated[str | None, typer.Option()] = None,
    name_en: Annotated[str | None, typer.Option()] = None,
    country: Annotated[str, typer.Option(help="ISO 3166-1 alpha-2")] = "CN",
    replace: Annotated[bool, typer.Option(help="replace a city with the same id")] = False,
    home: Home = None,
) -> None:
    """Add a city by its Chinese administrative code, or from a GeoJSON boundary."""
    names = [n for n in (name_fr, name_zh, name_en) if n]
    name = (
        Text(fr=name_fr or names[0], zh=name_zh or names[0], en=name_en or names[0])
        if names
        else None
    )
    try:
        if admin_code:
            city = city_from_admin_code(admin_code, city_id=city_id, name=name)
        elif geojson:
            if not city_id or name is None:
                raise _fail("--geojson needs --id and at least one --name-*", 2)
            city = city_from_geojson(geojson, city_id=city_id, name=name, country=country)
        else:
            raise _fail("give --admin-code or --geojson", 2)
        Workspace(home).add_city(city, replace=replace)
    except (CityError, ValueError) as exc:
        raise _fail(str(exc)) from None
    out.print(
        f"[green]added[/green] {city.id}: {city.name('en')} / {city.name('zh')} ({city.boundary_source})"
    )


@city_app.command("list")
def city_list(home: Home = None) -> None:
    """Cities in the registry."""
    table = Table("id", "fr", "zh", "en", "country", "code")
    for c in Workspace(home).cities():
        table.add_row(c.id, c.name.fr, c.name.zh, c.name.en, c.country, c.admin_code or "")
    out.print(table)


# data ------------------------------------------------------------------------------------------
@data_app.command("import")
def data_import(
    file: Path,
    framework: FrameworkRef = DEFAULT_FRAMEWORK,
    home: Home = None,
) -> None:
    """Import a tidy CSV/XLSX/JSON table; all or nothing, with one message per offending row."""
    fw = _framework(framework)
    ws = Workspace(home)
    try:
        values = read_indicator_table(file, framework=fw, cities=ws.city_ids())
    except DataImportError as exc:
        err.print(
            f"[red]{file}: {len(exc.errors)} problem(s), nothing imported[/red]", highlight=False
        )
        for e in exc.errors:
            err.print(f"  {e}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    import_id = ws.import_values(
        values, file=str(file), framework=fw.key, data_hash=data_hash(values)
    )
    out.print(f"[green]imported[/green] {len(values)} values from {file} (import #{import_id})")


# assess / report -------------------------------------------------------------------------------
@app.command("assess")
def assess_command(
    city: str,
    year: Annotated[int, typer.Option(help="data year")],
    stage: Annotated[Stage, typer.Option(help="evaluation stage")] = Stage.PLANNING_DESIGN,
    framework: FrameworkRef = DEFAULT_FRAMEWORK,
    fmt: Annotated[str, typer.Option("--format", help="table or json (the full result)")] = "table",
    save: Annotated[bool, typer.Option(help="keep the result in the workspace")] = True,
    lang: Lang = "en",
    home: Home = None,
) -> None:
    """Score a city-year: points, label level with reasons, gap analysis to the next level."""
    fw = _framework(framework)
    ws = Workspace(home)
    values = ws.values(city=city)
    if values.empty or year not in set(values["year"]):
        raise _fail(f"no data for city {city!r} in {year}; import some with `ecocite data import`")
    try:
        result = assess(fw, values, city=city, year=year, stage=stage)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    if save:
        ws.save_assessment(result)
    if fmt == "json":
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
        return
    lang = _check_lang(lang)
    level = next((lv.name(lang) for lv in fw.grading.levels if lv.id == result.level), "—")
    out.print(
        f"[bold]{city} {year}[/bold] {fw.key} {stage.value}: score {result.score:.1f} / {result.scale:g}"
        f" (bonus {result.bonus:.1f}), level [bold]{level}[/bold], completeness {result.completeness:.0%}"
    )
    table = Table("category", "points", "max", "minimum")
    for cat, c in zip(fw.categories, result.categories, strict=True):
        table.add_row(
            cat.name(lang),
            f"{c.points:.1f}",
            f"{c.max_points:.1f}",
            "" if c.min_points is None else f"{c.min_points:g}{' ✗' if c.below_minimum else ''}",
        )
    out.print(table)
    for r in result.reasons:
        out.print(
            f"  · {r.code} {r.indicator or r.category or r.level or ''} "
            f"{'' if r.value is None else f'{r.value:.4g}'} {'' if r.threshold is None else f'(needs {r.threshold:.4g})'}"
        )
    if result.gap:
        gap = Table(
            "indicator",
            "now",
            "target",
            "unit",
            "points",
            "why",
            title=f"to reach {result.gap.target_level}: {result.gap.points_needed:.1f} points",
        )
        for a in result.gap.actions:
            gap.add_row(
                a.indicator,
                "missing" if a.current_value is None else f"{a.current_value:.4g}",
                "report" if a.target_value is None else f"{a.target_value:.4g}",
                a.unit,
                f"{a.points_gain:.1f}",
                a.why,
            )
        out.print(gap)


@app.command("compare")
def compare_command(
    cities: Annotated[list[str] | None, typer.Argument(help="city ids (default: all)")] = None,
    stage: Annotated[Stage, typer.Option()] = Stage.PLANNING_DESIGN,
    framework: FrameworkRef = DEFAULT_FRAMEWORK,
    fmt: Annotated[
        str, typer.Option("--format", help="table, csv or trend (category changes)")
    ] = "table",
    home: Home = None,
) -> None:
    """Compare cities and years: score, level and each category, or the trend of each category."""
    fw = _framework(framework)
    ws = Workspace(home)
    values = ws.values()
    if cities:
        values = values[values["city"].isin(cities)]
    if values.empty:
        raise _fail("no data to compare; import some with `ecocite data import`")
    pairs = values[["city", "year"]].drop_duplicates().itertuples(index=False)
    results = [assess(fw, values, city=c, year=int(y), stage=stage, gaps=False) for c, y in pairs]
    if fmt == "trend":
        sys.stdout.write(category_trend(results).to_csv(index=False, float_format="%.2f"))
        return
    frame = compare(results)
    if fmt == "csv":
        sys.stdout.write(frame.to_csv(index=False, float_format="%.2f"))
        return
    table = Table("city", "year", "score", "level", *[c.id for c in fw.categories])
    for row in frame.to_dict("records"):
        table.add_row(
            str(row["city"]),
            str(row["year"]),
            f"{row['score']:.1f}",
            str(row["level"] or "—"),
            *[f"{row[f'category:{c.id}']:.1f}" for c in fw.categories],
        )
    out.print(table)


@app.command("report")
def report_command(
    city: str,
    year: Annotated[int, typer.Option()],
    output: Annotated[Path, typer.Option("--out", "-o", help="HTML (or .pdf) file to write")],
    stage: Annotated[Stage, typer.Option()] = Stage.PLANNING_DESIGN,
    framework: FrameworkRef = DEFAULT_FRAMEWORK,
    lang: Lang = "en",
    home: Home = None,
) -> None:
    """Write a self-contained HTML (or PDF) report of a city-year."""
    lang = _check_lang(lang)
    fw = _framework(framework)
    ws = Workspace(home)
    values = ws.values(city=city)
    if values.empty or year not in set(values["year"]):
        raise _fail(f"no data for city {city!r} in {year}")
    result = assess(fw, values, city=city, year=year, stage=stage)
    history = [
        assess(fw, values, city=city, year=int(y), stage=stage, gaps=False)
        for y in sorted(set(values["year"]))
        if int(y) < year
    ]
    html = render_city_report(result, framework=fw, city=ws.city(city), lang=lang, history=history)
    _write(html, output)
    out.print(f"[green]wrote[/green] {output}")


def _write(html: str, output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    if output.suffix.lower() == ".pdf":
        try:
            write_pdf(html, output)
        except (ReportError, OSError) as exc:  # PdfUnavailableError is a ReportError
            raise _fail(str(exc)) from None
    else:
        tmp = output.with_suffix(output.suffix + ".part")
        tmp.write_text(html, encoding="utf-8")
        tmp.replace(output)


@app.command("demo")
def demo_command(
    output: Annotated[
        Path, typer.Option("--out", "-o", help="folder for the workspace and reports")
    ] = Path("ecocite-demo"),
    framework: FrameworkRef = DEFAULT_FRAMEWORK,
) -> None:
    """Assess the bundled demo cities (the 2018 Sino-French pilot eco-cities) and write the
    portfolio and city reports in French, Chinese and English."""
    from ecocite.demo import demo_cities, demo_values

    fw = _framework(framework)
    output = output.resolve()
    ws_home = output / "workspace"
    if (ws_home / "ecocite.sqlite3").exists():
        (ws_home / "ecocite.sqlite3").unlink()  # a demo starts from scratch every time
    ws = Workspace(ws_home)
    cities = demo_cities()
    for c in cities:
        ws.add_city(c, replace=True)
    data_file = output / "data" / "demo_values.csv"
    data_file.parent.mkdir(parents=True, exist_ok=True)
    demo_values(fw).to_csv(data_file, index=False)
    try:
        values = read_indicator_table(data_file, framework=fw, cities=ws.city_ids())
    except (
        DataImportError
    ) as exc:  # the demo data is generated from the framework: a bug if it fails
        raise _fail(str(exc)) from None
    ws.import_values(values, file=data_file.name, framework=fw.key, data_hash=data_hash(values))
    years = sorted({int(y) for y in values["year"]})
    latest: list = []
    with Progress(console=out, transient=True) as progress:
        task = progress.add_task("assessing", total=len(cities) * len(years))
        for c in cities:
            history = []
            for y in years:
                result = assess(
                    fw, values, city=c.id, year=y, stage=Stage.PLANNING_DESIGN, gaps=y == years[-1]
                )
                ws.save_assessment(result)
                history.append(result)
                progress.advance(task)
            latest.append(history[-1])
            for lang in ("fr", "zh", "en"):
                html = render_city_report(
                    history[-1], framework=fw, city=c, lang=lang, history=history[:-1]
                )
                _write(html, output / "reports" / f"{c.id}.{lang}.html")
    for lang in ("fr", "zh", "en"):
        html = render_portfolio_report(latest, framework=fw, cities=cities, lang=lang)
        _write(html, output / "reports" / f"portfolio.{lang}.html")
    by_points = fw.grading.method == "points"
    table = Table(
        "city",
        "year",
        "score" if by_points else "reported",
        "level",
        title=f"{fw.name('en')} ({fw.key}), {years[-1]}",
    )
    for row in compare(latest).itertuples():
        measure = f"{row.score:.1f}" if by_points else f"{row.completeness:.0%}"
        table.add_row(str(row.city), str(row.year), measure, str(row.level or "—"))
    out.print(table)
    out.print(
        f"Reports written to [bold]{output / 'reports'}[/bold] (open portfolio.en.html, .fr or .zh)"
    )
    out.file.flush()
    sys.stdout.write(
        json.dumps({"reports": str(output / "reports"), "workspace": str(ws_home)}) + "\n"
    )


_COMMAND = {"participation": "opinion"}  # engine package → sub-command name


def _register_engines() -> None:
    """Sub-commands of the Measure engines (``ecocite carbon …``, ``ecocite access …``)."""
    for name, help_text in (
        ("carbon", "GHG inventory (GPC) and pathways to 2060."),
        ("access", "Walking access to daily services and urban form from OpenStreetMap."),
        ("participation", "Opinion maps of conversations (the Polis method)."),
        ("label", "The eco-city label: verify the tamper-evident decision log."),
    ):
        try:
            module = importlib.import_module(f"ecocite.{name}.cli")
        except ImportError:
            continue  # the engine's optional extra is not installed
        app.add_typer(module.app, name=_COMMAND.get(name, name), help=help_text)


_register_engines()
