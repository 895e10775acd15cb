"""Run an assessment in the background, follow its progress, read the frozen result."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from ecocite.reports import reason_sentence
from ecocite.web.assessments import charts, reporting
from ecocite.web.assessments.execution import level_name
from ecocite.web.assessments.forms import STAGE_LABELS, AssessmentForm
from ecocite.web.assessments.models import AssessmentRun, Status
from ecocite.web.assessments.services import request_assessment, result_of
from ecocite.web.cities.lookups import city_from_slug
from ecocite.web.core.languages import engine_lang, pick
from ecocite.web.core.permissions import permission_required
from ecocite.web.frameworks.registry import framework_by_key


@permission_required("assessments.add_assessment", fn=city_from_slug)
def new_assessment(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the assessment form of a city and queue the assessment asked for."""
    city = city_from_slug(request, slug)
    years = list(city.values.order_by().values_list("year", flat=True).distinct())
    form = AssessmentForm(request.POST or None, years=years)
    if request.method == "POST" and form.is_valid():
        run = request_assessment(
            city,
            framework_key=form.cleaned_data["framework"],
            stage=form.cleaned_data["stage"],
            year=form.cleaned_data["year"],
            user=request.user,
        )
        return redirect("assessments:detail", pk=run.pk)
    return render(request, "assessments/new.html", {"city": city, "form": form, "years": years})


def _run(pk: int) -> AssessmentRun:
    return get_object_or_404(AssessmentRun.objects.select_related("city", "requested_by"), pk=pk)


def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a run: its progress, or its frozen result with the category radar."""
    run = _run(pk)
    context: dict[str, object] = {"run": run, "stage_label": STAGE_LABELS.get(run.stage, run.stage)}
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
            gap_rows=[(names.get(a.indicator, a.indicator), a) for a in result.gap.actions]
            if result.gap
            else [],
            gap_level=pick(level_name(framework, result.gap.target_level)) if result.gap else "",
            radar=charts.category_radar(result, framework),
            reasons=[
                reason_sentence(r, framework=framework, lang=engine_lang()) for r in result.reasons
            ],
        )
    return render(request, "assessments/detail.html", context)


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
