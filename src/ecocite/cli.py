"""The ``ecocite`` command line. Every command calls the same engine functions as the Python API.

Commands that compute on files (``framework validate``, ``demo``, ``carbon …``, ``access …``) use
the engines alone. Commands that keep things (``city add``, ``data import``, ``assess``,
``report``) and those that read what was kept (``city list``, ``compare``) work on the platform's
store, the same database as the web (``ECOCITE_DATA_DIR``, or ``DATABASE_URL`` for PostgreSQL),
through the web's own services: Django is set up inside those commands only.
"""

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

from ecocite.assessment import assess, category_trend, compare, latest_standing
from ecocite.cells import neutralised
from ecocite.cities import CityError, city_from_admin_code, city_from_geojson
from ecocite.cli_failure import ALL_ERRORS_HELP, EXIT_REJECTED, failure_lines
from ecocite.data import DataImportError, read_indicator_table
from ecocite.frameworks import (
    Framework,
    FrameworkError,
    Stage,
    UnknownFrameworkError,
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
from ecocite.units import format_unit

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

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="the platform's data folder (default $ECOCITE_DATA_DIR or ~/.local/share/ecocite);"
        " DATABASE_URL selects PostgreSQL",
    ),
]
Lang = Annotated[str, typer.Option("--lang", help="fr, zh or en")]
FrameworkRef = Annotated[
    str,
    typer.Option(
        "--framework", "-f", help="bundled framework id (optionally @version) or a YAML file"
    ),
]
DEFAULT_FRAMEWORK = "sino-french-ecocity"


