"""Reports of frozen assessments, rendered by the engine (``ecocite.reports``) in fr/zh/en."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ecocite.assessment import Assessment
from ecocite.reports import PdfUnavailableError, render_city_report, write_pdf
from ecocite.web.assessments.models import AssessmentRun, Status
from ecocite.web.frameworks.registry import framework_by_key


def _history(run: AssessmentRun) -> list[Assessment]:
    """Earlier frozen results of the same city, framework and stage (latest run of each year)."""
    earlier = (
        AssessmentRun.objects.filter(
            city_id=run.city_id,
            framework_key=run.framework_key,
            stage=run.stage,
            status=Status.FINISHED,
            year__lt=run.year,
        )
        .order_by("year", "finished_at", "pk")
        .values_list("year", "result")
    )
    by_year = {year: result for year, result in earlier}
    return [Assessment.model_validate(by_year[y]) for y in sorted(by_year)]


def report_html(run: AssessmentRun, *, lang: str) -> str:
    """Return the city report of a finished run, in ``lang`` ("fr", "zh" or "en")."""
    return render_city_report(
        Assessment.model_validate(run.result),
        framework=framework_by_key(run.framework_key),
        city=run.city.to_engine(),
        lang=lang,
        history=_history(run),
    )


def report_pdf(run: AssessmentRun, *, lang: str) -> bytes | None:
    """Return the same report as PDF; None when WeasyPrint is not installed (the ``pdf`` extra)."""
    html = report_html(run, lang=lang)
    with tempfile.TemporaryDirectory(prefix="ecocite-report-") as folder:
        try:
            path = write_pdf(html, Path(folder) / "report.pdf")
        except PdfUnavailableError:
            return None
        return path.read_bytes()
