"""Label pages: programmes, the secretariat's dashboard, applications, reviews, jury, registry.

The views bind forms and pick templates; who may do what is asked of the rules, which step may
follow is the engine's table, and every write goes through :mod:`ecocite.web.label.services`.
"""

from __future__ import annotations

import csv
from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecocite.label import LabelStage
from ecocite.web.accounts.models import Role, RoleKind
from ecocite.web.assessments.models import AssessmentRun
from ecocite.web.assessments.models import Status as RunStatus
from ecocite.web.cities.models import City
from ecocite.web.consultations.models import Process
from ecocite.web.core.freshness import data_version, fragments
from ecocite.web.core.languages import pick
from ecocite.web.core.permissions import deny, permission_required
from ecocite.web.frameworks.registry import framework_by_key
from ecocite.web.label import certificates, services
from ecocite.web.label.forms import (
    ActionForm,
    ApplyForm,
    AssessmentForm,
    AssignForm,
    CheckForm,
    DeclareForm,
    FileForm,
    LinkForm,
    MoveForm,
    ReviewForm,
    VoteForm,
)
from ecocite.web.label.models import (
    HOLDS_LABEL,
    Application,
    Call,
    Deadline,
    Member,
    Notice,
    Programme,
    Review,
    Stage,
)
from ecocite.web.label.services import DECISIONS


def _programme(request: HttpRequest, slug: str, **_kw: Any) -> Programme:
    return get_object_or_404(Programme, slug=slug)


def _application(request: HttpRequest, pk: int, **_kw: Any) -> Application:
    return get_object_or_404(
        Application.objects.select_related("call__programme", "city", "frozen_assessment"), pk=pk
    )


def _review(request: HttpRequest, pk: int, **_kw: Any) -> Review:
    return get_object_or_404(Review.objects.select_related("application__call__programme"), pk=pk)


def _errors(request: HttpRequest, err: ValidationError) -> None:
    for message in err.messages:
        messages.error(request, message)


def _levels(programme: Programme) -> list[tuple[str, str]]:
    framework = framework_by_key(programme.framework_key)
    return [(lv.id, pick(lv.name)) for lv in framework.grading.levels]


def _level_name(programme: Programme, level: str) -> str:
    return dict(_levels(programme)).get(level, "") if level else ""


def index(request: HttpRequest) -> HttpResponse:
    """List the programmes and their open calls; link to the registry."""
    today = timezone.localdate()
    programmes = Programme.objects.prefetch_related("calls").order_by("slug")
    notices = []
    if request.user.is_authenticated:
        notices = [
            (n, services.notice_text(n))
            for n in Notice.objects.filter(user_id=request.user.pk).select_related(
                "application__city"
            )[:20]
        ]
    return render(
        request,
        "label/index.html",
        {
            "programmes": [
                (p, pick(framework_by_key(p.framework_key).name), p.framework_version)
                for p in programmes
            ],
            "today": today,
            "notices": notices,
            "stewarded": {
                p.pk for p in programmes if request.user.has_perm("label.view_dashboard", p)
            },
        },
    )


def _blocks(application: Application, conflicts: Any = None) -> list[dict[str, Any]]:
    return [
        {
            "target": Stage(step.target).label,
            "missing": [services.explain(m) for m in step.missing],
        }
        for step in services.steps_of(application, conflicts)
    ]


def _dashboard_rows(programme: Programme) -> list[dict[str, Any]]:
    deadlines = {d.stage: d.due_on for d in programme.deadlines.all()}
    today = timezone.localdate()
    rows = []
    applications = list(
        Application.objects.filter(call__programme=programme)
        .select_related("city", "call__programme")
        .defer("motivation", "contacts", "city__boundary", "city__map_outline")
        .prefetch_related("processes", "reviews", "ballots", "actions")
        .order_by("city__slug")
    )
    conflicts = set(
        Role.objects.filter(
            city_id__in={a.city_id for a in applications},
            kind__in=[RoleKind.CITY_OFFICIAL, RoleKind.JURY],
        ).values_list("user_id", "city_id")
    )
    base = reverse("label:application", args=[0])[: -len("0/")]
    for application in applications:
        due = deadlines.get(application.stage)
        rows.append(
            {
                "application": application,
                "url": f"{base}{application.pk}/",
                "city": application.city.name,
                "stage": application.get_stage_display(),
                "blocks": _blocks(application, conflicts),
                "due": due,
                "late": due is not None and due < today,
            }
        )
    return rows


