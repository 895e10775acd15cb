"""Run one queued assessment to the end and freeze its result (the background job's body).

The job queue (``tasks.py``) and the command line call :func:`execute`; it imports neither, so
``services`` → ``tasks`` → ``execution`` has no cycle.
"""

from __future__ import annotations

import json

from django.db import transaction
from django.utils import timezone

from ecocite.assessment import Assessment, assess
from ecocite.data import data_hash
from ecocite.frameworks import Framework
from ecocite.web.assessments.models import AssessmentRun, Status
from ecocite.web.cities.models import City
from ecocite.web.datasets.models import Dataset
from ecocite.web.datasets.services import current_values
from ecocite.web.frameworks.registry import framework_by_key


def _progress(run_id: int, percent: int, step: str) -> None:
    AssessmentRun.objects.filter(pk=run_id, status__in=[Status.QUEUED, Status.RUNNING]).update(
        progress=percent, step=step
    )


def level_name(framework: Framework, level_id: str | None) -> dict[str, str] | None:
    """Return a level's names in three languages, or None for no level."""
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
        (
            City.objects.filter(pk=run.city_id)
            .exclude(latest_year__gt=run.year)
            .update(
                latest_level=run.level,
                latest_level_name=run.level_name,
                latest_level_rank=max(result.level_rank, 0),
                latest_score=run.score,
                latest_year=run.year,
            )
        )
