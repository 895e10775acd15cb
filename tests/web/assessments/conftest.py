"""Fixtures of the assessments tests: cities with frozen assessments, made quickly."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ecocite.assessment import assess
from ecocite.data import read_indicator_table
from ecocite.demo import illustrative_values
from ecocite.web.assessments.execution import level_name
from ecocite.web.assessments.models import AssessmentRun, Status
from ecocite.web.cities.models import City
from ecocite.web.frameworks.registry import default_framework_key, framework_by_key

YEARS = (2019, 2020, 2021)


def make_portfolio(
    n_cities: int, years: tuple[int, ...] = YEARS, *, country: str = "CN"
) -> list[str]:
    """Cities with frozen assessments of the illustrative demo values (profiles in turn)."""
    framework = framework_by_key(default_framework_key())
    template = illustrative_values(framework, years=years)
    profiles = sorted(template["city"].unique())
    slugs = []
    start = City.objects.count()
    for i in range(n_cities):
        slug = f"c{start + i:03d}"
        name = "=HYPERLINK(1)" if i == 1 else f"Ville {start + i}"
        city = City.objects.create(
            slug=slug, name_fr=name, name_zh=f"城市{start + i}",
            name_en=name.replace("Ville", "City"),
            country=country, illustrative=True,
        )  # fmt: skip
        values = read_indicator_table(
            template[template["city"] == profiles[i % len(profiles)]].assign(city=slug),
            framework=framework,
        )
        runs = []
        for year in years:
            result = assess(framework, values, city=slug, year=year, gaps=False)
            runs.append(
                AssessmentRun(
                    city=city, framework_key=framework.key, stage="planning_design", year=year,
                    status=Status.FINISHED, progress=100, result=result.model_dump(mode="json"),
                    level=result.level or "", level_name=level_name(framework, result.level),
                    score=result.score, illustrative=True, data_hash=result.data_hash,
                )
            )  # fmt: skip
        AssessmentRun.objects.bulk_create(runs)
        slugs.append(slug)
    return slugs


@pytest.fixture
def portfolio(db: Any) -> Callable[..., list[str]]:
    """Make ``n`` cities with a frozen assessment of each year (2019–2021 by default)."""
    return make_portfolio