@permission_required("label.view_dashboard", fn=_programme)
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the secretariat's board: applications by stage, what blocks, deadlines, load.

    The body is rendered once per data version (``core.freshness``), language and day (the
    day decides what is late), and served from the fragment cache until something changes.
    """
    programme = _programme(request, slug)
    today = timezone.localdate()
    key = f"label-dashboard:{programme.pk}:{get_language()}:{data_version()}:{today}"
    body = fragments().get(key)
    if body is None:
        body = render_to_string(
            "label/_dashboard_body.html", _dashboard_context(programme), request=request
        )
        fragments().set(key, body, timeout=3600)
    return render(request, "label/dashboard.html", {"programme": programme, "body": body})


def _dashboard_context(programme: Programme) -> dict[str, Any]:
    rows = _dashboard_rows(programme)
    board = [
        (label, [r for r in rows if r["application"].stage == value])
        for value, label in Stage.choices
    ]
    load = (
        Member.objects.filter(programme=programme, kind=Member.Kind.ASSESSOR)
        .select_related("user")
        .annotate(
            assigned=Count(
                "user__label_reviews",
                filter=Q(user__label_reviews__application__call__programme=programme),
            ),
            pending=Count(
                "user__label_reviews",
                filter=Q(
                    user__label_reviews__application__call__programme=programme,
                    user__label_reviews__submitted_at__isnull=True,
                ),
            ),
        )
    )
    flagged = services.flagged(
        r["application"] for r in rows if r["application"].stage == LabelStage.MONITORING
    )
    return {
        "programme": programme,
        "rows": rows,
        "board": [(label, items) for label, items in board if items],
        "load": load,
        "deadlines": programme.deadlines.all(),
        "flagged": flagged,
    }


@permission_required("label.view_dashboard", fn=_programme)
def dashboard_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Export the dashboard's table as CSV (UTF-8 with BOM, one application per row)."""
    programme = _programme(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{programme.slug}-applications.csv"'
    response.write("\ufeff")
    out = csv.writer(response)
    out.writerow(
        [_("City"), _("Stage"), _("Next step"), _("What is missing"), _("Deadline"), _("Late")]
    )
    for row in _dashboard_rows(programme):
        blocks = row["blocks"] or [{"target": "", "missing": []}]
        for block in blocks:
            out.writerow(
                [
                    row["application"].city.name,
                    row["stage"],
                    block["target"],
                    " | ".join(block["missing"]),
                    row["due"].isoformat() if row["due"] else "",
                    _("yes") if row["late"] else "",
                ]
            )
    return response


def _official_cities(request: HttpRequest) -> Any:
    cities = City.objects.order_by("slug")
    return [c for c in cities if request.user.has_perm("label.add_application", c)]


def apply(request: HttpRequest, slug: str) -> HttpResponse:
    """Apply to a call for a city the person represents."""
    call = get_object_or_404(Call.objects.select_related("programme"), slug=slug)
    if not request.user.is_authenticated:
        return deny(request)
    cities = _official_cities(request)
    if not cities:
        return deny(request)
    queryset = City.objects.filter(pk__in=[c.pk for c in cities])
    form = ApplyForm(request.POST or None, request.FILES or None, cities=queryset)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        charter = data["charter"].read(services.CHARTER_MAX_BYTES + 1) if data["charter"] else None
        try:
            application = services.apply(
                call,
                data["city"],
                user=request.user,
                motivation=data["motivation"],
                contacts=data["contacts"],
                pilot_site_name=data["pilot_site_name"],
                pilot_site=data["pilot_site"],
                charter=charter,
            )
        except ValidationError as err:
            for field, problems in err.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("Your application is registered."))
            return redirect("label:application", application.pk)
    return render(request, "label/apply.html", {"call": call, "form": form})


