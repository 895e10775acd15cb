"""Assessments: queued, run by the worker, frozen; results are the engine's; reports download."""

from __future__ import annotations

import importlib.util
import io
from typing import Any

import pandas as pd
import pytest
from django.urls import reverse

from ecocite.assessment import assess
from ecocite.data import read_indicator_table
from ecocite.web.accounts.models import RoleKind
from ecocite.web.assessments.models import AssessmentRun, FrozenAssessmentError, Status
from ecocite.web.datasets.services import import_upload
from ecocite.web.frameworks.registry import framework_by_key


@pytest.fixture
def assessor_client(client: Any, make_user: Any, city: Any) -> Any:
    client.force_login(make_user("assessor", (RoleKind.ASSESSOR, city, "zh")))
    return client


@pytest.fixture
def uploaded(city: Any, good_csv: bytes, framework_key: str) -> Any:
    return import_upload("v.csv", good_csv, city=city, framework_key=framework_key, user=None)


def _start(client: Any, city: Any, framework_key: str, year: int, capture: Any) -> AssessmentRun:
    with capture(execute=True):
        response = client.post(
            reverse("assessments:new", args=[city.slug]),
            {"framework": framework_key, "stage": "planning_design", "year": year},
        )
    assert response.status_code == 302
    return AssessmentRun.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def test_assessment_runs_in_the_background_and_matches_the_engine(
    assessor_client: Any,
    city: Any,
    uploaded: Any,
    good_csv: bytes,
    framework_key: str,
    run_jobs: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    run = _start(assessor_client, city, framework_key, 2020, django_capture_on_commit_callbacks)
    assert run.status == Status.QUEUED and run.result is None  # the request did not compute it
    page = assessor_client.get(reverse("assessments:detail", args=[run.pk])).content.decode()
    assert 'id="progress"' in page
    status = assessor_client.get(reverse("assessments:status", args=[run.pk])).json()
    assert status == {"status": "queued", "progress": 0, "step": "", "error": ""}

    assert run_jobs() == 1
    run.refresh_from_db()
    assert run.status == Status.FINISHED and run.progress == 100

    framework = framework_by_key(framework_key)
    table = read_indicator_table(
        pd.read_csv(io.BytesIO(good_csv), dtype=str, keep_default_na=False), framework=framework
    )
    expected = assess(framework, table, city="jingzhou", year=2020, stage="planning_design")
    assert run.result["score"] == pytest.approx(expected.score)
    assert run.result["level"] == expected.level
    assert run.level == (expected.level or "")
    assert {r["indicator"] for r in run.result["indicators"]} == {
        r.indicator for r in expected.indicators
    }
    city.refresh_from_db()
    assert city.latest_year == 2020 and city.latest_score == pytest.approx(expected.score)

    page = assessor_client.get(reverse("assessments:detail", args=[run.pk])).content.decode()
    assert 'class="chart radar"' in page and "report-html" in page
    report = assessor_client.get(reverse("assessments:report", args=[run.pk, "html"]))
    assert report.status_code == 200 and "jingzhou" in report["Content-Disposition"]
    body = report.content.decode()
    assert f"{expected.score:.1f}".replace(".", ",") in body or f"{expected.score:.1f}" in body
    as_json = assessor_client.get(reverse("assessments:report", args=[run.pk, "json"])).json()
    assert as_json == run.result
    pdf = assessor_client.get(reverse("assessments:report", args=[run.pk, "pdf"]))
    if importlib.util.find_spec("weasyprint") is not None:  # the 'pdf' extra
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    else:
        assert pdf.status_code == 404


def test_finished_assessment_is_frozen(
    assessor_client: Any,
    city: Any,
    uploaded: Any,
    framework_key: str,
    good_csv: bytes,
    run_jobs: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    run = _start(assessor_client, city, framework_key, 2020, django_capture_on_commit_callbacks)
    run_jobs()
    run.refresh_from_db()
    frozen_result, frozen_hash = run.result, run.data_hash
    run.score = 100.0
    with pytest.raises(FrozenAssessmentError):
        run.save()
    with pytest.raises(FrozenAssessmentError):
        run.delete()

    # New data: a new assessment with a new data hash; the old one is unchanged.
    frame = pd.read_csv(io.BytesIO(good_csv))
    frame = frame[frame["year"] == 2020].copy()
    frame["quality"] = "low"
    import_upload(
        "update.csv",
        frame.to_csv(index=False).encode(),
        city=city,
        framework_key=framework_key,
        user=None,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assessor_client.post(reverse("assessments:rerun", args=[run.pk]))
    run_jobs()
    newer = AssessmentRun.objects.exclude(pk=run.pk).get()
    assert newer.status == Status.FINISHED and newer.data_hash != frozen_hash
    run.refresh_from_db()
    assert run.result == frozen_result and run.data_hash == frozen_hash


def test_failed_job_is_reported(
    city: Any,
    framework_key: str,
    run_jobs: Any,
    django_capture_on_commit_callbacks: Any,
    client: Any,
) -> None:
    from ecocite.web.assessments.services import request_assessment

    with django_capture_on_commit_callbacks(execute=True):
        run = request_assessment(
            city, framework_key=framework_key, stage="planning_design", year=2020, user=None
        )
    AssessmentRun.objects.filter(pk=run.pk).update(framework_key="gone@9.9")
    run_jobs()
    run.refresh_from_db()
    assert run.status == Status.FAILED and "gone@9.9" in run.error
    status = client.get(reverse("assessments:status", args=[run.pk])).json()
    assert status["status"] == "failed" and status["error"]


def test_report_of_unfinished_assessment_is_404(
    city: Any, framework_key: str, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from ecocite.web.assessments.services import request_assessment

    with django_capture_on_commit_callbacks(execute=False):
        run = request_assessment(
            city, framework_key=framework_key, stage="planning_design", year=2020, user=None
        )
    assert client.get(reverse("assessments:report", args=[run.pk, "html"])).status_code == 404
