"""Consultation pages: processes, proposals, comments, supports, answers, open data.

The views bind forms and pick templates; what a person may do is asked of the rules, and every
write goes through :mod:`ecocite.web.consultations.services`.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecocite.web.consultations import exports, freshness, services
from ecocite.web.consultations.forms import AnswerForm, CommentForm, FilterForm, ProposalForm
from ecocite.web.consultations.models import CommentStance, Process, Proposal, Status
from ecocite.web.consultations.text import render_markdown
from ecocite.web.consultations.views_moderation import too_fast
from ecocite.web.core.freshness import fragments
from ecocite.web.core.models import Action
from ecocite.web.core.permissions import deny, permission_required
from ecocite.web.core.phases import phases_of
from ecocite.web.interactions import services as interactions
from ecocite.web.interactions import throttle
from ecocite.web.interactions.forms import (
    ReasonForm,
    ReportForm,
    add_honeypot,
    honeypot_filled,
)
from ecocite.web.interactions.models import Comment, Support
from ecocite.web.maps.services import map_attributes


def _process(request: HttpRequest, slug: str, **_kw: Any) -> Process:
    return get_object_or_404(Process.objects.select_related("city", "body"), slug=slug)


def _proposal(pk: int) -> Proposal:
    return get_object_or_404(
        Proposal.objects.select_related("process__city", "plan_action"), pk=pk, hidden_at=None
    )


def _filtered(request: HttpRequest, process: Process) -> tuple[FilterForm, Any]:
    form = FilterForm(request.GET or None, categories=process.categories)
    rows = services.proposals_of(process)
    if form.is_valid():
        data = form.cleaned_data
        rows = services.filter_proposals(
            rows,
            category=data["category"],
            heritage=data["heritage"],
            status=data["status"],
            text=data["q"],
        )
    return form, rows


def _errors(form: Any, err: ValidationError) -> None:
    for field, problems in err.message_dict.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


def index(request: HttpRequest) -> HttpResponse:
    """List the consultation processes."""
    from ecocite.web.cities.models import City
    from ecocite.web.consultations.models import Body

    processes = Process.objects.select_related("city", "body").order_by("slug")
    user = request.user
    cities = (
        [c for c in City.objects.order_by("slug") if user.has_perm("consultations.add_process", c)]
        if user.is_authenticated
        else []
    )
    return render(
        request,
        "consultations/index.html",
        {
            "processes": processes,
            "bodies": Body.objects.order_by("slug"),
            "can_add_body": user.has_perm("consultations.add_body"),
            "new_process_cities": cities,
        },
    )


def process_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Show a process: timeline, active phase, how far upstream, filtered proposals.

    For visitors without an account the page's body is the same for everyone: it is kept per
    server process under the process's version (``freshness``: every proposal, support, comment,
    phase, workshop, survey or conversation of the process renews it), language and query.
    """
    process = _process(request, slug)
    params = request.GET.copy()
    page_number = params.pop("page", ["1"])[-1]
    query = params.urlencode()
    key = None
    if not request.user.is_authenticated:
        tiles = getattr(settings, "MAP_TILE_URL", ""), getattr(settings, "MAP_TILE_ATTRIBUTION", "")
        key = "consultations:page:{}:{}:{}:{}".format(
            process.pk, freshness.version(process.pk), get_language(),
            _digest(f"{query}|{page_number}|{tiles}"),
        )  # fmt: skip
        body = fragments().get(key)
        if body is not None:
            return render(
                request,
                "consultations/process.html",
                {"process": process, "cached_body": mark_safe(body)},  # rendered and escaped below
            )
    phases = phases_of(process)
    now = timezone.now()
    active = next((p for p in phases if p.starts_at <= now < p.ends_at), None)
    form, rows = _filtered(request, process)
    context = {
        "process": process,
        "phases": [
            (phase, ", ".join(str(Action(a).label) for a in phase.actions)) for phase in phases
        ],
        "active": active,
        "now": now,
        "upstream_days": services.process_upstream_days(process, phases),
        "ideas_close": services.ideas_close(process, phases),
        "filters": form,
        "proposal_table": _proposal_table(request, process, rows, query, page_number),
        "query": query,
        "can_propose": request.user.has_perm("consultations.add_proposal", process),
        "can_edit": request.user.has_perm("consultations.change_process", process),
        **_moderation_summary(request, process),
        "map": map_attributes(process.city, site=process.site),
        "statuses": json.dumps({value: str(label) for value, label in Status.choices}),
    }
    if key is not None:
        body = render_to_string("consultations/_process_body.html", context, request=request)
        fragments().set(key, body, timeout=freshness.TIMEOUT)
        context["cached_body"] = mark_safe(body)  # the template above escaped every text
    return render(request, "consultations/process.html", context)


def _moderation_summary(request: HttpRequest, process: Process) -> dict[str, Any]:
    if not request.user.has_perm("consultations.moderate_process", process):
        return {"can_moderate": False}
    return {
        "can_moderate": True,
        "moderation_open": services.open_report_count(process),
    }


PAGE_SIZE = 50


