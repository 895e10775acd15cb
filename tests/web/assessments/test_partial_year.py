"""A partial year no longer demotes a city (issue 14 item 7): the shown level comes from the
latest assessment complete enough under its framework, and the form warns before running."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from django.urls import reverse

from ecocite.assessment import coverage
from ecocite.demo import demo_values
from ecocite.web.accounts.models import RoleKind
from ecocite.web.assessments.execution import execute
from ecocite.web.assessments.models import AssessmentRun
from ecocite.web.cities.models import City
from ecocite.web.datasets.services import import_upload
from ecocite.web.frameworks.registry import framework_by_key

STAGE = "planning_design"


@pytest.fixture
def jingzhou_2024(city: City, framework_key: str) -> City:
    """Jingzhou with its demo values of 2024 (two stars, complete) and 4 values of 2025."""
    values = demo_values(framework_by_key(framework_key))
    mine = values[(values["city"] == "jingzhou") & (values["year"] == 2024)]
    partial = mine.head(4).assign(year=2025)
    table = pd.concat([mine, partial])
    import_upload("v.csv", table.to_csv(index=False).encode(), city=city,
                  framework_key=framework_key, user=None)  # fmt: skip
    return city


def _assess(city: City, framework_key: str, year: int) -> AssessmentRun:
    run = AssessmentRun.objects.create(
        city=city, framework_key=framework_key, stage=STAGE, year=year
    )
    execute(run.pk)
    run.refresh_from_db()
    return run


def test_a_partial_year_is_kept_but_does_not_demote_the_city(
    jingzhou_2024: City, framework_key: str, client: Any
) -> None:
    complete = _assess(jingzhou_2024, framework_key, 2024)
    assert complete.level == "two_star"
    partial = _assess(jingzhou_2024, framework_key, 2025)
    assert partial.level == "" and partial.result["completeness"] < 0.1

    city = City.objects.get(pk=jingzhou_2024.pk)
    assert (city.latest_level, city.latest_year) == ("two_star", 2024)
    listing = client.get(reverse("cities:list")).content.decode()
    assert "Deux étoiles" in listing
    # The partial run itself is there to read, with its own (absent) level.
    detail = client.get(reverse("assessments:detail", args=[partial.pk]))
    assert detail.status_code == 200


def test_without_a_complete_year_the_city_shows_no_level(
    jingzhou_2024: City, framework_key: str
) -> None:
    _assess(jingzhou_2024, framework_key, 2025)
    city = City.objects.get(pk=jingzhou_2024.pk)
    assert (city.latest_level, city.latest_year) == ("", None)


def test_a_later_complete_year_replaces_the_shown_level(
    jingzhou_2024: City, framework_key: str
) -> None:
    values = demo_values(framework_by_key(framework_key))
    mine = values[(values["city"] == "jingzhou") & (values["year"] == 2016)].assign(year=2026)
    import_upload("w.csv", mine.to_csv(index=False).encode(), city=jingzhou_2024,
                  framework_key=framework_key, user=None)  # fmt: skip
    _assess(jingzhou_2024, framework_key, 2024)
    later = _assess(jingzhou_2024, framework_key, 2026)
    city = City.objects.get(pk=jingzhou_2024.pk)
    assert city.latest_year == 2026 and city.latest_level == later.level


def test_the_form_warns_before_running_a_year_with_few_values(
    jingzhou_2024: City, framework_key: str, client: Any, make_user: Any
) -> None:
    assessor = make_user("assessor", (RoleKind.ASSESSOR, jingzhou_2024, "fr"))
    assessor.preferred_language = "en"
    assessor.save()
    client.force_login(assessor)
    url = reverse("assessments:new", args=[jingzhou_2024.slug])
    framework = framework_by_key(framework_key)
    from ecocite.web.datasets.services import current_values

    (c2025, c2024) = coverage(current_values(jingzhou_2024), framework, stage=STAGE)
    assert (c2025.year, c2025.reported, c2024.year) == (2025, 4, 2024)
    assert c2024.complete and not c2025.complete

    page = client.get(url).content.decode()
    # The newest year is preselected: the hint already says how few values it has.
    assert f"2025: only 4 of the {c2025.total} indicators of this stage have a value" in page
    assert f"fewer than the {c2025.required} the framework asks for" in page
    assert 'id="assess-coverage-data"' in page

    form = {"framework": framework_key, "stage": STAGE, "year": 2025}
    warned = client.post(url, form)
    assert warned.status_code == 200 and 'id="assess-partial"' in warned.content.decode()
    assert not AssessmentRun.objects.exists()  # nothing runs before the person confirms

    confirmed = client.post(url, {**form, "confirm_partial": "1"})
    assert confirmed.status_code == 302 and AssessmentRun.objects.get().year == 2025

    complete = client.post(url, {**form, "year": 2024})
    assert complete.status_code == 302  # a complete year runs at once
    assessor.preferred_language = "fr"
    assessor.save()
    french = client.get(url).content.decode()
    assert "2025 : seulement 4 des" in french