@permission_required("label.view_application", fn=_application)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an application: stage, what is missing, the file, and each role's actions."""
    application = _application(request, pk)
    programme = application.programme
    user = request.user
    can = {
        rule: user.has_perm(f"label.{rule}", application)
        for rule in (
            "change_application",
            "move_application",
            "assign_assessor",
            "vote_application",
            "decide_application",
        )
    }
    roles = services.label_roles(user, application)
    sees_file = services.may_see_file(application, user)
    steps = []
    levels = _levels(programme)
    for step in services.steps_of(application):
        decision = LabelStage(step.target) in DECISIONS
        allowed = (can["decide_application"] if decision else can["move_application"]) and bool(
            roles & set(step.roles)
        )
        steps.append(
            {
                "target": step.target,
                "label": Stage(step.target).label,
                "missing": [services.explain(m) for m in step.missing],
                "ready": step.ready,
                "decision": decision,
                "allowed": allowed,
                "form": MoveForm(initial={"target": step.target}, levels=levels),
            }
        )
    ballot = application.ballots.filter(round=application.round, member_id=user.pk).first()
    framework = framework_by_key(programme.framework_key)
    indicator_names = {i.id: pick(i.name) for _c, i in framework.indicators()}
    reviews = [
        (review, user.has_perm("label.view_review", review))
        for review in application.reviews.select_related("assessor")
    ]
    stage = application.stage
    context = {
        "application": application,
        "programme": programme,
        "steps": steps,
        "can": can,
        "sees_file": sees_file,
        "reviews": reviews,
        "actions": [
            (a, indicator_names.get(a.indicator, a.indicator))
            for a in application.actions.select_related("plan_action")
        ],
        "links": application.processes.select_related("process"),
        "ballot": ballot,
        "ballots": application.ballots.filter(round=application.round).exclude(vote=""),
        "decisions": application.decisions.order_by("decided_at"),
        "awarded_level": _level_name(programme, application.awarded_level),
        "monitoring": services.monitoring_report(application),
        "log": _log_rows(application),
        "is_juror": "jury_member" in roles,
        "is_reviewer": "assessor" in roles,
    }
    if can["change_application"]:
        if stage == LabelStage.COMMITMENT:
            context["file_form"] = FileForm()
        if stage in (LabelStage.COMMITMENT, LabelStage.DIAGNOSTIC, LabelStage.MONITORING):
            runs = AssessmentRun.objects.filter(
                city=application.city,
                status=RunStatus.FINISHED,
                framework_key=programme.framework_key,
                stage=programme.assessment_stage,
            )
            context["assessment_form"] = AssessmentForm(runs=runs)
        if stage == LabelStage.CO_CONSTRUCTION:
            context["link_form"] = LinkForm(processes=Process.objects.filter(city=application.city))
            context["action_form"] = ActionForm(
                indicators=sorted(indicator_names.items(), key=lambda kv: kv[1])
            )
    if can["assign_assessor"] and stage in (
        LabelStage.CO_CONSTRUCTION,
        LabelStage.EXPERT_REVIEW,
    ):
        pool = Member.objects.filter(programme=programme, kind=Member.Kind.ASSESSOR)
        context["assign_form"] = AssignForm(
            assessors=get_user_model().objects.filter(pk__in=pool.values("user_id"))
        )
    if "jury_member" in roles and stage in (LabelStage.JURY, LabelStage.MONITORING):
        if ballot is None:
            context["declare_form"] = DeclareForm()
        elif ballot.no_conflict and not ballot.vote and can["vote_application"]:
            context["vote_form"] = VoteForm(levels=levels)
    if sees_file and stage in (LabelStage.JURY, LabelStage.MONITORING):
        context["bundle"] = services.evidence_bundle(application)
    return render(request, "label/application.html", context)


def _log_rows(application: Application) -> list[dict[str, Any]]:
    kinds = {
        "transition": _("step"),
        "review_submission": _("review submitted"),
        "vote": _("vote"),
        "decision": _("decision"),
        "evidence": _("evidence file"),
    }
    roles = {
        "secretariat": _("secretariat"),
        "administrator": _("administrator"),
        "jury_chair": _("jury chair"),
        "jury_member": _("jury member"),
        "assessor": _("assessor"),
        "city": _("city"),
    }
    stages = dict(Stage.choices)
    return [
        {
            "seq": row.seq,
            "time": row.time[:16].replace("T", " "),
            "kind": kinds.get(row.kind, row.kind),
            "to": stages.get(row.payload.get("to", ""), ""),
            "role": roles.get(row.role, row.role),
            "hash": row.hash,
        }
        for row in application.log.order_by("pk")
    ]


def _back(application: Application) -> HttpResponse:
    return redirect("label:application", application.pk)


