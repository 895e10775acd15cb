"""Compare cities and years from their frozen assessments (page, API, downloads, command line).

A comparison reads finished assessment runs only (the frozen results, never a recomputation):
for each selected city and year the latest finished run of the chosen framework and stage. It
reads a fixed number of tables whatever the number of cities (the picker's cities, the runs'
scores and categories, and the indicators of each city's latest run), so the page costs the same
number of queries for 2 cities or 300.

Sets of cities ("all cities", "the cities of a country") come from :func:`city_sets`; another app
adds its own (the cities of a label programme, say) with :func:`register_city_sets`, without
this module knowing it.
"""

from __future__ import annotations

import io
import statistics
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ecocite.assessment import Assessment, indicator_spread
from ecocite.cells import neutralised
from ecocite.frameworks import Framework, Stage
from ecocite.reports import PdfUnavailableError, render_portfolio_report, write_pdf
from ecocite.web.assessments.models import AssessmentRun, Status
from ecocite.web.cities.models import City
from ecocite.web.frameworks.registry import framework_by_key

# At most this many cities are drawn one line each on a trend chart; above, the chart shows the
# median, lowest and highest city of each year (the data table and downloads keep every city).
MAX_LINES = 8
DIFFER_MOST = 10
ALL = "all"


class SelectionError(ValueError):
    """A comparison asked for something that does not exist (a set, framework or stage)."""


@dataclass(frozen=True)
class CitySet:
    """A named set of cities to compare at once.

    Parameters
    ----------
    key
        Stable identifier used in addresses: ``"all"``, ``"country:CN"``, ``"programme:<slug>"``.
    label
        What the picker shows (a text in the active language, or a callable returning one).
    cities
        Return the slugs of the set's cities.
    """

    key: str
    label: Any
    cities: Callable[[], Iterable[str]]


_PROVIDERS: list[Callable[[], Iterable[CitySet]]] = []


def register_city_sets(provider: Callable[[], Iterable[CitySet]]) -> None:
    """Add a source of city sets to the comparison picker (call it from an app's ``ready()``).

    The label programme app, for one, registers a provider yielding one
    ``CitySet("programme:<slug>", name, slugs)`` per programme; the picker, the API and the
    downloads then accept ``set=programme:<slug>``.
    """
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


@dataclass(frozen=True)
class CityChoice:
    """A city of the picker: its identifier, names and country."""

    slug: str
    names: dict[str, str]
    country: str
    illustrative: bool


def city_choices() -> list[CityChoice]:
    """Return every city the picker offers (one query), by slug."""
    rows = City.objects.order_by("slug").values_list(
        "slug", "name_fr", "name_zh", "name_en", "country", "illustrative"
    )
    return [
        CityChoice(slug, {"fr": fr, "zh": zh, "en": en}, country, illustrative)
        for slug, fr, zh, en, country, illustrative in rows
    ]


def city_sets(
    choices: Sequence[CityChoice], *, country_label: Callable[[str], Any]
) -> list[CitySet]:
    """Return the sets of the picker: all cities, each country's cities, then registered ones."""
    from django.utils.translation import gettext_lazy as _

    every = [c.slug for c in choices]
    sets = [CitySet(ALL, _("All cities"), lambda: every)]
    for country in sorted({c.country for c in choices}):
        members = [c.slug for c in choices if c.country == country]
        sets.append(
            CitySet(f"country:{country}", country_label(country), lambda m=members: m)  # type: ignore[misc]
        )
    for provider in _PROVIDERS:
        sets.extend(provider())
    return sets


@dataclass(frozen=True)
class Selection:
    """What to compare: a framework and stage, cities (picked or a set) and years (empty: all)."""

    framework_key: str
    stage: str
    cities: tuple[str, ...]
    years: tuple[int, ...] = ()
    city_set: str = ""

    def key(self) -> str:
        """Return a short stable text naming the selection (for caches)."""
        import hashlib

        years = ",".join(str(y) for y in self.years)
        parts = [self.framework_key, self.stage, self.city_set, ",".join(self.cities), years]
        text = "|".join(parts)
        return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:20]