def _fail(
    problem: str | BaseException, code: int = EXIT_REJECTED, *, all_errors: bool = False
) -> typer.Exit:
    """Print the project's one failure shape (:mod:`ecocite.cli_failure`); raise the result."""
    for line in failure_lines(problem, all_errors=all_errors):
        err.print(line, markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _check_lang(lang: str) -> str:
    if lang not in ("fr", "zh", "en"):
        raise _fail(f"--lang must be fr, zh or en, not {lang!r}", 2)
    return lang


def _framework(ref: str) -> Framework:
    try:
        return get_framework(ref)
    except FrameworkError as exc:
        raise _fail(exc) from None


def _open_store(data_dir: Path | None) -> None:
    """Open the platform's store (Django set up here, in the commands that keep things only)."""
    import os

    from ecocite.web.bootstrap import PlatformError, open_platform

    if os.environ.get("ECOCITE_HOME"):
        err.print(
            "[yellow]note:[/yellow] ECOCITE_HOME is retired and ignored: the command line keeps "
            "cities, data and assessments in the platform's store (ECOCITE_DATA_DIR, or "
            "DATABASE_URL), the same as the web. Re-run `ecocite city add` and "
            "`ecocite data import` there.",
            highlight=False,
            soft_wrap=True,
        )
    try:
        open_platform(data_dir)
    except PlatformError as exc:
        raise _fail(str(exc)) from None


def _platform_framework(ref: str) -> Framework:
    """Return a framework the platform knows, adding a YAML file if needed.

    ``ref`` is a bundled id or ``id@version``, an uploaded one, or a YAML file, which is added
    to the platform as a web upload would add it (once per version).
    """
    from ecocite.web.frameworks.registry import available_frameworks, framework_by_key

    path = Path(ref)
    if path.suffix.lower() in (".yaml", ".yml") and path.is_file():
        framework = _framework(ref)
        if framework.key not in available_frameworks():
            from ecocite.web.frameworks.services import (
                FrameworkUploadError,
                add_uploaded_framework,
            )

            try:
                add_uploaded_framework(path.name, path.read_bytes(), user=None)
            except FrameworkUploadError as exc:
                raise _fail("; ".join(exc.issues)) from None
        return framework
    try:
        return framework_by_key(ref)
    except UnknownFrameworkError:
        raise _fail(f"unknown framework {ref!r}; see `ecocite framework list`") from None


def _platform_city(slug: str):  # type: ignore[no-untyped-def]
    from ecocite.web.cities.models import City

    found = City.objects.defer("boundary", "map_outline").filter(slug=slug).first()
    if found is None:
        raise _fail(f"no city {slug!r} on the platform; add it with `ecocite city add`")
    return found


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
    """List the bundled frameworks."""
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
            table.add_row(
                ind.id, ind.name(lang), ind.kind.value, format_unit(ind.unit, lang), rule, source
            )
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
    data_dir: DataDir = None,
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
        _open_store(data_dir)
        from ecocite.web.cities.services import add_city

        add_city(city, replace=replace)
    except (CityError, ValueError) as exc:
        raise _fail(str(exc)) from None
    out.print(
        f"[green]added[/green] {city.id}: {city.name('en')} / {city.name('zh')} ({city.boundary_source})"
    )


@city_app.command("list")
def city_list(data_dir: DataDir = None) -> None:
    """Cities on the platform."""
    _open_store(data_dir)
    from ecocite.web.cities.models import City

    table = Table("id", "fr", "zh", "en", "country", "code")
    for c in City.objects.defer("boundary", "map_outline").order_by("slug"):
        table.add_row(c.slug, c.name_fr, c.name_zh, c.name_en, c.country, c.admin_code)
    out.print(table)


# data ------------------------------------------------------------------------------------------
@data_app.command("import")
def data_import(
    file: Path,
    framework: FrameworkRef = DEFAULT_FRAMEWORK,
    data_dir: DataDir = None,
    all_errors: Annotated[bool, typer.Option("--all-errors", help=ALL_ERRORS_HELP)] = False,
) -> None:
    """Import a tidy CSV/XLSX/JSON table; all or nothing, with one message per offending row.

    The values are kept on the platform as a web upload keeps them (one dataset per city).
    """
    try:
        content = file.read_bytes()
    except OSError as exc:
        raise _fail(f"{file}: cannot read: {exc.strerror or exc}") from None
    _open_store(data_dir)
    from ecocite.web.datasets.services import import_table

    fw = _platform_framework(framework)
    try:
        datasets = import_table(file.name, content, framework_key=fw.key)
    except DataImportError as exc:
        raise _fail(exc, all_errors=all_errors) from None
    rows = sum(d.rows for d in datasets)
    ids = ", ".join(f"#{d.pk}" for d in datasets)
    out.print(f"[green]imported[/green] {rows} values from {file} (dataset {ids})")


# assess / report -------------------------------------------------------------------------------
@app.command("assess")
def assess_command(
    city: str,
    year: Annotated[int, typer.Option(help="data year")],
    stage: Annotated[Stage, typer.Option(help="evaluation stage")] = Stage.PLANNING_DESIGN,
    framework: FrameworkRef = DEFAULT_FRAMEWORK,
    fmt: Annotated[str, typer.Option("--format", help="table or json (the full result)")] = "table",
    save: Annotated[
        bool, typer.Option(help="keep the result on the platform, as a web assessment")
    ] = True,
    lang: Lang = "en",
    data_dir: DataDir = None,
) -> None:
    """Score a city-year: points, label level with reasons, gap analysis to the next level."""
    _open_store(data_dir)
    from ecocite.web.assessments.services import assess_now, result_of
    from ecocite.web.datasets.services import current_values

    fw = _platform_framework(framework)
    place = _platform_city(city)
    values = current_values(place, year=year)
    if values.empty:
        raise _fail(f"no data for city {city!r} in {year}; import some with `ecocite data import`")
    if save:
        run = assess_now(place, framework_key=fw.key, stage=stage.value, year=year)
        result = result_of(run)
        if result is None:
            raise _fail(run.error or f"assessment {run.pk} failed")
    else:
        try:
            result = assess(fw, values, city=city, year=year, stage=stage)
        except ValueError as exc:
            raise _fail(str(exc)) from None
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
            title=f"to reach {_level(fw, result.gap.target_level, lang)}: "
            f"{result.gap.points_needed:.1f} points",
        )
        for a in result.gap.actions:
            gap.add_row(
                a.indicator,
                "missing" if a.current_value is None else f"{a.current_value:.4g}",
                "report" if a.target_value is None else f"{a.target_value:.4g}",
                format_unit(a.unit, lang),
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
    output: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="also write the portfolio report of these cities and years (.html or .pdf)",
        ),
    ] = None,
    lang: Lang = "en",
    data_dir: DataDir = None,
) -> None:
    """Compare cities and years: score, level and each category, or the trend of each category.

    With ``--out`` the portfolio report is written too, by the same function as the web's
    comparison download (``ecocite.web.assessments.comparison.portfolio_report``).
    """
    lang = _check_lang(lang)
    if output is not None and output.suffix.lower() not in (".html", ".pdf"):
        raise _fail(f"--out must end in .html or .pdf, not {output.name!r}")
    _open_store(data_dir)
    import pandas as pd

    from ecocite.web.cities.models import City
    from ecocite.web.datasets.services import current_values

    fw = _platform_framework(framework)
    places = City.objects.only("pk", "slug").order_by("slug")
    if cities:
        places = places.filter(slug__in=cities)
    frames = [current_values(place) for place in places]
    values = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if values.empty:
        raise _fail("no data to compare; import some with `ecocite data import`")
    pairs = values[["city", "year"]].drop_duplicates().itertuples(index=False)
    results = [assess(fw, values, city=c, year=int(y), stage=stage, gaps=False) for c, y in pairs]
    if output is not None:
        from ecocite.web.assessments.comparison import PdfUnavailableError, portfolio_report

        compared = {r.city for r in results}
        try:
            content = portfolio_report(
                results,
                framework=fw,
                cities=[c.to_engine() for c in City.objects.filter(slug__in=compared)],
                lang=lang,
                pdf=output.suffix.lower() == ".pdf",
            )
        except (ReportError, PdfUnavailableError) as exc:
            raise _fail(str(exc)) from None
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(content)
        err.print(f"portfolio report written to {output}", highlight=False, soft_wrap=True)
    if fmt == "trend":
        sys.stdout.write(
            neutralised(category_trend(results)).to_csv(index=False, float_format="%.2f")
        )
        return
    frame = compare(results)
    if fmt == "csv":
        sys.stdout.write(neutralised(frame).to_csv(index=False, float_format="%.2f"))
        return
    table = Table("city", "year", "score", "level", *[c.id for c in fw.categories])
    for row in frame.to_dict("records"):
        table.add_row(
            str(row["city"]),
            str(row["year"]),
            f"{row['score']:.1f}",
            _level(fw, row["level"]),
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
    data_dir: DataDir = None,
) -> None:
    """Write a self-contained HTML (or PDF) report of a city-year's saved assessment.

    The report is the web's: the latest finished assessment of that city, year, framework and
    stage, with the earlier years' frozen results as history. Without one, the city-year is
    assessed and saved first.
    """
    lang = _check_lang(lang)
    _open_store(data_dir)
    from ecocite.web.assessments.models import AssessmentRun, Status
    from ecocite.web.assessments.reporting import report_html
    from ecocite.web.assessments.services import assess_now
    from ecocite.web.datasets.services import current_values

    fw = _platform_framework(framework)
    place = _platform_city(city)
    run = (
        AssessmentRun.objects.filter(
            city=place, year=year, framework_key=fw.key, stage=stage.value, status=Status.FINISHED
        )
        .order_by("-finished_at", "-pk")
        .first()
    )
    if run is None:
        if current_values(place, year=year).empty:
            raise _fail(f"no data for city {city!r} in {year}")
        run = assess_now(place, framework_key=fw.key, stage=stage.value, year=year)
        if run.status != Status.FINISHED:
            raise _fail(run.error or f"assessment {run.pk} failed")
        err.print(f"assessed and saved {city} {year} (assessment #{run.pk})", highlight=False)
    _write(report_html(run, lang=lang), output)
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


