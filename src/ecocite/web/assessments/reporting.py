"""Reports of frozen assessments: the engine's renderer (``ecocite.reports``) when it offers one,
otherwise the platform's own printable page of the same frozen result."""

from __future__ import annotations

import importlib
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from ecocite.assessment import Reason
from ecocite.web.assessments.models import AssessmentRun
from ecocite.web.core.languages import pick

DJANGO_LANG = {"fr": "fr", "zh": "zh-hans", "en": "en"}


def reason_text(reason: Reason, indicators: dict[str, str], categories: dict[str, str]) -> str:
    """One reason of the level, in the active language."""
    fields = {
        "indicator": indicators.get(reason.indicator or "", reason.indicator or ""),
        "category": categories.get(reason.category or "", reason.category or ""),
        "level": reason.level or "",
        "value": "" if reason.value is None else f"{reason.value:g}",
        "threshold": "" if reason.threshold is None else f"{reason.threshold:g}",
    }
    texts = {
        "level_reached": _("Level %(level)s reached."),
        "no_level": _("No label level is reached."),
        "control_failed": _(
            "Control item %(indicator)s not met: %(value)s (required %(threshold)s)."
        ),
        "control_missing": _("Control item %(indicator)s has no value."),
        "insufficient_quality": _("The data for %(indicator)s is below the required quality."),
        "category_below_minimum": _(
            "Category %(category)s is below its minimum: %(value)s (minimum %(threshold)s)."
        ),
        "points_below_next_level": _(
            "Score %(value)s is below the %(threshold)s points of level %(level)s."
        ),
        "core_missing": _("Core indicator %(indicator)s is not reported."),
        "completeness_below_next_level": _(
            "Completeness %(value)s is below the %(threshold)s needed for level %(level)s."
        ),
    }
    return texts.get(reason.code, reason.code) % fields


def _engine_renderer() -> Any | None:
    try:
        module = importlib.import_module("ecocite.reports")
    except ImportError:
        return None
    return getattr(module, "render_assessment_html", None)


def report_html(run: AssessmentRun, *, lang: str) -> str:
    from ecocite.web.assessments.services import result_of
    from ecocite.web.frameworks.registry import framework_by_key

    result = result_of(run)
    framework = framework_by_key(run.framework_key)
    renderer = _engine_renderer()
    if renderer is not None and result is not None:
        return str(renderer(result, framework=framework, city=run.city.to_engine(), lang=lang))
    with translation.override(DJANGO_LANG.get(lang, lang)):
        names = {ind.id: pick(ind.name) for _, ind in framework.indicators()}
        categories = {cat.id: pick(cat.name) for cat in framework.categories}
        return render_to_string(
            "assessments/report.html",
            {
                "run": run,
                "result": result,
                "framework": framework,
                "rows": [
                    (names.get(r.indicator, r.indicator), categories.get(r.category, r.category), r)
                    for r in (result.indicators if result else [])
                ],
                "reasons": [
                    reason_text(r, names, categories) for r in (result.reasons if result else [])
                ],
            },
        )


def report_pdf(run: AssessmentRun, *, lang: str) -> bytes | None:
    try:
        from weasyprint import HTML
    except ImportError:
        return None
    return bytes(HTML(string=report_html(run, lang=lang)).write_pdf())