@require_POST
@permission_required("label.change_application", fn=_application)
def application_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the commitment file: pilot site, contacts, motivation, charter."""
    application = _application(request, pk)
    form = FileForm(request.POST, request.FILES)
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, problem)
        return _back(application)
    data = form.cleaned_data
    try:
        services.update_application(
            application,
            user=request.user,
            motivation=data["motivation"] or None,
            contacts=data["contacts"] or None,
            pilot_site_name=data["pilot_site_name"] or None,
            pilot_site=data["pilot_site"],
            charter=data["charter"].read(services.CHARTER_MAX_BYTES + 1)
            if data["charter"]
            else None,
        )
        messages.success(request, _("The application file is updated."))
    except ValidationError as err:
        _errors(request, err)
    return _back(application)


@require_POST
@permission_required("label.change_application", fn=_application)
def application_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a frozen assessment (diagnostic, or this year's in monitoring)."""
    application = _application(request, pk)
    runs = AssessmentRun.objects.filter(city=application.city, status=RunStatus.FINISHED)
    form = AssessmentForm(request.POST, runs=runs)
    if form.is_valid():
        try:
            services.set_assessment(
                application,
                form.cleaned_data["assessment"],
                monitoring=application.stage == LabelStage.MONITORING,
            )
            messages.success(request, _("The frozen assessment is attached."))
        except ValidationError as err:
            _errors(request, err)
    return _back(application)


@require_POST
@permission_required("label.change_application", fn=_application)
def application_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Link a consultation process of the city at city or pilot-site scale."""
    application = _application(request, pk)
    form = LinkForm(request.POST, processes=Process.objects.filter(city=application.city))
    if form.is_valid():
        try:
            services.link_process(
                application, form.cleaned_data["process"], form.cleaned_data["scale"]
            )
            messages.success(request, _("The consultation is linked."))
        except ValidationError as err:
            _errors(request, err)
    return _back(application)


@require_POST
@permission_required("label.change_application", fn=_application)
def application_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an action to the plan."""
    application = _application(request, pk)
    framework = framework_by_key(application.programme.framework_key)
    form = ActionForm(request.POST, indicators=[(i.id, i.id) for _c, i in framework.indicators()])
    if not form.is_valid():
        for field, problems in form.errors.items():
            for problem in problems:
                messages.error(request, f"{form.fields[field].label}: {problem}")
        return _back(application)
    try:
        services.add_action(application, **form.cleaned_data)
        messages.success(request, _("The action is added to the plan."))
    except ValidationError as err:
        _errors(request, err)
    return _back(application)


@require_POST
@permission_required("label.assign_assessor", fn=_application)
def application_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Assign an assessor of the pool on one side (a conflict of interest blocks it)."""
    application = _application(request, pk)
    pool = Member.objects.filter(programme=application.programme, kind=Member.Kind.ASSESSOR)
    form = AssignForm(
        request.POST, assessors=get_user_model().objects.filter(pk__in=pool.values("user_id"))
    )
    if form.is_valid():
        try:
            services.assign_assessor(
                application,
                form.cleaned_data["assessor"],
                form.cleaned_data["side"],
                by=request.user,
            )
            messages.success(request, _("The assessor is assigned."))
        except ValidationError as err:
            _errors(request, err)
    return _back(application)


@require_POST
@permission_required("label.view_application", fn=_application)
def application_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a step of the stage table (the secretariat) or decide (the jury chair)."""
    application = _application(request, pk)
    form = MoveForm(request.POST, levels=_levels(application.programme))
    if not form.is_valid():
        return _back(application)
    target = form.cleaned_data["target"]
    try:
        decision = LabelStage(target) in DECISIONS
    except ValueError:
        return _back(application)
    allowed = (
        request.user.has_perm("label.decide_application", application)
        if decision
        else request.user.has_perm("label.move_application", application)
    )
    if not allowed:
        return deny(request)
    try:
        services.move(
            application,
            target,
            request.user,
            reasons=form.cleaned_data["reasons"],
            level=form.cleaned_data["level"],
        )
        messages.success(
            request, _("The application is now at: %(s)s.") % {"s": Stage(target).label}
        )
    except ValidationError as err:
        _errors(request, err)
    return _back(application)