def _proposal_table(
    request: HttpRequest, process: Process, rows: Any, query: str, page_number: str
) -> str:
    """Render one page of the filtered proposal list, cached under the process's version.

    Counting supports and comments of a large process is the page's cost; the rendered table is
    kept per server process until the process changes (``freshness``), so a support shows at once.
    """
    key = "consultations:table:{}:{}:{}:{}".format(
        process.pk, freshness.version(process.pk), get_language(), _digest(f"{query}|{page_number}")
    )
    body = fragments().get(key)
    if body is None:
        page = Paginator(rows, PAGE_SIZE).get_page(page_number)
        body = render_to_string(
            "consultations/_proposal_table.html", {"page": page, "query": query}, request=request
        )
        fragments().set(key, body, timeout=freshness.TIMEOUT)
    return mark_safe(body)  # rendered by the template above, which escapes every text


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:20]


@permission_required("consultations.add_proposal", fn=_process)
def proposal_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Write a proposal (the active phase must open proposing)."""
    process = _process(request, slug)
    form = ProposalForm(
        request.POST or None, request.FILES or None, categories=process.categories, process=process
    )
    if not request.user.is_authenticated:
        add_honeypot(form)
    status = 200
    if request.method == "POST":
        status = 422
        if honeypot_filled(form):
            form.add_error(None, throttle.refused_message())
        elif form.is_valid():
            data = form.cleaned_data
            images = [(f.name, f.read()) for f in request.FILES.getlist("images")]
            try:
                with throttle.limit(request, "proposal"):
                    proposal = services.submit_proposal(
                        request.user,
                        process,
                        title=data["title"],
                        body=data["body"],
                        category=data["category"],
                        heritage=data["heritage"],
                        geometry=data["geometry"],
                        images=images,
                    )
            except throttle.RateLimited as err:
                return too_fast(request, err)
            except ValidationError as err:
                _errors(form, err)
            else:
                messages.success(request, _("Your proposal is published."))
                return redirect("consultations:proposal", pk=proposal.pk)
    return render(
        request,
        "consultations/proposal_form.html",
        {"process": process, "form": form},
        status=status,
    )


def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a proposal, its answer, history, supports and comment thread.

    A proposal the moderators hid shows their public reason instead; they still read it.
    """
    proposal = get_object_or_404(
        Proposal.objects.select_related("process__city", "plan_action"), pk=pk
    )
    if proposal.hidden_at is not None and not request.user.has_perm(
        "consultations.hide_proposal", proposal
    ):
        return render(
            request,
            "consultations/proposal_hidden.html",
            {"proposal": proposal, "process": proposal.process},
        )
    return _render_proposal(request, proposal)


