"""Community pages: profiles, organisations, calls and answers, the library of cases.

The views bind forms and pick templates; the rules decide and the services write.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecocite.web.community import exports, services
from ecocite.web.community.forms import (
    AnswerForm,
    CallForm,
    CaseFilterForm,
    CaseForm,
    CaseTextForm,
    ProfileForm,
)
from ecocite.web.community.models import (
    AnswerStatus,
    Call,
    CallAnswer,
    Case,
    Discipline,
    Language,
    Organisation,
    Profile,
    Theme,
    ThemeFollow,
)
from ecocite.web.consultations.models import Process
from ecocite.web.core.freshness import fragments
from ecocite.web.core.permissions import deny, permission_required
from ecocite.web.interactions import services as interactions

CASES_PER_PAGE = 50


def _errors(form: Any, err: ValidationError) -> None:
    if hasattr(err, "error_dict"):
        for field, problems in err.message_dict.items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
    else:
        for problem in err.messages:
            form.add_error(None, problem)


def index(request: HttpRequest) -> HttpResponse:
    """Open calls, the newest cases, and the themes one can follow."""
    calls = Call.objects.filter(closed_at=None).select_related("process__city")[:10]
    cases = Case.objects.select_related("city")[:6]
    followed = set()
    if request.user.is_authenticated:
        followed = set(
            ThemeFollow.objects.filter(user=request.user).values_list("theme", flat=True)
        )
    themes = [(value, label, value in followed) for value, label in Theme.choices]
    return render(
        request,
        "community/index.html",
        {"calls": calls, "cases": cases, "themes": themes},
    )


# ---------------------------------------------------------------- profiles


def profiles(request: HttpRequest) -> HttpResponse:
    """List the profiles, showing only what each person made public."""
    discipline = request.GET.get("discipline", "")
    language = request.GET.get("language", "")
    if discipline not in Discipline.values:
        discipline = ""
    if language not in Language.values:
        language = ""
    views = services.visible_profiles(request.user, discipline=discipline, language=language)
    return render(
        request,
        "community/profiles.html",
        {
            "profiles": views,
            "disciplines": Discipline.choices,
            "languages": Language.choices,
            "discipline": discipline,
            "language": language,
        },
    )


def profile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one profile as its owner chose to show it."""
    profile = get_object_or_404(Profile.objects.select_related("institution", "city"), pk=pk)
    view = services.public_profile(profile, request.user)
    can_verify = (
        request.user.has_perm("community.verify_profile", profile) and "institution" in view
    )
    return render(
        request,
        "community/profile.html",
        {"view": view, "profile": profile, "can_verify": can_verify},
    )


def my_profile(request: HttpRequest) -> HttpResponse:
    """Describe oneself and choose what is public."""
    if not request.user.is_authenticated:
        return deny(request)
    profile = Profile.objects.filter(user=request.user).first()
    initial = {"display_name": request.user.get_full_name() or request.user.get_username()}
    form = ProfileForm(request.POST or None, instance=profile, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items()}
        try:
            saved = services.save_profile(request.user, data, profile)
        except ValidationError as err:
            _errors(form, err)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("community:profile", saved.pk)
    return render(request, "community/profile_form.html", {"form": form, "profile": profile})


@require_POST
@permission_required(
    "community.verify_profile", lambda request, pk: get_object_or_404(Profile, pk=pk)
)
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the person belongs to the institution they name (administrators)."""
    profile = get_object_or_404(Profile, pk=pk)
    try:
        services.verify_profile(request.user, profile)
        messages.success(request, _("Membership of the institution verified."))
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    return redirect("community:profile", pk)


def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    """Show an organisation's page and its members (public views)."""
    org = get_object_or_404(Organisation, slug=slug)
    members = [
        services.public_profile(p, request.user)
        for p in org.members.select_related("institution", "city").order_by("display_name")
    ]
    # Only people who made their institution public are listed as its members.
    members = [m for m in members if "institution" in m]
    return render(request, "community/organisation.html", {"org": org, "members": members})


# ---------------------------------------------------------------- calls


def calls(request: HttpRequest) -> HttpResponse:
    """List the calls for contributors, open first."""
    rows = Call.objects.select_related("process__city").order_by("closed_at", "-created_at")
    return render(request, "community/calls.html", {"calls": rows})