@require_POST
@permission_required("label.vote_application", fn=_application)
def application_declare(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a jury member's conflict-of-interest declaration."""
    application = _application(request, pk)
    form = DeclareForm(request.POST)
    if form.is_valid():
        try:
            services.declare(
                application, request.user, no_conflict=form.cleaned_data["no_conflict"]
            )
        except ValidationError as err:
            _errors(request, err)
    return _back(application)


@require_POST
@permission_required("label.vote_application", fn=_application)
def application_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Cast a jury vote with its comment."""
    application = _application(request, pk)
    form = VoteForm(request.POST, levels=_levels(application.programme))
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, problem)
        return _back(application)
    try:
        services.cast_vote(application, request.user, **form.cleaned_data)
        messages.success(request, _("Your vote is recorded."))
    except ValidationError as err:
        _errors(request, err)
    return _back(application)


def review_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Read a review (per the rules), or write and submit one's own."""
    review = _review(request, pk)
    application = review.application
    programme = application.programme
    may_write = request.user.has_perm("label.submit_review", review)
    if not (may_write or request.user.has_perm("label.view_review", review)):
        return deny(request)
    framework = framework_by_key(programme.framework_key)
    categories = [(c.id, pick(c.name)) for c in framework.categories]
    form = None
    if may_write and review.submitted_at is None:
        form = ReviewForm(
            request.POST or None,
            request.FILES or None,
            categories=categories,
            levels=_levels(programme),
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            upload = data["evidence"]
            files = [(upload.name, upload.read(services.CHARTER_MAX_BYTES))] if upload else []
            try:
                services.submit_review(
                    review,
                    findings={c: data[f"finding_{c}"] for c in form.categories},
                    site_visit=data["site_visit"],
                    recommended_level=data["recommended_level"],
                    files=files,
                )
                messages.success(request, _("Your review is submitted."))
                return redirect("label:review", review.pk)
            except ValidationError as err:
                _errors(request, err)
    names = dict(categories)
    return render(
        request,
        "label/review.html",
        {
            "review": review,
            "application": application,
            "form": form,
            "findings": [(names.get(k, k), v) for k, v in review.findings.items()],
            "level": _level_name(programme, review.recommended_level),
        },
    )


# public: registry and certificates -----------------------------------------------------------
def _labelled() -> Any:
    return (
        Application.objects.filter(stage__in=HOLDS_LABEL, certificate_code__isnull=False)
        .select_related("city", "call__programme")
        .order_by("city__slug")
    )


def registry(request: HttpRequest) -> HttpResponse:
    """List labelled cities with level, date and validity, on the map."""
    rows = [(a, _level_name(a.programme, a.awarded_level)) for a in _labelled()]
    return render(
        request,
        "label/registry.html",
        {"rows": rows, "check_form": CheckForm(), "today": timezone.localdate()},
    )


def registry_geojson(request: HttpRequest) -> JsonResponse:
    """Labelled cities as GeoJSON for the registry map (the portfolio map's properties)."""
    features = []
    for application in _labelled():
        city = application.city
        outline = city.map_outline or city.boundary
        if not outline:
            continue
        ranks = [lv for lv, _n in _levels(application.programme)]
        rank = (
            ranks.index(application.awarded_level) + 1 if application.awarded_level in ranks else 0
        )
        features.append(
            {
                "type": "Feature",
                "geometry": outline,
                "properties": {
                    "slug": city.slug,
                    "name": city.name,
                    "level_name": _level_name(application.programme, application.awarded_level),
                    "year": application.awarded_on.year if application.awarded_on else "",
                    "rank": rank,
                    "illustrative": application.illustrative,
                    "label": _label_point(outline),
                },
            }
        )
    return JsonResponse({"type": "FeatureCollection", "features": features})


def _label_point(geometry: Any) -> list[float] | None:
    points: list[list[float]] = []

    def walk(value: Any) -> None:
        if isinstance(value, list) and value and isinstance(value[0], int | float):
            points.append(value)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(geometry.get("coordinates") if isinstance(geometry, dict) else None)
    if not points:
        return None
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    return [(min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2]


def certificate_check(request: HttpRequest) -> HttpResponse:
    """Look a certificate up by its verification code."""
    form = CheckForm(request.GET or None)
    if form.is_valid():
        code = form.cleaned_data["code"].strip().upper()
        if Application.objects.filter(certificate_code=code).exists():
            return redirect("label:certificate", code)
        messages.error(request, _("No certificate has this code."))
    return redirect(reverse("label:registry") + "#check")


def certificate(request: HttpRequest, code: str) -> HttpResponse:
    """Show a certificate (public): city, level, programme, framework, dates, code, QR code."""
    application = get_object_or_404(
        Application.objects.select_related("city", "call__programme"), certificate_code=code
    )
    return render(
        request,
        "label/certificate.html",
        certificates.context(request, application),
    )


def certificate_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """Return the certificate as a PDF in the active language."""
    application = get_object_or_404(
        Application.objects.select_related("city", "call__programme"), certificate_code=code
    )
    return certificates.pdf_response(request, application)


def deadlines_of(programme: Programme) -> list[Deadline]:
    """Return the programme's deadlines in date order."""
    return list(programme.deadlines.order_by("due_on"))


def stage_counts(programme: Programme) -> Counter[str]:
    """Count the programme's applications per stage."""
    return Counter(
        Application.objects.filter(call__programme=programme).values_list("stage", flat=True)
    )
