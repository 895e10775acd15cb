"""Run one queued assessment to the end and freeze its result (the background job's body).

The job queue (``tasks.py``) and the command line call :func:`execute`; it imports neither, so
``services`` → ``tasks`` → ``execution`` has no cycle.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from ecocite.assessment import Assessment, assess, counts_for_standing
from ecocite.data import data_hash
from ecocite.data.tidy import MAX_YEAR, MIN_YEAR
from ecocite.frameworks import Framework, UnknownFrameworkError
from ecocite.web.assessments.models import AssessmentRun, Status
from ecocite.web.cities.models import City
from ecocite.web.datasets.models import Dataset
from ecocite.web.datasets.services import current_values
from ecocite.web.frameworks.registry import framework_by_key


class NoDataForYear(ValueError):
    """The city has no indicator value for the requested year: nothing to assess."""


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
        if not len(values):
            raise NoDataForYear(
                f"{run.city.slug} has no indicator values for {run.year}; upload data first"
            )
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
    # Only datasets in force (not withdrawn or replaced) gave values to this run.
    illustrative = (
        Dataset.objects.in_force()
        .filter(city=run.city, values__year=run.year, illustrative=True)
        .exists()
    )
    with transaction.atomic():
        run.refresh_from_db()
        run.result = result.model_dump(mode="json")
        # Exact values (to_json would round to 10 decimals): the label re-derives results from them.
        run.snapshot = json.loads(
            json.dumps(values.astype(object).where(values.notna(), None).to_dict(orient="records"))
        )
        run.data_hash = data_hash(values) if len(values) else ""
        run.level = result.level or ""
        run.level_name = level_name(framework, result.level)
        run.score = result.score
        run.illustrative = illustrative or run.city.illustrative
        run.progress, run.step = 100, "done"
        run.finished_at = timezone.now()
        run.status = Status.FINISHED
        run.save()
        refresh_latest(run.city_id)


def refresh_latest(city_id: int) -> None:
    """Set the city's shown level from its latest finished assessment that may stand for it.

    A run stands for the city when it used data, its year is within the platform's range and it
    is complete enough under its framework (``grading.shown_level_completeness``): a partial year
    never demotes a city, and a run without data (or of a bogus year) never becomes its latest.
    With no such run the city shows no level. Recomputed from the runs, never compared with what
    is stored; call inside a transaction (the city row is locked while it is rewritten).
    """
    City.objects.select_for_update().filter(pk=city_id).first()
    runs = (
        AssessmentRun.objects.filter(
            city_id=city_id, status=Status.FINISHED, year__gte=MIN_YEAR, year__lte=MAX_YEAR
        )
        .exclude(data_hash="")
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
        except UnknownFrameworkError:  # a framework no longer installed: its runs cannot be judged
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
    City.objects.filter(pk=city_id).update(**fields, updated_at=timezone.now())