def _level(fw: Framework, level_id: object, lang: str = "en") -> str:
    """Return a label level as people read it ("Two stars"), never its id ("two_star")."""
    if not level_id or level_id != level_id:  # None or NaN
        return "—"
    return next((lv.name(lang) for lv in fw.grading.levels if lv.id == level_id), str(level_id))


@app.command("demo")
def demo_command(
    output: Annotated[
        Path, typer.Option("--out", "-o", help="folder for the generated data and the reports")
    ] = Path("ecocite-demo"),
    framework: FrameworkRef = DEFAULT_FRAMEWORK,
) -> None:
    """Assess the bundled demo cities and write their reports.

    Assess the bundled demo cities (the 2018 Sino-French pilot eco-cities) and write the
    portfolio and city reports in French, Chinese and English.
    """
    from ecocite.demo import demo_cities, demo_values

    fw = _framework(framework)
    output = output.resolve()
    cities = demo_cities()
    data_file = output / "data" / "demo_values.csv"
    data_file.parent.mkdir(parents=True, exist_ok=True)
    demo_values(fw).to_csv(data_file, index=False)
    try:
        values = read_indicator_table(data_file, framework=fw, cities=[c.id for c in cities])
    except DataImportError as exc:  # the demo data is generated from the framework: a bug
        raise _fail(str(exc)) from None
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
                history.append(result)
                progress.advance(task)
            # The portfolio shows each city's standing: its latest complete year.
            latest.append(latest_standing(history, fw) or history[-1])
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
        table.add_row(str(row.city), str(row.year), measure, _level(fw, row.level))
    out.print(table)
    out.print(
        f"Reports written to [bold]{output / 'reports'}[/bold] (open portfolio.en.html, .fr or .zh)"
    )
    out.file.flush()
    sys.stdout.write(
        json.dumps(
            {
                "reports": str(output / "reports"),
                "data": str(data_file),
                "levels": {a.city: a.level for a in latest},
            }
        )
        + "\n"
    )


_COMMAND = {"participation": "opinion"}  # engine package → sub-command name


def _register_engines() -> None:
    """Sub-commands of the Measure engines (``ecocite carbon …``, ``ecocite access …``)."""
    for name, help_text in (
        ("carbon", "GHG inventory (GPC) and pathways to 2060."),
        ("access", "Walking access to daily services and urban form from OpenStreetMap."),
        ("participation", "Opinion maps of conversations (the Polis method)."),
        ("label", "The eco-city label: verify the tamper-evident decision log."),
        ("scenario", "Scenario sliders: a vision's effect on a site's indicators and CO₂."),
    ):
        try:
            module = importlib.import_module(f"ecocite.{name}.cli")
        except ImportError:
            continue  # the engine's optional extra is not installed
        app.add_typer(module.app, name=_COMMAND.get(name, name), help=help_text)


_register_engines()