@permission_required(
    "community.add_call", lambda request, slug: get_object_or_404(Process, slug=slug)
)
def call_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Publish a call for contributors on a process."""
    process = get_object_or_404(Process.objects.select_related("city"), slug=slug)
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.publish_call(request.user, process, form.cleaned_data)
        except ValidationError as err:
            _errors(form, err)
        else:
            messages.success(request, _("The call is published."))
            return redirect("community:call", call.pk)
    return render(request, "community/call_form.html", {"form": form, "process": process})


def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a call: what is asked, answering, the organiser's decisions and suggestions, discussion."""
    call = get_object_or_404(Call.objects.select_related("process__city"), pk=pk)
    user = request.user
    organiser = user.has_perm("community.decide_answer", CallAnswer(call=call))
    mine = (
        CallAnswer.objects.filter(call=call, person=user).first() if user.is_authenticated else None
    )
    form = AnswerForm(
        request.POST or None, user=user, initial={"message": mine.message if mine else ""}
    )
    if request.method == "POST":
        if not user.has_perm("community.answer_call", call):
            return deny(request)
        if form.is_valid():
            try:
                services.answer_call(
                    user, call, form.cleaned_data["message"], form.cleaned_data.get("organisation")
                )
            except ValidationError as err:
                _errors(form, err)
            else:
                messages.success(request, _("Thank you: the organiser will answer you."))
                return redirect("community:call", call.pk)
    answers = []
    if organiser:
        answers = [
            {"answer": a, "profile": _profile_view(a.person, user)}
            for a in call.answers.select_related("person", "organisation")
        ]
    return render(
        request,
        "community/call.html",
        {
            "call": call,
            "form": form,
            "mine": mine,
            "can_answer": user.has_perm("community.answer_call", call),
            "organiser": organiser,
            "can_close": user.has_perm("community.change_call", call),
            "answers": answers,
            "answer_count": call.answers.exclude(status=AnswerStatus.WITHDRAWN).count(),
            "matches": services.suggested_matches(call, user) if organiser else [],
            "thread": interactions.thread(call),
            "can_comment": user.has_perm("interactions.add_comment", call),
        },
    )


def _profile_view(person: Any, viewer: Any) -> dict[str, Any] | None:
    profile = Profile.objects.filter(user=person).select_related("institution", "city").first()
    return services.public_profile(profile, viewer) if profile else None


@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept or decline an answer (the organiser)."""
    answer = get_object_or_404(CallAnswer.objects.select_related("call__process__city"), pk=pk)
    if not request.user.has_perm("community.decide_answer", answer):
        return deny(request)
    accept = request.POST.get("decision") == "accept"
    try:
        services.decide_answer(request.user, answer, accept=accept)
        messages.success(request, _("Answer accepted.") if accept else _("Answer declined."))
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    return redirect("community:call", answer.call_id)


@require_POST
@permission_required("community.change_call", lambda request, pk: get_object_or_404(Call, pk=pk))
def call_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop taking answers."""
    call = get_object_or_404(Call, pk=pk)
    services.close_call(request.user, call)
    messages.success(request, _("The call is closed."))
    return redirect("community:call", pk)


