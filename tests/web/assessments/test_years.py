"""Years are bounded everywhere, a run without data fails, "latest" follows only runs with data."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from ecocite.data.tidy import MAX_YEAR, MIN_YEAR
from ecocite.web.accounts.models import RoleKind
from ecocite.web.assessments.execution import refresh_latest
from ecocite.web.assessments.models import AssessmentRun, Status
from ecocite.web.assessments.services import request_assessment
from ecocite.web.datasets.services import import_upload


def _queue(city: Any, framework_key: str, year: int, capture: Any) -> AssessmentRun:
    with capture(execute=True):
        return request_assessment(
            city, framework_key=framework_key, stage="planning_design", year=year, user=None
        )


@pytest.mark.parametrize("year", [99999, -9_200_000_000_000_000_000, MIN_YEAR - 1, MAX_YEAR + 1])
def test_api_refuses_a_year_out_of_range(
    client: Any, make_user: Any, city: Any, framework_key: str, year: int
) -> None:
    official = make_user("official", (RoleKind.CITY_OFFICIAL, city))
    token = Token.objects.create(user=official)
    response = client.post(
        "/api/v1/assessments/",
        {
            "city": city.slug,
            "framework_key": framework_key,
            "stage": "planning_design",
            "year": year,
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 400, response.content
    assert "year" in response.json()
    assert not AssessmentRun.objects.exists()


def test_service_refuses_a_year_out_of_range(city: Any, framework_key: str) -> None:
    with pytest.raises(ValueError, match=f"between {MIN_YEAR} and {MAX_YEAR}"):
        request_assessment(
            city, framework_key=framework_key, stage="planning_design", year=99999, user=None
        )
    assert not AssessmentRun.objects.exists()


def test_run_without_values_fails_with_a_reason_and_never_becomes_latest(
    city: Any,
    good_csv: bytes,
    framework_key: str,
    run_jobs: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    import_upload("v.csv", good_csv, city=city, framework_key=framework_key, user=None)
    real = _queue(city, framework_key, 2020, django_capture_on_commit_callbacks)
    empty = _queue(city, framework_key, 2090, django_capture_on_commit_callbacks)
    assert run_jobs() == 2
    real.refresh_from_db()
    empty.refresh_from_db()
    assert real.status == Status.FINISHED
    assert empty.status == Status.FAILED and "no indicator values for 2090" in empty.error
    city.refresh_from_db()
    assert city.latest_year == 2020 and city.latest_score == pytest.approx(real.score)


def test_a_later_real_run_restores_latest_after_a_bogus_one(
    city: Any,
    good_csv: bytes,
    framework_key: str,
    run_jobs: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The state schemathesis left on main: a finished run of year 99999 without data."""
    bogus = AssessmentRun.objects.create(
        city=city, framework_key=framework_key, stage="planning_design", year=99999,
        status=Status.FINISHED, score=0.0, data_hash="", result={"level_rank": 0},
    )  # fmt: skip
    type(city).objects.filter(pk=city.pk).update(latest_year=99999, latest_score=0.0)
    import_upload("v.csv", good_csv, city=city, framework_key=framework_key, user=None)
    first = _queue(city, framework_key, 2019, django_capture_on_commit_callbacks)
    run_jobs()
    city.refresh_from_db()
    first.refresh_from_db()
    assert city.latest_year == 2019 and city.latest_score == pytest.approx(first.score)
    assert city.latest_level == first.level

    # A later year wins; an earlier re-run afterwards does not take "latest" back.
    later = _queue(city, framework_key, 2020, django_capture_on_commit_callbacks)
    run_jobs()
    again = _queue(city, framework_key, 2019, django_capture_on_commit_callbacks)
    run_jobs()
    city.refresh_from_db()
    later.refresh_from_db()
    assert again.pk != later.pk
    assert city.latest_year == 2020 and city.latest_score == pytest.approx(later.score)
    assert bogus.pk not in {later.pk, again.pk}


def test_refresh_latest_clears_a_city_without_real_runs(city: Any, framework_key: str) -> None:
    AssessmentRun.objects.create(
        city=city, framework_key=framework_key, stage="planning_design", year=2024,
        status=Status.FINISHED, score=0.0, data_hash="",
    )  # fmt: skip
    type(city).objects.filter(pk=city.pk).update(latest_year=2024, latest_score=0.0)
    refresh_latest(city.pk)
    city.refresh_from_db()
    assert city.latest_year is None and city.latest_score is None and city.latest_level == ""


def test_form_offers_only_years_with_data_in_range(
    client: Any, make_user: Any, city: Any, good_csv: bytes, framework_key: str
) -> None:
    import_upload("v.csv", good_csv, city=city, framework_key=framework_key, user=None)
    client.force_login(make_user("assessor", (RoleKind.ASSESSOR, city, "zh")))
    response = client.post(
        reverse("assessments:new", args=[city.slug]),
        {"framework": framework_key, "stage": "planning_design", "year": 99999},
    )
    assert response.status_code == 200 and not AssessmentRun.objects.exists()
    assert response.context["form"].errors["year"]
