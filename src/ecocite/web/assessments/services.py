"""Request and run assessments. Scoring is the engine's (``ecocite.assessment.assess``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ecocite.assessment import Assessment, Coverage, coverage
from ecocite.data.tidy import MAX_YEAR, MIN_YEAR
from ecocite.frameworks import Framework, Stage
from ecocite.web.assessments.execution import execute
from ecocite.web.assessments.models import AssessmentRun
from ecocite.web.assessments.tasks import run_assessment
from ecocite.web.cities.models import City
from ecocite.web.datasets.services import current_values
from ecocite.web.frameworks.registry import framework_by_key


def check_year(year: int) -> int:
    """Refuse a year outside the one range of the platform (``ecocite.data.tidy``)."""
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year {year!r} is not between {MIN_YEAR} and {MAX_YEAR}")
    return year


def _new_run(
    city: City, *, framework_key: str, stage: str, year: int, user: Any | None
) -> AssessmentRun:
    framework = framework_by_key(framework_key)
    Stage(stage)  # ValueError on an unknown stage
    check_year(year)
    return AssessmentRun.objects.create(
        city=city,
        framework_key=framework.key,
        stage=stage,
        year=year,
        requested_by=user if getattr(user, "is_authenticated", False) else None,
    )


def request_assessment(
    city: City, *, framework_key: str, stage: str, year: int, user: Any | None
) -> AssessmentRun:
    """Queue an assessment; the background worker runs it (see ``tasks.run_assessment``)."""
    run = _new_run(city, framework_key=framework_key, stage=stage, year=year, user=user)
    transaction.on_commit(lambda: run_assessment.enqueue(run.pk))
    return run


def assess_now(
    city: City, *, framework_key: str, stage: str, year: int, user: Any | None = None
) -> AssessmentRun:
    """Run an assessment in this process, as the worker would, and return the frozen run.

    The command line uses it: the record is the same as one made through the web or the API.
    A failure is recorded on the run (status ``failed`` with its reason), never raised.
    """
    run = _new_run(city, framework_key=framework_key, stage=stage, year=year, user=user)
    execute(run.pk)
    run.refresh_from_db()
    return run


def year_coverage(city: City, framework: Framework, stage: str) -> list[Coverage]:
    """Count, for each year with values, how many of the stage's indicators have one."""
    return coverage(current_values(city), framework, stage=stage)


def result_of(run: AssessmentRun) -> Assessment | None:
    """Return the frozen engine result of a finished run."""
    return Assessment.model_validate(run.result) if run.result else None
