"""Survey pages: build (organisers), answer (participants), results and exports.

Views bind forms and pick templates; what a person may do is asked of the rules and every write
goes through :mod:`ecocite.web.surveys.services`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecocite.reports.svg import bar_chart
from ecocite.units import format_unit
from ecocite.web.consultations.models import College, Process
from ecocite.web.core.languages import engine_lang
from ecocite.web.core.permissions import deny, permission_required
from ecocite.web.core.phases import phases_of
from ecocite.web.surveys import exports, services
from ecocite.web.surveys.forms import QuestionForm, SurveyForm
from ecocite.web.surveys.models import Kind, Question, Survey


def _process(request: HttpRequest, slug: str, **_kw: Any) -> Process:
    return get_object_or_404(Process.objects.select_related("city"), slug=slug)


def _survey(request: HttpRequest, pk: int, **_kw: Any) -> Survey:
    return get_object_or_404(Survey.objects.select_related("process__city", "phase"), pk=pk)


def _errors(form: Any, err: ValidationError) -> None:
    for key, problems in err.message_dict.items():
        for problem in problems:
            form.add_error(key if key in form.fields else None, problem)


def index(request: HttpRequest) -> HttpResponse:
    """List the surveys, by process, and where the person may create one."""
    surveys = Survey.objects.select_related("process").order_by("process__slug", "id")
    processes = Process.objects.select_related("city").order_by("slug")
    organised = [p for p in processes if request.user.has_perm("surveys.add_survey", p)]
    return render(request, "surveys/index.html", {"surveys": surveys, "organised": organised})


@permission_required("surveys.add_survey", fn=_process)
def survey_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Create a survey of a process (organisers)."""
    process = _process(request, slug)
    form = SurveyForm(request.POST or None, phases=phases_of(process))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                survey = services.create_survey(request.user, process, **form.cleaned_data)
            except ValidationError as err:
                _errors(form, err)
            else:
                messages.success(request, _("The survey is created; add its questions."))
                return redirect("surveys:build", pk=survey.pk)
    return render(
        request, "surveys/survey_form.html", {"process": process, "form": form}, status=status
    )


@permission_required("surveys.change_survey", fn=_survey)
def survey_build(request: HttpRequest, pk: int) -> HttpResponse:
    """List a survey's questions and add one (organisers)."""
    survey = _survey(request, pk)
    form = QuestionForm(request.POST or None, survey=survey)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.add_question(request.user, survey, **form.question_fields())
            except ValidationError as err:
                _errors(form, err)
            else:
                messages.success(request, _("The question is added."))
                return redirect("surveys:build", pk=survey.pk)
    return render(
        request,
        "surveys/build.html",
        {"survey": survey, "questions": services.ordered_questions(survey), "form": form},
        status=status,
    )


@require_POST
def question_delete(request: HttpRequest, pk: int, question: int) -> HttpResponse:
    """Remove a question and its answers (organisers)."""
    row = get_object_or_404(Question.objects.select_related("survey"), pk=question, survey_id=pk)
    try:
        services.delete_question(request.user, row)
    except PermissionDenied:
        return deny(request)
    messages.success(request, _("The question is removed."))
    return redirect("surveys:build", pk=pk)


def _raw_from_post(request: HttpRequest, questions: list[Question]) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for q in questions:
        if q.kind == Kind.MULTIPLE:
            raw[q.field] = request.POST.getlist(q.field)
        elif q.kind == Kind.RANKING:
            raw[q.field] = [request.POST.get(f"{q.field}_{i}", "") for i in range(len(q.options))]
        else:
            raw[q.field] = request.POST.get(q.field, "")
    return raw


