"""Reports of every bundled framework (sino-french-ecocity, ISO 37120 …) on the demo cities."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from ecocite.assessment import assess
from ecocite.data import read_indicator_table
from ecocite.demo import demo_cities
from ecocite.frameworks import Framework, bundled_framework_files, get_framework
from ecocite.frameworks.schema import BandScoring, LinearScoring
from ecocite.i18n import LANGUAGES
from ecocite.reports import reason_sentence, render_city_report, render_portfolio_report
from ecocite.reports.messages import message

BUNDLED = sorted(bundled_framework_files())


def constructed_values(framework: Framework, cities: list[str], years: list[int]) -> pd.DataFrame:
    """Values made up for the test, spread over each indicator's scoring span and range, with
    one indicator in five left unreported; the source says they are illustrative."""
    rows = []
    for n, (_, ind) in enumerate(framework.indicators()):
        lo, hi = 0.0, 100.0
        if isinstance(ind.scoring, LinearScoring):
            lo, hi = sorted((ind.scoring.worst, ind.scoring.best))
        elif isinstance(ind.scoring, BandScoring):
            t = [b.threshold for b in ind.scoring.bands]
            lo, hi = min(t) * 0.8, max(t) * 1.1
        elif ind.requirement is not None:
            lo, hi = ind.requirement * 0.9, ind.requirement * 1.1
        lo = max(lo, ind.range.min) if ind.range.min is not None else lo
        hi = min(hi, ind.range.max) if ind.range.max is not None else hi
        for c, city in enumerate(cities):
            if (n + c) % 5 == 0:
                continue
            for y, year in enumerate(years):
                share = ((n * 7 + c * 3 + y * 2) % 11) / 10
                rows.append(
                    {
                        "city": city,
                        "year": year,
                        "indicator": ind.id,
                        "value": lo + share * (hi - lo),
                        "unit": ind.unit,
                        "source": "constructed for the report tests (illustrative)",
                        "quality": "high",
                        "verified": "no",
                    }
                )
    return pd.DataFrame(rows)


def test_the_sino_french_framework_is_bundled() -> None:
    assert "sino-french-ecocity" in BUNDLED


@pytest.mark.parametrize("framework_id", BUNDLED)
def test_city_and_portfolio_reports_of_a_bundled_framework(
    framework_id: str, parse: Callable
) -> None:
    framework = get_framework(framework_id)
    cities = demo_cities()
    years = [2022, 2023]
    values = read_indicator_table(
        constructed_values(framework, [c.id for c in cities], years), framework=framework
    )
    city = next(c for c in cities if c.id == "jingzhou")
    history = [assess(framework, values, city=city.id, year=y, gaps=False) for y in years[:-1]]
    latest = assess(framework, values, city=city.id, year=years[-1])
    if framework.grading.method == "completeness":  # the chart shows the share reported
        expected = [c.reported / c.indicators for c in latest.categories]
    else:
        expected = [min(c.points / c.max_points, 1.0) for c in latest.categories if c.max_points]
    for lang in LANGUAGES:
        page = parse(
            render_city_report(latest, framework=framework, city=city, lang=lang, history=history)
        )
        assert page.external_references() == []
        assert framework.name(lang) in page.text and city.name(lang) in page.text
        assert message("illustrative.marker", lang) in page.text  # the sources say so
        for reason in latest.reasons:
            assert reason_sentence(reason, framework=framework, lang=lang) in page.text
        badge = latest.level and next(
            lv for lv in framework.grading.levels if lv.id == latest.level
        ).name(lang)
        assert (badge or message("level.none", lang)) in page.text
        if len(expected) >= 3:
            (radar,) = page.svg("radar")
            poly = next(e for e in radar.iter("polygon") if e.get("class") == "radar-score")
            shares = [float(s) for s in poly.get("data-shares", "").split()]
            assert shares == pytest.approx(expected, abs=1e-4)
            assert 0 < sum(shares) < len(shares)  # the constructed data is neither empty nor full
        assert len(page.svg("map")) == 1
        assert (len(page.svg("trend")) == 1) == (len(years) > 1)
    latest_all = [assess(framework, values, city=c.id, year=years[-1]) for c in cities]
    portfolio = parse(render_portfolio_report(latest_all, framework=framework, cities=cities))
    assert portfolio.external_references() == []
    assert portfolio.html.count('class="city-row"') == len(cities)
    (map_svg,) = portfolio.svg("map")
    assert len([e for e in map_svg.iter("path") if e.get("class") == "boundary"]) == len(cities)