@require_POST
def discuss(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Add a comment to the discussion of a call or a case."""
    model: Any = {"call": Call, "case": Case}.get(kind)
    if model is None:
        raise Http404
    item = get_object_or_404(model, pk=pk)
    try:
        interactions.add_comment(request.user, item, request.POST.get("text", ""))
        messages.success(request, _("Your comment is published."))
    except PermissionDenied:
        return deny(request)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    if kind == "call":
        return redirect("community:call", pk)
    return redirect("community:case", item.slug)


# ---------------------------------------------------------------- cases


def cases(request: HttpRequest) -> HttpResponse:
    """Show the library of cases, searchable and filterable across cities and languages.

    The list is the same for everyone: it is kept per language and query until a case is
    published, changed or removed (the table's fingerprint: count, newest id, latest change).
    """
    form = CaseFilterForm(request.GET or None)
    mark = Case.objects.aggregate(n=Count("id"), top=Max("id"), last=Max("updated_at"))
    key = "community:cases:{}:{}:{}:{}:{}".format(
        mark["n"], mark["top"], mark["last"], get_language(),
        hashlib.sha1(request.GET.urlencode().encode(), usedforsecurity=False).hexdigest()[:20],
    )  # fmt: skip
    body = fragments().get(key)
    if body is None:
        rows = services.search_cases(**form.filters())
        page = Paginator(rows, CASES_PER_PAGE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        body = render_to_string(
            "community/_cases_body.html",
            {"form": form, "page": page, "cases": page.object_list,
             "count": page.paginator.count, "query": query.urlencode()},
            request=request,
        )  # fmt: skip
        fragments().set(key, body, timeout=300)
    return render(request, "community/cases.html", {"body": mark_safe(body)})  # escaped above


def case_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One case: the question, methods, figures, what was decided, lessons, discussion."""
    case = get_object_or_404(Case.objects.select_related("city", "process"), slug=slug)
    return render(
        request,
        "community/case.html",
        {
            "case": case,
            "figures": exports.figure_rows(case),
            "methods": exports.method_labels(case),
            "themes": exports.theme_labels(case),
            "decided": exports.decided_rows(case),
            "thread": interactions.thread(case),
            "can_comment": request.user.has_perm("interactions.add_comment", case),
            "can_edit": request.user.has_perm("community.change_case", case),
        },
    )


def compare(request: HttpRequest) -> HttpResponse:
    """Cases side by side (``?case=a&case=b``)."""
    slugs = request.GET.getlist("case")[:4]
    chosen = list(Case.objects.filter(slug__in=slugs).select_related("city"))
    chosen.sort(key=lambda c: slugs.index(c.slug))
    rows = exports.comparison_rows(chosen)
    return render(request, "community/compare.html", {"cases": chosen, "rows": rows})


@permission_required(
    "community.publish_case", lambda request, slug: get_object_or_404(Process, slug=slug)
)
def case_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Publish a closed process as a case; the figures are read from the process."""
    process = get_object_or_404(Process.objects.select_related("city"), slug=slug)
    if hasattr(process, "case"):
        messages.info(request, _("This process is already published as a case."))
        return redirect("community:case", process.case.slug)
    initial = {f"title_{lang}": getattr(process, f"title_{lang}") for lang in ("fr", "zh", "en")}
    form = CaseForm(request.POST or None, initial=initial)
    figures = services.process_figures(process)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        extra = data.pop("extra_methods", [])
        try:
            case = services.publish_case(request.user, process, data, extra_methods=extra)
        except ValidationError as err:
            _errors(form, err)
        else:
            messages.success(request, _("The case is published in the library."))
            return redirect("community:case", case.slug)
    return render(
        request,
        "community/case_form.html",
        {
            "form": form,
            "process": process,
            "figures": exports.figure_rows_from(figures),
            "methods": services.process_methods(process),
        },
    )


@permission_required(
    "community.change_case", lambda request, slug: get_object_or_404(Case, slug=slug)
)
def case_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Change the texts and themes of a published case (its figures stay as computed)."""
    case = get_object_or_404(Case.objects.select_related("city"), slug=slug)
    form = CaseTextForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_case(request.user, case, form.cleaned_data)
        except ValidationError as err:
            _errors(form, err)
        else:
            messages.success(request, _("The case is updated."))
            return redirect("community:case", case.slug)
    return render(request, "community/case_edit.html", {"form": form, "case": case})


def cases_csv(request: HttpRequest) -> HttpResponse:
    """Export the (filtered) library as CSV, CC BY 4.0."""
    form = CaseFilterForm(request.GET or None)
    return exports.cases_csv_response(services.search_cases(**form.filters()))


def cases_json(request: HttpRequest) -> HttpResponse:
    """Export the (filtered) library as JSON, CC BY 4.0."""
    form = CaseFilterForm(request.GET or None)
    return exports.cases_json_response(services.search_cases(**form.filters()))


@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    """Follow or stop following a theme."""
    if not request.user.is_authenticated:
        return deny(request)
    theme = request.POST.get("theme", "")
    if theme not in Theme.values:
        raise Http404
    on = request.POST.get("follow") == "1"
    services.follow_theme(request.user, theme, follow=on)
    label = Theme(theme).label
    if on:
        messages.success(request, _("You follow “%(theme)s”.") % {"theme": label})
    else:
        messages.success(request, _("You no longer follow “%(theme)s”.") % {"theme": label})
    return redirect("community:index")
