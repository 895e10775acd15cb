"""Run an assessment in the background, follow its progress, read the frozen result."""

from __future__ import annotations

from typing import Any

from csp.decorators import csp_update
from django import forms
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from ecocite.assessment.model import GapAction
from ecocite.frameworks import Framework
from ecocite.reports import reason_sentence
from ecocite.reports.messages import stated_target
from ecocite.web.assessments import charts, reporting
from ecocite.web.assessments.execution import level_name
from ecocite.web.assessments.forms import STAGE_LABELS, AssessmentForm
from ecocite.web.assessments.models import AssessmentRun, Status
from ecocite.web.assessments.services import (
    request_assessment,
    result_of,
    year_coverage,
)
from ecocite.web.cities.lookups import city_from_slug
from ecocite.web.cities.models import City
from ecocite.web.core.languages import engine_lang, pick
from ecocite.web.core.permissions import permission_required
from ecocite.web.frameworks.registry import framework_by_key


@permission_required("assessments.add_assessment", fn=city_from_slug)
def new_assessment(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the assessment form of a city and queue the assessment asked for."""
    city = city_from_slug(request, slug)
    years = list(city.values.order_by().values_list("year", flat=True).distinct())
    form = AssessmentForm(request.POST or None, years=years)
    coverage = _coverage_table(city, form)
    partial = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = coverage[f"{data['framework']}|{data['stage']}"].get(str(data["year"]))
        if chosen is not None and not chosen["complete"] and not data["confirm_partial"]:
            partial = chosen  # warn before running; the "run anyway" button confirms
    if request.method == "POST" and form.is_valid() and partial is None:
        run = request_assessment(
            city,
            framework_key=form.cleaned_data["framework"],
            stage=form.cleaned_data["stage"],
            year=form.cleaned_data["year"],
            user=request.user,
        )
        return redirect("assessments:detail", pk=run.pk)
    selected = _selected(form, coverage)
    return render(
        request,
        "assessments/new.html",
        {
            "city": city,
            "form": form,
            "years": years,
            "coverage": coverage,
            "selected": selected,
            "partial": partial,
        },
    )


def _coverage_table(city: City, form: AssessmentForm) -> dict[str, dict[str, dict[str, Any]]]:
    """Map "framework|stage" → year → how many indicators have a value, for the form's live hint."""
    table: dict[str, dict[str, dict[str, Any]]] = {}
    framework_field = form.fields["framework"]
    assert isinstance(framework_field, forms.ChoiceField)
    for key, _label in framework_field.choices:
        framework = framework_by_key(str(key))
        for stage in STAGE_LABELS:
            table[f"{key}|{stage.value}"] = {
                str(c.year): {
                    "year": str(c.year),  # a year, not a quantity: never grouped
                    "reported": c.reported,
                    "total": c.total,
                    "required": c.required,
                    "complete": c.complete,
                }
                for c in year_coverage(city, framework, stage.value)
            }
    return table


def _selected(form: AssessmentForm, coverage: dict[str, dict[str, dict[str, Any]]]) -> Any:
    """Return the coverage of the year the form shows now (its value, else the first choice)."""
    framework = form["framework"].value() or form.fields["framework"].initial
    stage = form["stage"].value() or next(iter(STAGE_LABELS)).value
    year_field = form.fields["year"]
    assert isinstance(year_field, forms.TypedChoiceField)
    year = form["year"].value() or next((str(y) for y, _ in year_field.choices), None)
    return coverage.get(f"{framework}|{stage}", {}).get(str(year))


def _run(pk: int) -> AssessmentRun:
    return get_object_or_404(AssessmentRun.objects.select_related("city", "requested_by"), pk=pk)


def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a run: its progress, or its frozen result with the category radar."""
    run = _run(pk)
    context: dict[str, object] = {
        "run": run,
        "stage_label": STAGE_LABELS.get(run.stage, run.stage),
        "can_rerun": request.user.has_perm("assessments.add_assessment", run.city),
    }
    result = result_of(run)
    if result is not None:
        framework = framework_by_key(run.framework_key)
        names = {ind.id: pick(ind.name) for _, ind in framework.indicators()}
        categories = {cat.id: pick(cat.name) for cat in framework.categories}
        context.update(
            result=result,
            framework=framework,
            indicator_names=names,
            category_names=categories,
            rows=[
                (names.get(r.indicator, r.indicator), categories.get(r.category, r.category), r)
                for r in result.indicators
            ],
            gap_rows=[
                (names.get(a.indicator, a.indicator), _stated(framework, a))
                for a in result.gap.actions
            ]
            if result.gap
            else [],
            gap_level=pick(level_name(framework, result.gap.target_level)) if result.gap else "",
            radar=charts.category_radar(result, framework),
            reasons=[
                reason_sentence(r, framework=framework, lang=engine_lang()) for r in result.reasons
            ],
        )
    return render(request, "assessments/detail.html", context)


def _stated(framework: Framework, action: GapAction) -> GapAction:
    """Return the gap action with its target as the reports state it (two significant digits or a whole year, on the safe side)."""
    if action.target_value is None:
        return action
    target = stated_target(framework, action.indicator, action.target_value)
    return action.model_copy(update={"target_value": target})


@require_GET
def assessment_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Return a run's status and progress as JSON (polled by the result page)."""
    run = get_object_or_404(
        AssessmentRun.objects.only("status", "progress", "step", "error"), pk=pk
    )
    return JsonResponse(
        {
            "status": run.status,
            "progress": run.progress,
            "step": run.step,
            "error": run.error if run.status == Status.FAILED else "",
        }
    )


# The HTML report is one self-contained document with its own <style> (no script).
@csp_update({"style-src": ["'unsafe-inline'"]})  # type: ignore[arg-type]  # typed for 1-arg views
def assessment_report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Download a finished run's report as HTML, PDF or JSON."""
    run = _run(pk)
    if run.status != Status.FINISHED:
        raise Http404("the assessment has not finished")
    lang = engine_lang()
    if fmt == "html":
        html = reporting.report_html(run, lang=lang)
        response = HttpResponse(html, content_type="text/html; charset=utf-8")
        name = f"ecocite-{run.city.slug}-{run.year}-{lang}.html"
    elif fmt == "pdf":
        pdf = reporting.report_pdf(run, lang=lang)
        if pdf is None:
            raise Http404("PDF rendering needs the 'pdf' extra (WeasyPrint)")
        response = HttpResponse(pdf, content_type="application/pdf")
        name = f"ecocite-{run.city.slug}-{run.year}-{lang}.pdf"
    elif fmt == "json":
        response = JsonResponse(run.result, json_dumps_params={"ensure_ascii": False, "indent": 1})
        name = f"ecocite-{run.city.slug}-{run.year}.json"
    else:
        raise Http404
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _run_of_request(request: HttpRequest, pk: int) -> AssessmentRun:
    """Return the run named by the URL, kept on the request for the permission check and view."""
    found: dict[int, AssessmentRun] = request.__dict__.setdefault("_ecocite_runs", {})
    if pk not in found:
        found[pk] = _run(pk)
    return found[pk]


def rerun(request: HttpRequest, pk: int) -> HttpResponse:
    """Run the same request again as a new assessment: a frozen one is never recomputed."""
    if request.method != "POST":
        return redirect("assessments:detail", pk=pk)
    return _rerun(request, pk)


@permission_required("assessments.add_assessment", fn=_run_of_request)
def _rerun(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_of_request(request, pk)
    new = request_assessment(
        run.city, framework_key=run.framework_key, stage=run.stage, year=run.year, user=request.user
    )
    return redirect("assessments:detail", pk=new.pk)
