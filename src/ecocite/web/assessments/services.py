"""Request and run assessments. Scoring is the engine's (``ecocite.assessment.assess``)."""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from ecocite.assessment import Assessment, Coverage, assess, counts_for_standing, coverage
from ecocite.data import data_hash
from ecocite.frameworks import Framework, Stage
from ecocite.web.assessments.models import AssessmentRun, Status
from ecocite.web.cities.models import City
from ecocite.web.datasets.models import Dataset
from ecocite.web.datasets.services import current_values
from ecocite.web.frameworks.registry import framework_by_key


def request_assessment(
    city: City, *, framework_key: str, stage: str, year: int, user: Any | None
) -> AssessmentRun:
    """Queue an assessment; the background worker runs it (see ``tasks.run_assessment``)."""
    from ecocite.web.assessments.tasks import run_assessment

    framework = framework_by_key(framework_key)
    Stage(stage)  # ValueError on an unknown stage
    run = AssessmentRun.objects.create(
        city=city,
        framework_key=framework.key,
        stage=stage,
        year=year,
        requested_by=user if getattr(user, "is_authenticated", False) else None,
    )
    transaction.on_commit(lambda: run_assessment.enqueue(run.pk))
    return run


def _progress(run_id: int, percent: int, step: str) -> None:
    AssessmentRun.objects.filter(pk=run_id, status__in=[Status.QUEUED, Status.RUNNING]).update(
        progress=percent, step=step
    )


def level_name(framework: Framework, level_id: str | None) -> dict[str, str] | None:
    if level_id is None:
        return None
    for level in framework.grading.levels:
        if level.id == level_id:
            return level.name.model_dump()
    return None


def execute(run_id: int) -> None:
    """Run one queued assessment to the end; record a failure instead of raising."""
    updated = AssessmentRun.objects.filter(pk=run_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now(), progress=5, step="start"
    )
    if not updated:
        return  # already taken by another worker, or finished
    run = AssessmentRun.objects.select_related("city").get(pk=run_id)
    try:
        framework = framework_by_key(run.framework_key)
        _progress(run_id, 20, "data")
        values = current_values(run.city, year=run.year)
        _progress(run_id, 50, "scoring")
        result: Assessment = assess(
            framework, values, city=run.city.slug, year=run.year, stage=run.stage
        )
        _progress(run_id, 90, "saving")
    except Exception as exc:  # a failed job is shown to the person who asked, with its reason
        AssessmentRun.objects.filter(pk=run_id).update(
            status=Status.FAILED, error=f"{type(exc).__name__}: {exc}", finished_at=timezone.now()
        )
        return
    illustrative = Dataset.objects.filter(
        city=run.city, values__year=run.year, illustrative=True
    ).exists()
    with transaction.atomic():
        run.refresh_from_db()
        run.result = result.model_dump(mode="json")
        run.snapshot = json.loads(values.to_json(orient="records"))
        run.data_hash = data_hash(values) if len(values) else ""
        run.level = result.level or ""
        run.level_name = level_name(framework, result.level)
        run.score = result.score
        run.illustrative = illustrative or run.city.illustrative
        run.progress, run.step = 100, "done"
        run.finished_at = timezone.now()
        run.status = Status.FINISHED
        run.save()
        refresh_standing(run.city)


def refresh_standing(city: City) -> None:
    """Set the city's shown level from its latest finished assessment that is complete enough
    under its framework (``grading.shown_level_completeness``): a partial year never demotes it.
    With no complete assessment, the city shows no level."""
    runs = (
        AssessmentRun.objects.filter(city=city, status=Status.FINISHED)
        .order_by("-year", "-finished_at", "-pk")
        .values_list("pk", "framework_key", "result__completeness", "result__level_rank")
    )
    fields: dict[str, Any] = {
        "latest_level": "",
        "latest_level_name": None,
        "latest_level_rank": 0,
        "latest_score": None,
        "latest_year": None,
    }
    for pk, key, completeness, rank in runs:
        try:
            framework = framework_by_key(key)
        except KeyError:  # a framework no longer installed: its runs cannot be judged
            continue
        if completeness is None or not counts_for_standing(float(completeness), framework):
            continue
        run = AssessmentRun.objects.only("level", "level_name", "score", "year").get(pk=pk)
        fields = {
            "latest_level": run.level,
            "latest_level_name": run.level_name,
            "latest_level_rank": max(int(rank or 0), 0),
            "latest_score": run.score,
            "latest_year": run.year,
        }
        break
    City.objects.filter(pk=city.pk).update(**fields)


def year_coverage(city: City, framework: Framework, stage: str) -> list[Coverage]:
    """For each year with values, how many of the stage's indicators have one (engine count)."""
    return coverage(current_values(city), framework, stage=stage)


def result_of(run: AssessmentRun) -> Assessment | None:
    """The frozen engine result of a finished run."""
    return Assessment.model_validate(run.result) if run.result else None