def resolve(
    *,
    framework_key: str,
    stage: str,
    cities: Iterable[str] = (),
    years: Iterable[int] = (),
    city_set: str = "",
    choices: Sequence[CityChoice] | None = None,
    country_label: Callable[[str], Any] = str,
) -> Selection:
    """Check and normalise a selection; ``city_set`` (when given) replaces the picked cities.

    Raises
    ------
    SelectionError
        An unknown framework, stage or set. Unknown city identifiers are left out.
    """
    from ecocite.frameworks import UnknownFrameworkError

    try:
        framework = framework_by_key(framework_key)
    except UnknownFrameworkError:
        raise SelectionError(f"unknown framework {framework_key!r}") from None
    try:
        Stage(stage)
    except ValueError:
        raise SelectionError(f"unknown stage {stage!r}") from None
    choices = city_choices() if choices is None else choices
    known = {c.slug for c in choices}
    if city_set:
        found = next(
            (s for s in city_sets(choices, country_label=country_label) if s.key == city_set), None
        )
        if found is None:
            raise SelectionError(f"unknown set of cities {city_set!r}")
        picked = tuple(sorted(set(found.cities()) & known))
    else:
        picked = tuple(sorted(set(cities) & known))
    return Selection(
        framework_key=framework.key,
        stage=stage,
        cities=picked,
        years=tuple(sorted({int(y) for y in years})),
        city_set=city_set,
    )


