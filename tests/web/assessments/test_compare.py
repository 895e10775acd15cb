"""The comparison page, its downloads and API: frozen assessments of cities and years side by side."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
import pytest
from django.urls import reverse

from ecocite.assessment import indicator_points, indicator_spread
from ecocite.web.assessments import comparison as service
from ecocite.web.assessments.models import AssessmentRun, Status
from ecocite.web.frameworks.registry import default_framework_key, framework_by_key

YEARS = (2019, 2020, 2021)  # the years of the ``portfolio`` fixture (conftest.py)


def _query(**params: Any) -> dict[str, Any]:
    base = {"framework": default_framework_key(), "stage": "planning_design"}
    return {**base, **params}


def test_spread_ranks_indicators_by_how_differently_cities_score() -> None:
    points = pd.DataFrame(
        [
            ("a", "i1", "x", "t", 1.0, 0.0, 2.0),
            ("b", "i1", "x", "t", 2.0, 2.0, 2.0),
            ("c", "i1", "x", "t", 3.0, 1.0, 2.0),
            ("a", "i2", "x", "t", 1.0, 1.0, 1.0),
            ("b", "i2", "x", "t", 1.0, 1.0, 1.0),
            ("a", "i3", "x", "t", 5.0, 1.0, 1.0),  # one city only: not ranked
            ("b", "i4", "x", "t", None, 0.0, 1.0),  # no value: ignored
        ],
        columns=["city", "indicator", "category", "unit", "value", "points", "max_points"],
    )
    spread = indicator_spread(points)
    assert list(spread["indicator"]) == ["i1", "i2"]
    first = spread.iloc[0]
    assert first["spread"] == pytest.approx((1 / 6) ** 0.5)  # shares 0, 1, 0.5
    assert (first["lowest_city"], first["highest_city"]) == ("a", "b")
    assert spread.iloc[1]["spread"] == 0.0


def test_comparison_reads_the_latest_frozen_run_of_each_city_year(portfolio: Any) -> None:
    slugs = portfolio(3)
    framework = framework_by_key(default_framework_key())
    # A newer run of the same city-year replaces the older one in the comparison.
    old = AssessmentRun.objects.get(city__slug=slugs[0], year=2021)
    AssessmentRun.objects.create(
        city=old.city, framework_key=old.framework_key, stage=old.stage, year=2021,
        status=Status.FINISHED, result={**old.result, "score": 1.5}, score=1.5, level="",
        data_hash="x",
    )  # fmt: skip
    AssessmentRun.objects.create(  # not finished: never compared
        city=old.city, framework_key=old.framework_key, stage=old.stage, year=2019
    )
    selection = service.resolve(
        framework_key=framework.key, stage="planning_design", cities=[*slugs, "nowhere"]
    )
    assert selection.cities == tuple(slugs)
    comparison = service.build(selection)
    assert len(comparison.points) == 9 and comparison.years == list(YEARS)
    latest = {p.city: p for p in comparison.latest}
    assert latest[slugs[0]].score == 1.5 and latest[slugs[0]].year == 2021
    # The spread is the engine's, on each city's latest frozen result.
    results = [
        service.Assessment.model_validate(r.result)
        for r in AssessmentRun.objects.filter(pk__in=[p.run for p in comparison.latest]).order_by(
            "pk"
        )
    ]
    expected = indicator_spread(indicator_points(results), top=service.DIFFER_MOST)
    assert list(comparison.spread["indicator"]) == list(expected["indicator"])
    assert len(comparison.spread) == service.DIFFER_MOST
    assert comparison.spread["spread"].is_monotonic_decreasing


def test_years_and_sets_narrow_the_comparison(portfolio: Any) -> None:
    chinese = portfolio(2)
    french = portfolio(2, country="FR")
    key = default_framework_key()
    by_country = service.resolve(framework_key=key, stage="planning_design", city_set="country:FR")
    assert by_country.cities == tuple(french)
    every = service.resolve(framework_key=key, stage="planning_design", city_set="all")
    assert every.cities == tuple(sorted(chinese + french))
    some_years = service.resolve(
        framework_key=key, stage="planning_design", cities=chinese, years=[2020]
    )
    assert {p.year for p in service.build(some_years).points} == {2020}
    with pytest.raises(service.SelectionError):
        service.resolve(framework_key=key, stage="planning_design", city_set="country:XX")
    with pytest.raises(service.SelectionError):
        service.resolve(framework_key="no-such@1", stage="planning_design", cities=chinese)


def test_a_registered_city_set_is_offered_and_resolved(portfolio: Any) -> None:
    """The hook a label programme uses: its cities become one choice of the picker."""
    slugs = portfolio(3)

    def programmes() -> list[service.CitySet]:
        return [service.CitySet("programme:pilot", "Pilot programme", lambda: slugs[:2])]

    service.register_city_sets(programmes)
    try:
        page = service.resolve(
            framework_key=default_framework_key(), stage="planning_design",
            city_set="programme:pilot",
        )  # fmt: skip
        assert page.cities == tuple(slugs[:2])
    finally:
        service._PROVIDERS.remove(programmes)


@pytest.mark.parametrize("lang", ["fr", "zh-hans", "en"])
def test_page_shows_scores_trends_and_differences(client: Any, portfolio: Any, lang: str) -> None:
    slugs = portfolio(3)
    client.cookies["django_language"] = lang
    response = client.get(
        reverse("assessments:compare"), _query(cities=slugs), HTTP_ACCEPT_LANGUAGE=lang
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('<th scope="row"><a href="/cities/c0') == 3
    assert 'class="chart trend"' in page and "<desc>" in page
    assert 'id="differ-table"' in page and 'id="compare-csv"' in page
    assert "illustrative" in page or "illustratif" in page or "示意" in page
    # Every category has a chart (plus the score's), each with its data table.
    framework = framework_by_key(default_framework_key())
    assert page.count("<figure") == len(framework.categories) + 1
    assert page.count("<details>") == len(framework.categories) + 1


def test_page_without_params_compares_every_city_and_many_cities_are_summarised(
    client: Any, portfolio: Any
) -> None:
    portfolio(service.MAX_LINES + 1)
    page = client.get(reverse("assessments:compare"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.count('<th scope="row"><a href="/cities/c0') == service.MAX_LINES + 1
    assert "median of the cities" in page and "highest city" in page


def test_page_asks_for_cities_when_none_is_picked(client: Any, portfolio: Any) -> None:
    portfolio(1)
    page = client.get(
        reverse("assessments:compare"), _query(set=""), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Pick at least one city, or a set of cities." in page
    assert 'id="compare-table"' not in page


def test_page_shows_a_new_assessment_at_once(client: Any, portfolio: Any) -> None:
    slugs = portfolio(2)
    url = reverse("assessments:compare")
    assert "c002" not in client.get(url, _query(set="all")).content.decode()
    portfolio(1)
    assert "c002" in client.get(url, _query(set="all")).content.decode()
    del slugs


@pytest.mark.parametrize("n_cities", [2, 10])
def test_page_costs_the_same_queries_for_2_or_10_cities(
    client: Any, portfolio: Any, django_assert_num_queries: Any, n_cities: int
) -> None:
    slugs = portfolio(n_cities)
    from django.core.cache import caches

    caches["fragments"].clear()
    # fingerprint, cities, frameworks (uploaded), years, runs, latest indicators
    with django_assert_num_queries(6):
        response = client.get(reverse("assessments:compare"), _query(cities=slugs))
    assert response.status_code == 200
    with django_assert_num_queries(1):  # the fingerprint; the page body comes from the cache
        client.get(reverse("assessments:compare"), _query(cities=slugs))


@pytest.mark.parametrize("n_cities", [2, 10])
def test_api_costs_the_same_queries_for_2_or_10_cities(
    client: Any, portfolio: Any, django_assert_num_queries: Any, n_cities: int
) -> None:
    slugs = portfolio(n_cities)
    # fingerprint, cities, frameworks (uploaded), runs, latest indicators
    with django_assert_num_queries(5):
        response = client.get("/api/v1/comparison/", _query(cities=slugs))
    assert response.status_code == 200
    assert len(response.json()["cities"]) == n_cities
    with django_assert_num_queries(1):  # the fingerprint; the body comes from the cache
        again = client.get("/api/v1/comparison/", _query(cities=slugs))
    assert again.json() == response.json()


def test_csv_and_xlsx_have_every_city_year_with_formulas_defused(
    client: Any, portfolio: Any
) -> None:
    slugs = portfolio(3)
    url = reverse("assessments:compare_download", args=["csv"])
    response = client.get(url, _query(cities=slugs), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    frame = pd.read_csv(io.BytesIO(response.content), encoding="utf-8-sig")
    assert len(frame) == 9 and set(frame["year"]) == set(YEARS)
    assert "'=HYPERLINK(1)" in set(frame["city_name"])  # a name that would run as a formula
    framework = framework_by_key(default_framework_key())
    assert [c for c in frame.columns if c.startswith("category:")] == [
        f"category:{c.id}" for c in framework.categories
    ]
    stored = AssessmentRun.objects.get(city__slug=slugs[2], year=2020)
    row = frame[(frame["city"] == slugs[2]) & (frame["year"] == 2020)].iloc[0]
    assert row["score"] == pytest.approx(stored.score, rel=1e-3)

    xlsx = client.get(
        reverse("assessments:compare_download", args=["xlsx"]), _query(cities=slugs),
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert xlsx.status_code == 200
    sheets = pd.read_excel(io.BytesIO(xlsx.content), sheet_name=None)
    assert list(sheets) == ["Comparison", "Differ most"]
    assert len(sheets["Comparison"]) == 9 and len(sheets["Differ most"]) == service.DIFFER_MOST
    assert "'=HYPERLINK(1)" in set(sheets["Comparison"]["city_name"])


def test_portfolio_report_is_the_engine_report_of_the_frozen_results(
    client: Any, portfolio: Any
) -> None:
    slugs = portfolio(2)
    response = client.get(
        reverse("assessments:compare_download", args=["html"]), _query(cities=slugs),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith("<!DOCTYPE html>") and 'lang="zh' in html
    assert "城市0" in html and "<script" not in html


def test_download_of_nothing_is_a_clear_error(client: Any, portfolio: Any) -> None:
    portfolio(1)
    url = reverse("assessments:compare_download", args=["csv"])
    bad = client.get(url, _query(set="", cities=[]), HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400 and b"Pick at least one city" in bad.content
    none = client.get(url, _query(cities=["c000"], years=["1990"]), HTTP_ACCEPT_LANGUAGE="en")
    assert none.status_code == 400  # 1990 is not a year with assessments: a form error
    assert client.get(reverse("assessments:compare_download", args=["exe"])).status_code == 404


def test_api_returns_the_same_comparison_and_is_in_the_schema(client: Any, portfolio: Any) -> None:
    slugs = portfolio(3)
    data = client.get("/api/v1/comparison/", _query(cities=slugs, years=[2020, 2021])).json()
    assert data["years"] == [2020, 2021]
    assert len(data["rows"]) == 6
    row = next(r for r in data["rows"] if r["city"] == slugs[0] and r["year"] == 2021)
    stored = AssessmentRun.objects.get(city__slug=slugs[0], year=2021)
    assert row["score"] == pytest.approx(stored.score)
    assert row["level"] == (stored.level or None)
    assert set(row["categories"]) == {
        c.id for c in framework_by_key(stored.framework_key).categories
    }
    assert len(data["differ_most"]) == service.DIFFER_MOST
    bad = client.get("/api/v1/comparison/", _query(set="country:XX"))
    assert bad.status_code == 400
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/comparison/" in schema and "differ_most" in schema