def _render_proposal(
    request: HttpRequest,
    proposal: Proposal,
    *,
    comment_form: CommentForm | None = None,
    answer_form: AnswerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    supported = (
        user.is_authenticated
        and Support.objects.filter(
            user=user,
            target_type=ContentType.objects.get_for_model(Proposal),
            target_id=proposal.pk,
        ).exists()
    )
    entries = interactions.thread(proposal)
    stances = dict(
        CommentStance.objects.filter(comment_id__in=[e.comment.pk for e in entries]).values_list(
            "comment_id", "stance"
        )
    )
    can_moderate = user.has_perm("consultations.hide_proposal", proposal)
    can_report = user.has_perm("interactions.add_report", proposal)
    can_comment = user.has_perm("interactions.add_comment", proposal)
    thread = [
        {
            "entry": e,
            "stance": stances.get(e.comment.pk, ""),
            "can_reply": can_comment and not e.placeholder,
            "can_edit": user.has_perm("interactions.change_comment", e.comment),
            "can_delete": user.has_perm("interactions.delete_comment", e.comment),
            "can_report": can_report and not e.placeholder,
            "can_hide": can_moderate and not e.comment.is_deleted,
        }
        for e in entries
    ]
    comment_form = comment_form or CommentForm()
    if not user.is_authenticated:
        add_honeypot(comment_form)
    return render(
        request,
        "consultations/proposal.html",
        {
            "proposal": proposal,
            "process": proposal.process,
            "body_html": render_markdown(proposal.body),
            "images": proposal.images.all(),
            "history": proposal.history.all(),
            "thread": thread,
            "supports": interactions.support_count(proposal),
            "supported": supported,
            "can_support": user.has_perm("interactions.add_support", proposal),
            "can_comment": can_comment,
            "can_answer": user.has_perm("consultations.answer_proposal", proposal),
            "can_report": can_report,
            "can_moderate": can_moderate,
            "report_form": ReportForm(),
            "reason_form": ReasonForm(),
            "comment_form": comment_form,
            "answer_form": answer_form
            or AnswerForm(initial={"status": proposal.status, "answer": proposal.answer}),
        },
        status=status,
    )


@require_POST
def proposal_support(request: HttpRequest, pk: int) -> HttpResponse:
    """Support a proposal, or withdraw one's support."""
    proposal = _proposal(pk)
    try:
        with throttle.limit(request, "support"):
            if request.POST.get("withdraw"):
                services.withdraw_support(request.user, proposal)
                messages.success(request, _("Your support is withdrawn."))
            else:
                services.support_proposal(request.user, proposal)
                messages.success(request, _("Thank you for your support."))
    except throttle.RateLimited as err:
        return too_fast(request, err)
    except PermissionDenied:
        return deny(request)
    except ValidationError as err:
        for problems in err.message_dict.values():
            for problem in problems:
                messages.error(request, problem)
    return redirect("consultations:proposal", pk=proposal.pk)


@require_POST
def proposal_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """Comment on a proposal."""
    proposal = _proposal(pk)
    if not request.user.has_perm("interactions.add_comment", proposal):
        return deny(request)
    form = CommentForm(request.POST)
    if not request.user.is_authenticated:
        add_honeypot(form)
    if honeypot_filled(form):
        form.add_error(None, throttle.refused_message())
    elif form.is_valid():
        data = form.cleaned_data
        parent = None
        if data["parent"]:
            parent = Comment.objects.filter(pk=data["parent"]).first()
            if parent is None:
                form.add_error(None, _("The comment you answer no longer exists."))
                return _render_proposal(request, proposal, comment_form=form, status=422)
        try:
            with throttle.limit(request, "comment"):
                comment = services.comment_on(
                    request.user, proposal, data["text"], parent=parent, stance=data["stance"]
                )
        except throttle.RateLimited as err:
            return too_fast(request, err)
        except ValidationError as err:
            _errors(form, err)
        else:
            messages.success(request, _("Your comment is published."))
            url = reverse("consultations:proposal", args=[proposal.pk])
            return redirect(f"{url}#comment-{comment.pk}")
    return _render_proposal(request, proposal, comment_form=form, status=422)


@require_POST
def proposal_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the official answer to a proposal."""
    proposal = _proposal(pk)
    if not request.user.has_perm("consultations.answer_proposal", proposal):
        return deny(request)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_proposal(
                request.user, proposal, form.cleaned_data["answer"], form.cleaned_data["status"]
            )
        except ValidationError as err:
            _errors(form, err)
        else:
            messages.success(request, _("The answer is published."))
            return redirect("consultations:proposal", pk=proposal.pk)
    return _render_proposal(request, proposal, answer_form=form, status=422)


def accountability(request: HttpRequest, slug: str) -> HttpResponse:
    """Show what was decided in a process, with progress per item."""
    process = _process(request, slug)
    rows = list(services.proposals_of(process).order_by("status", "-id"))
    answered = sum(1 for p in rows if p.answer)
    by_status = {
        label: sum(1 for p in rows if p.status == value) for value, label in Status.choices
    }
    return render(
        request,
        "consultations/accountability.html",
        {"process": process, "proposals": rows, "answered": answered, "by_status": by_status},
    )


def proposals_map(request: HttpRequest, slug: str) -> HttpResponse:
    """Serve the markers of the list as filtered (same filters as the page).

    The body is built once per change of the process (``freshness``) and filter, and kept
    gzip-compressed as well: a large process's map data is not rebuilt on every visit.
    """
    process = _process(request, slug)
    key = f"consultations:map:{process.pk}:{freshness.version(process.pk)}:{_digest(request.GET.urlencode())}"
    bodies = fragments().get(key)
    if bodies is None:
        _form, rows = _filtered(request, process)
        plain = json.dumps(
            exports.proposals_geojson(rows), cls=DjangoJSONEncoder, separators=(",", ":")
        ).encode()
        bodies = (plain, gzip.compress(plain, compresslevel=6, mtime=0))
        fragments().set(key, bodies, timeout=freshness.TIMEOUT)
    wants_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    response = HttpResponse(bodies[1] if wants_gzip else bodies[0], content_type="application/json")
    if wants_gzip:
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def export_proposals_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Download the proposals of a process as CSV (CC BY 4.0)."""
    process = _process(request, slug)
    response = HttpResponse(
        exports.proposals_csv(services.proposals_of(process)), content_type="text/csv"
    )
    response["Content-Disposition"] = f'attachment; filename="{process.slug}-proposals.csv"'
    return response


def export_proposals_geojson(request: HttpRequest, slug: str) -> JsonResponse:
    """Download the placed proposals of a process as GeoJSON (CC BY 4.0)."""
    process = _process(request, slug)
    response = JsonResponse(exports.proposals_geojson(services.proposals_of(process)))
    response["Content-Disposition"] = f'attachment; filename="{process.slug}-proposals.geojson"'
    return response


def export_comments_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Download the comments of a process as CSV (CC BY 4.0)."""
    process = _process(request, slug)
    response = HttpResponse(exports.comments_csv(process), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{process.slug}-comments.csv"'
    return response


def schema(request: HttpRequest) -> HttpResponse:
    """Document the open-data columns and licence."""
    return render(
        request,
        "consultations/schema.html",
        {
            "proposal_columns": exports.PROPOSAL_COLUMNS,
            "comment_columns": exports.COMMENT_COLUMNS,
            "licence": exports.LICENCE,
            "licence_url": exports.LICENCE_URL,
        },
    )
