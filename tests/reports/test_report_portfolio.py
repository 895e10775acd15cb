"""The portfolio report: cities side by side, small multiples, a map by level, the level counts."""

from __future__ import annotations

import io
from collections.abc import Callable

import pandas as pd
import pytest

from ecocite.assessment import Assessment, assess
from ecocite.cities import RegistryCity
from ecocite.data import read_indicator_table
from ecocite.frameworks import Framework
from ecocite.i18n import LANGUAGES
from ecocite.reports import ReportError, render_portfolio_report
from ecocite.reports.svg import level_colours

SQUAREVILLE_CSV = """city,year,indicator,value,unit,source,quality,verified
squareville,2023,sewage_treated,99,%,Utility report,high,yes
squareville,2023,green_cover,45,%,Satellite survey,high,yes
squareville,2023,co2_per_capita,3.5,t/person,Inventory,high,yes
squareville,2023,green_trips,80,%,Survey,high,yes
squareville,2023,park_access,96,%,Access engine,high,yes
"""


@pytest.fixture(scope="module")
def squareville_2023(framework: Framework) -> Assessment:
    values = read_indicator_table(pd.read_csv(io.StringIO(SQUAREVILLE_CSV)), framework=framework)
    return assess(framework, values, city="squareville", year=2023)


@pytest.fixture(scope="module")
def portfolio(
    assessment_2022: Assessment,
    assessment_2023: Assessment,
    squareville_2023: Assessment,
    framework: Framework,
    las_palmas: RegistryCity,
    squareville: RegistryCity,
) -> dict[str, str]:
    assessments = [squareville_2023, assessment_2023, assessment_2022]
    return {
        lang: render_portfolio_report(
            assessments, framework=framework, cities=[las_palmas, squareville], lang=lang
        )
        for lang in LANGUAGES
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_well_formed_self_contained_and_translated(
    portfolio: dict[str, str], parse: Callable, framework: Framework, lang: str
) -> None:
    page = parse(portfolio[lang])
    assert page.external_references() == []
    assert "http://" not in page.html and "https://" not in page.html
    assert framework.name(lang) in page.text
    for level in framework.grading.levels:
        assert level.name(lang) in page.text
    for cat in framework.categories:
        assert cat.name(lang) in page.text


def test_table_has_one_row_per_assessment_in_city_then_year_order(
    portfolio: dict[str, str], squareville_2023: Assessment
) -> None:
    html = portfolio["en"]
    rows = html.split('class="city-row"')[1:]
    keys = [
        (r.split('data-city="', 1)[1].split('"', 1)[0], r.split('data-year="', 1)[1][:4])
        for r in rows
    ]
    assert keys == [("las-palmas", "2022"), ("las-palmas", "2023"), ("squareville", "2023")]
    last = rows[2].split("</tr>", 1)[0]
    assert squareville_2023.level == "three_star"
    assert "Three stars" in last and f"{squareville_2023.score:.1f}" in last
    first = rows[0].split("</tr>", 1)[0]
    assert "No level" in first and "35.0" in first
    assert '8.0 <span class="flag"' in first  # land use below its minimum is flagged
    for cat in squareville_2023.categories:
        assert f">{cat.points:.1f}<" in last


def test_small_multiples_one_per_city_from_its_latest_assessment(
    portfolio: dict[str, str], parse: Callable, assessment_2023: Assessment
) -> None:
    page = parse(portfolio["en"])
    radars = page.svg("radar")
    assert len(radars) == 2
    # cities are in name order: Las Palmas first, and its latest year is 2023
    poly = next(e for e in radars[0].iter("polygon") if e.get("class") == "radar-score")
    expected = [c.points / c.max_points for c in assessment_2023.categories]
    assert [float(s) for s in poly.get("data-shares", "").split()] == pytest.approx(
        expected, abs=1e-4
    )


def test_map_colours_each_city_by_its_latest_level(
    portfolio: dict[str, str], parse: Callable, framework: Framework
) -> None:
    page = parse(portfolio["en"])
    (map_svg,) = page.svg("map")
    fills = [e.get("fill") for e in map_svg.iter("path") if e.get("class") == "boundary"]
    colours = level_colours(len(framework.grading.levels))
    assert fills == [colours[2], colours[3]]  # Las Palmas two stars (2023), Squareville three
    labels = " ".join(map_svg.itertext())
    assert "Las Palmas de Gran Canaria" in labels and "Squareville" in labels
    assert len([e for e in map_svg.iter("circle") if e.get("class") == "city-marker"]) == 2


def test_distribution_counts_latest_levels(portfolio: dict[str, str], parse: Callable) -> None:
    page = parse(portfolio["en"])
    bars = next(s for s in page.svg("bars") if "Distribution" in (s.get("aria-label") or ""))
    counts = [float(e.get("data-value", "nan")) for e in bars.iter("rect")]
    assert counts == [0.0, 0.0, 1.0, 1.0]  # none, one, two, three stars


def test_illustrative_rows_are_marked(portfolio: dict[str, str]) -> None:
    rows = portfolio["en"].split('class="city-row"')[1:]
    assert ['class="illustrative"' in r.split("</tr>", 1)[0] for r in rows] == [True, True, False]
    assert 'id="note-illustrative"' in portfolio["en"]


def test_cities_without_boundary_are_named(
    squareville_2023: Assessment, framework: Framework, squareville: RegistryCity, parse: Callable
) -> None:
    bare = squareville.model_copy(update={"boundary": None})
    page = parse(
        render_portfolio_report(
            [squareville_2023], framework=framework, cities={"squareville": bare}
        )
    )
    assert page.svg("map") == []
    assert "No boundary recorded: Squareville." in page.text


def test_bad_inputs_are_clear_errors(
    assessment_2023: Assessment, framework: Framework, squareville: RegistryCity
) -> None:
    with pytest.raises(ReportError, match="no city 'las-palmas'"):
        render_portfolio_report([assessment_2023], framework=framework, cities=[squareville])
    with pytest.raises(ReportError, match="at least one assessment"):
        render_portfolio_report([], framework=framework, cities=[squareville])
    with pytest.raises(ReportError, match="language"):
        render_portfolio_report([assessment_2023], framework=framework, cities=[], lang="es")