def years_assessed(framework_key: str, stage: str) -> list[int]:
    """Return the years with a finished assessment under this framework and stage (one query)."""
    return sorted(
        AssessmentRun.objects.filter(
            status=Status.FINISHED, framework_key=framework_key, stage=stage
        )
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class Point:
    """One city-year of the comparison: its latest finished run's score, level and categories."""

    run: int
    city: str
    year: int
    score: float | None
    completeness: float | None
    grading: str
    level: str
    level_name: dict[str, str] | None
    level_rank: int
    illustrative: bool
    categories: dict[str, float]


@dataclass
class Comparison:
    """The cities and years compared, and what the page, API and downloads show of them."""

    selection: Selection
    framework: Framework
    cities: dict[str, CityChoice]
    points: list[Point]
    category_max: dict[str, float]
    spread: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def years(self) -> list[int]:
        """Return the years present, in order."""
        return sorted({p.year for p in self.points})

    @property
    def latest(self) -> list[Point]:
        """Return each city's latest year in the comparison, cities in slug order."""
        last: dict[str, Point] = {}
        for p in self.points:
            if p.city not in last or p.year > last[p.city].year:
                last[p.city] = p
        return [last[slug] for slug in sorted(last)]

    @property
    def missing(self) -> list[str]:
        """Return the selected cities without any finished assessment in the selection."""
        seen = {p.city for p in self.points}
        return [slug for slug in self.selection.cities if slug not in seen]

    @property
    def by_points(self) -> bool:
        """Tell whether the framework grades by points (else by completeness)."""
        return self.framework.grading.method == "points"


def _runs(selection: Selection) -> Any:
    runs = AssessmentRun.objects.filter(
        status=Status.FINISHED,
        framework_key=selection.framework_key,
        stage=selection.stage,
        city__slug__in=selection.cities,
    )
    if selection.years:
        runs = runs.filter(year__in=selection.years)
    return runs


def build(selection: Selection, *, choices: Sequence[CityChoice] | None = None) -> Comparison:
    """Gather the frozen results of the selection (two queries, three without ``choices``)."""
    framework = framework_by_key(selection.framework_key)
    choices = city_choices() if choices is None else choices
    wanted = set(selection.cities)
    cities = {c.slug: c for c in choices if c.slug in wanted}
    rows = (
        _runs(selection)
        .order_by("city__slug", "year", "finished_at", "pk")
        .values_list(
            "pk", "city__slug", "year", "score", "level", "level_name", "illustrative",
            "result__categories", "result__completeness", "result__grading",
            "result__level_rank",
        )
    )  # fmt: skip
    latest_run: dict[tuple[str, int], Point] = {}
    category_max: dict[str, float] = {}
    for pk, slug, year, score, level, name, illustrative, cats, done, grading, rank in rows:
        categories = {}
        for c in cats or []:
            categories[c["category"]] = float(c["points"])
            category_max[c["category"]] = max(
                category_max.get(c["category"], 0.0), float(c["max_points"])
            )
        latest_run[(slug, year)] = Point(
            run=pk, city=slug, year=year, score=score,
            completeness=None if done is None else float(done), grading=str(grading or ""),
            level=level, level_name=name, level_rank=max(int(rank or 0), 0),
            illustrative=illustrative, categories=categories,
        )  # fmt: skip
    points = sorted(latest_run.values(), key=lambda p: (p.city, p.year))
    comparison = Comparison(selection, framework, cities, points, category_max)
    comparison.spread = _spread(comparison)
    return comparison


def _spread(comparison: Comparison) -> pd.DataFrame:
    """Rank the indicators by how differently the cities score on them in their latest year."""
    runs = {p.run: p.city for p in comparison.latest}
    rows = []
    indicators = AssessmentRun.objects.filter(pk__in=list(runs)).values_list(
        "pk", "result__indicators"
    )
    for pk, results in indicators:
        for r in results or []:
            if r.get("value") is None or not r.get("max_points"):
                continue
            rows.append(
                (runs[pk], r["indicator"], r["category"], r["unit"], float(r["value"]),
                 float(r["points"]), float(r["max_points"]))
            )  # fmt: skip
    frame = pd.DataFrame(
        rows, columns=["city", "indicator", "category", "unit", "value", "points", "max_points"]
    )
    return indicator_spread(frame, top=DIFFER_MOST)


@dataclass(frozen=True)
class Series:
    """One line of a trend chart: a name and a value per year (None where missing)."""

    name: str
    values: list[float | None]


def trend_series(
    comparison: Comparison,
    value_of: Callable[[Point], float | None],
    *,
    names: Callable[[str], str],
    summary_names: tuple[str, str, str],
) -> list[Series]:
    """Return the lines of one trend chart.

    Parameters
    ----------
    comparison
        What is compared.
    value_of
        The value drawn for a city-year (its score, or one category's points).
    names
        A city's name from its slug.
    summary_names
        Names of the median, lowest and highest lines, used when there are more than
        ``MAX_LINES`` cities.
    """
    years = comparison.years
    table: dict[str, dict[int, float | None]] = {}
    for p in comparison.points:
        table.setdefault(p.city, {})[p.year] = value_of(p)
    if len(table) <= MAX_LINES:
        return [Series(names(slug), [table[slug].get(y) for y in years]) for slug in sorted(table)]
    median, lowest, highest = [], [], []
    for y in years:
        values = [v for by_year in table.values() if (v := by_year.get(y)) is not None]
        median.append(statistics.median(values) if values else None)
        lowest.append(min(values) if values else None)
        highest.append(max(values) if values else None)
    return [
        Series(summary_names[0], median),
        Series(summary_names[1], lowest),
        Series(summary_names[2], highest),
    ]


def table(comparison: Comparison, *, lang: str) -> pd.DataFrame:
    """Return every city-year compared as a table (the CSV and XLSX downloads and the CLI's).

    Columns: ``city``, ``city_name`` (in ``lang``), ``country``, ``year``, ``framework``,
    ``stage``, ``score``, ``completeness``, ``level``, ``level_name``, ``level_rank``,
    ``illustrative``, then ``category:<id>`` with each category's points.
    """
    framework = comparison.framework
    rows = []
    for p in comparison.points:
        city = comparison.cities[p.city]
        row: dict[str, object] = {
            "city": p.city,
            "city_name": city.names.get(lang) or city.names.get("en") or p.city,
            "country": city.country,
            "year": p.year,
            "framework": framework.key,
            "stage": comparison.selection.stage,
            "score": p.score,
            "completeness": p.completeness,
            "level": p.level or None,
            "level_name": (p.level_name or {}).get(lang, "") if p.level_name else "",
            "level_rank": p.level_rank,
            "illustrative": p.illustrative,
        }
        row.update({f"category:{c.id}": p.categories.get(c.id) for c in framework.categories})
        rows.append(row)
    columns = [
        "city", "city_name", "country", "year", "framework", "stage", "score", "completeness",
        "level", "level_name", "level_rank", "illustrative",
        *[f"category:{c.id}" for c in framework.categories],
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def csv_bytes(comparison: Comparison, *, lang: str) -> bytes:
    """Return the comparison as CSV (UTF-8 with a byte-order mark, formulas defused)."""
    text = neutralised(table(comparison, lang=lang)).to_csv(index=False, float_format="%.4g")
    return ("\ufeff" + text).encode("utf-8")


def xlsx_bytes(comparison: Comparison, *, lang: str, sheet_names: Sequence[str]) -> bytes:
    """Return the comparison as a workbook: the city-years, and the indicators that differ most.

    ``sheet_names`` are the two sheets' names in the page language.
    """
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as book:
        neutralised(table(comparison, lang=lang)).to_excel(
            book, sheet_name=sheet_names[0][:31], index=False
        )
        neutralised(comparison.spread).to_excel(book, sheet_name=sheet_names[1][:31], index=False)
    return buffer.getvalue()


def frozen_assessments(comparison: Comparison) -> list[Assessment]:
    """Return the full frozen results of the city-years compared (for the portfolio report)."""
    results = AssessmentRun.objects.filter(pk__in=[p.run for p in comparison.points]).values_list(
        "result", flat=True
    )
    return [Assessment.model_validate(r) for r in results]


def portfolio_report(
    assessments: Sequence[Assessment],
    *,
    framework: Framework,
    cities: Iterable[Any],
    lang: str,
    pdf: bool = False,
) -> bytes:
    """Return the portfolio report of ``assessments`` as HTML, or PDF with ``pdf=True``.

    The one entry point of the job: the web's download and ``ecocite compare --out`` both call
    it. ``cities`` are engine cities (``RegistryCity``). Raises ``PdfUnavailableError`` when
    PDF is asked for without WeasyPrint (the ``pdf`` extra).
    """
    html = render_portfolio_report(assessments, framework=framework, cities=cities, lang=lang)
    if not pdf:
        return html.encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="ecocite-compare-") as folder:
        return write_pdf(html, Path(folder) / "portfolio.pdf").read_bytes()


def comparison_report(comparison: Comparison, *, lang: str, pdf: bool = False) -> bytes:
    """Return the portfolio report of a comparison (its frozen results and cities)."""
    cities = City.objects.filter(slug__in=list(comparison.cities))
    return portfolio_report(
        frozen_assessments(comparison),
        framework=comparison.framework,
        cities=[c.to_engine() for c in cities],
        lang=lang,
        pdf=pdf,
    )


__all__ = [
    "ALL",
    "MAX_LINES",
    "CityChoice",
    "CitySet",
    "Comparison",
    "PdfUnavailableError",
    "Point",
    "Selection",
    "SelectionError",
    "Series",
    "build",
    "city_choices",
    "city_sets",
    "comparison_report",
    "csv_bytes",
    "portfolio_report",
    "register_city_sets",
    "resolve",
    "table",
    "trend_series",
    "xlsx_bytes",
    "years_assessed",
]