def _session_key(request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return ""
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key or ""


def _items(
    questions: list[Question], raw: dict[str, Any], errors: dict[str, list[str]]
) -> list[dict[str, Any]]:
    """Prepare each question for the template: its current value and errors."""
    lang = engine_lang(None)
    numbers = {q.pk: i for i, q in enumerate(questions, start=1)}
    items = []
    for q in questions:
        value = raw.get(q.field, [] if q.kind in (Kind.MULTIPLE, Kind.RANKING) else "")
        item: dict[str, Any] = {
            "q": q,
            "number": numbers[q.pk],
            "value": value,
            "errors": errors.get(q.field, []),
            "unit": format_unit(q.unit, lang) if q.kind == Kind.NUMBER else "",
            "condition_number": numbers.get(q.condition_question_id or 0),
        }
        if q.kind in (Kind.SINGLE, Kind.MULTIPLE):
            chosen = {str(v) for v in value} if isinstance(value, list) else {str(value)}
            item["options"] = [(str(i), o, str(i) in chosen) for i, o in enumerate(q.options)]
        elif q.kind == Kind.SCALE:
            item["options"] = [
                (str(p), str(p), str(p) == str(value)) for p in range(q.scale_min, q.scale_max + 1)
            ]
        elif q.kind == Kind.RANKING:
            ranks = list(value) + [""] * (len(q.options) - len(value))
            item["options"] = [(i, o, str(ranks[i])) for i, o in enumerate(q.options)]
            item["ranks"] = [str(r) for r in range(1, len(q.options) + 1)]
        items.append(item)
    return items


def _area(survey: Survey) -> Any:
    return survey.process.site or survey.process.city.map_outline or survey.process.city.boundary


def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a survey and, while it is open to the person, its form (answers editable)."""
    survey = _survey(request, pk)
    questions = services.ordered_questions(survey)
    can_answer = request.user.has_perm("surveys.answer_survey", survey)
    session_key = "" if request.user.is_authenticated else request.session.session_key or ""
    existing = services.response_of(survey, request.user, session_key)
    raw = services.answers_as_raw(existing, questions)
    college = existing.college if existing else ""
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        if not can_answer:
            return deny(request)
        raw = _raw_from_post(request, questions)
        college = request.POST.get("college", "")
        try:
            services.submit_answers(
                request.user, survey, raw, college=college, session_key=_session_key(request)
            )
        except PermissionDenied:
            return deny(request)
        except ValidationError as err:
            errors = err.message_dict
            status = 422
        else:
            messages.success(
                request,
                _("Your answers are recorded. You may change them while the survey is open."),
            )
            return redirect("surveys:survey", pk=survey.pk)
    return render(
        request,
        "surveys/survey.html",
        {
            "survey": survey,
            "items": _items(questions, raw, errors),
            "errors": errors,
            "form_errors": errors.get("__all__", []) + errors.get("college", []),
            "colleges": College.choices,
            "college": college,
            "can_answer": can_answer,
            "answered": existing is not None,
            "can_build": request.user.has_perm("surveys.change_survey", survey),
            "can_see_results": request.user.has_perm("surveys.view_results", survey),
            "area": _area(survey),
            "has_map": any(q.kind == Kind.MAP for q in questions),
        },
        status=status,
    )


def _college(request: HttpRequest) -> str:
    college = request.GET.get("college", "")
    return college if college in College.values else ""


@permission_required("surveys.view_results", fn=_survey)
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the results per question: chart, data table, texts, places; filter by college.

    The rendered figures are kept in the per-process fragment cache under the fingerprint of
    the survey's answers and questions (and the page's language), so a new answer shows at once.
    """
    survey = _survey(request, pk)
    college = _college(request)
    questions = services.ordered_questions(survey)
    query = f"?college={college}" if college else ""
    key = f"{services.results_key(survey, questions, college)}:{translation.get_language()}"
    body = caches["fragments"].get(key)
    if body is None:
        body = mark_safe(
            render_to_string(
                "surveys/results_body.html",
                _results_context(survey, college, query),
                request=request,
            )
        )
        caches["fragments"].set(key, body, services.RESULTS_SECONDS)
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "body": mark_safe(body),
            "colleges": College.choices,
            "college": college,
            "query": query,
            "area": _area(survey),
            "has_map": any(q.kind == Kind.MAP for q in questions),
        },
    )


def _results_context(survey: Survey, college: str, query: str) -> dict[str, Any]:
    total, rows = services.results(survey, college)
    lang = engine_lang(None)
    blocks: list[dict[str, Any]] = []
    for i, result in enumerate(rows, start=1):
        q = result.question
        chart = ""
        if result.labels:
            if q.kind == Kind.RANKING:
                top = float(len(q.options))
                description = _("Mean rank of each option (1 = first choice).")
                shown = [f"{v:.2f}" if v else "—" for v in result.values]
            else:
                top = max([*result.values, 1.0])
                description = _("Number of answers per option.")
                shown = [f"{int(v)}" for v in result.values]
            chart = bar_chart(
                result.labels,
                result.values,
                max_value=top,
                value_labels=shown,
                title=f"Q{i}. {q.text}",
                description=description,
                label_width=130.0,
                bar_width=170.0,
            )
        blocks.append(
            {
                "n": i,
                "r": result,
                "chart": chart,
                "rows": list(zip(result.labels, result.values, strict=True)),
                "unit": format_unit(q.unit, lang),
            }
        )
    return {
        "survey": survey,
        "total": total,
        "blocks": blocks,
        "query": query,
        "has_map": any(r.question.kind == Kind.MAP for r in rows),
    }


@permission_required("surveys.view_results", fn=_survey)
def export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the answers as CSV (respondents as opaque numbers)."""
    survey = _survey(request, pk)
    response = HttpResponse(exports.answers_csv(survey, _college(request)), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-answers.csv"'
    return response


@permission_required("surveys.view_results", fn=_survey)
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the answers as XLSX (respondents as opaque numbers)."""
    survey = _survey(request, pk)
    response = HttpResponse(
        exports.answers_xlsx(survey, _college(request)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-answers.xlsx"'
    return response


@permission_required("surveys.view_results", fn=_survey)
def export_geojson(request: HttpRequest, pk: int) -> JsonResponse:
    """Download the places given to the map questions as GeoJSON."""
    survey = _survey(request, pk)
    response = JsonResponse(services.map_features(survey, _college(request)))
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-places.geojson"'
    return response
